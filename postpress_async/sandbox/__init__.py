"""An embedded postpress API server for demos, tests and local development.

It implements every endpoint of the API contract from its own reading of the contract
pages (it never imports the SDK), keeps state (jobs through draft, review, active and
closed; applicants and résumés; accounts and their health; credits, job slots,
checkpoints; idempotency keys), injects seeded faults, and records every created draft and
every accepted publish in a ledger that reports duplicates::

    async with Sandbox(faults=Faults.transient(0.2), seed=7) as sandbox:
        ...  # point a client at sandbox.base_url with sandbox.api_key
        assert not sandbox.ledger.duplicates()

See ``docs/sandbox.md``.
"""

from __future__ import annotations

from ._accounts import ACCOUNT_STATUSES, Account, generate_accounts
from ._faults import DEFAULT_FAULT_ENDPOINTS, ENDPOINTS, Faults
from ._idempotency import KEY_LIFETIME
from ._jobs import Draft
from ._records import Clock, CreationEntry, Ledger, LedgerEntry, Stats
from ._server import DEFAULT_API_KEY, DEFAULT_PREFIX, Sandbox
from ._state import generate_drafts
from ._thread import SandboxThread

__all__ = [
    "ACCOUNT_STATUSES",
    "DEFAULT_API_KEY",
    "DEFAULT_FAULT_ENDPOINTS",
    "DEFAULT_PREFIX",
    "ENDPOINTS",
    "KEY_LIFETIME",
    "Account",
    "Clock",
    "CreationEntry",
    "Draft",
    "Faults",
    "Ledger",
    "LedgerEntry",
    "Sandbox",
    "SandboxThread",
    "Stats",
    "generate_accounts",
    "generate_drafts",
]
