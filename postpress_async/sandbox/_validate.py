"""Request validation for the sandbox, written from the API page (never from the SDK).

The order of checks follows the page's error list as a client sees it: the body size,
then JSON well-formedness, then required fields, then each field's type, enum and shape.
Each failure raises :class:`SandboxError` with a ``detail`` naming the offending field.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote

from ._errors import SandboxError

__all__ = [
    "CHECKPOINT_TYPES",
    "JOB_STATES",
    "MODES",
    "SERVICES",
    "CheckpointRequest",
    "PublishRequest",
    "decode_draft_id",
    "parse_json_object",
    "validate_checkpoint",
    "validate_publish",
]

MODES: Final = frozenset({"FREE", "PROMOTED", "PROMOTED_PLUS"})
SERVICES: Final = frozenset({"CLASSIC", "RECRUITER"})
JOB_STATES: Final = frozenset({"active", "draft", "review", "closed", "paused"})
CHECKPOINT_TYPES: Final = frozenset({"EMAIL_VERIFICATION", "OTP"})

_PUBLISH_FIELDS: Final = frozenset(
    {"account_id", "service", "hiring_photo_frame", "bypass_email_verification", "mode", "budget"}
)
_CHECKPOINT_FIELDS: Final = frozenset({"account_id", "input"})
_BUDGET_FIELDS: Final = frozenset({"currency", "amount"})
_CURRENCY: Final = re.compile(r"[A-Za-z]{3}")
# RFC 3986 pchar minus "/": what may appear unencoded in one path segment.
_SEGMENT: Final = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*")


@dataclass(frozen=True, slots=True)
class PublishRequest:
    """A publish body that passed validation."""

    account_id: str
    mode: str
    service: str
    hiring_photo_frame: bool | None
    bypass_email_verification: bool | None
    budget: dict[str, dict[str, Any]] | None


@dataclass(frozen=True, slots=True)
class CheckpointRequest:
    """A checkpoint body that passed validation."""

    account_id: str
    input: str


def _invalid(detail: str) -> SandboxError:
    return SandboxError(400, "errors/invalid_parameters", detail)


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN/Infinity; the JSON grammar does not.
    raise ValueError(f"{name} is not valid JSON")


def parse_json_object(body: bytes) -> dict[str, Any]:
    """Decode a request body that must be a JSON object."""
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SandboxError(
            400, "errors/malformed_request", f"the body is not valid JSON: {exc}"
        ) from None
    except RecursionError:
        # Deep nesting under the size cap exhausts Python's parser stack: still a bad
        # request, never a 500.
        raise SandboxError(
            400, "errors/malformed_request", "the body is nested too deeply to be parsed"
        ) from None
    if not isinstance(value, dict):
        raise SandboxError(
            400,
            "errors/malformed_request",
            f"the body must be a JSON object, not {type(value).__name__}",
        )
    return value


def decode_draft_id(raw_segment: str, max_length: int) -> str:
    """Turn the raw (still percent-encoded) path segment into the draft id."""
    if not _SEGMENT.fullmatch(raw_segment):
        raise SandboxError(
            400,
            "errors/unescaped_characters",
            "draft_id: the path segment contains characters that must be percent-encoded",
        )
    try:
        draft_id = unquote(raw_segment, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise SandboxError(
            404,
            "errors/invalid_resource_identifier",
            "draft_id: the percent-encoded bytes are not UTF-8",
        ) from None
    _check_length("draft_id", draft_id, max_length)
    return draft_id


def _check_length(name: str, value: str, max_length: int) -> None:
    if len(value) > max_length:
        raise SandboxError(
            400,
            "errors/too_many_characters",
            f"{name}: {len(value)} characters, at most {max_length} allowed",
        )


def _check_fields(body: dict[str, Any], allowed: frozenset[str], required: tuple[str, ...]) -> None:
    missing = [name for name in required if name not in body]
    if missing:
        raise SandboxError(
            400, "errors/missing_parameters", "missing required field(s): " + ", ".join(missing)
        )
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise _invalid("unknown field(s): " + ", ".join(unknown))
    nulls = sorted(name for name, value in body.items() if value is None)
    if nulls:
        raise _invalid("null is not allowed for: " + ", ".join(nulls))


def _string(body: dict[str, Any], name: str, max_length: int) -> str:
    value = body[name]
    if not isinstance(value, str):
        raise _invalid(f"{name}: expected a string, got {type(value).__name__}")
    if not value:
        raise _invalid(f"{name}: must not be empty")
    _check_length(name, value, max_length)
    return value


def _enum(body: dict[str, Any], name: str, allowed: frozenset[str]) -> str:
    value = body[name]
    if not isinstance(value, str) or value not in allowed:
        raise _invalid(f"{name}: expected one of {', '.join(sorted(allowed))}, got {value!r}")
    return value


def _optional_bool(body: dict[str, Any], name: str) -> bool | None:
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, bool):
        raise _invalid(f"{name}: expected a boolean, got {type(value).__name__}")
    return value


def _budget(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise _invalid(f"budget: expected an object, got {type(value).__name__}")
    if set(value) not in ({"daily"}, {"monthly"}):
        raise _invalid(
            f"budget: expected exactly one of daily or monthly, got {sorted(value) or 'nothing'}"
        )
    ((period, inner),) = value.items()
    path = f"budget.{period}"
    if not isinstance(inner, dict):
        raise _invalid(f"{path}: expected an object, got {type(inner).__name__}")
    missing = sorted(_BUDGET_FIELDS - set(inner))
    if missing:
        raise SandboxError(
            400,
            "errors/missing_parameters",
            "missing required field(s): " + ", ".join(f"{path}.{m}" for m in missing),
        )
    unknown = sorted(set(inner) - _BUDGET_FIELDS)
    if unknown:
        raise _invalid(f"{path}: unknown field(s): " + ", ".join(unknown))
    currency, amount = inner["currency"], inner["amount"]
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
        raise _invalid(f"{path}.currency: expected 3 ASCII letters, got {currency!r}")
    # bool is an int subclass in Python, but true is not a number in JSON.
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise _invalid(f"{path}.amount: expected a number, got {type(amount).__name__}")
    try:
        finite = math.isfinite(amount)
    except OverflowError:  # an integer beyond a double's range
        finite = False
    if not finite or amount <= 0:
        raise _invalid(f"{path}.amount: expected a finite number > 0")
    return {period: {"currency": currency, "amount": amount}}


def validate_publish(body: dict[str, Any], max_length: int) -> PublishRequest:
    """Validate a publish body (the FREE | PROMOTED | PROMOTED_PLUS union on ``mode``)."""
    _check_fields(body, _PUBLISH_FIELDS, ("account_id", "mode"))
    account_id = _string(body, "account_id", max_length)
    mode = _enum(body, "mode", MODES)
    service = _enum(body, "service", SERVICES) if "service" in body else "CLASSIC"
    hiring_photo_frame = _optional_bool(body, "hiring_photo_frame")
    bypass = _optional_bool(body, "bypass_email_verification")
    budget = None
    if "budget" in body:
        if mode == "FREE":
            raise _invalid("budget: only allowed with mode PROMOTED or PROMOTED_PLUS")
        budget = _budget(body["budget"])
    if mode == "PROMOTED_PLUS" and service == "RECRUITER":
        raise _invalid("service: PROMOTED_PLUS is Classic-only, RECRUITER is not allowed")
    return PublishRequest(account_id, mode, service, hiring_photo_frame, bypass, budget)


def validate_checkpoint(body: dict[str, Any], max_length: int) -> CheckpointRequest:
    """Validate a checkpoint body: ``account_id`` and ``input``, both non-empty strings."""
    _check_fields(body, _CHECKPOINT_FIELDS, ("account_id", "input"))
    return CheckpointRequest(
        _string(body, "account_id", max_length), _string(body, "input", max_length)
    )
