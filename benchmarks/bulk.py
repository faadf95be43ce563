"""2. Bulk: ``AsyncJobs.publish_many`` over 10,000 and 100,000 drafts at concurrency 64.

Each run is a fresh child process (``python -m benchmarks.bulk --child ...``),
so its peak RSS (``ru_maxrss``) belongs to that run alone. Drafts come from a
lazy generator, as a bulk user's input should, so what grows with the number
of drafts is the SDK's own state. The kernel's peak-RSS mark is reset after
warm-up (``/proc/self/clear_refs``), so the peak is the run's own. Reported:
drafts/s, client CPU per 10,000 drafts, RSS before the run and at peak, and
the growth of the peak between sizes. A hand-written loop (64 workers
awaiting ``publish_request`` over the same generator, no bookkeeping) is the
reference for the driver's own cost; a journaled run shows what crash-safety
costs.

New jobs (``NewJob`` items: create, then publish; two requests each) are measured
the same way at 10,000: ``new_jobs`` and ``new_jobs+journal`` against
``create_workers``, a hand-written loop of 64 workers each awaiting
``create_request`` then ``publish_request``.

Publishing for many accounts: the same drafts spread over 20 accounts (interleaved), once
with a global ``concurrency=80`` only and once with ``per_account_concurrency=4`` (so at
most 80 in flight too, each account capped): drafts/s and CPU per draft of the two, in
the same run, show what per-account lanes cost.

``python -m benchmarks.bulk --instructions [MODE ...]`` counts the client's instructions
per draft under valgrind's callgrind instead: slow, but the same on a busy machine.

Rounds: on a shared machine one run swings by 25% or more, so a contender and its
baseline are measured as a *pair*, back to back (their order alternating round by round),
in many short rounds; a ratio is the median of the per-round ratios of its pairs. Each
case is one child process, so no contender inherits another's heap or connections.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._common import (
    ACCOUNT_ID,
    API_KEY,
    FIRST_DRAFT_ID,
    REPO_ROOT,
    bench_server,
    child_env,
    client_cpu_args,
    envelope,
    finish,
    median,
    paired_ratio,
    rotated,
)

NAME = "bulk"
ACCOUNTS_GLOBAL = "accounts: concurrency=80"
ACCOUNTS_PER_ACCOUNT = "accounts: per_account_concurrency=4"
# Each group runs back to back within a round (the baseline first, then its contenders,
# the order rotated each round), so the pairs that make a ratio share the machine's load.
SIZES: dict[str, dict[str, Any]] = {
    "full": {
        "concurrency": 64,
        "groups": [
            [("workers", 5_000), ("publish_many", 5_000), ("publish_many+journal", 5_000)],
            [("create_workers", 5_000), ("new_jobs", 5_000), ("new_jobs+journal", 5_000)],
            [(ACCOUNTS_GLOBAL, 10_000), (ACCOUNTS_PER_ACCOUNT, 10_000)],
            [("publish_many", 1_000), ("publish_many", 100_000)],
        ],
        "rounds": 9,
        "rounds_over_50k": 1,
    },
    "quick": {
        "concurrency": 64,
        "groups": [
            [("workers", 5_000), ("publish_many", 5_000), ("publish_many+journal", 5_000)],
            [("create_workers", 5_000), ("new_jobs", 5_000), ("new_jobs+journal", 5_000)],
            [(ACCOUNTS_GLOBAL, 5_000), (ACCOUNTS_PER_ACCOUNT, 5_000)],
            [("publish_many", 1_000), ("publish_many", 10_000)],
        ],
        "rounds": 3,
        "rounds_over_50k": 1,
    },
    "smoke": {
        "concurrency": 8,
        "groups": [
            [("workers", 200), ("publish_many", 200), ("publish_many+journal", 20)],
            [("create_workers", 200), ("new_jobs", 200), ("new_jobs+journal", 20)],
            [(ACCOUNTS_GLOBAL, 200), (ACCOUNTS_PER_ACCOUNT, 200)],
            [("publish_many", 20)],
        ],
        "rounds": 1,
        "rounds_over_50k": 1,
    },
}
MODES = ("publish_many", "workers", "publish_many+journal", "new_jobs", "new_jobs+journal",
         "create_workers", ACCOUNTS_GLOBAL, ACCOUNTS_PER_ACCOUNT)
# The many-account cases: 20 accounts, 80 drafts in flight at most, 4 per account.
N_ACCOUNTS = 20
ACCOUNTS_CONCURRENCY = 80
PER_ACCOUNT_CONCURRENCY = 4


def _rss_kb() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError):
        return None


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS (Linux >= 4.0); True if done."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak_rss_kb() -> tuple[int, str]:
    """The peak RSS and where it came from.

    ``VmHWM`` first: ``ru_maxrss`` survives ``exec`` on Linux, so in a child it
    can report the *parent's* peak, and it cannot be reset.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]), "VmHWM"
    except (OSError, ValueError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # bytes on macOS, KiB on Linux
    return (peak // 1024 if sys.platform == "darwin" else peak), "ru_maxrss"


async def _child(base_url: str, mode: str, drafts: int, concurrency: int) -> dict[str, Any]:
    from postpress_async import AsyncPostpress, CreateJobRequest, NewJob, PublishRequest

    many_accounts = mode.startswith("accounts")
    if many_accounts:
        concurrency = ACCOUNTS_CONCURRENCY

    def requests() -> Iterator[PublishRequest]:
        for i in range(drafts):
            account_id = f"{ACCOUNT_ID}_{i % N_ACCOUNTS}" if many_accounts else ACCOUNT_ID
            yield PublishRequest(str(FIRST_DRAFT_ID + i), account_id=account_id, mode="FREE")

    def new_jobs() -> Iterator[NewJob]:
        for i in range(drafts):
            job = CreateJobRequest(ACCOUNT_ID, "Senior Python Engineer", "Acme GmbH", "HYBRID",
                                   "106967730", f"<p>Requisition {i}: we build things.</p>")
            yield NewJob(f"REQ-{i:07d}", job=job, mode="FREE")

    async with AsyncPostpress(API_KEY, base_url=base_url) as client:
        # Warm-up: the pool's connections opened and the code paths imported.
        await client.jobs.publish_many(
            (PublishRequest(f"warm{i}", account_id=ACCOUNT_ID, mode="FREE")
             for i in range(concurrency)), concurrency=concurrency)
        gc.collect()
        rss_before = _rss_kb()
        peak_was_reset = _reset_peak_rss()
        published = 0
        with tempfile.TemporaryDirectory() as tmp:
            cpu0, wall0 = time.process_time(), time.perf_counter()
            if mode == "workers":
                todo = requests()

                async def worker() -> int:
                    done = 0
                    for request in todo:
                        await client.jobs.publish_request(request)
                        done += 1
                    return done

                published = sum(await asyncio.gather(*(worker() for _ in range(concurrency))))
            elif mode == "create_workers":
                jobs = new_jobs()

                async def create_worker() -> int:
                    done = 0
                    for new in jobs:
                        draft = await client.jobs.create_request(new.job)
                        await client.jobs.publish_request(new.publish_request(draft.job_id))
                        done += 1
                    return done

                published = sum(
                    await asyncio.gather(*(create_worker() for _ in range(concurrency))))
            else:
                journal = str(Path(tmp) / "journal.jsonl") if mode.endswith("journal") else None
                items = new_jobs() if mode.startswith("new_jobs") else requests()
                per_account = PER_ACCOUNT_CONCURRENCY if mode == ACCOUNTS_PER_ACCOUNT else None
                report = await client.jobs.publish_many(
                    items, concurrency=concurrency, journal=journal,
                    per_account_concurrency=per_account)
                published = report.counts["published"]
            wall = time.perf_counter() - wall0
            cpu = time.process_time() - cpu0
            peak, peak_source = _peak_rss_kb()
    return {
        "mode": mode,
        "drafts": drafts,
        "published": published,
        "wall_s": wall,
        "cpu_s": cpu,
        "rss_before_kb": rss_before,
        "peak_rss_kb": peak,
        "peak_rss_source": peak_source,
        "peak_reset_before_run": peak_was_reset,
    }


def _run_child(base_url: str, mode: str, drafts: int, concurrency: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bulk", "--child", "--base-url", base_url,
         "--mode", mode, "--drafts", str(drafts), "--concurrency", str(concurrency),
         *client_cpu_args()],
        capture_output=True, text=True, cwd=REPO_ROOT, env=child_env(), timeout=1800,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"bulk child failed ({proc.returncode}):\n{proc.stderr}")
    child: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if child["published"] != drafts:
        raise RuntimeError(f"bulk child published {child['published']} of {drafts}")
    return child


def id_set_mb(drafts: int) -> float:
    """What ``publish_many``'s set of seen draft ids holds after ``drafts`` drafts, in MB.

    The set keeps each id string alive (the requests themselves are gone), so this is
    the one part of a run's memory that grows with its input, by design (duplicates in
    the input are never sent). Measured on the same ids the child publishes.
    """
    ids = {str(FIRST_DRAFT_ID + i) for i in range(drafts)}
    return (sys.getsizeof(ids) + sum(map(sys.getsizeof, ids))) / 2**20


def run(size: str = "full") -> dict[str, Any]:
    params = SIZES[size]
    concurrency = params["concurrency"]
    groups: list[list[tuple[str, int]]] = params["groups"]
    cases = list(dict.fromkeys(case for group in groups for case in group))
    result = envelope(NAME, size, {"concurrency": concurrency,
                                   "groups": [[list(c) for c in g] for g in groups],
                                   "rounds": params["rounds"],
                                   "rounds_over_50k": params["rounds_over_50k"]})
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {case: [] for case in cases}
    with bench_server() as server:
        for r in range(params["rounds"]):
            for group in rotated(groups, r):
                for mode, drafts in rotated(group, r):
                    if drafts > 50_000 and r >= params["rounds_over_50k"]:
                        continue
                    runs[(mode, drafts)].append(
                        _run_child(server.base_url, mode, drafts, concurrency))
    for (mode, drafts), rs in runs.items():
        growth_mb = median([(x["peak_rss_kb"] - (x["rss_before_kb"] or 0)) / 1024 for x in rs])
        # New jobs: the seen refs and the seen draft ids, about the same size each.
        seen_ids_mb = (2 * id_set_mb(drafts) if mode.startswith("new_jobs")
                       else id_set_mb(drafts) if mode not in ("workers", "create_workers")
                       else 0.0)
        result["rows"].append({
            "case": f"{drafts:,} drafts",
            "contender": mode,
            "drafts": drafts,
            "drafts_per_s": median([x["drafts"] / x["wall_s"] for x in rs]),
            "cpu_s_per_10k": median([x["cpu_s"] / x["drafts"] * 10_000 for x in rs]),
            "cpu_us_per_draft": median([x["cpu_s"] / x["drafts"] * 1e6 for x in rs]),
            "rss_before_mb": median([(x["rss_before_kb"] or 0) / 1024 for x in rs]),
            "peak_rss_mb": median([x["peak_rss_kb"] / 1024 for x in rs]),
            "growth_mb": growth_mb,
            "id_set_mb": seen_ids_mb,
            "growth_beyond_id_set_mb": growth_mb - seen_ids_mb,
            "rounds": rs,
        })
    growth = {(row["contender"], row["drafts"]): row["growth_mb"] for row in result["rows"]}
    beyond = {(row["contender"], row["drafts"]): row["growth_beyond_id_set_mb"]
              for row in result["rows"]}
    peaks = {(row["contender"], row["drafts"]): row["peak_rss_mb"] for row in result["rows"]}
    many = sorted(d for m, d in growth if m == "publish_many")
    if len(many) >= 2:
        small, large = many[0], many[-1]
        result["ratios"]["publish_many: run's RSS growth, MB per 10k more drafts"] = (
            (growth[("publish_many", large)] - growth[("publish_many", small)])
            / (large - small) * 10_000)
        result["ratios"]["publish_many: RSS growth beyond the id set, MB per 10k more drafts"] = (
            (beyond[("publish_many", large)] - beyond[("publish_many", small)])
            / (large - small) * 10_000)
        result["ratios"][f"publish_many: peak RSS {large:,} / {small:,} drafts"] = (
            peaks[("publish_many", large)] / peaks[("publish_many", small)])
    for mode in ("publish_many", "publish_many+journal"):
        for d in sorted({d for m, d in runs if m == "workers"}):
            if (mode, d) in runs and runs[("workers", d)]:
                result["ratios"][f"{d:,} drafts: {mode}/workers drafts_per_s"] = paired_ratio(
                    [x["drafts"] / x["wall_s"] for x in runs[(mode, d)]],
                    [x["drafts"] / x["wall_s"] for x in runs[("workers", d)]])
                result["ratios"][f"{d:,} drafts: {mode}/workers CPU per draft"] = paired_ratio(
                    [x["cpu_s"] / x["drafts"] for x in runs[(mode, d)]],
                    [x["cpu_s"] / x["drafts"] for x in runs[("workers", d)]])
    for mode in ("new_jobs", "new_jobs+journal"):
        for d in sorted({d for m, d in runs if m == "create_workers"}):
            if (mode, d) in runs and runs[("create_workers", d)]:
                result["ratios"][f"{d:,} new jobs: {mode}/create_workers drafts_per_s"] = (
                    paired_ratio([x["drafts"] / x["wall_s"] for x in runs[(mode, d)]],
                                 [x["drafts"] / x["wall_s"] for x in runs[("create_workers", d)]]))
    for d in sorted({d for m, d in runs if m == "new_jobs+journal"}):
        if runs.get(("new_jobs", d)):
            result["ratios"][f"{d:,} new jobs: journal/no journal drafts_per_s"] = paired_ratio(
                [x["drafts"] / x["wall_s"] for x in runs[("new_jobs+journal", d)]],
                [x["drafts"] / x["wall_s"] for x in runs[("new_jobs", d)]])
    for d in sorted({d for m, d in runs if m == ACCOUNTS_PER_ACCOUNT}):
        lanes, flat = runs.get((ACCOUNTS_PER_ACCOUNT, d)), runs.get((ACCOUNTS_GLOBAL, d))
        if lanes and flat:
            result["ratios"][f"{d:,} drafts, 20 accounts: per_account_concurrency=4 / "
                             "concurrency=80 drafts_per_s"] = paired_ratio(
                [x["drafts"] / x["wall_s"] for x in lanes],
                [x["drafts"] / x["wall_s"] for x in flat])
            result["ratios"][f"{d:,} drafts, 20 accounts: per_account_concurrency=4 / "
                             "concurrency=80 CPU per draft"] = paired_ratio(
                [x["cpu_s"] / x["drafts"] for x in lanes],
                [x["cpu_s"] / x["drafts"] for x in flat])
    return finish(result)


COLUMNS = [
    ("case", "case"),
    ("contender", "contender"),
    ("drafts_per_s", "drafts/s"),
    ("cpu_s_per_10k", "client CPU s/10k"),
    ("cpu_us_per_draft", "client CPU us/draft"),
    ("rss_before_mb", "RSS before MB"),
    ("peak_rss_mb", "peak RSS MB"),
    ("growth_mb", "peak - before MB"),
    ("id_set_mb", "seen-id set MB"),
    ("growth_beyond_id_set_mb", "growth - id set MB"),
]


def count_instructions(modes: list[str], small: int, large: int) -> dict[str, float]:
    """Client instructions per draft of each mode, counted by valgrind's callgrind.

    Deterministic where CPU time is not (this machine is shared): each mode's child runs
    under callgrind at two sizes, and the difference of the totals over the difference of
    the sizes leaves out start-up, imports and warm-up. The server runs natively.
    """
    python = os.path.realpath(sys.executable)  # the interpreter, not a pyenv shim
    per_draft: dict[str, float] = {}
    with bench_server() as server:
        for mode in modes:
            totals = []
            for drafts in (small, large):
                proc = subprocess.run(
                    ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python,
                     "-m", "benchmarks.bulk", "--child", "--base-url", server.base_url,
                     "--mode", mode, "--drafts", str(drafts), "--concurrency", "64"],
                    capture_output=True, text=True, cwd=REPO_ROOT, env=child_env(), timeout=3600,
                )
                found = re.search(r"Collected : (\d+)", proc.stderr)
                if proc.returncode != 0 or found is None:
                    raise RuntimeError(f"callgrind run failed ({mode}):\n{proc.stderr[-2000:]}")
                totals.append(int(found.group(1)))
            per_draft[mode] = (totals[1] - totals[0]) / (large - small)
            print(f"{mode}: {per_draft[mode]:,.0f} instructions/draft", flush=True)
    return per_draft


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bulk")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--child", action="store_true", help="run one case (internal)")
    mode.add_argument("--instructions", nargs="*", metavar="MODE", choices=MODES,
                      help="count instructions per draft under callgrind (default: every mode)")
    parser.add_argument("--base-url")
    parser.add_argument("--mode", choices=MODES)
    parser.add_argument("--drafts", type=int)
    parser.add_argument("--sizes", type=int, nargs=2, default=[500, 1500],
                        help="the two sizes --instructions compares")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--cpu", type=int, default=None)
    args = parser.parse_args(argv)
    if args.instructions is not None:
        count_instructions(args.instructions or list(MODES), *args.sizes)
        return 0
    if args.base_url is None or args.mode is None or args.drafts is None:
        parser.error("--child needs --base-url, --mode and --drafts")
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    out = asyncio.run(_child(args.base_url, args.mode, args.drafts, args.concurrency))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
