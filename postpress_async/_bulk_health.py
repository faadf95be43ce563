"""The health check of a bulk run: one read of an account before its first draft is sent.

An account whose LinkedIn source is not ``OK`` would fail every one of its drafts (401
``disconnected_account``, 403 ``account_restricted``...): reading it once spares a request
per draft. ``CONNECTING`` is waited for, a bounded time, then counts as not OK.

The read itself is a callable given by the caller (``client.accounts.get``), so neither
this module nor the engine imports the client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Final

from ._account_models import Account
from ._lifecycle_enums import AccountSourceStatus

__all__ = ["GetAccount", "account_status"]

GetAccount = Callable[[str], Awaitable[Account]]
"""Reads one account (``client.accounts.get``)."""

# Polling a CONNECTING account: the first wait, and the longest between two reads.
_FIRST_POLL: Final = 0.05
_MAX_POLL: Final = 2.0


def _worst(account: Account) -> AccountSourceStatus | str:
    """The status that decides: a failed source before a connecting one before OK.

    An account without sources, or with a status this SDK does not know, is not held
    back: the drafts themselves will tell (and a stopping failure stops the account).
    """
    connecting = False
    for source in account.sources:
        status = source.status
        if status is AccountSourceStatus.CONNECTING:
            connecting = True
        elif isinstance(status, AccountSourceStatus) and status is not AccountSourceStatus.OK:
            return status
    return AccountSourceStatus.CONNECTING if connecting else AccountSourceStatus.OK


async def account_status(
    get_account: GetAccount, account_id: str, *, connecting_timeout: float
) -> AccountSourceStatus | str:
    """The account's status once it is not ``CONNECTING``, or ``CONNECTING`` when it still
    is after ``connecting_timeout`` seconds. Errors of the read propagate."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + connecting_timeout
    poll = _FIRST_POLL
    while True:
        status = _worst(await get_account(account_id))
        if status is not AccountSourceStatus.CONNECTING:
            return status
        left = deadline - loop.time()
        if left <= 0:
            return status
        await asyncio.sleep(min(poll, left))
        poll = min(poll * 2, _MAX_POLL)
