"""What the lifecycle commands print: results as JSON records (``--json``, JSON Lines
exports) and as short human lines.

Every string a server sent is untrusted: a human line shows it through
:func:`~postpress_async._exceptions.display` (one line, bounded, control characters
escaped), so an applicant's name cannot move the cursor or clear the terminal. JSON
records keep the text exactly (``json.dumps`` escapes control characters itself).
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from .._untrusted import display

__all__ = ["field_lines", "record", "shown"]


def _value(_instance: object, _field: object, value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def record(result: object) -> dict[str, Any]:
    """An attrs result (``JobPosting``, ``Applicant``...) as a JSON-ready dict, every
    field kept (``None`` included), enums as their wire values."""
    data: dict[str, Any] = attrs.asdict(result, value_serializer=_value)  # type: ignore[arg-type]
    return data


def shown(value: object, limit: int = 200) -> str:
    """A server value for a human line: ``-`` when absent, else one escaped line."""
    if value is None or value == "":
        return "-"
    if isinstance(value, enum.Enum):
        value = value.value
    return display(str(value), limit)


def field_lines(pairs: list[tuple[str, object]]) -> str:
    """``name: value`` lines, names padded to one width, values shown safely."""
    width = max(len(name) for name, _ in pairs)
    return "\n".join(f"{name + ':':<{width + 1}} {shown(value)}" for name, value in pairs)
