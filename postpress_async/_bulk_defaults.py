"""The bulk options' defaults that appear in method signatures.

``publish_many`` and ``iter_publish`` (async and sync) are defined when the package is
imported, so their defaults must exist then; the bulk machinery itself (``_bulk*``) is
imported on the first bulk run or bulk name used (docs/performance.md, import time). The
engine reads these same objects: ``postpress_async.DEFAULT_STOP_ON`` is the one in force.
"""

from __future__ import annotations

from typing import Final

from ._enums import ErrorType

__all__ = ["DEFAULT_CONNECTING_TIMEOUT", "DEFAULT_MAX_PARKED", "DEFAULT_STOP_ON"]

# Errors that doom later requests: credentials or an account unusable (401, except a wrong
# checkpoint code, which concerns one draft), an account restricted or unsubscribed (403),
# or the credits for promoted postings gone (422). What each one dooms: STOP_SCOPES
# (_bulk_stop).
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
# Drafts read ahead and held for accounts that cannot take them yet (at their
# per-account limit, paused, or being checked): the bound on the run's read-ahead.
DEFAULT_MAX_PARKED: Final = 1000
# How long the health check waits for an account whose source is CONNECTING.
DEFAULT_CONNECTING_TIMEOUT: Final = 30.0
