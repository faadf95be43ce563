"""``postpress bulk FILE``: publish every draft of a CSV or JSON Lines file, and create
then publish every new job in it (rows with a ``ref`` and a job definition).

Exit status: 0 when every draft ended published or already published (or was skipped as a
duplicate / settled in the journal), 1 when any failed, awaits a checkpoint or was not
attempted (bad rows count as failed), 2 for usage errors, 130 on Ctrl-C.

Besides the engine's own early stops (the API key stops the run; a disconnected or
restricted account stops that account's drafts; no credits stop that account's promoted
drafts), the command stops a run whose first drafts all fail to connect
(:class:`_Unreachable`). Each account is read once before its first draft is sent
(``--no-check-accounts`` to skip): an account whose source is not OK has its drafts not
attempted, without a request each. After Ctrl-C or an
early stop, every row of the file has an outcome: the bar, the stderr line, the table and
``--json`` show the same counts.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import sys
import time
from collections.abc import Iterator
from typing import Any, Final

from .._bulk import DEFAULT_STOP_ON, BulkReport, Outcome, OutcomeKind
from .._bulk_new_job import NewJob
from .._bulk_options import DEFAULT_CONNECTING_TIMEOUT
from .._enums import Mode
from .._exceptions import APIConnectionError, APIStatusError, PostpressError
from .._models import PublishRequest
from ._common import (
    EXIT_INTERRUPTED,
    add_connection_options,
    api_key,
    client_options,
    enum_option,
    guarded,
    log_client,
    positive_number,
    require_rich,
    whole_number,
)
from ._input_files import BadRow, Defaults, Row, count_records, read_rows

__all__ = ["register"]


_positive_int = whole_number(1, expected="must be at least 1")

# The run stops when its first drafts fail to connect and none gets through: as many as run
# at once (--concurrency), at least 2 (one failure may be a blip), at most this many.
UNREACHABLE_AFTER: Final = 5
_DEFAULT_STOP_TYPES: Final = frozenset(str(error_type) for error_type in DEFAULT_STOP_ON)
_ANSWERED: Final = frozenset(
    {OutcomeKind.PUBLISHED, OutcomeKind.ALREADY_PUBLISHED, OutcomeKind.CHECKPOINT}
)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``bulk`` subcommand."""
    parser = subparsers.add_parser(
        "bulk",
        help="publish every draft (or create and publish every new job) of a CSV or JSONL file",
        description=(
            "Publish every draft of FILE (.csv with a header row, or .jsonl), concurrently, "
            "never one twice. Columns: draft_id (an existing draft) or ref (your reference for "
            "a new job, created then published: at most one draft per ref), account_id, mode, "
            "service, hiring_photo_frame, bypass_email_verification, budget_period, "
            "budget_amount, budget_currency; for new jobs also job_title, company, workplace, "
            "location, description, employment_status, auto_rejection_template (and, in "
            "JSON Lines, screening_questions, recruiter, apply_method). A column overrides "
            "the option for its row. Exit status: 0 when "
            "every draft is published or already published, 1 when any failed, awaits a "
            "checkpoint or was not attempted, 2 for usage errors."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="drafts to publish (.csv or .jsonl)")
    parser.add_argument("--account-id", metavar="A", help="account for rows without one")
    parser.add_argument(
        "--mode",
        type=enum_option(Mode, "mode"),
        metavar="{" + ",".join(Mode) + "}",
        help="mode for rows without one (any case: free is FREE)",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive_int,
        default=16,
        metavar="N",
        help="drafts in flight at once (default: %(default)s)",
    )
    parser.add_argument(
        "--rate", type=positive_number, metavar="R", help="at most R drafts sent per second"
    )
    parser.add_argument(
        "--per-account-concurrency",
        type=_positive_int,
        metavar="N",
        help="drafts of one account in flight at once (default: no per-account limit)",
    )
    parser.add_argument(
        "--per-account-rate",
        type=positive_number,
        metavar="R",
        help="at most R drafts of one account sent per second",
    )
    parser.add_argument(
        "--no-check-accounts",
        dest="check_accounts",
        action="store_false",
        help="do not read each account's health before its first draft",
    )
    parser.add_argument(
        "--connecting-timeout",
        type=positive_number,
        default=DEFAULT_CONNECTING_TIMEOUT,
        metavar="S",
        help="seconds to wait for an account still connecting (default: %(default)s)",
    )
    parser.add_argument(
        "--journal",
        metavar="PATH",
        help="JSON Lines journal: makes the run resumable (re-run with the same PATH)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def _requests(
    rows: Iterator[Row | BadRow], on_bad_row: Any
) -> Iterator[PublishRequest | NewJob]:
    for row in rows:
        if isinstance(row, BadRow):
            on_bad_row(row)
        else:
            yield row.request


class _Unreachable:
    """Stops a run whose first drafts all fail to connect, none getting through: the API
    cannot be reached (a wrong ``--base-url``, no network), and trying thousands more
    drafts would only repeat the failure for a minute.

    Composed with the engine's own rule (:data:`DEFAULT_STOP_ON`) through ``stop_on`` and
    ``on_outcome``. The engine asks :meth:`should_stop` about each failure before it
    passes that outcome to :meth:`on_outcome`.
    """

    def __init__(self, after: int) -> None:
        self.after = after
        self.failed_to_connect = 0
        self.got_through = False  # a draft was answered: the API can be reached
        self.first_error: PostpressError | None = None

    def should_stop(self, error: PostpressError) -> bool:
        if isinstance(error, APIStatusError):
            return error.type is not None and str(error.type) in _DEFAULT_STOP_TYPES
        if self.got_through or not isinstance(error, APIConnectionError):
            return False
        self.failed_to_connect += 1
        if self.first_error is None:
            self.first_error = error
        return self.failed_to_connect >= self.after

    def on_outcome(self, outcome: Outcome) -> None:
        if outcome.kind in _ANSWERED or (
            outcome.kind is OutcomeKind.FAILED and isinstance(outcome.error, APIStatusError)
        ):
            self.got_through = True


def _hide_engine_cancel_summary(record: logging.LogRecord) -> bool:
    # The engine logs its own counts when cancelled; they leave out the rows it never
    # read, so they contradict the command's summary. The command prints its own.
    return not record.getMessage().startswith("bulk publishing cancelled")


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
    unreachable = _Unreachable(after=min(max(args.concurrency, 2), UNREACHABLE_AFTER))
    started = time.monotonic()
    stop_error: BaseException | None = None
    report: BulkReport | None = None
    interrupted = False
    sdk_logger = logging.getLogger("postpress_async")
    sdk_logger.addFilter(_hide_engine_cancel_summary)
    try:
        with view:
            try:
                report = asyncio.run(
                    _publish(args, key, _requests(rows, view.on_bad_row), view, unreachable)
                )
                # The run's own stop; an account's stop is shown with that account.
                stop_error = report.stop.error if report.stop is not None else None
            except KeyboardInterrupt:
                interrupted = True
            how = (
                "interrupted"
                if interrupted
                else "stopped early"
                if report is not None and report.stop is not None
                else None
            )
            # Rows never read from the file were not attempted either.
            view.finish(not_attempted=max(total - view.tally.total, 0) if how else 0, how=how)
    finally:
        sdk_logger.removeFilter(_hide_engine_cancel_summary)
    if isinstance(stop_error, APIConnectionError) and unreachable.first_error is not None:
        stop_error = unreachable.first_error  # the first draft's failure, as it happened
    exit_code = EXIT_INTERRUPTED if interrupted else view.tally.exit_code
    elapsed = time.monotonic() - started
    if interrupted:
        counts = " ".join(f"{kind}={n}" for kind, n in view.tally.counts.items())
        print(f"postpress bulk: interrupted: {counts}", file=sys.stderr)
    view.summary(
        elapsed=elapsed,
        exit_code=exit_code,
        stop_error=stop_error,
        interrupted=interrupted,
        extra={"file": args.file, "journal": args.journal},
        report=report,
    )
    return exit_code


async def _publish(
    args: argparse.Namespace,
    key: str,
    requests: Iterator[PublishRequest | NewJob],
    view: Any,
    unreachable: _Unreachable,
) -> BulkReport:
    from .._client import AsyncPostpress

    def on_outcome(outcome: Outcome) -> None:
        unreachable.on_outcome(outcome)
        view.on_outcome(outcome)

    async with AsyncPostpress(key, **client_options(args)) as client:
        log_client(client)
        report = await client.jobs.publish_many(
            requests,
            concurrency=args.concurrency,
            rate=args.rate,
            per_account_concurrency=args.per_account_concurrency,
            per_account_rate=args.per_account_rate,
            check_accounts=args.check_accounts,
            connecting_timeout=args.connecting_timeout,
            journal=args.journal,
            on_outcome=on_outcome,
            stop_on=unreachable.should_stop,
        )
    return report
