"""What ``postpress bulk`` and ``postpress demo`` show: a live progress bar with counts (on
stderr, only on a terminal), then a summary table by outcome, by error type and by account
with each stopped account's reason (on stdout), or one JSON document with ``--json``.
Imports ``rich`` lazily: call :func:`require_rich` first.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final

from .._bulk import (
    MAX_REPORTED_FAILURES,
    BulkReport,
    Outcome,
    OutcomeKind,
    StopReason,
    StopScope,
    error_label,
    outcome_record,
)
from .._exceptions import APIConnectionError
from ._common import EXIT_FAILED, EXIT_OK, error_line
from ._input_files import BadRow

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

__all__ = ["BulkView", "Tally"]

INVALID_ROW: Final = "invalid_row"
# The table by account shows this many accounts (stopped ones first); --json has them all.
MAX_ACCOUNT_ROWS: Final = 50
# Columns the live bar leaves free at the right: room for the terminal's "^C" echo.
_ECHO_MARGIN: Final = 3
_LABELS: Final = {
    OutcomeKind.PUBLISHED: "published",
    OutcomeKind.ALREADY_PUBLISHED: "already published",
    OutcomeKind.CHECKPOINT: "awaiting checkpoint",
    OutcomeKind.FAILED: "failed",
    OutcomeKind.SKIPPED: "skipped",
    OutcomeKind.NOT_ATTEMPTED: "not attempted",
}
_STYLES: Final = {
    OutcomeKind.PUBLISHED: "green",
    OutcomeKind.ALREADY_PUBLISHED: "green",
    OutcomeKind.CHECKPOINT: "yellow",
    OutcomeKind.FAILED: "red",
    OutcomeKind.SKIPPED: "dim",
    OutcomeKind.NOT_ATTEMPTED: "yellow",
}


class Tally:
    """The command's own count of outcomes: the engine's, plus input rows that never became
    requests (counted as failed, error type ``invalid_row``)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {kind.value: 0 for kind in OutcomeKind}
        self.error_types: dict[str, int] = {}
        self.failures: list[dict[str, Any]] = []
        # Per error type, its first failure's message: "connection_error 5000" alone
        # does not say what to fix.
        self.first_messages: dict[str, str] = {}
        # Per account: counts by outcome kind, and the stop its drafts were left unsent by.
        self.accounts: dict[str, dict[str, int]] = {}
        self.account_stops: dict[str, StopReason] = {}

    def _by_account(self, outcome: Outcome) -> None:
        account_id = outcome.account_id
        if account_id is None:
            return
        counts = self.accounts.get(account_id)
        if counts is None:
            counts = self.accounts[account_id] = {kind.value: 0 for kind in OutcomeKind}
        counts[outcome.kind.value] += 1
        stop = outcome.stop
        if stop is not None and stop.account_id is not None:
            self.account_stops.setdefault(stop.account_id, stop)

    def _failed(self, label: str, record: dict[str, Any]) -> None:
        self.counts[OutcomeKind.FAILED.value] += 1
        self.error_types[label] = self.error_types.get(label, 0) + 1
        if label not in self.first_messages:
            message = " ".join(str(record.get("message", "")).split())
            draft_id, ref = record.get("draft_id"), record.get("ref")
            who = f"draft {draft_id}" if draft_id else f"ref {ref}" if ref else None
            self.first_messages[label] = f"{who}: {message}" if who else message
        if len(self.failures) < MAX_REPORTED_FAILURES:
            self.failures.append(record)

    def add(self, outcome: Outcome) -> None:
        self._by_account(outcome)
        if outcome.kind is OutcomeKind.FAILED and outcome.error is not None:
            self._failed(error_label(outcome.error), outcome_record(outcome))
        else:
            self.counts[outcome.kind.value] += 1

    def add_bad_row(self, bad: BadRow) -> None:
        self._failed(
            INVALID_ROW,
            {
                "draft_id": bad.draft_id,
                "line": bad.line,
                "outcome": OutcomeKind.FAILED.value,
                "error": INVALID_ROW,
                "message": str(bad),
            },
        )

    def add_not_attempted(self, n: int) -> None:
        self.counts[OutcomeKind.NOT_ATTEMPTED.value] += n

    @property
    def total(self) -> int:
        """Drafts with an outcome (input rows that were not drafts included)."""
        return sum(self.counts.values())

    @property
    def sent(self) -> int:
        """Drafts the API was asked about: not skipped, not unattempted, not a bad row."""
        unsent = (OutcomeKind.SKIPPED, OutcomeKind.NOT_ATTEMPTED)
        sent = self.total - sum(self.counts[kind.value] for kind in unsent)
        return sent - self.error_types.get(INVALID_ROW, 0)

    @property
    def exit_code(self) -> int:
        """0 when every draft ended published or already published (or was skipped)."""
        bad = (OutcomeKind.FAILED, OutcomeKind.CHECKPOINT, OutcomeKind.NOT_ATTEMPTED)
        return EXIT_FAILED if any(self.counts[k.value] for k in bad) else EXIT_OK


class BulkView:
    """The progress display and the final summary of one bulk run."""

    def __init__(self, *, total: int | None, json_output: bool, title: str = "publishing") -> None:
        self.tally = Tally()
        self.json_output = json_output
        self.total = total
        self.title = title
        self._stderr: Console | None = None
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    # -- live progress ----------------------------------------------------------------

    def __enter__(self) -> BulkView:
        if self.json_output:
            return self
        from rich.console import Console

        self._stderr = Console(stderr=True, highlight=False)
        if self._stderr.is_terminal:
            self._progress = _progress(self._stderr)
            self._progress.start()
            self._task = self._progress.add_task(self.title, total=self.total, counts="")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _advance(self, description: str | None = None) -> None:
        if self._progress is None or self._task is None:
            return
        counts = self.tally.counts
        shown = " ".join(
            f"[{_STYLES[kind]}]{_LABELS[kind]} {counts[kind.value]}[/]"
            for kind in OutcomeKind
            if counts[kind.value]
        )
        # The bar fills with drafts dealt with; those not attempted are counted, not filled.
        done = self.tally.total - counts[OutcomeKind.NOT_ATTEMPTED.value]
        self._progress.update(
            self._task, completed=done, counts=shown, description=description or self.title
        )

    def on_outcome(self, outcome: Outcome) -> None:
        """The ``on_outcome`` callback."""
        self.tally.add(outcome)
        self._advance()

    def on_bad_row(self, bad: BadRow) -> None:
        """Report a row that is not a valid draft, above the progress bar, with its line."""
        self.tally.add_bad_row(bad)
        if self._stderr is not None:
            # soft_wrap: one error, one line, also when stderr is a file or a pipe.
            self._stderr.print(f"{bad}", style="red", markup=False, soft_wrap=True)
        else:
            print(str(bad), file=sys.stderr)
        self._advance()

    def finish(self, *, not_attempted: int, how: str | None = None) -> None:
        """Count drafts never reached, and leave the bar showing the same counts as the
        summary. ``how`` ("interrupted", "stopped early") replaces the bar's title."""
        self.tally.add_not_attempted(not_attempted)
        self._advance(how)

    # -- the summary ------------------------------------------------------------------

    def summary(
        self,
        *,
        elapsed: float,
        exit_code: int | None = None,
        stop_error: BaseException | None = None,
        interrupted: bool = False,
        extra: dict[str, Any] | None = None,
        report: BulkReport | None = None,
    ) -> None:
        """Print the summary table, or the JSON document with ``--json``.

        ``exit_code`` is the process's own (130 after Ctrl-C); by default, the tally's.
        ``stop_error`` is what stopped the whole run; each account's stop comes from the
        outcomes and from ``report`` (an account stopped after its last draft).
        """
        tally = self.tally
        if exit_code is None:
            exit_code = tally.exit_code
        stops = dict(tally.account_stops)
        if report is not None:
            stops.update(report.stopped_accounts)
        stopped_early = stop_error is not None or bool(stops)
        if self.json_output:
            from ._common import print_json

            print_json(
                {
                    "counts": tally.counts,
                    "error_types": tally.error_types,
                    "failures": tally.failures,
                    "by_account": {
                        account_id: {
                            "counts": counts,
                            "stop": stops[account_id].record() if account_id in stops else None,
                        }
                        for account_id, counts in tally.accounts.items()
                    },
                    "stopped_early": stopped_early,
                    "stop_error": error_line(stop_error) if stop_error is not None else None,
                    "interrupted": interrupted,
                    "elapsed": round(elapsed, 3),
                    "sent": tally.sent,
                    "exit_code": exit_code,
                    **(extra or {}),
                }
            )
            return
        from rich.console import Console

        console = Console(highlight=False)
        _print_tables(console, tally)
        _print_accounts(console, tally, stops)
        rate = tally.sent / elapsed if elapsed > 0 else 0.0
        console.print(
            f"{tally.sent} drafts sent in {elapsed:.1f} s ({rate:.0f}/s)", soft_wrap=True
        )
        if stop_error is not None:
            console.print(_stopped_line(stop_error), soft_wrap=True)
        for stop in stops.values():
            console.print(_account_stopped_line(stop), soft_wrap=True)
        if interrupted:
            console.print(
                "[yellow]interrupted[/]: run the same command again to finish; drafts already "
                "published are not published twice (with --journal they are not even sent)",
                soft_wrap=True,
            )


def _stopped_line(stop_error: BaseException) -> str:
    from rich.markup import escape

    # The whole run's stop (an account's is _account_stopped_line's).
    why = ""
    if isinstance(stop_error, APIConnectionError):
        why = " the first drafts could not reach the API and none got through:"
    return (
        f"[red]stopped early[/]:{why} {escape(error_line(stop_error))}; "
        "the remaining drafts were not attempted"
    )


def _account_stopped_line(stop: StopReason) -> str:
    from rich.markup import escape

    if stop.error is not None:
        cause = error_line(stop.error)
    else:
        cause = f"its LinkedIn source is {stop.account_status} (checked before sending)"
    drafts = "promoted drafts" if stop.scope is StopScope.CREDITS else "drafts"
    return (
        f"[red]stopped early[/] for account {escape(str(stop.account_id))}: {escape(cause)}; "
        f"the remaining {drafts} were not attempted"
    )


def _print_accounts(console: Console, tally: Tally, stops: dict[str, StopReason]) -> None:
    """The table by account: when the run had several accounts, or one was stopped."""
    from rich.markup import escape
    from rich.table import Table

    if len(tally.accounts) < 2 and not stops:
        return
    table = Table(title="By account", title_justify="left")
    table.add_column("account")
    shown_kinds = [kind for kind in OutcomeKind if tally.counts[kind.value]]
    for kind in shown_kinds:
        table.add_column(_LABELS[kind], justify="right")
    table.add_column("stopped by")
    # Stopped accounts first, then those with failures, then the rest, each by id.
    failed = OutcomeKind.FAILED.value
    ranked = sorted(tally.accounts.items(), key=lambda i: (i[0] not in stops, -i[1][failed], i[0]))
    for account_id, counts in ranked[:MAX_ACCOUNT_ROWS]:
        stop = stops.get(account_id)
        table.add_row(
            escape(account_id),
            *(str(counts[kind.value]) for kind in shown_kinds),
            f"[red]{escape(stop.cause)}[/]" if stop is not None else "",
        )
    console.print(table)
    if len(ranked) > MAX_ACCOUNT_ROWS:
        console.print(f"... and {len(ranked) - MAX_ACCOUNT_ROWS} more accounts (--json has all)")


def _print_tables(console: Console, tally: Tally) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Summary", title_justify="left")
    table.add_column("outcome")
    table.add_column("drafts", justify="right")
    for kind in OutcomeKind:
        n = tally.counts[kind.value]
        style = _STYLES[kind] if n else "dim"
        table.add_row(f"[{style}]{_LABELS[kind]}[/]", f"[{style}]{n}[/]")
    table.add_section()
    table.add_row("[bold]total[/]", f"[bold]{tally.total}[/]")
    console.print(table)
    if not tally.error_types:
        return
    errors = Table(title="Failures by error type", title_justify="left")
    errors.add_column("error type")
    errors.add_column("drafts", justify="right")
    ranked = sorted(tally.error_types.items(), key=lambda item: -item[1])
    for label, n in ranked:
        errors.add_row(escape(label), str(n))
    console.print(errors)
    # Below the table, not in a column: a message stays one line however long it is.
    for label, _ in ranked:
        first = tally.first_messages.get(label, "")
        console.print(f"first {escape(label)}: {escape(first)}", soft_wrap=True)


def _progress(console: Console) -> Progress:
    from rich.console import ConsoleOptions, RenderResult
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    class _Margin:
        """Renders the bar two columns short of the terminal's width. A line that fills the
        width leaves the cursor at its end, where the terminal echoes Ctrl-C as "^C": the
        echo wraps to a new line, and the next redraw leaves the old bar behind (the bar
        drawn twice)."""

        def __init__(self, renderable: Any) -> None:
            self.renderable = renderable

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            narrower = options.update_width(max(options.max_width - _ECHO_MARGIN, 1))
            yield from console.render(self.renderable, narrower)

    class _Progress(Progress):
        def get_renderable(self) -> Any:
            return _Margin(super().get_renderable())

    return _Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[counts]}"),
        console=console,
        refresh_per_second=10,
    )
