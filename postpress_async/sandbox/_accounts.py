"""Accounts: credits, job slots and the health of their LinkedIn source.

An account's ``status`` is the ``sources[].status`` of the accounts page. Anything but ``OK``
makes the account's job calls fail with the error the API documents for that situation,
so a client's handling of a disconnected or restricted account can be tried for real.
An account can also be *rate limited*: LinkedIn's limits are per account, so its job
calls then answer a 429 that says it concerns that account only.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from ._errors import SandboxError

__all__ = [
    "ACCOUNT_RATE_LIMIT_HEADERS",
    "ACCOUNT_STATUSES",
    "HEALTH_ERRORS",
    "Account",
    "account_json",
    "generate_accounts",
]

ACCOUNT_STATUSES: Final = frozenset(
    {"OK", "STOPPED", "ERROR", "CREDENTIALS", "PERMISSIONS", "CONNECTING"}
)

# The answer a job call gets from an account whose source is not OK: the status of the
# accounts page mapped to the publish page's closest error type.
HEALTH_ERRORS: Final[Mapping[str, tuple[int, str, str]]] = {
    "STOPPED": (401, "errors/disconnected_account", "the account's LinkedIn source is stopped"),
    "ERROR": (
        401,
        "errors/disconnected_account",
        "the account's LinkedIn source stopped after an error",
    ),
    "CREDENTIALS": (
        401,
        "errors/expired_credentials",
        "the account's credentials need to be refreshed; reconnect the account",
    ),
    "PERMISSIONS": (403, "errors/account_restricted", "the account has been restricted"),
    "CONNECTING": (503, "errors/no_client_session", "the account is still connecting"),
}

# How a rate-limited account's 429 says that it concerns this account only (the header
# the SDK reads as a 429's scope; the contract names none, so the sandbox uses the SDK's).
# Its detail names the account too.
ACCOUNT_RATE_LIMIT_HEADERS: Final[Mapping[str, str]] = {"X-RateLimit-Scope": "account"}

# Statuses a test may force with ``failure=`` instead of the table above.
_FAILURE_STATUSES: Final[Mapping[str, int]] = {
    "errors/disconnected_account": 401,
    "errors/expired_credentials": 401,
    "errors/invalid_credentials": 401,
    "errors/wrong_account": 401,
    "errors/multiple_sessions": 401,
    "errors/insufficient_privileges": 401,
    "errors/missing_credentials": 401,
    "errors/insufficient_permissions": 403,
    "errors/account_restricted": 403,
    "errors/subscription_required": 403,
    "errors/feature_not_subscribed": 403,
    "errors/action_required": 403,
    "errors/invalid_account": 422,
    "errors/account_configuration_error": 422,
    "errors/payment_error": 422,
    "errors/insufficient_job_slot": 422,
    "errors/insufficient_credits": 422,
}

# Accounts are "created" at a fixed date so their JSON is the same on every run.
_EPOCH: Final = datetime.datetime(2026, 1, 5, 9, 30, tzinfo=datetime.timezone.utc)


@dataclass
class Account:
    """An account: ``credits``/``job_slots`` of ``None`` mean unlimited.

    The sandbox decrements both as drafts are published, so tests can read what is left.
    ``status`` is the health of its LinkedIn source (``OK``, ``STOPPED``, ``ERROR``,
    ``CREDENTIALS``, ``PERMISSIONS``, ``CONNECTING``); set it at any time, also mid-run.
    ``failure`` (an error type such as ``"errors/subscription_required"``) overrides the
    error an unhealthy account answers with. ``rate_limited``: while true, the account's job
    calls answer 429 ``errors/too_many_requests`` concerning this account only (header
    ``X-RateLimit-Scope: account``), with ``Retry-After: <retry_after>`` seconds; it is
    checked before ``status``.
    """

    account_id: str
    credits: int | None = None
    job_slots: int | None = None
    status: str = "OK"
    name: str | None = None
    failure: str | None = None
    rate_limited: bool = False
    retry_after: int = 1

    def __post_init__(self) -> None:
        if not self.account_id:
            raise ValueError("account_id must not be empty")
        check_status(self.status)
        check_rate_limit(self.rate_limited, self.retry_after)
        if self.failure is not None and self.failure not in _FAILURE_STATUSES:
            raise ValueError(
                f"failure must be one of {', '.join(sorted(_FAILURE_STATUSES))}, "
                f"got {self.failure!r}"
            )

    def check_health(self) -> None:
        """Raise the error a call for this account gets when it is rate limited or its
        source is not OK."""
        if self.rate_limited:
            raise SandboxError(
                429,
                "errors/too_many_requests",
                f"account {self.account_id!r}: LinkedIn's limit for this account is reached",
                {**ACCOUNT_RATE_LIMIT_HEADERS, "Retry-After": str(self.retry_after)},
            )
        if self.status == "OK":
            return
        status, type_, detail = HEALTH_ERRORS[self.status]
        if self.failure is not None:
            status, type_ = _FAILURE_STATUSES[self.failure], self.failure
        raise SandboxError(
            status, type_, f"account {self.account_id!r}: {detail} (status {self.status})"
        )


def check_status(status: object) -> str:
    """``status`` if it is a source status, else ``ValueError`` naming the choices."""
    if not isinstance(status, str) or status not in ACCOUNT_STATUSES:
        raise ValueError(
            f"status must be one of {', '.join(sorted(ACCOUNT_STATUSES))}, got {status!r}"
        )
    return status


def check_rate_limit(rate_limited: object, retry_after: object) -> None:
    """``ValueError`` naming the problem unless ``rate_limited`` is a bool and
    ``retry_after`` a whole number of seconds >= 0."""
    if not isinstance(rate_limited, bool):
        raise ValueError(f"rate_limited must be true or false, got {rate_limited!r}")
    if isinstance(retry_after, bool) or not isinstance(retry_after, int) or retry_after < 0:
        raise ValueError(f"retry_after must be a whole number of seconds >= 0, got {retry_after!r}")


def generate_accounts(n: int, *, prefix: str = "acc_", **traits: Any) -> list[Account]:
    """``n`` healthy accounts ``acc_1``..``acc_n`` (``traits`` are ``Account`` fields)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return [Account(f"{prefix}{i}", **traits) for i in range(1, n + 1)]


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def account_json(account: Account, index: int, now: float) -> dict[str, Any]:
    """The ``Account`` object of the accounts page (``index`` spaces the creation dates)."""
    created = _EPOCH + datetime.timedelta(hours=index)
    fetched = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
    name = account.name or f"Sandbox recruiter {account.account_id}"
    return {
        "object": "Account",
        "id": account.account_id,
        "type": "LINKEDIN",
        "name": name,
        "created_at": _iso(created),
        "last_fetched_at": _iso(fetched),
        "connection_params": {
            "im": {"id": f"li-{account.account_id}", "username": name, "premiumFeatures": []}
        },
        "groups": [],
        "sources": [{"id": f"{account.account_id}_MESSAGING", "status": account.status}],
    }
