"""Where the SDK's per-request cost goes: ``python -m benchmarks.attribute``.

Runs three loops against the benchmark server, interleaved, at concurrency 64
and 1: bare aiohttp; bare aiohttp plus the SDK's model work done on the side
(``PublishRequest`` + ``dump_body`` + ``decode_response``, results discarded);
and the SDK. If "bare + model work" costs as much client CPU as the SDK, the
SDK's gap is its model work and not its transport, retry wrapper or layers of
``await``. It also prints what that model work costs in a tight loop, to show
how much more it costs when interleaved with real I/O (cold caches).
Not part of ``python -m benchmarks``: a tool for explaining benchmark 1.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from postpress_async import PublishRequest
from postpress_async import TransportResponse as RawResponse
from postpress_async._converter import dump_body
from postpress_async._jobs import PUBLISH

from ._common import bench_server, median, pin_client, rotated
from .models import PUBLISHED_BODY, RESPONSE_HEADERS
from .overhead import PUBLISH_KWARGS, Contenders, _bare_result, run_loop


def model_work(draft_id: str) -> None:
    dump_body(PublishRequest(draft_id, **PUBLISH_KWARGS))
    PUBLISH.decode(RawResponse(status=200, headers=RESPONSE_HEADERS, body=PUBLISHED_BODY))


async def _attribute(base: str, concurrency: int, requests: int, rounds: int) -> dict[str, Any]:
    contenders = Contenders(base)
    try:
        calls = contenders.calls()
        ids, body, headers = contenders.draft_ids, contenders.body, contenders.headers
        session = contenders.session

        async def bare_plus_model_work(i: int) -> object:
            model_work(ids[i])
            async with session.post(
                f"{base}/linkedin/jobs/{ids[i]}/publish", data=body, headers=headers
            ) as response:
                return _bare_result(response.status, await response.read())

        start = time.process_time()
        for i in range(20_000):
            model_work(ids[i])
        hot_us = (time.process_time() - start) / 20_000 * 1e6
        loops = {"bare": calls["bare_aiohttp"], "bare + model work": bare_plus_model_work,
                 "sdk": calls["sdk"]}
        for call in loops.values():
            await run_loop(call, 300, concurrency)
        cpu_us: dict[str, list[float]] = {name: [] for name in loops}
        for r in range(rounds):
            for name in rotated(list(loops), r):
                run = await run_loop(loops[name], requests, concurrency)
                cpu_us[name].append(run["cpu"] / requests * 1e6)
        return {"hot_us": hot_us, "cpu_us": {k: median(v) for k, v in cpu_us.items()}}
    finally:
        await contenders.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.attribute")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    pin_client()
    with bench_server() as server:
        for concurrency, requests in ((64, 5000), (1, 2000)):
            out = asyncio.run(_attribute(server.base_url, concurrency, requests, args.rounds))
            cpu = out["cpu_us"]
            interleaved = cpu["bare + model work"] - cpu["bare"]
            print(f"concurrency {concurrency}: model work in a tight loop {out['hot_us']:.1f} us; "
                  "client CPU per request: "
                  + ", ".join(f"{name} {us:.1f} us" for name, us in cpu.items())
                  + f"; model work interleaved with I/O: {interleaved:.1f} us, "
                  f"SDK gap: {cpu['sdk'] - cpu['bare']:.1f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
