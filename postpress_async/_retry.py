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
from typing import Final, TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from ._enums import ErrorType
from ._exceptions import (
    AlreadyPublishedError,
    APIStatusError,
    GatewayTimeoutError,
    InternalServerError,
    ServiceUnavailableError,
)

__all__ = ["backoff", "call_with_retries", "is_retryable", "logger"]

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


async def call_with_retries(
    attempt: Callable[[], Awaitable[_T]], *, max_retries: int, what: str
) -> _T:
    """Run ``attempt`` and retry it per the policy; the last real error is raised."""
    try:
        return await attempt()
    except APIStatusError as exc:
        if max_retries <= 0 or not is_retryable(exc):
            raise
        first_failure = exc

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
            what,
            state.attempt_number,
            max_retries + 1,
            getattr(exc, "status", None),
            getattr(exc, "type", None),
            getattr(exc, "request_id", None),
            wait,
        )

    retrying = AsyncRetrying(
        stop=stop_after_attempt(max_retries + 1),
        wait=_wait,
        retry=retry_if_exception(is_retryable),
        before_sleep=log_retry,
        reraise=True,
    )
    return await retrying(retried_attempt)
