"""``postpress bulk FILE``: publish every draft of a CSV or JSON Lines file.

Exit status: 0 when every draft ended published or already published (or was skipped as a
duplicate / settled in the journal), 1 when any failed, awaits a checkpoint or was not
attempted (bad rows count as failed), 2 for usage errors, 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
from collections.abc import Iterator
from typing import Any

from .._enums import Mode
from .._models import PublishRequest
from ._common import (
    EXIT_INTERRUPTED,
    add_connection_options,
    api_key,
    guarded,
    require_rich,
    whole_number,
)
from ._input_files import BadRow, Defaults, Row, count_records, read_rows

__all__ = ["register"]


_positive_int = whole_number(1, expected="must be at least 1")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``bulk`` subcommand."""
    parser = subparsers.add_parser(
        "bulk",
        help="publish every draft listed in a CSV or JSON Lines file",
        description=(
            "Publish every draft of FILE (.csv with a header row, or .jsonl), concurrently, "
            "never one twice. Columns: draft_id (required), account_id, mode, service, "
            "hiring_photo_frame, bypass_email_verification, budget_period, budget_amount, "
            "budget_currency; a column overrides the option for its row. Exit status: 0 when "
            "every draft is published or already published, 1 when any failed, awaits a "
            "checkpoint or was not attempted, 2 for usage errors."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="drafts to publish (.csv or .jsonl)")
    parser.add_argument("--account-id", metavar="A", help="account for rows without one")
    parser.add_argument(
        "--mode",
        type=str.upper,
        choices=[m.value for m in Mode],
        help="mode for rows without one",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive_int,
        default=16,
        metavar="N",
        help="drafts in flight at once (default: %(default)s)",
    )
    parser.add_argument(
        "--rate", type=_positive_float, metavar="R", help="at most R drafts sent per second"
    )
    parser.add_argument(
        "--journal",
        metavar="PATH",
        help="JSON Lines journal: makes the run resumable (re-run with the same PATH)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def _requests(rows: Iterator[Row | BadRow], on_bad_row: Any) -> Iterator[PublishRequest]:
    for row in rows:
        if isinstance(row, BadRow):
            on_bad_row(row)
        else:
            yield row.request


@guarded("bulk")
def run(args: argparse.Namespace) -> int:
    """Run the bulk command; returns the exit status."""
    from ._bulk_view import BulkView

    if not args.json:
        require_rich("bulk", has_json=True)
    key = api_key(args)
    total = count_records(args.file)
    rows = read_rows(args.file, Defaults(account_id=args.account_id, mode=args.mode))
    # Pull the first record now, so a file-level problem (no draft_id column...) is a
    # usage error before anything starts.
    first = list(itertools.islice(rows, 1))
    rows = itertools.chain(first, rows)

    view = BulkView(total=total, json_output=args.json)
    started = time.monotonic()
    stop_error = None
    interrupted = False
    with view:
        try:
            stop_error = asyncio.run(_publish(args, key, _requests(rows, view.on_bad_row), view))
        except KeyboardInterrupt:
            interrupted = True
    if interrupted or stop_error is not None:
        # Rows never read from the file were not attempted either.
        view.tally.add_not_attempted(max(total - view.tally.total, 0))
    view.summary(
        elapsed=time.monotonic() - started,
        stop_error=stop_error,
        interrupted=interrupted,
        extra={"file": args.file, "journal": args.journal},
    )
    return EXIT_INTERRUPTED if interrupted else view.tally.exit_code


async def _publish(
    args: argparse.Namespace, key: str, requests: Iterator[PublishRequest], view: Any
) -> BaseException | None:
    from .._client import AsyncPostpress

    async with AsyncPostpress(key, base_url=args.base_url) as client:
        report = await client.jobs.publish_many(
            requests,
            concurrency=args.concurrency,
            rate=args.rate,
            journal=args.journal,
            on_outcome=view.on_outcome,
        )
    return report.stop_error
