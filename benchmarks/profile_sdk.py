"""Profile the SDK's publish loop with pyinstrument: ``python -m benchmarks.profile_sdk``.

Runs ``AsyncPostpress.jobs.publish`` against the benchmark server at the given
concurrency under pyinstrument and prints the call tree (or writes HTML). Not
part of ``python -m benchmarks``: it is the tool for finding *why* a figure
there is what it is.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from ._common import bench_server, pin_client
from .overhead import Contenders, run_loop


async def _profile(base_url: str, concurrency: int, requests: int, contender: str) -> str:
    from pyinstrument import Profiler

    contenders = Contenders(base_url)
    try:
        call = contenders.calls()[contender]
        await run_loop(call, min(requests, 500), concurrency)  # warm-up
        profiler = Profiler(interval=0.0002, async_mode="disabled")
        profiler.start()
        await run_loop(call, requests, concurrency)
        profiler.stop()
        return profiler.output_text(unicode=True, color=False, show_all=False)
    finally:
        await contenders.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_sdk")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--contender", default="sdk", choices=["sdk", "bare_aiohttp", "httpx"])
    args = parser.parse_args(argv)
    pin_client()
    with bench_server() as server:
        print(asyncio.run(_profile(server.base_url, args.concurrency, args.requests,
                                   args.contender)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
