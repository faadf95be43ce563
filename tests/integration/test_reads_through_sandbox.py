"""Accounts, search parameters and argument validation, SDK through the sandbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from postpress_async import (
    AccountSourceStatus,
    AsyncPostpress,
    AuthenticationError,
    ErrorType,
    InvalidRequestError,
    NotFoundError,
    NumericQuestion,
    SearchParameterType,
)
from postpress_async.sandbox import Account, Sandbox

Connect = Callable[..., Awaitable[tuple[Sandbox, AsyncPostpress]]]
HEALTHY_AND_NOT = [Account("acc_1"), Account("acc_2", status="CREDENTIALS"), Account("acc_3")]


async def test_accounts_list_walks_every_page_and_shows_each_health(connect: Connect) -> None:
    _, client = await connect(accounts=HEALTHY_AND_NOT)

    pages = [page async for page in client.accounts.list(limit=2).pages()]

    assert [len(page.items) for page in pages] == [2, 1]
    accounts = [account for page in pages for account in page.items]
    assert [a.id for a in accounts] == ["acc_1", "acc_2", "acc_3"]
    assert [a.healthy for a in accounts] == [True, False, True]
    assert accounts[1].sources[0].status is AccountSourceStatus.CREDENTIALS


async def test_an_unhealthy_account_is_readable_and_its_job_calls_fail_typed(
    connect: Connect,
) -> None:
    sandbox, client = await connect(accounts=HEALTHY_AND_NOT)

    account = await client.accounts.get("acc_2")
    assert (account.id, account.healthy) == ("acc_2", False)
    with pytest.raises(AuthenticationError) as caught:
        await client.jobs.create(
            account_id="acc_2", job_title="Data Engineer", company="Acme", workplace="REMOTE",
            location="106967730", description="<p>x</p>",
        )
    assert caught.value.type is ErrorType.EXPIRED_CREDENTIALS
    assert sandbox.ledger.creations == []


async def test_an_account_whose_health_changes_shows_it_on_the_next_read(
    connect: Connect,
) -> None:
    sandbox, client = await connect(accounts=HEALTHY_AND_NOT)
    assert (await client.accounts.get("acc_3")).healthy

    sandbox.set_account_status("acc_3", "PERMISSIONS")

    account = await client.accounts.get("acc_3")
    assert account.sources[0].status is AccountSourceStatus.PERMISSIONS
    assert not account.healthy


async def test_an_unknown_account_is_not_found(connect: Connect) -> None:
    _, client = await connect(accounts=HEALTHY_AND_NOT)

    with pytest.raises(NotFoundError):
        await client.accounts.get("acc_404")


async def test_search_parameters_limit_bounds_the_single_page(connect: Connect) -> None:
    _, client = await connect()

    pages = [page async for page in client.search.parameters(
        SearchParameterType.JOB_TITLE, keywords="engineer", account_id="acc_1", limit=3).pages()]

    assert len(pages) == 1
    assert (len(pages[0].items), pages[0].cursor) == (3, None)
    assert all("engineer" in p.title.lower() and p.id.isdigit() for p in pages[0].items)


async def test_search_parameters_default_page_and_no_match(connect: Connect) -> None:
    _, client = await connect()

    engineers = await client.search.parameters(
        "JOB_TITLE", keywords="engineer", account_id="acc_1").to_list()
    nothing = await client.search.parameters(
        "LOCATION", keywords="Atlantis", account_id="acc_1").to_list()
    functions = await client.search.parameters(
        "JOB_FUNCTION", keywords="engineering", account_id="acc_1").to_list()

    assert 3 < len(engineers) <= 10  # the API's default limit
    assert nothing == []
    assert functions
    assert all(p.id.isalpha() and p.id.islower() for p in functions)


async def test_employment_types_need_no_keywords(connect: Connect) -> None:
    _, client = await connect()

    types = await client.search.parameters("EMPLOYMENT_TYPE", account_id="acc_1").to_list()

    assert types


def _create(client: AsyncPostpress, **change: Any) -> Any:
    arguments: dict[str, Any] = {
        "account_id": "acc_1", "job_title": "Data Engineer", "company": "Acme",
        "workplace": "REMOTE", "location": "106967730", "description": "<p>x</p>",
    }
    return client.jobs.create(**{**arguments, **change})


BAD_CALLS = [
    pytest.param(lambda c: _create(c, location="Berlin"), "location", id="location-text"),
    pytest.param(lambda c: _create(c, workplace="OFFICE"), "workplace", id="workplace"),
    pytest.param(lambda c: _create(c, account_id=""), "account_id", id="account_id"),
    pytest.param(lambda c: _create(c, employment_status="SOMETIMES"), "employment_status",
                 id="employment_status"),
    pytest.param(lambda c: _create(c, idempotency_key="two words"), "idempotency_key",
                 id="idempotency_key"),
    pytest.param(lambda c: _create(c, screening_questions=[NumericQuestion(
        "Years?", min_expectation=5, max_expectation=2)]),
        "screening_questions[].min_expectation",
        id="question-range"),
    pytest.param(lambda c: c.jobs.edit("1", account_id="acc_1", workplace="MOON"),
                 "workplace", id="edit-workplace"),
    pytest.param(lambda c: c.jobs.get("1", account_id="acc_1", service="PREMIUM"),
                 "service", id="get-service"),
    pytest.param(lambda c: c.jobs.close("", account_id="acc_1"), "job_id", id="close-job_id"),
    pytest.param(lambda c: c.jobs.wait_for_state("1", account_id="acc_1", state="gone"),
                 "state", id="wait-state"),
    pytest.param(lambda c: c.jobs.list(account_id="acc_1", category="open").to_list(),
                 "category", id="list-category"),
    pytest.param(lambda c: c.jobs.list(account_id="acc_1", limit=251).to_list(), "limit",
                 id="list-limit"),
    pytest.param(lambda c: c.applicants.list("1", account_id="acc_1", ratings=["GREAT"])
                 .to_list(), "ratings", id="ratings"),
    pytest.param(lambda c: c.applicants.list("1", account_id="acc_1", limit=0).to_list(),
                 "limit", id="applicants-limit"),
    pytest.param(lambda c: c.applicants.download_resume("a1", account_id="acc_1", to=42),
                 "to", id="resume-to"),
    pytest.param(lambda c: c.search.parameters("LOCATION", account_id="acc_1", limit=101)
                 .to_list(), "limit", id="search-limit"),
    pytest.param(lambda c: c.search.parameters("location", account_id="acc_1").to_list(),
                 "type", id="search-type"),
    pytest.param(lambda c: c.accounts.list(limit=300).to_list(), "limit", id="accounts-limit"),
]


@pytest.mark.parametrize(("call", "field"), BAD_CALLS)
async def test_bad_arguments_never_reach_the_sandbox(
    connect: Connect, call: Callable[[AsyncPostpress], Awaitable[object]], field: str
) -> None:
    sandbox, client = await connect()

    with pytest.raises(InvalidRequestError) as caught:
        await call(client)

    assert caught.value.field == field
    assert sandbox.stats.total_requests == 0
