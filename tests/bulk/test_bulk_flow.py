"""Flow control: the concurrency bound, lazy input, the rate limit and 429 pauses."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

from aiohttp import web

from postpress_async import AsyncPostpress, Outcome, OutcomeKind, PublishRequest
from postpress_async.sandbox import Faults
from postpress_async.testing import set_retry_waits
from tests.conftest import MakeClient

from .bulk_helpers import MakeSandbox, requests_for, running_bulk_tasks


class CountingRequests:
    """A generator-like source of a million requests that counts how many were pulled.

    Reading more than ``fail_after`` of them fails the test at once: a broken early stop
    or a run that races ahead is a red test, never a million requests to wait for.
    """

    def __init__(self, total: int = 1_000_000, *, fail_after: int = 100) -> None:
        self.total = total
        self.fail_after = fail_after
        self.pulled = 0

    def __iter__(self) -> Iterator[PublishRequest]:
        for i in range(self.total):
            self.pulled += 1
            if self.pulled > self.fail_after:
                raise AssertionError(
                    f"the run read more than {self.fail_after} of {self.total:,} items"
                )
            yield PublishRequest(f"d{i}", account_id="acc_1", mode="FREE")


async def test_concurrency_bound_is_respected_at_the_server(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(faults=Faults(latency=0.01))
    client = make_client(sandbox)

    report = await client.jobs.publish_many(
        requests_for(f"d{i}" for i in range(200)), concurrency=8
    )

    assert report.counts["published"] == 200
    assert sandbox.stats.max_in_flight == 8


async def test_a_million_item_generator_is_not_materialized_on_early_stop(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox, api_key="pp_wrong_key")
    source = CountingRequests()

    report = await client.jobs.publish_many(iter(source), concurrency=4)

    assert report.stopped_early
    assert source.pulled == 4
    # An iterator may be endless: what was never pulled is not counted.
    assert report.counts["failed"] == 4
    assert report.counts["not_attempted"] == 0


async def test_breaking_out_of_iter_publish_stops_pulling_and_cancels_in_flight(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(faults=Faults(latency=(0.0, 0.02)))
    client = make_client(sandbox)
    source = CountingRequests()
    taken = 0
    reported: list[Outcome] = []

    async with contextlib.aclosing(
        client.jobs.iter_publish(iter(source), concurrency=5, on_outcome=reported.append)
    ) as outcomes:
        async for _ in outcomes:
            taken += 1
            if taken == 10:
                break

    assert source.pulled <= taken + 5
    assert not running_bulk_tasks()
    # Each pulled draft got an outcome; those cut off on the wire say so.
    assert len(reported) == source.pulled
    cut = [o for o in reported if o.kind is OutcomeKind.NOT_ATTEMPTED]
    assert cut
    assert all(o.reason == "cancelled" for o in cut)


async def test_no_new_draft_starts_while_the_consumer_is_not_reading(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    source = CountingRequests()

    async with contextlib.aclosing(
        client.jobs.iter_publish(iter(source), concurrency=3)
    ) as outcomes:
        await anext(outcomes)
        await asyncio.sleep(0.05)  # the consumer dawdles; the run must not race ahead
        assert source.pulled <= 1 + 3


async def test_a_429_from_the_sandbox_is_tried_again(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = await make_sandbox(faults=Faults(rate_limited=0.3, retry_after=0), seed=5)
    client = make_client(sandbox)

    report = await client.jobs.publish_many(requests_for(f"d{i}" for i in range(50)))

    assert sandbox.stats.status_counts.get(429, 0) > 0
    assert report.counts["published"] == 50
    assert not sandbox.ledger.duplicates()


@contextlib.asynccontextmanager
async def client_of(
    handler: Callable[[web.BaseRequest], Awaitable[web.StreamResponse]],
) -> AsyncIterator[AsyncPostpress]:
    """A client for a one-handler test server on 127.0.0.1."""
    runner = web.ServerRunner(web.Server(handler), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/v1"
        async with AsyncPostpress("k", base_url=base_url) as client:
            yield client
    finally:
        await runner.cleanup()


def _published(draft_id: str) -> web.Response:
    return web.json_response(
        {"object": "LinkedinJobPostingPublished", "job_state": "active", "job_id": draft_id}
    )


async def test_a_429_pauses_the_whole_batch_for_retry_after() -> None:
    loop = asyncio.get_running_loop()
    pause = 0.5
    arrivals: list[tuple[float, str]] = []
    first_wave = asyncio.Event()
    rate_limited_at: list[float] = []
    answered_429 = False

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        nonlocal answered_429
        draft_id = request.path.split("/")[-2]
        arrivals.append((loop.time(), draft_id))
        in_first_wave = len(arrivals) <= 4
        if len(arrivals) == 4:
            first_wave.set()
        if draft_id == "d0" and not answered_429:
            # Every request of the first wave is at the server before the 429 goes out,
            # so any request arriving after it was sent after the client saw the 429.
            await first_wave.wait()
            answered_429 = True
            rate_limited_at.append(loop.time())
            return web.json_response(
                {"status": 429, "type": "errors/too_many_requests", "title": "Slow down"},
                status=429,
                headers={"Retry-After": str(pause)},
            )
        if in_first_wave:
            # All three answered well inside the pause, the last to arrive included: a
            # worker freed by an answer sent with the 429 could otherwise send its next
            # draft before the client has read the 429 on its own connection.
            await first_wave.wait()
            await asyncio.sleep(0.1)
        return _published(draft_id)

    set_retry_waits(True)  # the pause is a retry wait; this test is about it
    try:
        async with client_of(handler) as client:
            seen: list[Outcome] = []
            report = await client.jobs.publish_many(
                requests_for(f"d{i}" for i in range(8)),
                concurrency=4,
                on_outcome=seen.append,
            )
    finally:
        set_retry_waits(False)

    assert report.counts["published"] == 8
    assert [a for a in arrivals if a[1] == "d0"][1:], "d0 was tried again"
    later = [at for at, _ in arrivals[4:]]
    # The loop may wake a timer up to its clock resolution early; 50 ms covers it.
    assert min(later) >= rate_limited_at[0] + pause - 0.05


async def test_rate_spaces_out_the_requests() -> None:
    loop = asyncio.get_running_loop()
    arrivals: list[float] = []

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        arrivals.append(loop.time())
        return _published(request.path.split("/")[-2])

    async with client_of(handler) as client:
        report = await client.jobs.publish_many(
            requests_for(f"d{i}" for i in range(6)), concurrency=6, rate=20
        )

    assert report.counts["published"] == 6
    # Six sends at 20/s span at least five intervals of 50 ms (minus timer slack).
    assert arrivals[-1] - arrivals[0] >= 5 * 0.05 - 0.05


async def test_a_draft_rate_limited_again_and_again_fails_alone() -> None:
    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        draft_id = request.path.split("/")[-2]
        if draft_id == "d0":
            return web.json_response(
                {"status": 429, "type": "errors/too_many_requests", "title": "Slow down"},
                status=429,
            )
        return _published(draft_id)

    async with client_of(handler) as client:
        seen: list[Outcome] = []
        report = await client.jobs.publish_many(requests_for(["d0", "d1"]), on_outcome=seen.append)

    assert report.counts == {**report.counts, "published": 1, "failed": 1}
    assert report.error_types == {"429 errors/too_many_requests": 1}
    assert next(o for o in seen if o.kind is OutcomeKind.FAILED).draft_id == "d0"
