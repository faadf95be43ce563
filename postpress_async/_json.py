"""JSON in and out, through orjson, with the standard library behind it for what orjson refuses.

orjson reads and writes the SDK's bodies several times faster than ``json``. It refuses
some documents that are valid JSON and that a server may send: an escaped lone surrogate
(``"\\ud800"``), a number beyond a double's range, a byte-order mark, ``NaN``. Those go to
``json.loads``, so every body reads as it always did and ends in the same typed outcome.
The fallback runs only when orjson has already failed: the common path pays nothing.
(orjson reads integers between 2**64 and a double's range as floats; no documented field
carries such numbers.)
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from decimal import Decimal

    import orjson

__all__ = ["dumps", "loads"]


class _ImportedOnFirstUse:
    # orjson is imported by the first body read or written, not with the package: it
    # brings dataclasses along, a few million instructions of import time
    # (docs/performance.md). The first attribute read imports it and puts the module in
    # this stand-in's place, so every later call finds the module itself.
    def __getattr__(self, name: str) -> Any:
        global orjson
        import orjson as module

        orjson = module
        return getattr(module, name)


if not TYPE_CHECKING:
    orjson = _ImportedOnFirstUse()

# Python refuses to turn more than this many digits into an int (CVE-2020-10735); a
# longer integer literal (in a field nobody reads, say) is kept exactly as a Decimal
# instead of making the whole body unreadable.
_MAX_INT_DIGITS: Final = 4000


def _parse_int(literal: str) -> int | Decimal:
    if len(literal) <= _MAX_INT_DIGITS:
        return int(literal)
    from decimal import Decimal  # imported here: only a body orjson refused gets this far

    return Decimal(literal)


def loads(data: bytes) -> Any:
    """Parse a JSON document; raises ``ValueError`` (or ``RecursionError``) when it is not one."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data, parse_int=_parse_int)


def dumps(value: Any) -> bytes:
    """Serialise a request body (compact, UTF-8)."""
    try:
        return orjson.dumps(value)
    except TypeError:
        # An integer beyond 64 bits, or a lone surrogate (only in test doubles: requests
        # refuse them): the standard library writes both, as exact digits and \u escapes.
        return json.dumps(value, separators=(",", ":")).encode()
