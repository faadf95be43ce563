"""When a bulk run stops (part of) its work early, and which later drafts a failure dooms.

Two questions, answered separately:

- *Does this failure stop anything?* The caller's ``stop_on`` (a collection of error types,
  a predicate, or None) decides; :data:`DEFAULT_STOP_ON` is the default.
- *What does it stop?* Its :class:`StopScope`, read from one table, :data:`STOP_SCOPES`
  (which ``stop_scopes=`` may override type by type): the whole run (the API key is
  unusable), one account's drafts (that LinkedIn account is unusable), or one account's
  promoted drafts (its credits are gone; free postings spend none).

The stops in force are kept by :class:`Stops`, per account; each stopped draft carries a
:class:`StopReason` saying which account and which error (or which account status, when
the health check found the account unusable before anything was sent).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Final, Protocol, TypeAlias

import attrs

from ._bulk_defaults import DEFAULT_STOP_ON
from ._enums import ErrorType, Mode, _StrEnum
from ._exceptions import APIStatusError, InvalidRequestError, PostpressError
from ._lifecycle_enums import AccountSourceStatus

__all__ = [
    "DEFAULT_STOP_ON",
    "PROMOTED_ONLY_STOPS",
    "STOP_SCOPES",
    "StopOn",
    "StopReason",
    "StopScope",
    "StopScopes",
    "Stops",
    "resolve_stop_scopes",
    "stop_predicate",
]


class StopScope(_StrEnum):
    """Which later drafts a failure matching ``stop_on`` keeps from being sent."""

    RUN = "run"  # the API key: every later draft of the run
    ACCOUNT = "account"  # every later draft of the failing draft's account
    CREDITS = "credits"  # the later promoted drafts of that account: free ones spend no credits


# The scope of each stopping error type. A type matched by stop_on but not listed here
# (or a failure without a type: a connection error, say) stops the whole run.
STOP_SCOPES: Final[Mapping[ErrorType, StopScope]] = {
    # The API key: no account can work without it.
    ErrorType.MISSING_CREDENTIALS: StopScope.RUN,
    ErrorType.INSUFFICIENT_PRIVILEGES: StopScope.RUN,
    # Ambiguous: the publish page means the account's credentials, but a wrong API key is
    # answered with it too (the sandbox does). Run by default, because a wrong key fails
    # every draft and an account-scoped stop would then send one request per account for
    # nothing; stop_scopes={"errors/invalid_credentials": "account"} when keys are known good.
    ErrorType.INVALID_CREDENTIALS: StopScope.RUN,
    # One LinkedIn account: disconnected, expired, restricted, unsubscribed...
    ErrorType.MULTIPLE_SESSIONS: StopScope.ACCOUNT,
    ErrorType.WRONG_ACCOUNT: StopScope.ACCOUNT,
    ErrorType.INVALID_PROXY_CREDENTIALS: StopScope.ACCOUNT,
    ErrorType.EXPIRED_CREDENTIALS: StopScope.ACCOUNT,
    ErrorType.EXPIRED_LINK: StopScope.ACCOUNT,
    ErrorType.DISCONNECTED_ACCOUNT: StopScope.ACCOUNT,
    ErrorType.DISCONNECTED_FEATURE: StopScope.ACCOUNT,
    ErrorType.INVALID_CREDENTIALS_BUT_VALID_ACCOUNT_IMAP: StopScope.ACCOUNT,
    ErrorType.ACCOUNT_RESTRICTED: StopScope.ACCOUNT,
    ErrorType.SUBSCRIPTION_REQUIRED: StopScope.ACCOUNT,
    ErrorType.FEATURE_NOT_SUBSCRIBED: StopScope.ACCOUNT,
    ErrorType.INSUFFICIENT_PERMISSIONS: StopScope.ACCOUNT,
    ErrorType.INVALID_ACCOUNT: StopScope.ACCOUNT,
    ErrorType.ACCOUNT_CONFIGURATION_ERROR: StopScope.ACCOUNT,
    ErrorType.INSUFFICIENT_JOB_SLOT: StopScope.ACCOUNT,
    # That account's promoted drafts (payment_error stops only when added to stop_on).
    ErrorType.INSUFFICIENT_CREDITS: StopScope.CREDITS,
    ErrorType.PAYMENT_ERROR: StopScope.CREDITS,
}

# Failures that doom the later *promoted* drafts only, so a mixed run goes on publishing
# its free drafts.
PROMOTED_ONLY_STOPS: Final = frozenset(
    error_type for error_type, scope in STOP_SCOPES.items() if scope is StopScope.CREDITS
)

StopOn: TypeAlias = Callable[[PostpressError], bool] | Collection[ErrorType | str] | None
"""``stop_on``: a predicate on the failure, a collection of error types, or None (never stop)."""

StopScopes: TypeAlias = Mapping[ErrorType | str, StopScope | str] | None
"""``stop_scopes``: per error type, a scope that replaces :data:`STOP_SCOPES`' entry."""


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


def resolve_stop_scopes(overrides: StopScopes) -> dict[str, StopScope]:
    """:data:`STOP_SCOPES` with ``overrides`` applied, keyed by the type's string."""
    scopes = {str(error_type): scope for error_type, scope in STOP_SCOPES.items()}
    if overrides is None:
        return scopes
    if not isinstance(overrides, Mapping):
        raise InvalidRequestError(
            "stop_scopes", "must be a mapping of error type to scope ('run', 'account', 'credits')"
        )
    for error_type, scope in overrides.items():
        if not isinstance(error_type, str) or not error_type:
            raise InvalidRequestError(
                "stop_scopes", f"keys must be error types such as ErrorType.X, got {error_type!r}"
            )
        try:
            scopes[str(error_type)] = StopScope(scope)
        except ValueError:
            raise InvalidRequestError(
                "stop_scopes",
                f"scope of {str(error_type)!r} must be one of 'run', 'account', 'credits', "
                f"got {scope!r}",
            ) from None
    return scopes


@attrs.frozen
class StopReason:
    """Why drafts were left unsent: the ``scope`` of the stop, the ``account_id`` it
    concerns (None for the whole run), and either the ``error`` that stopped it or the
    ``account_status`` the health check found (``CREDENTIALS``, ``CONNECTING``...)."""

    scope: StopScope
    account_id: str | None = None
    error: PostpressError | None = attrs.field(default=None, eq=False)
    account_status: AccountSourceStatus | str | None = None

    @property
    def cause(self) -> str:
        """The error's label (``"401 errors/disconnected_account"``) or the account status."""
        if self.error is not None:
            if isinstance(self.error, APIStatusError):
                kind = self.error.type if self.error.type is not None else "unknown"
                return f"{self.error.status} {kind}"
            return type(self.error).__name__
        return f"account status {self.account_status}"

    def __str__(self) -> str:
        what = {
            StopScope.RUN: "the run",
            StopScope.ACCOUNT: f"account {self.account_id}",
            StopScope.CREDITS: f"promoted drafts of account {self.account_id}",
        }[self.scope]
        return f"{what} stopped: {self.cause}"

    def record(self) -> dict[str, str | None]:
        """The journal's (and ``--json``'s) form: scope, account and cause."""
        return {"scope": self.scope.value, "account_id": self.account_id, "cause": self.cause}


class Stoppable(Protocol):
    """What the stop rules look at in an item: its mode and its account."""

    @property
    def mode(self) -> Mode: ...

    @property
    def account_id(self) -> str: ...


class Stops:
    """The stops in force during one run: the run's, and each account's."""

    __slots__ = ("_accounts", "_credits", "_run", "_scopes", "_should_stop", "in_force",
                 "run_stopped")

    def __init__(
        self,
        should_stop: Callable[[PostpressError], bool],
        scopes: Mapping[str, StopScope] | None = None,
    ) -> None:
        self._should_stop = should_stop
        self._scopes = scopes if scopes is not None else resolve_stop_scopes(None)
        self._run: StopReason | None = None
        self._accounts: dict[str, StopReason] = {}
        self._credits: dict[str, StopReason] = {}
        # Whether any stop is in force: read before each send, where it is nearly always
        # False and one attribute costs less than asking blocking().
        self.in_force = False
        # True once nothing more may be sent, and nothing more should be read (read before
        # every item is read: an attribute, not a property).
        self.run_stopped = False

    def scope_of(self, error: PostpressError, item: Stoppable) -> StopScope:
        """The scope a stopping ``error`` of ``item`` has."""
        error_type = getattr(error, "type", None)
        scope = self._scopes.get(str(error_type), StopScope.RUN) if error_type else StopScope.RUN
        if scope is StopScope.CREDITS and item.mode is Mode.FREE:
            # A free draft cannot run out of credits: if it says so, nothing works there.
            scope = StopScope.ACCOUNT
        return scope

    def note_failure(self, error: PostpressError, item: Stoppable) -> bool:
        """Take a failed item's error into account; True when a new stop came into force."""
        if self._run is not None or not self._should_stop(error):
            return False
        scope = self.scope_of(error, item)
        if scope is StopScope.RUN:
            self._run = StopReason(StopScope.RUN, None, error)
            self.in_force = self.run_stopped = True
            return True
        return self._stop_account(StopReason(scope, item.account_id, error))

    def stop_account(self, account_id: str, status: AccountSourceStatus | str) -> StopReason:
        """Stop an account the health check found unusable; returns the reason."""
        reason = StopReason(StopScope.ACCOUNT, account_id, account_status=status)
        self._stop_account(reason)
        return self._accounts[account_id]

    def _stop_account(self, reason: StopReason) -> bool:
        assert reason.account_id is not None
        table = self._accounts if reason.scope is StopScope.ACCOUNT else self._credits
        if reason.account_id in self._accounts or reason.account_id in table:
            return False
        table[reason.account_id] = reason
        self.in_force = True
        return True

    def blocking(self, item: Stoppable) -> StopReason | None:
        """The stop that keeps ``item`` from being sent, if one does."""
        if not self.in_force:
            return None  # the common case, in one test
        if self._run is not None:
            return self._run
        reason = self._accounts.get(item.account_id)
        if reason is None and item.mode is not Mode.FREE:
            reason = self._credits.get(item.account_id)
        return reason

    def account_blocked(self, account_id: str) -> bool:
        """True when every draft of ``account_id`` is stopped (the run's or its own stop)."""
        return self._run is not None or account_id in self._accounts

    @property
    def first_error(self) -> PostpressError | None:
        """The failure the report names: the run's stop, else the first account stop's."""
        if self._run is not None:
            return self._run.error
        for reason in (*self._accounts.values(), *self._credits.values()):
            if reason.error is not None:
                return reason.error
        return None

    @property
    def run_reason(self) -> StopReason | None:
        """The stop of the whole run, if there is one."""
        return self._run

    def by_account(self) -> dict[str, StopReason]:
        """Each stopped account's stop (its whole stop before a credits-only one)."""
        return {**self._credits, **self._accounts}
