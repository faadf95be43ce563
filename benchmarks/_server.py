"""The benchmark server: a minimal aiohttp app answering every publish with the documented 200.

It runs in its own process (``python -m benchmarks._server``), pinned to one
core where the OS allows, so the client's CPU time is the client's alone. It
does as little as possible (no validation, no state, no access log): the
sandbox does far more per request and would blur the client-side differences
being measured. The bound port is printed on stdout as ``PORT <n>``; the
process exits when its stdin closes, so it never outlives the benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from aiohttp import web

_PREFIX = b'{"object":"LinkedinJobPostingPublished","job_state":"active","job_id":"'
_SUFFIX = b'"}'


async def publish(request: web.Request) -> web.Response:
    # The body is read (a real server must drain it) but not parsed.
    await request.read()
    draft_id = request.match_info["draft_id"].encode()
    return web.Response(body=_PREFIX + draft_id + _SUFFIX, content_type="application/json")


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/api/v1/linkedin/jobs/{draft_id}/publish", publish)
    return app


async def _serve(port: int) -> None:
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
    await site.start()
    bound = runner.addresses[0][1]
    print(f"PORT {bound}", flush=True)
    loop = asyncio.get_running_loop()
    stdin_closed = loop.create_future()

    def _on_stdin() -> None:
        if not os.read(sys.stdin.fileno(), 4096) and not stdin_closed.done():
            stdin_closed.set_result(None)

    loop.add_reader(sys.stdin.fileno(), _on_stdin)
    try:
        await stdin_closed
    finally:
        loop.remove_reader(sys.stdin.fileno())
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cpu", type=int, default=None, help="pin to this core")
    args = parser.parse_args(argv)
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    asyncio.run(_serve(args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
