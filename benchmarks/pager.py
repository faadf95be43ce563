"""6. Pager: walking a job's applicants with ``client.applicants.list`` against a hand-written
aiohttp cursor loop, on the same loopback server (its own process).

- "fast consumer": the loop body only counts items. Contenders: the pager
  (``async for``), the hand loop building the same ``Applicant`` models with the
  SDK's converter (same work; the ratio that matters), and the hand loop keeping
  raw dicts (what a user without models would write; for reference).
- "slow consumer": the caller awaits ``per_page_ms`` per page (20 ms: an insert into a
  database, say). The pager fetches the next page meanwhile; the hand loop cannot.
- RSS: the process's resident set before, at the middle and at the end of the
  pager's walk (psutil, or /proc), to show it stays flat.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from typing import Any

import aiohttp
import orjson

from postpress_async import Applicant, AsyncPostpress
from postpress_async._converter import structure_hook

from ._common import (
    ACCOUNT_ID,
    API_KEY,
    BenchServer,
    bench_server,
    envelope,
    finish,
    median,
    paired_ratio,
    pin_client,
    rotated,
)

NAME = "pager"
SIZES: dict[str, dict[str, Any]] = {
    "full": {"items": 100_000, "limit": 250, "rounds": 5, "per_page_ms": 20.0,
             "slow_items": 25_000},
    "quick": {"items": 25_000, "limit": 250, "rounds": 3, "per_page_ms": 20.0,
              "slow_items": 10_000},
    "smoke": {"items": 600, "limit": 250, "rounds": 1, "per_page_ms": 1.0, "slow_items": 600},
}


def _rss_mib() -> float:
    try:
        import psutil  # type: ignore[import-untyped,unused-ignore]

        return float(psutil.Process().memory_info().rss) / 2**20
    except ImportError:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def _pager(client: AsyncPostpress, items: int, limit: int, delay: float,
                 rss: list[float] | None = None) -> int:
    count = 0
    middle = items // 2
    pages = client.applicants.list(str(items), account_id=ACCOUNT_ID, limit=limit).pages()
    async for page in pages:
        count += len(page.items)
        if rss is not None and count - len(page.items) <= middle < count:
            rss.append(_rss_mib())
        if delay:
            await asyncio.sleep(delay)
    return count


async def _pager_items(client: AsyncPostpress, items: int, limit: int, delay: float) -> int:
    # The plain item walk (what most callers write); delay applies per page of items.
    count = 0
    async for _ in client.applicants.list(str(items), account_id=ACCOUNT_ID, limit=limit):
        count += 1
        if delay and count % limit == 0:
            await asyncio.sleep(delay)
    return count


async def _hand_loop(session: aiohttp.ClientSession, base_url: str, items: int, limit: int,
                     delay: float, typed: bool) -> int:
    hook = structure_hook(Applicant)
    url = f"{base_url}/linkedin/jobs/{items}/applicants"
    headers = {"X-API-KEY": API_KEY, "Accept": "application/json"}
    params = {"account_id": ACCOUNT_ID, "limit": str(limit)}
    count = 0
    cursor: str | None = None
    while True:
        query = params if cursor is None else {**params, "cursor": cursor}
        async with session.get(url, params=query, headers=headers) as response:
            response.raise_for_status()
            payload = orjson.loads(await response.read())
        page = [hook(item, Applicant) for item in payload["items"]] if typed else payload["items"]
        count += len(page)
        if delay:
            await asyncio.sleep(delay)
        cursor = payload["cursor"]
        if not cursor:
            return count


async def _measure(server: BenchServer, params: dict[str, Any]) -> dict[str, Any]:
    items, limit, rounds = params["items"], params["limit"], params["rounds"]
    slow_items, delay = params["slow_items"], params["per_page_ms"] / 1000
    times: dict[str, dict[str, list[float]]] = {"fast": {}, "slow": {}}
    rss: list[float] = []
    async with AsyncPostpress(api_key=API_KEY, base_url=server.base_url) as client, \
            aiohttp.ClientSession() as session:
        fast = {
            "pager (async for item)": lambda: _pager_items(client, items, limit, 0.0),
            "pager (pages)": lambda: _pager(client, items, limit, 0.0),
            "aiohttp loop + models": lambda: _hand_loop(
                session, server.base_url, items, limit, 0.0, True),
            "aiohttp loop, raw dicts": lambda: _hand_loop(
                session, server.base_url, items, limit, 0.0, False),
        }
        slow = {
            "pager (async for item)": lambda: _pager_items(client, slow_items, limit, delay),
            "aiohttp loop + models": lambda: _hand_loop(
                session, server.base_url, slow_items, limit, delay, True),
        }
        # Warm-up: connections, caches, the server's page bodies.
        for call in (*fast.values(), *slow.values()):
            await call()
        for round_index in range(rounds):
            for case, contenders in (("fast", fast), ("slow", slow)):
                for name in rotated(list(contenders), round_index):
                    gc.collect()
                    started = time.perf_counter()
                    counted = await contenders[name]()
                    times[case].setdefault(name, []).append(
                        counted / (time.perf_counter() - started)
                    )
        gc.collect()
        rss.append(_rss_mib())
        await _pager(client, items, limit, 0.0, rss)
        rss.append(_rss_mib())
    return {"times": times, "rss": rss}


def run(size: str = "full") -> dict[str, Any]:
    params = SIZES[size]
    result = envelope(NAME, size, dict(params))
    result["machine"]["client_pinned"] = pin_client()
    with bench_server() as server:
        measured = asyncio.run(_measure(server, params))
    times = measured["times"]
    for case, label in (("fast", "fast consumer"),
                        ("slow", f"{params['per_page_ms']} ms per page")):
        for name, rates in times[case].items():
            result["rows"].append({
                "case": label, "contender": name, "items_per_s": median(rates),
                "us_per_item": 1e6 / median(rates), "rounds": rates,
            })
    fast, slow = times["fast"], times["slow"]
    baseline = fast["aiohttp loop + models"]
    result["ratios"] = {
        "fast.pager_items/loop_models.items_per_s": paired_ratio(
            fast["pager (async for item)"], baseline),
        "fast.pager_pages/loop_models.items_per_s": paired_ratio(fast["pager (pages)"], baseline),
        "fast.pager_items/loop_raw_dicts.items_per_s": paired_ratio(
            fast["pager (async for item)"], fast["aiohttp loop, raw dicts"]),
        "slow.pager_items/loop_models.items_per_s": paired_ratio(
            slow["pager (async for item)"], slow["aiohttp loop + models"]),
    }
    before, middle, after = measured["rss"]
    result["rss_mib"] = {"before_walk": before, "middle_of_walk": middle, "after_walk": after}
    result["notes"].append(
        f"RSS while the pager walks {params['items']:,} applicants: {before:.1f} MiB before, "
        f"{middle:.1f} MiB at the middle, {after:.1f} MiB at the end"
    )
    return finish(result)


COLUMNS = [
    ("case", "case"),
    ("contender", "contender"),
    ("items_per_s", "items/s"),
    ("us_per_item", "us/item"),
]
