"""``BulkOptions``: how a bulk run goes, validated once when it is built.

``publish_many`` / ``iter_publish`` (async and sync) take these as keyword arguments and
build one ``BulkOptions``; everything below them passes that object along.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Final

import attrs

from ._bulk_outcomes import Outcome
from ._bulk_stop import DEFAULT_STOP_ON, StopOn, stop_predicate
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

__all__ = ["DEFAULT_CONCURRENCY", "BulkOptions", "OnOutcome"]

DEFAULT_CONCURRENCY: Final = 16

OnOutcome = Callable[[Outcome], object]


def _concurrency(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError("concurrency", f"must be a whole number >= 1, got {value!r}")
    return value


def _rate(value: float | None) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not 0 < value < float("inf")
    ):
        raise InvalidRequestError("rate", f"must be a positive number of requests/s, got {value!r}")
    return float(value)


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
    means the client's own.
    """

    concurrency: int = attrs.field(default=DEFAULT_CONCURRENCY, converter=_concurrency)
    rate: float | None = attrs.field(default=None, converter=_rate)
    journal: str | None = attrs.field(default=None, converter=_journal)
    on_outcome: OnOutcome | None = attrs.field(default=None, converter=_on_outcome)
    stop_on: StopOn = DEFAULT_STOP_ON
    timeout: TimeoutTypes | NotGiven = attrs.field(default=NOT_GIVEN, converter=_timeout)
    max_retries: int | NotGiven = attrs.field(default=NOT_GIVEN, converter=_max_retries)
    # stop_on as one predicate, built (and so checked) with the rest.
    should_stop: Callable[[PostpressError], bool] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "should_stop", stop_predicate(self.stop_on))
