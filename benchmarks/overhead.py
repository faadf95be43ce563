"""1. Per-request overhead: ``AsyncPostpress.jobs.publish``, bare aiohttp, ``httpx.AsyncClient``.

All three send the same JSON body bytes with the same headers to the same
server and turn the answer into a small result object. The bare aiohttp loop
is the floor: one ``ClientSession`` with a default ``TCPConnector``, a body
serialized once, ``json.loads`` and a slotted dataclass. The SDK does per call
what a real caller gets: build and validate a ``PublishRequest``, serialize it,
send, decode with cattrs, all under its retry wrapper.

Measured at concurrency 1 (latency-bound: one request in flight) and 64
(CPU-bound: the client's event loop is the bottleneck), as requests/s and as
client CPU seconds per 10,000 requests (``time.process_time`` of this process,
which only runs the client: the server is another process on another core).
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from postpress_async import AsyncPostpress, JobState, PublishRequest
from postpress_async._client import USER_AGENT
from postpress_async._converter import dump_body

from ._common import (
    ACCOUNT_ID,
    API_KEY,
    FIRST_DRAFT_ID,
    BenchServer,
    bench_server,
    envelope,
    finish,
    median,
    paired_ratio,
    pin_client,
)

NAME = "overhead"
TAG = "LinkedinJobPostingPublished"

# requests per round at concurrency 1 and 64, rounds, warm-up requests
SIZES: dict[str, dict[str, Any]] = {
    # On this shared VM one round's ratio swings by 20% or more (the host's load comes and
    # goes within seconds): many short rounds, each pair back to back (round_order), so the
    # median of the per-round ratios holds.
    "full": {"requests": {1: 500, 64: 4000}, "rounds": {1: 31, 64: 25}, "warmup": 500},
    "quick": {"requests": {1: 500, 64: 3000}, "rounds": {1: 5, 64: 5}, "warmup": 200},
    "smoke": {"requests": {1: 20, 64: 64}, "rounds": {1: 1, 64: 1}, "warmup": 5},
}
# At concurrency 64 httpx manages ~650 requests/s, so a full round of 10,000 would take
# 15 s, most of the benchmark's time. Its rate is per request, so a fifth of them
# measures it as well (its ratio to the others is 0.07, far from any decision).
SLOW_CONTENDER_SHARE: dict[str, dict[int, float]] = {"httpx": {64: 0.2}}


def requests_for(contender: str, concurrency: int, requests: int) -> int:
    """How many requests ``contender`` sends per round (at least one per worker)."""
    share = SLOW_CONTENDER_SHARE.get(contender, {}).get(concurrency, 1.0)
    return max(concurrency, round(requests * share))


# The API page's example body.
PUBLISH_KWARGS: dict[str, Any] = {
    "account_id": ACCOUNT_ID,
    "service": "CLASSIC",
    "mode": "FREE",
    "hiring_photo_frame": True,
}

Call = Callable[[int], Awaitable[object]]
_JOB_STATES = {state.value: state for state in JobState}


@dataclass(frozen=True, slots=True)
class BarePublished:
    job_id: str
    job_state: JobState | str


def request_body() -> bytes:
    """The body all contenders send (the SDK builds it per call; the others reuse it)."""
    body = dump_body(PublishRequest("0", **PUBLISH_KWARGS))
    same = json.dumps(
        {"account_id": ACCOUNT_ID, "mode": "FREE", "service": "CLASSIC",
         "hiring_photo_frame": True},
        separators=(",", ":"),
    ).encode()
    if body != same:
        raise RuntimeError(f"the SDK's body changed: {body!r}")
    return body


def request_headers() -> dict[str, str]:
    # What the SDK sends (see RequestCore), less the per-call Idempotency-Key.
    return {
        "X-API-KEY": API_KEY,
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Accept-Encoding": "gzip, deflate",
    }


def _bare_result(status: int, data: bytes) -> BarePublished:
    if status != 200:
        raise RuntimeError(f"unexpected status {status}")
    payload = json.loads(data)
    if not isinstance(payload, dict) or payload.get("object") != TAG:
        raise RuntimeError(f"unexpected payload {payload!r}")
    raw_state: str = payload["job_state"]
    # Lenient like the SDK: an unknown state stays a string.
    state: JobState | str = _JOB_STATES.get(raw_state, raw_state)
    return BarePublished(payload["job_id"], state)


def round_order(names: list[str], round_index: int) -> list[str]:
    """The contenders of one round: each ratio's pair back to back (the SDK beside bare
    aiohttp and beside itself traced), which of the two goes first alternating by round;
    the slow httpx last, after bare aiohttp every other round."""
    first = ["bare_aiohttp", "sdk", "sdk_traced"]
    if round_index % 2:
        first.reverse()
    return [name for name in first if name in names] + [
        name for name in names if name not in first
    ]


async def run_loop(call: Call, requests: int, concurrency: int) -> dict[str, float]:
    """``requests`` calls by ``concurrency`` workers; wall and client CPU seconds."""
    todo = iter(range(requests))

    async def worker() -> None:
        for i in todo:
            await call(i)

    gc.collect()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    return {"wall": wall, "cpu": cpu}


class Tracing:
    """Switches an OpenTelemetry tracer provider (in-memory exporter) on for the
    ``sdk_traced`` rounds only. The other rounds run with ``opentelemetry-api`` imported
    and no provider configured: the no-op case every application without tracing is in.
    """

    def __init__(self) -> None:
        try:
            from opentelemetry import trace
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import SimpleSpanProcessor
            from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
                InMemorySpanExporter,
            )
        except ImportError:
            self.available = False
            return
        self.available = True
        self._trace = trace
        self._off = trace.get_tracer_provider()
        self.exporter = InMemorySpanExporter()
        self._on = TracerProvider()
        self._on.add_span_processor(SimpleSpanProcessor(self.exporter))

    def set(self, on: bool) -> None:
        if self.available:
            # The API lets an application set its provider once; a benchmark switching
            # between rounds sets the module's global directly.
            self._trace._TRACER_PROVIDER = self._on if on else self._off  # type: ignore[attr-defined]
            self.exporter.clear()


class Contenders:
    """The clients, opened once and shared by every round."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.draft_ids = [str(FIRST_DRAFT_ID + i) for i in range(200_000)]
        self.body = request_body()
        self.headers = request_headers()
        self.sdk = AsyncPostpress(API_KEY, base_url=base_url)
        self.tracing = Tracing()
        self.session = aiohttp.ClientSession()
        self.httpx_client: Any = None
        try:
            import httpx
        except ImportError:
            pass
        else:
            # Keep-alive for every pooled connection, as aiohttp does (httpx's default
            # keeps 20, which at concurrency 64 would benchmark reconnecting).
            self.httpx_client = httpx.AsyncClient(
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=100),
                timeout=httpx.Timeout(90.0, connect=10.0),
            )

    def calls(self) -> dict[str, Call]:
        ids, body, headers, base = self.draft_ids, self.body, self.headers, self.base_url
        publish = self.sdk.jobs.publish
        session = self.session

        async def sdk(i: int) -> object:
            return await publish(ids[i], **PUBLISH_KWARGS)

        async def bare_aiohttp(i: int) -> object:
            async with session.post(
                f"{base}/linkedin/jobs/{ids[i]}/publish", data=body, headers=headers
            ) as response:
                data = await response.read()
                return _bare_result(response.status, data)

        found: dict[str, Call] = {"sdk": sdk, "bare_aiohttp": bare_aiohttp}
        if self.tracing.available:
            found["sdk_traced"] = sdk  # the same calls, with a tracer provider configured
        if self.httpx_client is not None:
            client = self.httpx_client

            async def httpx_loop(i: int) -> object:
                response = await client.post(
                    f"{base}/linkedin/jobs/{ids[i]}/publish", content=body, headers=headers
                )
                return _bare_result(response.status_code, response.content)

            found["httpx"] = httpx_loop
        return found

    async def aclose(self) -> None:
        await self.sdk.close()
        await self.session.close()
        if self.httpx_client is not None:
            await self.httpx_client.aclose()


Runs = dict[int, dict[str, list[dict[str, float]]]]


async def _measure(server: BenchServer, params: dict[str, Any]) -> Runs:
    contenders = Contenders(server.base_url)
    try:
        calls = contenders.calls()
        # Sanity: every contender gets the documented answer for the same draft.
        for name, call in calls.items():
            result: Any = await call(0)
            if (result.job_id, result.job_state) != (str(FIRST_DRAFT_ID), JobState.ACTIVE):
                raise RuntimeError(f"{name} got {result!r}")
        per_case: Runs = {}
        for concurrency, requests in params["requests"].items():
            for name, call in calls.items():  # warm-up: connections opened, code paths hot
                contenders.tracing.set(name == "sdk_traced")
                await run_loop(call, params["warmup"], concurrency)
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in calls}
            for r in range(params["rounds"][concurrency]):
                for name in round_order(list(calls), r):
                    contenders.tracing.set(name == "sdk_traced")
                    count = requests_for(name, concurrency, requests)
                    server_cpu0 = server.cpu_seconds()
                    run = await run_loop(calls[name], count, concurrency)
                    server_cpu1 = server.cpu_seconds()
                    if server_cpu0 is not None and server_cpu1 is not None:
                        run["server_busy"] = (server_cpu1 - server_cpu0) / run["wall"]
                    run["requests"] = count
                    runs[name].append(run)
            per_case[concurrency] = runs
        return per_case
    finally:
        await contenders.aclose()


def run(size: str = "full") -> dict[str, Any]:
    params = SIZES[size]
    result = envelope(NAME, size, {
        "requests_per_round": {str(c): n for c, n in params["requests"].items()},
        "share_of_requests": {name: {str(c): share for c, share in by_c.items()}
                              for name, by_c in SLOW_CONTENDER_SHARE.items()},
        "rounds": {str(c): n for c, n in params["rounds"].items()},
        "warmup": params["warmup"],
        "body": request_body().decode(),
    })
    result["machine"]["client_pinned"] = pin_client()
    with bench_server() as server:
        per_case = asyncio.run(_measure(server, params))
    ratios: dict[str, float] = {}
    for concurrency, runs in per_case.items():
        rps = {n: [r["requests"] / r["wall"] for r in rs] for n, rs in runs.items()}
        cpu = {n: [r["cpu"] / r["requests"] * 10_000 for r in rs] for n, rs in runs.items()}
        for name, rs in runs.items():
            result["rows"].append({
                "case": f"concurrency {concurrency}",
                "concurrency": concurrency,
                "contender": name,
                "requests_per_s": median(rps[name]),
                "cpu_s_per_10k": median(cpu[name]),
                "us_per_request": 1e6 / median(rps[name]),
                "server_busy": median([r.get("server_busy", float("nan")) for r in rs]),
                "rounds": [{"requests_per_s": a, "cpu_s_per_10k": b}
                           for a, b in zip(rps[name], cpu[name], strict=True)],
            })
        if "sdk_traced" in rps:
            ratios[f"c{concurrency}.sdk_traced/sdk.requests_per_s"] = paired_ratio(
                rps["sdk_traced"], rps["sdk"])
            ratios[f"c{concurrency}.sdk_traced/sdk.cpu_per_request"] = paired_ratio(
                cpu["sdk_traced"], cpu["sdk"])
        for other in ("sdk", "httpx"):
            if other in rps:
                ratios[f"c{concurrency}.{other}/bare_aiohttp.requests_per_s"] = paired_ratio(
                    rps[other], rps["bare_aiohttp"])
                ratios[f"c{concurrency}.{other}/bare_aiohttp.cpu_per_request"] = paired_ratio(
                    cpu[other], cpu["bare_aiohttp"])
        if "httpx" in rps:
            ratios[f"c{concurrency}.sdk/httpx.requests_per_s"] = paired_ratio(
                rps["sdk"], rps["httpx"])
    if "httpx" not in per_case[next(iter(per_case))]:
        result["notes"].append("httpx is not installed: its contender was skipped")
    result["ratios"] = ratios
    return finish(result)


COLUMNS = [
    ("case", "case"),
    ("contender", "contender"),
    ("requests_per_s", "req/s"),
    ("us_per_request", "us/req"),
    ("cpu_s_per_10k", "client CPU s/10k"),
    ("server_busy", "server busy"),
]
