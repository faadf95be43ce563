"""5. Models: the CPU-only hot path inside each call, with no network.

- build + serialize: ``PublishRequest(...)`` and ``_converter.dump_body`` (the
  validation and the one cattrs converter) against ``json.dumps`` of a dict;
- parse: ``_decode.PUBLISH.decode(RawResponse(...))`` against ``json.loads``
  plus a slotted dataclass;
- a whole ``jobs.publish`` call over an in-memory transport that answers at
  once, against the same steps written by hand: the SDK's per-call CPU cost
  with the network taken out (benchmark 1 has the network put back).
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

from postpress_async import AsyncPostpress, DailyBudget, PublishRequest, Timeout, TransportRequest
from postpress_async import TransportResponse as RawResponse
from postpress_async._converter import dump_body
from postpress_async._jobs import PUBLISH

from ._common import (
    ACCOUNT_ID,
    API_KEY,
    FIRST_DRAFT_ID,
    envelope,
    finish,
    median,
    paired_ratio,
    pin_client,
    rotated,
)
from .overhead import PUBLISH_KWARGS, _bare_result, request_body, request_headers

NAME = "models"
SIZES: dict[str, dict[str, Any]] = {
    "full": {"iterations": 50_000, "rounds": 7},
    "quick": {"iterations": 20_000, "rounds": 3},
    "smoke": {"iterations": 50, "rounds": 1},
}

PUBLISHED_BODY = (
    b'{"object":"LinkedinJobPostingPublished","job_state":"active","job_id":"3984512098"}'
)
CHECKPOINT_BODY = (
    b'{"object":"LinkedinJobPostingPublishCheckpoint","type":"OTP","job_id":"3984512098"}'
)
# What the benchmark server's aiohttp sends back, as aiohttp hands it over.
RESPONSE_HEADERS: Mapping[str, str] = CIMultiDictProxy(CIMultiDict({
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": str(len(PUBLISHED_BODY)),
    "Date": "Thu, 01 Jan 2026 00:00:00 GMT",
    "Server": "Python/3.11 aiohttp/3.14",
}))
PROMOTED_KWARGS: dict[str, Any] = {
    "account_id": ACCOUNT_ID,
    "mode": "PROMOTED",
    "service": "RECRUITER",
    "budget": DailyBudget("usd", 25),
}


class InstantTransport:
    """A transport answering every request at once with the documented 200."""

    async def send(self, request: TransportRequest) -> RawResponse:
        return RawResponse(status=200, headers=RESPONSE_HEADERS, body=PUBLISHED_BODY, reason="OK")

    async def aclose(self) -> None:
        return None


def _cases() -> dict[str, dict[str, Callable[[int], object]]]:
    ids = [str(FIRST_DRAFT_ID + i) for i in range(1000)]
    free = dict(PUBLISH_KWARGS)
    promoted_dict = {"account_id": ACCOUNT_ID, "mode": "PROMOTED", "service": "RECRUITER",
                     "budget": {"daily": {"currency": "USD", "amount": 25}}}
    free_dict = {"account_id": ACCOUNT_ID, "mode": "FREE", "service": "CLASSIC",
                 "hiring_photo_frame": True}
    published = RawResponse(status=200, headers=RESPONSE_HEADERS, body=PUBLISHED_BODY)
    checkpoint = RawResponse(status=200, headers=RESPONSE_HEADERS, body=CHECKPOINT_BODY)

    def bare_dump(payload: dict[str, Any]) -> bytes:
        return json.dumps(payload, separators=(",", ":")).encode()

    return {
        "build+serialize FREE": {
            "sdk": lambda i: dump_body(PublishRequest(ids[i % 1000], **free)),
            "bare": lambda i: bare_dump(free_dict),
        },
        "build+serialize PROMOTED+budget": {
            "sdk": lambda i: dump_body(PublishRequest(ids[i % 1000], **PROMOTED_KWARGS)),
            "bare": lambda i: bare_dump(promoted_dict),
        },
        "parse Published": {
            "sdk": lambda i: PUBLISH.decode(RawResponse(
                status=200, headers=RESPONSE_HEADERS, body=PUBLISHED_BODY)),
            "bare": lambda i: _bare_result(200, PUBLISHED_BODY),
        },
        "parse (prebuilt RawResponse) Checkpoint": {
            "sdk": lambda i: PUBLISH.decode(checkpoint),
            "bare": lambda i: json.loads(CHECKPOINT_BODY),
        },
        "parse (prebuilt RawResponse) Published": {
            "sdk": lambda i: PUBLISH.decode(published),
            "bare": lambda i: _bare_result(200, PUBLISHED_BODY),
        },
    }


def _time_sync(fn: Callable[[int], object], iterations: int) -> float:
    gc.collect()
    start = time.perf_counter()
    for i in range(iterations):
        fn(i)
    return time.perf_counter() - start


async def _time_calls(iterations: int, rounds: int) -> dict[str, list[float]]:
    sdk = AsyncPostpress(
        API_KEY, base_url="http://127.0.0.1:9/api/v1", transport=InstantTransport()
    )
    publish = sdk.jobs.publish
    ids = [str(FIRST_DRAFT_ID + i) for i in range(1000)]
    base, body, headers = sdk.base_url, request_body(), request_headers()
    instant = InstantTransport()
    timeout = Timeout(90.0, 10.0)

    async def sdk_loop() -> float:
        gc.collect()
        start = time.perf_counter()
        for i in range(iterations):
            await publish(ids[i % 1000], **PUBLISH_KWARGS)
        return time.perf_counter() - start

    async def bare_loop() -> float:
        gc.collect()
        start = time.perf_counter()
        for i in range(iterations):
            raw = await instant.send(TransportRequest(
                "POST", f"{base}/linkedin/jobs/{ids[i % 1000]}/publish", headers, body, timeout))
            _bare_result(raw.status, raw.body)
        return time.perf_counter() - start

    loops = {"sdk": sdk_loop, "bare": bare_loop}
    seconds: dict[str, list[float]] = {name: [] for name in loops}
    try:
        for r in range(rounds):
            for name in rotated(list(loops), r):
                seconds[name].append(await loops[name]())
    finally:
        await sdk.close()
    return seconds


def run(size: str = "full") -> dict[str, Any]:
    params = SIZES[size]
    iterations, rounds = params["iterations"], params["rounds"]
    result = envelope(NAME, size, {"iterations": iterations, "rounds": rounds})
    result["machine"]["client_pinned"] = pin_client()
    timings: dict[str, dict[str, list[float]]] = {}
    for case, contenders in _cases().items():
        for fn in contenders.values():
            _time_sync(fn, max(iterations // 10, 1))  # warm-up
        timings[case] = {name: [] for name in contenders}
        for r in range(rounds):
            for name in rotated(list(contenders), r):
                timings[case][name].append(_time_sync(contenders[name], iterations))
    timings["publish() call, in-memory transport"] = asyncio.run(_time_calls(iterations, rounds))
    for case, by_name in timings.items():
        for name, secs in by_name.items():
            per_s = [iterations / s for s in secs]
            result["rows"].append({
                "case": case,
                "contender": name,
                "ops_per_s": median(per_s),
                "us_per_op": 1e6 / median(per_s),
                "rounds_ops_per_s": per_s,
            })
        result["ratios"][f"{case}: sdk/bare time per op"] = paired_ratio(
            by_name["sdk"], by_name["bare"])
    return finish(result)


COLUMNS = [
    ("case", "case"),
    ("contender", "contender"),
    ("ops_per_s", "ops/s"),
    ("us_per_op", "us/op"),
]
