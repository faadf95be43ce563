"""``client.accounts``: the workspace's connected accounts and their health."""

from __future__ import annotations

from typing import Final

from ._config import NOT_GIVEN, NotGiven, TimeoutTypes
from ._core import Endpoint, Query
from ._decode import ObjectDecoder, PageDecoder
from ._lifecycle_models import Account
from ._page import Page
from ._pagination import AsyncPager, check_limit
from ._resource import AsyncResource

__all__ = ["AsyncAccounts"]

LIST: Final = Endpoint(
    "accounts.list", "GET", "/accounts", PageDecoder[Account]("AccountList", Account)
)
GET: Final = Endpoint(
    "accounts.get", "GET", "/accounts/{account_id}", ObjectDecoder[Account](Account)
)


class AsyncAccounts(AsyncResource):
    """``client.accounts``: the accounts every job call acts from."""


    def list(
        self,
        *,
        limit: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPager[Account]:
        """Every connected account, as a pager (``limit``: page size, 1-250)."""
        query: list[tuple[str, str]] = []
        if (size := check_limit(limit, 1, 250)) is not None:
            query.append(("limit", str(size)))
        client = self._client

        async def fetch(cursor: str | None) -> Page[Account]:
            page_query: Query = query if cursor is None else [*query, ("cursor", cursor)]
            return await client._request(LIST, timeout, max_retries, query=page_query)

        return AsyncPager(fetch, endpoint="accounts.list")

    async def get(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Account:
        """One account; ``account.sources`` tells the health of each of its services
        (``account.healthy``: all ``OK``)."""
        return await self._client._request(
            GET, timeout, max_retries, path_params={"account_id": account_id}
        )
