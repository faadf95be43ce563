"""3. The sync facade: ``Postpress.jobs.publish``, the awaited async client, the naive wrapper.

Three ways to publish from code without ``await``, and the async reference:

- ``facade``: ``Postpress`` (one SDK-owned loop in a daemon thread; each call
  handed over through socket pairs, a byte to wake the loop and one to wake the
  caller; connections pooled);
- ``naive asyncio.run``: what users write first -- ``asyncio.run()`` per call
  around ``async with AsyncPostpress() as c: await c.jobs.publish(...)``, so a
  new loop, session and TCP connection every call;
- ``async (awaited)``: the async client awaited in a loop, the floor: the
  facade's price is the thread hop on top of it.

Both the facade and the async client are made, and their connection opened,
once before the rounds (the async client on one event loop kept for the
whole run), so every round of either times calls only.

Sequential calls from one thread, and calls from 16 threads at once (for the
async reference: 16 concurrent tasks on one loop). Figures: calls/s, wall
microseconds per call, client CPU microseconds per call (the whole client
process, the SDK's loop thread included).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from postpress_async import AsyncPostpress, JobState, Postpress

from ._common import (
    API_KEY,
    FIRST_DRAFT_ID,
    bench_server,
    envelope,
    finish,
    median,
    paired_ratio,
    pin_client,
    rotated,
)
from .overhead import PUBLISH_KWARGS

NAME = "sync_facade"
THREADS = 16
SIZES: dict[str, dict[str, Any]] = {
    # The naive wrapper opens a TCP connection per call (a TIME_WAIT socket each),
    # so its call counts are kept lower; per-call figures are comparable anyway.
    # Many short rounds rather than a few long ones: on a shared machine the load
    # changes within seconds, and each ratio is a median of per-round ratios.
    "full": {"calls": 1000, "naive_calls": 200, "rounds": 15, "warmup": 100},
    "quick": {"calls": 500, "naive_calls": 100, "rounds": 5, "warmup": 50},
    "smoke": {"calls": 16, "naive_calls": 16, "rounds": 1, "warmup": 2},
}


def _ids(n: int) -> list[str]:
    return [str(FIRST_DRAFT_ID + i) for i in range(n)]


def _check(result: Any) -> None:
    if result.job_state is not JobState.ACTIVE:
        raise RuntimeError(f"unexpected result {result!r}")


def _naive_publish(base_url: str, draft_id: str) -> Any:
    async def once() -> Any:
        async with AsyncPostpress(API_KEY, base_url=base_url) as client:
            return await client.jobs.publish(draft_id, **PUBLISH_KWARGS)

    return asyncio.run(once())


def _timed(fn: Callable[[], int]) -> dict[str, float]:
    gc.collect()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    calls = fn()
    return {"calls": calls, "wall": time.perf_counter() - wall0,
            "cpu": time.process_time() - cpu0}


def _in_threads(call: Callable[[str], Any], ids: list[str]) -> int:
    todo = iter(ids)
    lock = threading.Lock()

    def worker() -> int:
        done = 0
        while True:
            with lock:
                draft_id = next(todo, None)
            if draft_id is None:
                return done
            _check(call(draft_id))
            done += 1

    with ThreadPoolExecutor(THREADS) as pool:
        return sum(pool.map(lambda _: worker(), range(THREADS)))


def _contenders(base_url: str, facade: Postpress, loop: asyncio.AbstractEventLoop,
                client: AsyncPostpress, params: dict[str, Any]
                ) -> dict[tuple[str, str], Callable[[], int]]:
    calls, naive_calls = params["calls"], params["naive_calls"]
    ids, naive_ids = _ids(calls), _ids(naive_calls)
    publish = facade.jobs.publish

    def facade_sequential() -> int:
        for draft_id in ids:
            _check(publish(draft_id, **PUBLISH_KWARGS))
        return len(ids)

    def naive_sequential() -> int:
        for draft_id in naive_ids:
            _check(_naive_publish(base_url, draft_id))
        return len(naive_ids)

    def async_sequential() -> int:
        async def go() -> int:
            for draft_id in ids:
                _check(await client.jobs.publish(draft_id, **PUBLISH_KWARGS))
            return len(ids)
        return loop.run_until_complete(go())

    def facade_threads() -> int:
        return _in_threads(lambda d: publish(d, **PUBLISH_KWARGS), ids)

    def naive_threads() -> int:
        return _in_threads(lambda d: _naive_publish(base_url, d), naive_ids)

    def async_tasks() -> int:
        async def go() -> int:
            todo = iter(ids)

            async def worker() -> None:
                for draft_id in todo:
                    _check(await client.jobs.publish(draft_id, **PUBLISH_KWARGS))

            await asyncio.gather(*(worker() for _ in range(THREADS)))
            return len(ids)
        return loop.run_until_complete(go())

    # The facade next to its async reference, so that (the order rotating each round)
    # the two a ratio pairs mostly run back to back, under the same load.
    return {
        ("sequential", "facade"): facade_sequential,
        ("sequential", "async (awaited)"): async_sequential,
        ("sequential", "naive asyncio.run"): naive_sequential,
        (f"{THREADS} threads", "facade"): facade_threads,
        (f"{THREADS} threads", "async (16 tasks)"): async_tasks,
        (f"{THREADS} threads", "naive asyncio.run"): naive_threads,
    }


def run(size: str = "full") -> dict[str, Any]:
    params = SIZES[size]
    result = envelope(NAME, size, {**params, "threads": THREADS})
    result["machine"]["client_pinned"] = pin_client()
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    with bench_server() as server, Postpress(API_KEY, base_url=server.base_url) as facade, \
            contextlib.closing(asyncio.new_event_loop()) as loop:
        client = AsyncPostpress(API_KEY, base_url=server.base_url)
        contenders = _contenders(server.base_url, facade, loop, client, params)
        for draft_id in _ids(params["warmup"]):  # warm-up: loops and pools up
            _check(facade.jobs.publish(draft_id, **PUBLISH_KWARGS))
            _check(loop.run_until_complete(client.jobs.publish(draft_id, **PUBLISH_KWARGS)))
            _check(_naive_publish(server.base_url, draft_id))
        runs = {key: [] for key in contenders}
        for r in range(params["rounds"]):
            for key in rotated(list(contenders), r):
                runs[key].append(_timed(contenders[key]))
        loop.run_until_complete(client.close())
    us_per_call: dict[tuple[str, str], list[float]] = {}
    for (case, contender), rs in runs.items():
        us_per_call[(case, contender)] = [x["wall"] / x["calls"] * 1e6 for x in rs]
        result["rows"].append({
            "case": case,
            "contender": contender,
            "calls_per_s": median([x["calls"] / x["wall"] for x in rs]),
            "us_per_call": median(us_per_call[(case, contender)]),
            "cpu_us_per_call": median([x["cpu"] / x["calls"] * 1e6 for x in rs]),
            "rounds": rs,
        })
    for case in ("sequential", f"{THREADS} threads"):
        reference = next(key for key in us_per_call
                         if key[0] == case and key[1].startswith("async"))
        result["ratios"][f"{case}: naive/facade time per call"] = paired_ratio(
            us_per_call[(case, "naive asyncio.run")], us_per_call[(case, "facade")])
        result["ratios"][f"{case}: facade/{reference[1]} time per call"] = paired_ratio(
            us_per_call[(case, "facade")], us_per_call[reference])
        # The client's CPU (both threads) per call: the facade's own work, which wall
        # time on a busy machine can hide (there the scheduler, not the SDK, sets it).
        result["ratios"][f"{case}: facade/{reference[1]} CPU per call"] = paired_ratio(
            [x["cpu"] / x["calls"] for x in runs[(case, "facade")]],
            [x["cpu"] / x["calls"] for x in runs[reference]])
    return finish(result)


COLUMNS = [
    ("case", "case"),
    ("contender", "contender"),
    ("calls_per_s", "calls/s"),
    ("us_per_call", "us/call"),
    ("cpu_us_per_call", "CPU us/call"),
]
