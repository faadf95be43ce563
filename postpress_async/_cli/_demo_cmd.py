"""``postpress demo``: the whole life of job postings against the embedded sandbox, no
API key needed, in a few seconds.

Starts the sandbox in this process with seeded transient faults (500 ``provider_error``,
503s, 504s, and commit-then-fail: a 504 sent *after* the draft was created, published or
closed) on each job's first attempt at a call, and a short review delay. Then, through the
real client: resolves a few cities to LOCATION ids, creates N drafts from generated job
definitions, bulk-publishes them with a progress bar and the summary table, waits for each
to go live, counts their applicants, closes them, and asks the sandbox's ledger whether
each draft was created once and published once.

Exit status: 0 when every draft was created once and published exactly once, 1 otherwise,
2 usage errors, 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any, Final

from ._common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, UsageError, guarded, require_rich

__all__ = ["register"]

DEFAULT_DRAFTS: Final = 200
DEFAULT_FAULT_RATE: Final = 0.1
DEFAULT_SEED: Final = 7
CONCURRENCY: Final = 64
# Generous, so a draft unlucky enough to fault several times in a row still gets through.
MAX_RETRIES: Final = 6
# Per-request latency range of the sandbox, seconds: enough to watch the bar move.
LATENCY: Final = (0.002, 0.02)
# Seconds each published job stays in review: short, so the demo stays a few seconds.
REVIEW_DELAY: Final = (0.1, 0.4)
WAIT_TIMEOUT: Final = 60.0


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="the life of N job postings on the embedded sandbox (no API key needed)",
        description=(
            "Start the embedded sandbox with transient faults (including commit-then-fail); "
            "create N drafts from generated job definitions, bulk-publish them with a "
            "progress bar, wait for them to go live, count their applicants, close them, "
            "and check the sandbox's ledger: each draft created once and published exactly "
            "once."
        ),
    )
    parser.add_argument(
        "--drafts",
        type=int,
        default=DEFAULT_DRAFTS,
        metavar="N",
        help="jobs to create, publish and close (default: %(default)s)",
    )
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=DEFAULT_FAULT_RATE,
        metavar="F",
        help="share of requests that fail transiently, 0 to 1 (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="S",
        help="fault seed (default: %(default)s)",
    )
    parser.set_defaults(func=run)


@guarded("demo")
def run(args: argparse.Namespace) -> int:
    """Run the demo; returns the exit status."""
    if args.drafts < 1:
        raise UsageError(f"--drafts must be at least 1, got {args.drafts}")
    if not 0.0 <= args.fault_rate <= 1.0:
        raise UsageError(f"--fault-rate must be between 0 and 1, got {args.fault_rate}")
    require_rich("demo")
    try:
        return asyncio.run(_demo(args))
    except KeyboardInterrupt:
        print("postpress demo: interrupted")
        return EXIT_INTERRUPTED


async def _demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .._client import AsyncPostpress
    from .._models import PublishRequest
    from ..sandbox import Faults, Sandbox
    from ._bulk_view import BulkView
    from ._demo_life import ACCOUNT, Phases, job_definitions, resolve_locations

    console = Console(highlight=False)
    share = args.fault_rate / 4
    faults = Faults(
        provider_error=share,
        service_unavailable=share,
        request_timeout=share,
        commit_then_fail=share,
        latency=LATENCY,
        # Each job's first attempt at a call may fail, its retry does not: the demo
        # shows every kind of fault without a few unlucky jobs' backoff (0.5 s, 1 s,
        # 2 s...) setting the pace of each phase.
        first_attempts=1,
    )
    sandbox = Sandbox(faults=faults, seed=args.seed, review_delay=REVIEW_DELAY)
    async with sandbox:
        console.print("[bold]postpress demo[/] — the life of job postings, no API key needed")
        console.print(f"  sandbox  {sandbox.base_url} (embedded, in this process)")
        console.print(
            f"  faults   {args.fault_rate:.0%} of first creates, publishes and closes fail "
            f"transiently (seed {args.seed}):"
        )
        console.print(
            "           500 provider_error, 503, 504, commit-then-fail (done, then 504)"
        )
        console.print(
            f"  run      {args.drafts} jobs, {CONCURRENCY} calls at a time, "
            "retrying 500 provider_error/503/504"
        )
        phases = Phases(console, CONCURRENCY)
        # trust_env=False: the sandbox runs in this process; a shell's HTTP_PROXY must not
        # send the demo's loopback requests to a proxy that cannot reach them.
        async with AsyncPostpress(
            sandbox.api_key, base_url=sandbox.base_url, max_retries=MAX_RETRIES, trust_env=False
        ) as client:
            locations = await resolve_locations(client)
            first = ", ".join(f"{city} {place}" for city, place in list(locations.items())[:2])
            console.print(f"  search   {len(locations)} cities to LOCATION ids ({first}, ...)")

            definitions = job_definitions(args.drafts, locations)
            drafts, took = await phases.run(
                "creating", definitions, lambda job: client.jobs.create(**job)
            )
            replays = sandbox.stats.idempotent_replays
            console.print(
                f"  create   {len(drafts)} drafts in {took:.1f} s; {replays} lost answers "
                "replayed by Idempotency-Key"
            )

            draft_ids = [draft.job_id for draft in drafts]
            requests = (
                PublishRequest(draft_id, account_id=ACCOUNT, mode="FREE")
                for draft_id in draft_ids
            )
            view = BulkView(total=args.drafts, json_output=False, title="publishing")
            started = time.monotonic()
            with view:
                report = await client.jobs.publish_many(
                    requests, concurrency=CONCURRENCY, on_outcome=view.on_outcome
                )
            view.summary(elapsed=time.monotonic() - started, stop_error=report.stop_error)

            live, took = await phases.run(
                "in review", draft_ids,
                lambda job_id: client.jobs.wait_for_state(
                    job_id, account_id=ACCOUNT, state="active", timeout=WAIT_TIMEOUT,
                    poll_interval=0.1, max_interval=0.5,
                ),
            )
            console.print(f"  review   {len(live)} jobs active {took:.1f} s after publishing")

            counts, took = await phases.run(
                "applicants", draft_ids,
                lambda job_id: _count(client.applicants.list(job_id, account_id=ACCOUNT)),
            )
            console.print(
                f"  applied  {sum(counts)} applicants across the {len(counts)} jobs "
                f"(every page read in {took:.1f} s)"
            )
            closed, took = await phases.run(
                "closing", draft_ids,
                lambda job_id: client.jobs.close(job_id, account_id=ACCOUNT),
            )
            console.print(f"  close    {len(closed)} jobs closed in {took:.1f} s")

        stats = sandbox.stats
        answered = ", ".join(f"{status}: {n}" for status, n in sorted(stats.status_counts.items()))
        console.print(f"sandbox: {stats.total_requests} requests answered ({answered})")
        if stats.idempotent_replays:
            console.print(
                f"  {stats.idempotent_replays} retries got their first attempt's answer again "
                "(same Idempotency-Key)"
            )
        if stats.status_counts.get(422):
            console.print(
                "  each 422 is action_already_performed: a retry whose earlier attempt had\n"
                "  published the draft. Counted as already published, never published twice."
            )
        return _verdict(console, sandbox.ledger, draft_ids, args.drafts)


async def _count(pager: Any) -> int:
    return sum([1 async for _ in pager])


def _verdict(console: Any, ledger: Any, draft_ids: list[str], wanted: int) -> int:
    duplicates: dict[str, int] = ledger.duplicates()
    missing = [d for d in draft_ids if ledger.published_count(d) == 0]
    created_twice = ledger.duplicate_creations()
    creations = len(ledger.creations)
    if not duplicates and not missing and not created_twice and creations == wanted:
        console.print(
            f"[bold green]✓ ledger: each of the {len(draft_ids)} drafts published exactly "
            "once, and created once[/]"
        )
        return EXIT_OK
    if created_twice or creations != wanted:
        console.print(
            f"[bold red]✗ ledger: {creations} drafts created for {wanted} jobs "
            f"(created twice: {created_twice})[/]"
        )
    if duplicates:
        console.print(f"[bold red]✗ ledger: drafts published more than once: {duplicates}[/]")
    if missing:
        console.print(
            f"[bold yellow]✗ ledger: {len(missing)} drafts not published[/] "
            f"(none published twice: {not duplicates})"
        )
    return EXIT_FAILED
