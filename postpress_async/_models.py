"""Request and response classes (attrs).

Requests validate on construction and raise :class:`InvalidRequestError`
naming the field, so a bad call fails before any byte is sent. Responses are
lenient: they ignore fields they do not know and keep enum values they have not
seen as raw strings, because a job the API published must never surface as an
exception just because the API learned a new word.
"""

from __future__ import annotations

import math
from typing import Any, Final

import attrs

from ._config import is_decimal, show_value
from ._enums import CheckpointType, JobState, Mode, Service, request_member
from ._exceptions import InvalidRequestError

__all__ = [
    "Checkpoint",
    "DailyBudget",
    "MonthlyBudget",
    "PublishRequest",
    "PublishResult",
    "Published",
    "SolveCheckpointRequest",
]


def _non_empty(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidRequestError(field, f"must be a string, got {type(value).__name__}")
    if not value:
        raise InvalidRequestError(field, "must not be empty")
    try:
        if not value.isascii():  # isascii() reads a flag; encode() would copy the string
            value.encode("utf-8")
    except UnicodeEncodeError:
        # json.dumps would send "\ud800" escapes, which strict JSON parsers reject and
        # lenient ones turn into replacement characters: not the id the caller gave.
        raise InvalidRequestError(
            field, "contains characters that cannot be encoded as UTF-8 (lone surrogates)"
        ) from None
    return value


def _draft_id(value: object) -> str:
    # The common case, an ASCII id, in one test (ASCII always encodes); _non_empty words
    # every other outcome.
    if isinstance(value, str) and value.isascii() and value and value not in (".", ".."):
        return value
    draft_id = _non_empty("draft_id", value)
    # "." and ".." are normalised away by proxies and URL libraries even when
    # percent-encoded, which would send the request to a different endpoint.
    if draft_id in (".", ".."):
        raise InvalidRequestError("draft_id", f"{show_value(draft_id)} is not a valid draft id")
    return draft_id


def _account_id(value: object) -> str:
    if isinstance(value, str) and value.isascii() and value:  # the common case, as above
        return value
    return _non_empty("account_id", value)


def _checkpoint_input(value: object) -> str:
    return _non_empty("input", value)


# The exact wire values (what nearly every call passes): one dict lookup before
# request_member's full rule. A member hashes and compares as its value, so it hits too.
_MODES: Final = {member.value: member for member in Mode}
_SERVICES: Final = {member.value: member for member in Service}


def _mode(value: object) -> Mode:
    mode = _MODES.get(value) if isinstance(value, str) else None
    if mode is None:
        mode = request_member(Mode, value)
    if mode is None:
        expected = ", ".join(m.value for m in Mode)
        raise InvalidRequestError(
            "mode", f"unknown mode {show_value(value)}; expected one of {expected}"
        )
    return mode


def _service(value: object) -> Service | None:
    if value is None:
        return None
    service = _SERVICES.get(value) if isinstance(value, str) else None
    if service is None:
        service = request_member(Service, value)
    if service is None:
        expected = ", ".join(s.value for s in Service)
        raise InvalidRequestError(
            "service", f"unknown service {show_value(value)}; expected one of {expected}"
        )
    return service


def _optional_bool(field: str) -> Any:
    def convert(value: object) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        raise InvalidRequestError(field, f"must be a bool, got {type(value).__name__}")

    return attrs.field(default=None, converter=convert, kw_only=True)


def _currency(value: object) -> str:
    if (
        not isinstance(value, str)
        or len(value) != 3
        or not value.isascii()
        or not value.isalpha()
    ):
        raise InvalidRequestError(
            "budget.currency",
            f"must be a three-letter ISO 4217 code such as 'USD', got {show_value(value)}",
        )
    return value.upper()


def _amount(value: object) -> int | float:
    # bool is an int subclass; True as a budget is a bug, not one dollar.
    if isinstance(value, bool) or not (isinstance(value, (int, float)) or is_decimal(value)):
        raise InvalidRequestError(
            "budget.amount", f"must be a number, got {type(value).__name__}"
        )
    try:
        as_float = float(value)
    except (OverflowError, ValueError):
        # An int beyond a double's range (JSON parsers elsewhere read it as infinity, and
        # repr() may refuse to print it) or a signalling-NaN Decimal.
        raise InvalidRequestError(
            "budget.amount", "must be a finite number within the range of a double"
        ) from None
    if not math.isfinite(as_float):
        raise InvalidRequestError(
            "budget.amount", f"must be a finite number, got {show_value(value)}"
        )
    number: int | float = value if isinstance(value, int) else as_float
    if isinstance(number, float) and number.is_integer() and is_decimal(value):
        number = int(number)
    if number <= 0:
        raise InvalidRequestError(
            "budget.amount", f"must be greater than 0, got {show_value(value)}"
        )
    return number


@attrs.frozen
class DailyBudget:
    """A daily budget for a promoted posting. ``currency`` is sent upper-case."""

    currency: str = attrs.field(converter=_currency)
    amount: int | float = attrs.field(converter=_amount)


@attrs.frozen
class MonthlyBudget:
    """A monthly budget for a promoted posting. ``currency`` is sent upper-case."""

    currency: str = attrs.field(converter=_currency)
    amount: int | float = attrs.field(converter=_amount)


Budget = DailyBudget | MonthlyBudget


def _budget(value: object) -> Budget | None:
    if value is None or isinstance(value, (DailyBudget, MonthlyBudget)):
        return value
    raise InvalidRequestError(
        "budget", f"must be a DailyBudget or a MonthlyBudget, got {type(value).__name__}"
    )


@attrs.frozen
class PublishRequest:
    """Everything one publish call sends; validated on construction.

    The same fields as :meth:`AsyncJobs.publish`. Unset optional fields are
    left out of the JSON body (never sent as ``null``). ``mode`` and ``service`` take a
    member or its value in any case (``"free"`` is ``Mode.FREE``).
    """

    draft_id: str = attrs.field(converter=_draft_id)
    account_id: str = attrs.field(converter=_account_id, kw_only=True)
    mode: Mode = attrs.field(converter=_mode, kw_only=True)
    service: Service | None = attrs.field(default=None, converter=_service, kw_only=True)
    hiring_photo_frame: bool | None = _optional_bool("hiring_photo_frame")
    bypass_email_verification: bool | None = _optional_bool("bypass_email_verification")
    budget: DailyBudget | MonthlyBudget | None = attrs.field(
        default=None, converter=_budget, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        if self.budget is not None and self.mode is Mode.FREE:
            raise InvalidRequestError(
                "budget", "a FREE posting takes no budget; use mode PROMOTED or PROMOTED_PLUS"
            )
        if self.mode is Mode.PROMOTED_PLUS and self.service is Service.RECRUITER:
            raise InvalidRequestError(
                "service", "PROMOTED_PLUS is Classic-only; use service CLASSIC or mode PROMOTED"
            )


@attrs.frozen
class SolveCheckpointRequest:
    """What one checkpoint call sends; validated on construction."""

    draft_id: str = attrs.field(converter=_draft_id)
    account_id: str = attrs.field(converter=_account_id, kw_only=True)
    input: str = attrs.field(converter=_checkpoint_input, kw_only=True)


@attrs.frozen
class Published:
    """The job was published. ``job_state`` is a raw string when the API sends a new state."""

    job_id: str
    job_state: JobState | str


@attrs.frozen
class Checkpoint:
    """LinkedIn demands an extra step: solve it with ``jobs.solve_checkpoint(job_id, ...)``."""

    job_id: str
    type: CheckpointType | str


PublishResult = Published | Checkpoint
