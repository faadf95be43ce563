"""``Account``: a connected account (``GET /accounts``, ``GET /accounts/{id}``) and the
health of its services. Lenient like every response: unknown fields are ignored and an
unknown status is kept as the raw string."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ._lifecycle_enums import AccountSourceStatus

__all__ = ["Account", "AccountSignature", "AccountSource"]


@attrs.frozen
class AccountSource:
    """One service of an account and its health (``OK`` when it runs normally)."""

    id: str
    status: AccountSourceStatus | str


@attrs.frozen
class AccountSignature:
    """An e-mail signature of the account."""

    title: str
    content: str


@attrs.frozen
class Account:
    """A connected account: its ``id`` is the ``account_id`` of every job call.

    ``created_at`` and ``last_fetched_at`` are the API's ISO 8601 UTC strings, kept as
    given. :attr:`healthy` tells whether every source is ``OK``.
    """

    id: str
    type: str
    name: str
    created_at: str
    sources: Sequence[AccountSource]
    connection_params: dict[str, Any] | None = None
    groups: Sequence[str] = ()
    last_fetched_at: str | None = None
    current_signature: str | None = None
    signatures: Sequence[AccountSignature] | None = None

    @property
    def healthy(self) -> bool:
        """True when the account has sources and every one is ``OK``."""
        return bool(self.sources) and all(
            source.status is AccountSourceStatus.OK for source in self.sources
        )
