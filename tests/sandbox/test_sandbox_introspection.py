"""The /_sandbox/ routes and the Python-side ledger and stats."""

from __future__ import annotations

import asyncio

import aiohttp

from postpress_async.sandbox import Faults


async def get(http, sandbox, path):
    async with http.get(sandbox.root_url + path) as response:
        return response.status, await response.json()


async def test_the_ledger_is_served_over_http(api, http, sandbox):
    await api.publish("d1", {"account_id": "acc_1", "mode": "PROMOTED"})
    status, ledger = await get(http, sandbox, "/_sandbox/ledger")
    assert (status, ledger["total"], ledger["duplicates"]) == (200, 1, {})
    (entry,) = ledger["entries"]
    assert entry["draft_id"] == "d1"
    assert set(entry) == {
        "draft_id",
        "account_id",
        "mode",
        "service",
        "budget",
        "credits_spent",
        "request_id",
        "at",
    }


async def test_a_ledger_entry_carries_the_request_id_of_the_publish(api, sandbox):
    _, _, headers = await api.publish("d1")
    assert sandbox.ledger.entries[0].request_id == headers["X-Request-Id"]


async def test_duplicates_are_reported_over_http(make_sandbox, api_for, http):
    sandbox = await make_sandbox(allow_republish=True)
    api = api_for(sandbox)
    for _ in range(3):
        await api.publish("d1")
    await api.publish("d2")
    _, ledger = await get(http, sandbox, "/_sandbox/ledger")
    assert (ledger["duplicates"], ledger["total"]) == ({"d1": 3}, 4)


async def test_sandbox_routes_need_no_api_key_and_ignore_the_prefix(http, sandbox):
    status, _ = await get(http, sandbox, "/_sandbox/stats")
    assert status == 200


async def test_an_unknown_sandbox_route_is_404(http, sandbox):
    status, error = await get(http, sandbox, "/_sandbox/nothing")
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_stats_count_requests_by_status(api, http, sandbox):
    await api.publish("d1")
    await api.publish("d1")
    await api.publish("d2", key=None)
    _, stats = await get(http, sandbox, "/_sandbox/stats")
    assert stats["total_requests"] == 3
    assert stats["status_counts"] == {"200": 1, "401": 1, "422": 1}


async def test_sandbox_routes_are_not_counted_in_stats(http, sandbox):
    await get(http, sandbox, "/_sandbox/ledger")
    assert sandbox.stats.total_requests == 0


async def test_max_in_flight_shows_concurrent_requests(make_sandbox, api_for):
    sandbox = await make_sandbox(faults=Faults(latency=0.5))
    api = api_for(sandbox)
    await asyncio.gather(*(api.publish(f"d{i}") for i in range(5)))
    assert sandbox.stats.max_in_flight == 5
    assert sandbox.stats.in_flight == 0


async def test_max_in_flight_respects_a_client_bound(make_sandbox):
    sandbox = await make_sandbox(faults=Faults(latency=0.05))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=2)) as session:

        async def publish(i):
            url = f"{sandbox.base_url}/linkedin/jobs/d{i}/publish"
            body = {"account_id": "a", "mode": "FREE"}
            async with session.post(url, json=body, headers={"X-API-KEY": sandbox.api_key}) as r:
                assert r.status == 200

        await asyncio.gather(*(publish(i) for i in range(8)))
    assert sandbox.stats.max_in_flight <= 2


async def test_connections_counts_distinct_client_connections(sandbox):
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        for _ in range(3):
            async with session.post(sandbox.base_url + "/linkedin/jobs/d/publish") as response:
                await response.read()
    assert sandbox.stats.connections == 3
