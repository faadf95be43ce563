"""``client.search``: resolving free text into LinkedIn ids
(``GET /linkedin/search/parameters``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from ._config import NOT_GIVEN, NotGiven, TimeoutTypes
from ._core import Endpoint, Query
from ._decode import PageDecoder
from ._exceptions import InvalidRequestError
from ._lifecycle_enums import SearchParameterType
from ._lifecycle_models import SearchParameter
from ._models import _account_id
from ._page import Page
from ._pagination import AsyncPager, check_limit
from ._resource import AsyncResource

if TYPE_CHECKING:
    pass

__all__ = ["SEARCH_SERVICES", "AsyncSearch"]

PARAMETERS: Final = Endpoint(
    "search.parameters", "GET", "/linkedin/search/parameters",
    PageDecoder[SearchParameter]("LinkedinSearchParametersList", SearchParameter),
)
SEARCH_SERVICES: Final = ("CLASSIC", "RECRUITER", "SALES_NAVIGATOR")
# The provider's list of types is open-ended (Sales Navigator, Recruiter): any name
# shaped like one is sent; the common ones are SearchParameterType members.
_TYPE_NAME: Final = re.compile(r"[A-Z][A-Z_]*")


def _type(value: object) -> str:
    if isinstance(value, SearchParameterType):
        return value.value
    if isinstance(value, str) and _TYPE_NAME.fullmatch(value):
        return value
    expected = ", ".join(member.value for member in SearchParameterType)
    raise InvalidRequestError(
        "type", f"must be a SearchParameterType or an upper-case type name such as "
        f"{expected}; got {value!r}"
    )


class AsyncSearch(AsyncResource):
    """``client.search``: turn text into the ids job fields take."""


    def parameters(
        self,
        type: SearchParameterType | str,
        *,
        account_id: str,
        keywords: str | None = None,
        limit: int | None = None,
        service: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPager[SearchParameter]:
        """Candidate ids of one ``type`` for ``keywords``, as a pager of
        :class:`SearchParameter`: ``[p async for p in client.search.parameters(...)]``.

        Several candidates may match one text (cities of the same name): choose by
        ``title``. ``limit`` (1-100, API default 10) bounds the answer; ``service`` is
        ``CLASSIC`` (default), ``RECRUITER`` or ``SALES_NAVIGATOR``. The ids are stable:
        caching them is safe and saves calls.
        """
        kind = _type(type)
        query: list[tuple[str, str]] = [("type", kind), ("account_id", _account_id(account_id))]
        if keywords is not None:
            if not isinstance(keywords, str) or not keywords.strip():
                raise InvalidRequestError("keywords", "must be a non-empty string")
            if kind == SearchParameterType.EMPLOYMENT_TYPE:
                raise InvalidRequestError(
                    "keywords", "does not apply to EMPLOYMENT_TYPE (a fixed list)"
                )
            query.append(("keywords", keywords))
        if service is not None:
            if service not in SEARCH_SERVICES:
                raise InvalidRequestError(
                    "service", f"unknown service {service!r}; expected one of "
                    + ", ".join(SEARCH_SERVICES)
                )
            query.append(("service", str(service)))
        if (size := check_limit(limit, 1, 100)) is not None:
            query.append(("limit", str(size)))
        client = self._client

        async def fetch(cursor: str | None) -> Page[SearchParameter]:
            # No cursor is documented here; one is followed if a server sends it.
            page_query: Query = query if cursor is None else [*query, ("cursor", cursor)]
            return await client._request(PARAMETERS, timeout, max_retries, query=page_query)

        return AsyncPager(fetch, endpoint="search.parameters")
