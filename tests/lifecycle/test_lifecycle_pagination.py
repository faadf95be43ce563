"""Pagers: every item across pages, both cursor shapes, prefetch one page ahead, early
exit, repeated cursors, errors on a later page."""

from __future__ import annotations

import asyncio
import contextlib
import gc

import pytest

from postpress_async import Applicant, AsyncPager, NotFoundError, RepeatedCursorError
from postpress_async.testing import MockResponse

from .lifecycle_support import ACCOUNT_ID, JOB_ID, applicant, job, pages_of, query

APPLICANTS = [applicant(f"appl_{n}") for n in range(7)]


@pytest.mark.parametrize("shape", ["items", "data"])
async def test_async_for_walks_every_item_of_every_page(mock_client, shape):
    handler = pages_of(APPLICANTS, 3, tag="LinkedinJobApplicantList", shape=shape)
    client, transport = mock_client(handler)
    seen = [a.id async for a in client.applicants.list(JOB_ID, account_id=ACCOUNT_ID, limit=3)]
    assert seen == [f"appl_{n}" for n in range(7)]
    assert [dict(query(r)).get("cursor") for r in transport.requests] == [None, "3", "6"]
    assert all(dict(query(r))["limit"] == "3" for r in transport.requests)


async def test_pages_yield_items_cursor_and_total_count(mock_client):
    client, _ = mock_client(pages_of(APPLICANTS, 5, tag="LinkedinJobApplicantList"))
    pager = client.applicants.list(JOB_ID, account_id=ACCOUNT_ID)
    pages = [page async for page in pager.pages()]
    assert [len(page.items) for page in pages] == [5, 2]
    assert [page.cursor for page in pages] == ["5", None]
    assert {page.total_count for page in pages} == {7}
    assert isinstance(pages[0].items[0], Applicant)


async def test_a_pager_can_be_walked_again_from_the_start(mock_client):
    client, transport = mock_client(pages_of([job(job_id=str(n)) for n in range(3)], 2,
                                             tag="LinkedinJobPostingList"))
    pager = client.jobs.list(account_id=ACCOUNT_ID, category="draft", limit=2)
    assert [j.id async for j in pager] == [j.id async for j in pager] == ["0", "1", "2"]
    assert ("category", "draft") in query(transport.requests[0])


async def test_an_empty_list_is_one_request_and_no_items(mock_client):
    client, transport = mock_client(pages_of([], 10, tag="LinkedinJobPostingList"))
    assert [j async for j in client.jobs.list(account_id=ACCOUNT_ID)] == []
    assert len(transport.requests) == 1


async def test_the_next_page_is_fetched_while_the_caller_holds_this_one(mock_client):
    asked: dict[str | None, asyncio.Event] = {c: asyncio.Event() for c in (None, "3", "6")}
    serve = pages_of(APPLICANTS, 3, tag="LinkedinJobApplicantList")

    async def handler(request):
        asked[dict(query(request)).get("cursor")].set()
        return serve(request)

    client, _transport = mock_client(handler)
    pages = client.applicants.list(JOB_ID, account_id=ACCOUNT_ID).pages()
    first = await anext(pages)
    # While the first page is held, the second is requested, and only the second.
    await asyncio.wait_for(asked["3"].wait(), 5)
    for _ in range(20):
        await asyncio.sleep(0)
    assert not asked["6"].is_set()
    assert len(first.items) == 3
    second = await anext(pages)
    assert [a.id for a in second.items] == ["appl_3", "appl_4", "appl_5"]
    await pages.aclose()


async def test_leaving_the_loop_early_cancels_the_prefetch_without_warnings(mock_client):
    cancelled, entered = asyncio.Event(), asyncio.Event()
    serve = pages_of(APPLICANTS, 3, tag="LinkedinJobApplicantList")
    problems: list[dict] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: problems.append(context))

    async def handler(request):
        if dict(query(request)).get("cursor") is None:
            return serve(request)
        entered.set()
        try:
            await asyncio.Event().wait()  # the second page never comes
        except asyncio.CancelledError:
            cancelled.set()
            raise
        raise AssertionError("unreachable")

    client, _ = mock_client(handler)
    async for _ in client.applicants.list(JOB_ID, account_id=ACCOUNT_ID):
        await asyncio.wait_for(entered.wait(), 5)  # the prefetch is in flight
        break
    await asyncio.wait_for(cancelled.wait(), 5)
    gc.collect()
    for _ in range(5):
        await asyncio.sleep(0)
    loop.set_exception_handler(None)
    assert problems == []


async def test_aclosing_the_pages_cancels_the_prefetch_at_once(mock_client):
    cancelled, entered = asyncio.Event(), asyncio.Event()
    serve = pages_of(APPLICANTS, 3, tag="LinkedinJobApplicantList")

    async def handler(request):
        if dict(query(request)).get("cursor") is None:
            return serve(request)
        entered.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise
        raise AssertionError("unreachable")

    client, _ = mock_client(handler)
    pager = client.applicants.list(JOB_ID, account_id=ACCOUNT_ID)
    async with contextlib.aclosing(pager.pages()) as pages:
        async for _ in pages:
            await asyncio.wait_for(entered.wait(), 5)  # the prefetch is in flight
            break
    for _ in range(3):
        await asyncio.sleep(0)
    assert cancelled.is_set()


async def test_a_repeated_cursor_is_an_error_not_a_loop(mock_client):
    def handler(request):
        return MockResponse(200, json={"object": "LinkedinJobPostingList",
                                       "items": [job(job_id="1")], "cursor": "same"})

    client, transport = mock_client(handler)
    seen: list[str] = []

    async def walk() -> None:
        async for posting in client.jobs.list(account_id=ACCOUNT_ID):
            seen.append(posting.id)

    with pytest.raises(RepeatedCursorError) as caught:
        await walk()
    assert seen == ["1", "1"]  # both pages' items were given before stopping
    assert caught.value.cursor == "same"
    assert caught.value.page == 2
    assert len(transport.requests) == 2


async def test_a_cycle_through_several_cursors_is_caught_too(mock_client):
    following = {None: "a", "a": "b", "b": "a"}

    def handler(request):
        cursor = dict(query(request)).get("cursor")
        return MockResponse(200, json={"data": [], "next_cursor": following[cursor]})

    client, transport = mock_client(handler)
    with pytest.raises(RepeatedCursorError):
        [p async for p in client.accounts.list()]
    assert len(transport.requests) == 3


async def test_an_error_on_a_later_page_is_raised_after_the_earlier_items(mock_client):
    serve = pages_of(APPLICANTS, 3, tag="LinkedinJobApplicantList")

    def handler(request):
        if dict(query(request)).get("cursor") == "3":
            return MockResponse(404, json={"status": 404, "type": "errors/resource_not_found",
                                           "title": "Not found"})
        return serve(request)

    client, _ = mock_client(handler)
    seen: list[str] = []

    async def walk() -> None:
        async for item in client.applicants.list(JOB_ID, account_id=ACCOUNT_ID):
            seen.append(item.id)

    with pytest.raises(NotFoundError):
        await walk()
    assert seen == ["appl_0", "appl_1", "appl_2"]


async def test_to_list_collects_every_item_or_the_first_few(mock_client):
    client, _transport = mock_client(pages_of(APPLICANTS, 3, tag="LinkedinJobApplicantList"))
    pager = client.applicants.list(JOB_ID, account_id=ACCOUNT_ID)
    assert len(await pager.to_list()) == 7
    assert [a.id for a in await pager.to_list(max_items=2)] == ["appl_0", "appl_1"]


def test_a_pager_is_generic_and_says_what_it_walks():
    async def fetch(cursor):
        raise AssertionError("not called")

    assert "jobs.list" in repr(AsyncPager(fetch, endpoint="jobs.list"))
