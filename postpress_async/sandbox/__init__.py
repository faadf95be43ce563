"""An embedded postpress API server for demos, tests and local development.

It enforces the API contract from its own reading of the API page (it never imports the
SDK), keeps state (drafts, accounts, credits, job slots, checkpoints), injects seeded
faults, and records every accepted publish in a ledger that reports duplicates::

    async with Sandbox(faults=Faults.transient(0.2), seed=7) as sandbox:
        ...  # point a client at sandbox.base_url with sandbox.api_key
        assert not sandbox.ledger.duplicates()

See ``docs/sandbox.md``.
"""

from __future__ import annotations

from ._faults import Faults
from ._server import DEFAULT_API_KEY, DEFAULT_PREFIX, Sandbox, SandboxThread
from ._state import Account, Draft, Ledger, LedgerEntry, Stats, generate_drafts

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_PREFIX",
    "Account",
    "Draft",
    "Faults",
    "Ledger",
    "LedgerEntry",
    "Sandbox",
    "SandboxThread",
    "Stats",
    "generate_drafts",
]
