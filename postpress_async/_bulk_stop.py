"""When a bulk run stops early, and which later drafts a stopping failure dooms.

Two questions, answered separately:

- *Does this failure stop anything?* The caller's ``stop_on`` (a collection of error types,
  a predicate, or None) decides; :data:`DEFAULT_STOP_ON` is the default.
- *What does it stop?* Its :class:`StopScope`, read from one table, :data:`STOP_SCOPES`:
  the whole run, or only the later promoted drafts (credits are spent by promoted postings
  only). A new scope (per account, say) is a new member and a new key in :class:`Stops`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Final, Protocol, TypeAlias

from ._enums import ErrorType, Mode, _StrEnum
from ._exceptions import APIStatusError, InvalidRequestError, PostpressError

__all__ = [
    "DEFAULT_STOP_ON",
    "PROMOTED_ONLY_STOPS",
    "STOP_SCOPES",
    "StopOn",
    "StopScope",
    "Stops",
    "stop_predicate",
]

# Errors that doom every later request of the batch: the credentials or the account are
# unusable (401, except a wrong checkpoint code, which concerns one draft), the account is
# restricted or unsubscribed (403), or the credits for promoted postings are gone (422).
DEFAULT_STOP_ON: Final[frozenset[ErrorType]] = frozenset(
    {
        ErrorType.MISSING_CREDENTIALS,
        ErrorType.MULTIPLE_SESSIONS,
        ErrorType.WRONG_ACCOUNT,
        ErrorType.INVALID_CREDENTIALS,
        ErrorType.INVALID_PROXY_CREDENTIALS,
        ErrorType.EXPIRED_CREDENTIALS,
        ErrorType.EXPIRED_LINK,
        ErrorType.INSUFFICIENT_PRIVILEGES,
        ErrorType.DISCONNECTED_ACCOUNT,
        ErrorType.DISCONNECTED_FEATURE,
        ErrorType.INVALID_CREDENTIALS_BUT_VALID_ACCOUNT_IMAP,
        ErrorType.ACCOUNT_RESTRICTED,
        ErrorType.SUBSCRIPTION_REQUIRED,
        ErrorType.INSUFFICIENT_CREDITS,
    }
)


class StopScope(_StrEnum):
    """Which later drafts a failure matching ``stop_on`` keeps from being sent."""

    RUN = "run"  # every later draft of the run
    PROMOTED = "promoted"  # later promoted drafts only: free postings spend no credits


# The scope of each stopping error type; a type not listed stops the whole run.
STOP_SCOPES: Final[Mapping[ErrorType, StopScope]] = {
    ErrorType.INSUFFICIENT_CREDITS: StopScope.PROMOTED,
    ErrorType.PAYMENT_ERROR: StopScope.PROMOTED,
}

# Failures that doom the later *promoted* drafts only, so a mixed run goes on publishing
# its free drafts.
PROMOTED_ONLY_STOPS: Final = frozenset(
    error_type for error_type, scope in STOP_SCOPES.items() if scope is StopScope.PROMOTED
)

StopOn: TypeAlias = Callable[[PostpressError], bool] | Collection[ErrorType | str] | None
"""``stop_on``: a predicate on the failure, a collection of error types, or None (never stop)."""


def stop_predicate(stop_on: StopOn) -> Callable[[PostpressError], bool]:
    """``stop_on`` as one predicate; raises :class:`InvalidRequestError` for anything else."""
    if stop_on is None:
        return lambda _error: False
    if callable(stop_on):
        return stop_on
    if isinstance(stop_on, (str, bytes)) or not isinstance(stop_on, Collection):
        raise InvalidRequestError(
            "stop_on", "must be a predicate, a collection of error types, or None"
        )
    types = frozenset(str(t) for t in stop_on)
    return lambda error: (
        isinstance(error, APIStatusError) and error.type is not None and str(error.type) in types
    )


class Stoppable(Protocol):
    """What the stop rules look at in an item: its mode (and its account, once stops go by
    account)."""

    @property
    def mode(self) -> Mode: ...


class Stops:
    """The stops in force during one run: the first stopping failure of each scope."""

    __slots__ = ("_errors", "_should_stop")

    def __init__(self, should_stop: Callable[[PostpressError], bool]) -> None:
        self._should_stop = should_stop
        self._errors: dict[StopScope, PostpressError] = {}

    def note_failure(self, error: PostpressError, item: Stoppable) -> None:
        """Take a failed item's error into account (a no-op once the whole run stopped)."""
        if StopScope.RUN in self._errors or not self._should_stop(error):
            return
        scope = STOP_SCOPES.get(getattr(error, "type", None), StopScope.RUN)  # type: ignore[arg-type]
        if scope is StopScope.PROMOTED and item.mode is Mode.FREE:
            # A free draft cannot run out of credits: if it says so, nothing will work.
            scope = StopScope.RUN
        self._errors.setdefault(scope, error)

    @property
    def run_stopped(self) -> bool:
        """True once nothing more may be sent, and nothing more should be read."""
        return StopScope.RUN in self._errors

    def blocks(self, item: Stoppable) -> bool:
        """True when a stop in force keeps ``item`` from being sent."""
        errors = self._errors
        return bool(errors) and (
            StopScope.RUN in errors or (StopScope.PROMOTED in errors and item.mode is not Mode.FREE)
        )

    @property
    def first_error(self) -> PostpressError | None:
        """The failure the report names: the run's stop, else the promoted drafts' stop."""
        return self._errors.get(StopScope.RUN) or self._errors.get(StopScope.PROMOTED)
