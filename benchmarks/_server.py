"""The benchmark server: a minimal aiohttp app answering every publish with the documented 200,
every create with a new draft (ids counting up from 4,000,000,000), and applicant pages
for the pager benchmark.

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


_CREATED_PREFIX = b'{"object":"LinkedinJobPostingDraftCreated","job_id":"'
_CREATED_SUFFIX = (
    b'","project_id":null,"publish_options":{"free":{"eligible":true,'
    b'"estimated_monthly_applicants":120,"ineligible_reason":null},"promoted":{'
    b'"estimated_monthly_applicants":480,"currency":"USD",'
    b'"daily_budget":{"min":5,"max":500,"recommended":25},'
    b'"monthly_budget":{"min":150,"max":15000,"recommended":750}}}}'
)
_next_job_id = 4_000_000_000


async def create(request: web.Request) -> web.Response:
    # Read, not parsed, like publish; no idempotency store: the client's cost is measured.
    global _next_job_id
    await request.read()
    _next_job_id += 1
    body = _CREATED_PREFIX + str(_next_job_id).encode() + _CREATED_SUFFIX
    return web.Response(body=body, content_type="application/json")


_APPLICANT = (
    '{"object":"LinkedinJobApplicant","id":"appl_%d","profile_id":"ACoAA%d",'
    '"public_identifier":"person-%d","public_profile_url":"https://www.linkedin.com/in/person-%d",'
    '"name":"Applicant %d","location":"Berlin, Germany","headline":"Senior Python Engineer",'
    '"applied_at":1710000000000,"rating":"UNRATED","email_address":"p%d@example.com",'
    '"work_experience":[{"company":"Acme GmbH","position":"Engineer","location":"Berlin",'
    '"start":{"year":2019,"month":4},"end":null}],'
    '"education":[{"school":"TU Berlin","degree":"MSc","field_of_study":"Computer Science",'
    '"start":{"year":2012,"month":10},"end":{"year":2018,"month":9}}],'
    '"screening_questions":[{"question":"Years of Python?","answers":["7"],"success":true}]}'
)
_pages: dict[tuple[int, int], bytes] = {}


def _items(offset: int, count: int) -> bytes:
    # Built once per (offset, size) and reused: the server's cost stays out of the figures.
    key = (offset, count)
    if key not in _pages:
        _pages[key] = ",".join(
            _APPLICANT % ((n,) * 6) for n in range(offset, offset + count)
        ).encode()
    return _pages[key]


async def applicants(request: web.Request) -> web.Response:
    """Applicant pages for the pager benchmark: the job id is the number of applicants,
    ``limit`` per page, the cursor being the next offset."""
    query = request.query
    total = int(request.match_info["job_id"])
    limit = int(query.get("limit", "100"))
    offset = int(query.get("cursor", "0"))
    count = max(0, min(limit, total - offset))
    following = b'"%d"' % (offset + count) if offset + count < total else b"null"
    body = (
        b'{"object":"LinkedinJobApplicantList","job_posting_id":"'
        + request.match_info["job_id"].encode() + b'","items":[' + _items(offset, count)
        + b'],"cursor":' + following
        + b',"paging":{"page_count":%d,"total_count":%d}}' % (count, total)
    )
    return web.Response(body=body, content_type="application/json")


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/api/v1/linkedin/jobs", create)
    app.router.add_post("/api/v1/linkedin/jobs/{draft_id}/publish", publish)
    app.router.add_get("/api/v1/linkedin/jobs/{job_id}/applicants", applicants)
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
