"""``BulkOptions``: how a bulk run goes, validated once when it is built.

``publish_many`` / ``iter_publish`` (async and sync) take these as keyword arguments and
build one ``BulkOptions``; everything below them passes that object along.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Final

import attrs

from ._bulk_defaults import DEFAULT_CONNECTING_TIMEOUT, DEFAULT_MAX_PARKED, DEFAULT_STOP_ON
from ._bulk_outcomes import Outcome
from ._bulk_stop import (
    StopOn,
    StopScope,
    StopScopes,
    resolve_stop_scopes,
    stop_predicate,
)
from ._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    TimeoutTypes,
    resolve_max_retries,
    resolve_timeout,
)
from ._exceptions import InvalidRequestError, PostpressError

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_CONNECTING_TIMEOUT",
    "DEFAULT_MAX_PARKED",
    "BulkOptions",
    "OnOutcome",
]

DEFAULT_CONCURRENCY: Final = 16

OnOutcome = Callable[[Outcome], object]


def _whole(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError(name, f"must be a whole number >= 1, got {value!r}")
    return value


def _positive(name: str, unit: str, value: float) -> float:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or not 0 < value < float("inf"):
        raise InvalidRequestError(name, f"must be a positive number of {unit}, got {value!r}")
    return float(value)


def _concurrency(value: int) -> int:
    return _whole("concurrency", value)


def _max_parked(value: int) -> int:
    return _whole("max_parked", value)


def _per_account_concurrency(value: int | None) -> int | None:
    return None if value is None else _whole("per_account_concurrency", value)


def _rate(value: float | None) -> float | None:
    return None if value is None else _positive("rate", "requests/s", value)


def _per_account_rate(value: float | None) -> float | None:
    return None if value is None else _positive("per_account_rate", "drafts/s per account", value)


def _connecting_timeout(value: float) -> float:
    return _positive("connecting_timeout", "seconds", value)


def _check_accounts(value: bool) -> bool:
    if not isinstance(value, bool):
        raise InvalidRequestError("check_accounts", f"must be True or False, got {value!r}")
    return value


def _journal(value: str | os.PathLike[str] | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise InvalidRequestError(
            "journal", f"must be a file path (str or os.PathLike), got {type(value).__name__}"
        )
    return os.fspath(value)


def _on_outcome(value: OnOutcome | None) -> OnOutcome | None:
    if value is not None and not callable(value):
        raise InvalidRequestError("on_outcome", "must be a callable taking an Outcome")
    return value


def _timeout(value: TimeoutTypes | NotGiven) -> TimeoutTypes | NotGiven:
    # Checked here, once: otherwise every draft would fail with the same InvalidRequestError
    # (after its in_flight journal line), and a typo would read as a batch of failed drafts.
    resolve_timeout(value, DEFAULT_TIMEOUT)
    return value


def _max_retries(value: int | NotGiven) -> int | NotGiven:
    resolve_max_retries(value, DEFAULT_MAX_RETRIES)
    return value


@attrs.frozen(kw_only=True)
class BulkOptions:
    """The options of one bulk run; a bad value raises :class:`InvalidRequestError` here.

    ``timeout`` and ``max_retries`` are per request, as for a single call; ``NOT_GIVEN``
    means the client's own. ``per_account_concurrency`` / ``per_account_rate`` limit each
    account alongside the global ``concurrency`` / ``rate``; ``check_accounts`` reads each
    account's health before its first draft is sent (``connecting_timeout``: how long a
    ``CONNECTING`` account is waited for); ``max_parked`` bounds the drafts read ahead and
    held for accounts that cannot take them yet. ``stop_scopes`` overrides entries of
    :data:`STOP_SCOPES`.
    """

    concurrency: int = attrs.field(default=DEFAULT_CONCURRENCY, converter=_concurrency)
    rate: float | None = attrs.field(default=None, converter=_rate)
    per_account_concurrency: int | None = attrs.field(
        default=None, converter=_per_account_concurrency
    )
    per_account_rate: float | None = attrs.field(default=None, converter=_per_account_rate)
    check_accounts: bool = attrs.field(default=False, converter=_check_accounts)
    connecting_timeout: float = attrs.field(
        default=DEFAULT_CONNECTING_TIMEOUT, converter=_connecting_timeout
    )
    max_parked: int = attrs.field(default=DEFAULT_MAX_PARKED, converter=_max_parked)
    journal: str | None = attrs.field(default=None, converter=_journal)
    on_outcome: OnOutcome | None = attrs.field(default=None, converter=_on_outcome)
    stop_on: StopOn = DEFAULT_STOP_ON
    stop_scopes: StopScopes = None
    timeout: TimeoutTypes | NotGiven = attrs.field(default=NOT_GIVEN, converter=_timeout)
    max_retries: int | NotGiven = attrs.field(default=NOT_GIVEN, converter=_max_retries)
    # stop_on as one predicate, built (and so checked) with the rest.
    should_stop: Callable[[PostpressError], bool] = attrs.field(init=False, repr=False)
    # The scope table with stop_scopes applied, by error type string.
    scopes: dict[str, StopScope] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "should_stop", stop_predicate(self.stop_on))
        object.__setattr__(self, "scopes", resolve_stop_scopes(self.stop_scopes))

    @property
    def per_account(self) -> bool:
        """True when drafts go through per-account lanes (a limit or the health check)."""
        return (
            self.per_account_concurrency is not None
            or self.per_account_rate is not None
            or self.check_accounts
        )
