"""The lifecycle over real sockets (aiohttp server on 127.0.0.1, the default transport):
idempotency keys across retries, and a pager walking pages."""

from __future__ import annotations

import json

import pytest
from aiohttp import web

from postpress_async import AsyncPostpress

from .lifecycle_support import ACCOUNT_ID, API_KEY, DRAFT_CREATED, JOB_ID, applicant


@pytest.fixture
async def server():
    """A small API: create answers 503 once, then the draft; applicants come in pages of 2."""
    seen: list[web.Request] = []
    keys: list[str] = []
    applicants = [applicant(f"appl_{n}") for n in range(5)]

    async def create(request: web.Request) -> web.Response:
        keys.append(request.headers["Idempotency-Key"])
        assert (await request.json())["account_id"] == ACCOUNT_ID
        if len(keys) == 1:
            return web.json_response({"status": 503, "type": "errors/service_unavailable",
                                      "title": "Try again"}, status=503)
        return web.json_response(DRAFT_CREATED)

    async def list_applicants(request: web.Request) -> web.Response:
        seen.append(request)
        offset = int(request.query.get("cursor", "0"))
        following = str(offset + 2) if offset + 2 < len(applicants) else None
        # The quickstart's shape, to prove it is read over the wire too.
        return web.Response(text=json.dumps({"data": applicants[offset:offset + 2],
                                             "next_cursor": following}),
                            content_type="application/json")

    app = web.Application()
    app.router.add_post("/api/v1/linkedin/jobs", create)
    app.router.add_get("/api/v1/linkedin/jobs/{job_id}/applicants", list_applicants)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/api/v1", keys, seen
    await runner.cleanup()


async def test_a_retried_create_sends_the_same_key_over_the_wire(server):
    base_url, keys, _ = server
    async with AsyncPostpress(api_key=API_KEY, base_url=base_url) as client:
        draft = await client.jobs.create(
            account_id=ACCOUNT_ID, job_title="Engineer", company="Acme", workplace="REMOTE",
            location="106967730", description="<p>x</p>",
        )
    assert draft.job_id == JOB_ID
    assert len(keys) == 2
    assert keys[0] == keys[1]


async def test_a_pager_walks_real_pages(server):
    base_url, _, seen = server
    async with AsyncPostpress(api_key=API_KEY, base_url=base_url) as client:
        names = [a.id async for a in client.applicants.list(
            JOB_ID, account_id=ACCOUNT_ID, limit=2, ratings=["GOOD_FIT", "MAYBE"])]
    assert names == [f"appl_{n}" for n in range(5)]
    assert [r.query.get("cursor") for r in seen] == [None, "2", "4"]
    assert seen[0].query["ratings"] == "GOOD_FIT,MAYBE"
