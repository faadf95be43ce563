"""search.parameters and accounts (list, get) at the HTTP level."""

from __future__ import annotations

from postpress_async import AccountSourceStatus, SearchParameter, SearchParameterType
from postpress_async.testing import MockResponse

from .lifecycle_support import ACCOUNT_ID, account, pages_of, path, query

BERLIN = [
    {"object": "LinkedinSearchParameter", "id": "106967730", "title": "Berlin, Germany"},
    {"object": "LinkedinSearchParameter", "id": "90009712", "title": "Berlin, New Hampshire",
     "picture_url": None, "additional_data": {"kind": "city"}},
]


async def test_search_parameters_resolve_text_into_ids(mock_client):
    answer = {"object": "LinkedinSearchParametersList", "items": BERLIN,
              "paging": {"page_count": 2}}
    client, transport = mock_client(lambda request: MockResponse(200, json=answer))
    found = [p async for p in client.search.parameters(
        SearchParameterType.LOCATION, keywords="Berlin", account_id=ACCOUNT_ID, limit=5,
        service="CLASSIC",
    )]
    assert found[0] == SearchParameter(id="106967730", title="Berlin, Germany")
    assert found[1].additional_data == {"kind": "city"}
    (request,) = transport.requests  # no cursor: one page
    assert path(request) == "/linkedin/search/parameters"
    assert query(request) == [("type", "LOCATION"), ("account_id", ACCOUNT_ID),
                              ("keywords", "Berlin"), ("service", "CLASSIC"), ("limit", "5")]


async def test_search_accepts_a_type_the_sdk_has_no_member_for(mock_client):
    answer = {"object": "LinkedinSearchParametersList", "items": [], "paging": {"page_count": 0}}
    client, transport = mock_client(lambda request: MockResponse(200, json=answer))
    assert [p async for p in client.search.parameters("HIRING_PROJECTS",
                                                      account_id=ACCOUNT_ID)] == []
    assert ("type", "HIRING_PROJECTS") in query(transport.requests[0])


async def test_accounts_list_walks_pages_and_keeps_unknown_statuses(mock_client):
    accounts = [account("a1"), account("a2", status="CREDENTIALS"), account("a3", status="NEW")]
    client, transport = mock_client(pages_of(accounts, 2, tag="AccountList"))
    found = [a async for a in client.accounts.list(limit=2)]
    assert [a.id for a in found] == ["a1", "a2", "a3"]
    assert found[0].healthy
    assert not found[1].healthy
    assert found[1].sources[0].status is AccountSourceStatus.CREDENTIALS
    assert found[2].sources[0].status == "NEW"
    assert [path(r) for r in transport.requests] == ["/accounts", "/accounts"]


async def test_accounts_get_reads_one_account(mock_client):
    client, transport = mock_client(lambda request: MockResponse(200, json=account()))
    one = await client.accounts.get(ACCOUNT_ID)
    assert one.id == ACCOUNT_ID
    assert one.created_at == "2026-01-02T03:04:05.678Z"
    assert one.connection_params == {"im": {}}
    assert path(transport.requests[0]) == f"/accounts/{ACCOUNT_ID}"
