"""The bounded soak: >= 60 s and >= 50,000 publishes through ``publish_many`` against a
faulty sandbox in another process.

It checks what only a long run shows: the client's memory (RSS) and open file descriptors
stay flat after warm-up, connections do not leak, every draft gets exactly one outcome and
no draft is published twice. Figures go to ``benchmarks/results/soak.json``.

Drafts are sent in rounds of ``ROUND`` (one ``publish_many`` call and one journal each)
so that measurements are taken between runs, when nothing is in flight.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import aiohttp
import psutil
import pytest

from postpress_async import AsyncPostpress, PublishRequest
from postpress_async._bulk import Outcome
from postpress_async.testing import no_retry_waits

from .serve_sandbox import SOAK_API_KEY, SOAK_FAULTS

MIN_SECONDS = float(os.environ.get("POSTPRESS_SOAK_SECONDS", "60"))
MIN_PUBLISHES = int(os.environ.get("POSTPRESS_SOAK_PUBLISHES", "50000"))
# Bounds the loop whatever the machine's speed; failing to reach the minimums in it fails.
MAX_SECONDS = max(600.0, 3 * MIN_SECONDS)
# The suite's per-test limit (120 s) is for ordinary tests; the soak has its own bound.
pytestmark = [pytest.mark.soak, pytest.mark.timeout(MAX_SECONDS + 300)]
ROUND = 5_000
CONCURRENCY = 64
WARMUP_ROUNDS = 2
# A leak of 256 bytes per publish over 50,000 publishes is 12 MiB.
MAX_RSS_GROWTH_MIB = 12.0
MAX_FD_GROWTH = 4
RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "soak.json"
SEED = 20261128


@pytest.fixture
def sandbox_process() -> Iterator[tuple[str, str]]:
    """The faulty sandbox in its own process: (root URL, API base URL)."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("serve_sandbox.py")), "--seed", str(SEED)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        root = process.stdout.readline().split()[1]
        base = process.stdout.readline().split()[1]
        yield root, base
    finally:
        assert process.stdin is not None
        process.stdin.close()  # the server exits when its stdin closes
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _established_to(port: int) -> int:
    return sum(
        1
        for conn in psutil.Process().net_connections(kind="tcp")
        if conn.raddr and conn.raddr.port == port and conn.status == psutil.CONN_ESTABLISHED
    )


def _other_fds(sample: dict[str, float]) -> float:
    return sample["open_fds"] - sample["established"]


def _requests(round_number: int) -> Iterator[PublishRequest]:
    for i in range(ROUND):
        yield PublishRequest(f"soak-{round_number:03d}-{i:05d}", account_id="acc", mode="FREE")


async def test_soak_publish_many_stays_flat_and_publishes_each_draft_once(
    sandbox_process: tuple[str, str], tmp_path: Path
) -> None:
    root_url, base_url = sandbox_process
    port = int(root_url.rsplit(":", 1)[1])
    me = psutil.Process()
    outcome_log = tmp_path / "outcomes.txt"
    totals: Counter[str] = Counter()
    samples: list[dict[str, float]] = []
    max_connections = 0
    drafts = 0
    started = time.perf_counter()

    async with AsyncPostpress(SOAK_API_KEY, base_url=base_url, timeout=10.0) as client:
        with no_retry_waits(), outcome_log.open("w") as log:
            round_number = 0
            while (
                time.perf_counter() - started < MIN_SECONDS or drafts < MIN_PUBLISHES
            ) and time.perf_counter() - started < MAX_SECONDS:
                per_draft: Counter[str] = Counter()

                def record(outcome: Outcome, per_draft: Counter[str] = per_draft) -> None:
                    per_draft[outcome.draft_id or "?"] += 1
                    log.write(f"{outcome.draft_id} {outcome.kind}\n")

                sampler_stop = asyncio.Event()

                async def sample_connections(stop: asyncio.Event = sampler_stop) -> int:
                    most = 0
                    while not stop.is_set():
                        most = max(most, _established_to(port))
                        await asyncio.sleep(0.5)
                    return most

                sampler = asyncio.create_task(sample_connections())
                report = await client.jobs.publish_many(
                    _requests(round_number),
                    concurrency=CONCURRENCY,
                    journal=tmp_path / f"journal-{round_number:03d}.jsonl",
                    on_outcome=record,
                )
                sampler_stop.set()
                max_connections = max(max_connections, await sampler)

                # Exactly one outcome per draft of the round.
                assert report.total == ROUND
                assert len(per_draft) == ROUND
                assert set(per_draft.values()) == {1}
                totals.update({str(kind): n for kind, n in report.counts.items()})
                drafts += ROUND
                del per_draft, report
                gc.collect()
                samples.append(
                    {
                        "round": round_number,
                        "seconds": round(time.perf_counter() - started, 2),
                        "drafts": drafts,
                        "rss_mib": round(me.memory_info().rss / 2**20, 2),
                        "open_fds": me.num_fds(),
                        "established": _established_to(port),
                    }
                )
                round_number += 1
        elapsed = time.perf_counter() - started
    await asyncio.sleep(0)  # let the closed transports finish
    connections_after_close = _established_to(port)

    with urlopen(f"{root_url}/_sandbox/ledger", timeout=30) as answer:  # noqa: ASYNC210
        ledger = json.load(answer)
    with urlopen(f"{root_url}/_sandbox/stats", timeout=30) as answer:  # noqa: ASYNC210
        stats = json.load(answer)

    ledger_ids = Counter(entry["draft_id"] for entry in ledger["entries"])
    live = set()
    for line in outcome_log.read_text().splitlines():
        draft_id, kind = line.split()
        if kind in ("published", "already_published"):
            live.add(draft_id)

    baseline = samples[WARMUP_ROUNDS - 1]
    after = samples[WARMUP_ROUNDS:]
    rss_growth = max(s["rss_mib"] for s in after) - baseline["rss_mib"]
    # Pooled connections come and go (a dropped one is replaced only when all the others
    # are busy), so the leak check is on every other descriptor; the connections are
    # bounded separately (at most CONCURRENCY, none after close). A leaked socket that is
    # no longer ESTABLISHED (CLOSE_WAIT) still counts as an "other" descriptor.
    fd_growth = max(_other_fds(s) for s in after) - _other_fds(baseline)
    figures = {
        "seconds": round(elapsed, 2),
        "drafts": drafts,
        "publishes_per_second": round(drafts / elapsed, 1),
        "outcomes": dict(totals),
        "sandbox_requests": stats["total_requests"],
        "sandbox_status_counts": stats["status_counts"],
        "sandbox_dropped_connections": stats["dropped_connections"],
        "ledger_entries": ledger["total"],
        "ledger_duplicates": len(ledger["duplicates"]),
        "published_or_already_not_in_ledger": len(live - set(ledger_ids)),
        "rss_mib_baseline_after_warmup": baseline["rss_mib"],
        "rss_mib_growth_after_warmup": round(rss_growth, 2),
        "open_fds_other_than_connections_growth_after_warmup": fd_growth,
        "max_established_connections": max_connections,
        "established_connections_after_close": connections_after_close,
        "concurrency": CONCURRENCY,
        "round_size": ROUND,
        "retry_waits": "off (retries happen immediately)",
        "faults": {
            "provider_error": SOAK_FAULTS.provider_error,
            "service_unavailable": SOAK_FAULTS.service_unavailable,
            "request_timeout": SOAK_FAULTS.request_timeout,
            "commit_then_fail": SOAK_FAULTS.commit_then_fail,
            "drop_connection": SOAK_FAULTS.drop_connection,
            "latency": list(SOAK_FAULTS.latency)
            if isinstance(SOAK_FAULTS.latency, tuple)
            else SOAK_FAULTS.latency,
        },
        "samples": samples,
        "python": platform.python_version(),
        "aiohttp": aiohttp.__version__,
        "cpus": os.cpu_count(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(figures, indent=2) + "\n")
    tmp.replace(RESULTS)
    print(json.dumps({k: v for k, v in figures.items() if k != "samples"}, indent=2))

    assert elapsed >= MIN_SECONDS
    assert drafts >= MIN_PUBLISHES
    # Exactly once: nothing published twice, nothing published that was not asked for,
    # and everything reported published (or already published) is in the ledger.
    assert ledger["duplicates"] == {}
    assert max(ledger_ids.values()) == 1
    assert set(ledger_ids) <= {
        f"soak-{r:03d}-{i:05d}" for r in range(len(samples)) for i in range(ROUND)
    }
    assert live <= set(ledger_ids)
    # Flat after warm-up, and no connection leak.
    assert rss_growth <= MAX_RSS_GROWTH_MIB, samples
    assert fd_growth <= MAX_FD_GROWTH, samples
    assert max_connections <= CONCURRENCY
    assert connections_after_close == 0
