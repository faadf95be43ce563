"""``postpress demo``: the bulk job end to end, against the embedded sandbox, no API key needed.

Starts the sandbox in this process with seeded transient faults (500 ``provider_error``,
503s, 504s, and commit-then-fail: a 504 sent *after* the draft was published), bulk-publishes
generated drafts through the real client with a progress bar, prints the summary, and asks
the sandbox's ledger whether any draft was published twice.

Exit status: 0 when every draft was published exactly once, 1 otherwise, 2 usage errors.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any, Final

from ._common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, UsageError, guarded, require_rich

__all__ = ["register"]

DEFAULT_DRAFTS: Final = 1000
DEFAULT_FAULT_RATE: Final = 0.1
DEFAULT_SEED: Final = 7
CONCURRENCY: Final = 16
# Generous, so a draft unlucky enough to fault several times in a row still gets through.
MAX_RETRIES: Final = 6
# Per-request latency range of the sandbox, seconds: enough to watch the bar move.
LATENCY: Final = (0.002, 0.02)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="bulk-publish generated drafts to the embedded sandbox (no API key needed)",
        description=(
            "Start the embedded sandbox with transient faults (including commit-then-fail), "
            "bulk-publish N generated drafts with a progress bar, and check the sandbox's "
            "ledger: each draft published exactly once."
        ),
    )
    parser.add_argument(
        "--drafts",
        type=int,
        default=DEFAULT_DRAFTS,
        metavar="N",
        help="drafts to publish (default: %(default)s)",
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

    console = Console(highlight=False)
    share = args.fault_rate / 4
    faults = Faults(
        provider_error=share,
        service_unavailable=share,
        request_timeout=share,
        commit_then_fail=share,
        latency=LATENCY,
    )
    async with Sandbox(faults=faults, seed=args.seed, generate=args.drafts) as sandbox:
        console.print("[bold]postpress demo[/] — no API key needed")
        console.print(f"  sandbox  {sandbox.base_url} (embedded, in this process)")
        console.print(
            f"  faults   {args.fault_rate:.0%} of requests fail transiently (seed {args.seed}):"
        )
        console.print(
            "           500 provider_error, 503, 504, commit-then-fail (published, then 504)"
        )
        console.print(
            f"  run      {args.drafts} drafts, {CONCURRENCY} at a time, "
            "retrying 500 provider_error/503/504"
        )
        draft_ids = [f"draft-{i:05d}" for i in range(1, args.drafts + 1)]
        requests = (
            PublishRequest(draft_id, account_id="acc_demo", mode="FREE") for draft_id in draft_ids
        )
        view = BulkView(total=args.drafts, json_output=False, title="publishing")
        started = time.monotonic()
        # trust_env=False: the sandbox runs in this process; a shell's HTTP_PROXY must not
        # send the demo's loopback requests to a proxy that cannot reach them.
        async with AsyncPostpress(
            sandbox.api_key, base_url=sandbox.base_url, max_retries=MAX_RETRIES, trust_env=False
        ) as client:
            with view:
                report = await client.jobs.publish_many(
                    requests, concurrency=CONCURRENCY, on_outcome=view.on_outcome
                )
        view.summary(elapsed=time.monotonic() - started, stop_error=report.stop_error)

        stats = sandbox.stats
        answered = ", ".join(f"{status}: {n}" for status, n in sorted(stats.status_counts.items()))
        console.print(f"sandbox: {stats.total_requests} requests answered ({answered})")
        if stats.status_counts.get(422):
            console.print(
                "  each 422 is action_already_performed: a retry whose earlier attempt had\n"
                "  published the draft. Counted as already published, never published twice."
            )
        return _verdict(console, sandbox.ledger, draft_ids)


def _verdict(console: Any, ledger: Any, draft_ids: list[str]) -> int:
    duplicates: dict[str, int] = ledger.duplicates()
    missing = [d for d in draft_ids if ledger.published_count(d) == 0]
    if not duplicates and not missing:
        console.print(
            f"[bold green]✓ ledger: each of the {len(draft_ids)} drafts published exactly once[/]"
        )
        return EXIT_OK
    if duplicates:
        console.print(f"[bold red]✗ ledger: drafts published more than once: {duplicates}[/]")
    if missing:
        console.print(
            f"[bold yellow]✗ ledger: {len(missing)} drafts not published[/] "
            f"(none published twice: {not duplicates})"
        )
    return EXIT_FAILED
