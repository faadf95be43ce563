"""Client configuration values: timeouts, the "not given" sentinel, defaults."""

from __future__ import annotations

import math
from typing import Any, Final, Literal

import attrs

from ._exceptions import InvalidRequestError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "NotGiven",
    "Timeout",
    "TimeoutTypes",
    "resolve_max_retries",
    "resolve_timeout",
]

# The API page's curl example uses /api/v1 while its heading shows /v1; the
# example is what the provider answers on, so it is the default.
DEFAULT_BASE_URL: Final = "https://api.postpress.ai/api/v1"
DEFAULT_MAX_RETRIES: Final = 2
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
# LinkedIn publishing is slow (tens of seconds is normal for promoted posts).
DEFAULT_TOTAL_TIMEOUT: Final = 90.0


class NotGiven:
    """Sentinel telling "argument not given" apart from ``None`` (which means "no timeout")."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


def _seconds(field: str) -> Any:
    def check(_: object, __: object, value: float | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidRequestError(field, f"must be a number of seconds or None, got {value!r}")
        if not math.isfinite(value) or value <= 0:
            raise InvalidRequestError(field, f"must be a positive number of seconds, got {value!r}")

    return attrs.field(default=None, validator=check)


@attrs.frozen
class Timeout:
    """Time limits for ONE attempt of a call (retries each get their own).

    ``total`` bounds the whole attempt (connecting, sending, waiting, reading);
    ``connect`` bounds opening the TCP/TLS connection. ``None`` means no limit.
    """

    total: float | None = _seconds("timeout.total")
    connect: float | None = _seconds("timeout.connect")


DEFAULT_TIMEOUT: Final = Timeout(total=DEFAULT_TOTAL_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)

TimeoutTypes = float | Timeout | None


def resolve_timeout(value: TimeoutTypes | NotGiven, default: Timeout) -> Timeout:
    """A call's effective :class:`Timeout`; a plain number sets ``total``."""
    if isinstance(value, NotGiven):
        return default
    if isinstance(value, Timeout):
        return value
    if value is None:
        return Timeout(total=None, connect=None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRequestError(
            "timeout", f"must be seconds (a number), a Timeout or None, got {value!r}"
        )
    connect = DEFAULT_CONNECT_TIMEOUT
    if math.isfinite(value) and value > 0:
        connect = min(float(value), DEFAULT_CONNECT_TIMEOUT)
    return Timeout(total=float(value), connect=connect)


def resolve_max_retries(value: int | NotGiven, default: int) -> int:
    """A call's effective retry count, validated."""
    if isinstance(value, NotGiven):
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequestError(
            "max_retries", f"must be a whole number >= 0, got {value!r}"
        )
    return value
