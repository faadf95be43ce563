"""The retry policy of the design card, on tenacity: one predicate, one wait, one log.

Retried: 500 ``errors/provider_error``, any 503, any 504 — nothing else, for every
endpoint. The first attempt of a call runs without any retry machinery (most calls
succeed, and each call is the hot path of bulk publishing). After a retryable failure,
:func:`retry` waits and hands the same attempt function to a fresh
``tenacity.AsyncRetrying`` (it holds per-call state, so it is never shared between
concurrent tasks), which owns the remaining attempts. Both the first wait and
tenacity's come from :func:`backoff`, and both are reported by ``_on_retry``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Final, TypeVar

from ._enums import ErrorType
from ._exceptions import (
    AlreadyPublishedError,
    APIStatusError,
    GatewayTimeoutError,
    InternalServerError,
    PostpressError,
    ServiceUnavailableError,
)
from ._untrusted import display

if TYPE_CHECKING:
    from tenacity import RetryCallState

__all__ = ["WAITS", "backoff", "is_retryable", "logger", "retry", "should_retry"]

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


def should_retry(failure: APIStatusError, max_retries: int) -> bool:
    """Whether a call's first failure starts the retry loop."""
    return max_retries > 0 and is_retryable(failure)


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


def _wait_after(failure: BaseException | None, retry_number: int) -> float:
    retry_after = failure.retry_after if isinstance(failure, APIStatusError) else None
    return backoff(retry_number, retry_after)


async def _on_retry(
    what: Callable[[], str],
    extra: Mapping[str, object],
    on_retry: Callable[[PostpressError, float], Awaitable[None]] | None,
    failure: BaseException | None,
    attempt: int,
    attempts: int,
    wait: float,
) -> None:
    # The one place a retry is reported: the log line, and the call's observers.
    request_id = getattr(failure, "request_id", None)
    status = getattr(failure, "status", None)
    logger.info(
        "retrying %s after attempt %d of %d: %s %s (request_id=%s); waiting %.2fs",
        what(),
        attempt,
        attempts,
        status,
        display(str(getattr(failure, "type", None))),
        display(str(request_id)),
        wait,
        extra={**extra, "attempt": attempt, "status": status, "request_id": request_id,
               "wait_s": wait},
    )
    if on_retry is not None and isinstance(failure, PostpressError):
        await on_retry(failure, wait)


async def retry(
    first_failure: APIStatusError,
    attempt: Callable[[], Awaitable[_T]],
    *,
    max_retries: int,
    what: Callable[[], str],
    extra: Mapping[str, object],
    on_retry: Callable[[PostpressError, float], Awaitable[None]] | None = None,
) -> _T:
    """Retry a call whose first attempt failed retryably; the last real error is raised.

    ``attempt`` is the same function that made the first attempt. ``what`` describes
    the call for the retry log lines, built only when one is logged; ``extra`` are the
    log records' structured fields; ``on_retry`` tells the call's observers.
    """
    attempts = max_retries + 1
    statuses: list[int] = [first_failure.status]

    async def retried_attempt() -> _T:
        try:
            return await attempt()
        except AlreadyPublishedError as exc:
            raise exc.with_earlier_attempts(tuple(statuses)) from None
        except APIStatusError as exc:
            statuses.append(exc.status)
            raise

    # tenacity numbers its own attempts from 1; the call's are one further on.
    def wait(state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome is not None else None
        return _wait_after(failure, state.attempt_number + 1)

    async def before_sleep(state: RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome is not None else None
        seconds = state.next_action.sleep if state.next_action is not None else 0.0
        await _on_retry(what, extra, on_retry, failure, state.attempt_number + 1, attempts,
                        seconds)

    # Imported here, on the first retry: calls that never retry skip tenacity's
    # import time (see docs/performance.md).
    import tenacity

    retrying = tenacity.AsyncRetrying(
        stop=tenacity.stop_after_attempt(max_retries),
        wait=wait,
        retry=tenacity.retry_if_exception(is_retryable),
        before_sleep=before_sleep,
        reraise=True,
    )
    # The wait after the first attempt, through the same sleep as tenacity's own.
    first_wait = _wait_after(first_failure, 1)
    await _on_retry(what, extra, on_retry, first_failure, 1, attempts, first_wait)
    pause = retrying.sleep(first_wait)
    if pause is not None:
        await pause
    return await retrying(retried_attempt)
