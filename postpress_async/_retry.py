"""The retry policy of the design card, on tenacity.

Retried: 500 ``errors/provider_error``, any 503, any 504 — nothing else. The
first attempt runs without any tenacity machinery (most calls succeed, and each
call is the hot path of bulk publishing); only after a retryable failure is a
fresh ``AsyncRetrying`` built for this call alone (it holds per-call state and
must never be shared between concurrent tasks).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Final, TypeVar

from ._enums import ErrorType
from ._exceptions import (
    AlreadyPublishedError,
    APIStatusError,
    GatewayTimeoutError,
    InternalServerError,
    ServiceUnavailableError,
)

if TYPE_CHECKING:
    from tenacity import RetryCallState

__all__ = ["backoff", "is_retryable", "logger", "retry_after_failure", "should_retry"]

logger: Final = logging.getLogger("postpress_async")

INITIAL_BACKOFF: Final = 0.5
MAX_BACKOFF: Final = 8.0
MAX_RETRY_AFTER: Final = 60.0

_T = TypeVar("_T")


class _WaitSwitch:
    # A module-level switch, flipped by postpress_async.testing, so users' test
    # suites can turn every retry wait off without touching client code.
    enabled: bool = True


WAITS = _WaitSwitch()


def is_retryable(exc: BaseException) -> bool:
    """The one predicate: does the card say this failure is retried?"""
    if isinstance(exc, (ServiceUnavailableError, GatewayTimeoutError)):
        return True
    return isinstance(exc, InternalServerError) and exc.type is ErrorType.PROVIDER_ERROR


def backoff(retry_number: int, retry_after: float | None) -> float:
    """Seconds to wait before retry ``retry_number`` (1-based).

    ``Retry-After`` replaces the backoff (capped); otherwise 0.5 s doubling up
    to 8 s, each wait drawn between half and all of that ("equal jitter"), so
    many clients failing together do not come back together.
    """
    if not WAITS.enabled:
        return 0.0
    if retry_after is not None:
        return min(retry_after, MAX_RETRY_AFTER)
    ceiling = min(MAX_BACKOFF, INITIAL_BACKOFF * 2.0 ** (retry_number - 1))
    return ceiling / 2 + random.random() * ceiling / 2


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome is not None else None
    retry_after: float | None = exc.retry_after if isinstance(exc, APIStatusError) else None
    return backoff(state.attempt_number, retry_after)


def should_retry(failure: APIStatusError, max_retries: int) -> bool:
    """Whether a call's first failure starts the retry loop."""
    return max_retries > 0 and is_retryable(failure)


async def retry_after_failure(
    first_failure: APIStatusError,
    attempt: Callable[[], Awaitable[_T]],
    *,
    max_retries: int,
    what: Callable[[], str],
) -> _T:
    """Retry a call whose first attempt failed retryably; the last real error is raised.

    The caller ran the first attempt itself (the success path needs no closure,
    no tenacity object, no extra await layer). ``what`` describes the call for
    the retry log lines, built only when one is logged.
    """
    statuses: list[int] = [first_failure.status]
    replay: list[BaseException] = [first_failure]

    async def retried_attempt() -> _T:
        # Tenacity's first attempt replays the failure that already happened,
        # so its attempt numbers, waits and logs line up with the real calls.
        if replay:
            raise replay.pop()
        try:
            return await attempt()
        except AlreadyPublishedError as exc:
            raise exc.with_earlier_attempts(tuple(statuses)) from None
        except APIStatusError as exc:
            statuses.append(exc.status)
            raise

    def log_retry(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        logger.info(
            "retrying %s after attempt %d of %d: %s %s (request_id=%s); waiting %.2fs",
            what(),
            state.attempt_number,
            max_retries + 1,
            getattr(exc, "status", None),
            getattr(exc, "type", None),
            getattr(exc, "request_id", None),
            wait,
        )

    # Imported here, on the first retry: tenacity costs about 14 ms of import time
    # (it pulls in tornado when that is installed) that calls which never retry skip.
    import tenacity

    retrying = tenacity.AsyncRetrying(
        stop=tenacity.stop_after_attempt(max_retries + 1),
        wait=_wait,
        retry=tenacity.retry_if_exception(is_retryable),
        before_sleep=log_retry,
        reraise=True,
    )
    return await retrying(retried_attempt)
