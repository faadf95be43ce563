"""What a bulk run reports: one :class:`Outcome` per input item, and the :class:`BulkReport`.

Pure data and counting; nothing here sends, waits or writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs

from ._bulk_new_job import BulkStep, NewJob, PublishOptionsError
from ._bulk_stop import StopReason
from ._enums import CheckpointType, JobState, _StrEnum
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidRequestError,
    PostpressError,
    UnexpectedResponseError,
)
from ._models import Checkpoint, Published, PublishRequest, PublishResult

__all__ = [
    "MAX_REPORTED_FAILURES",
    "AccountReport",
    "BulkReport",
    "Outcome",
    "OutcomeKind",
    "Tally",
    "error_label",
]

# The report keeps the first failures in full; the rest are only counted.
MAX_REPORTED_FAILURES: Final = 100


class OutcomeKind(_StrEnum):
    """What happened to one draft of a bulk run."""

    PUBLISHED = "published"
    CHECKPOINT = "checkpoint"  # LinkedIn wants an OTP / email token: solve it later
    ALREADY_PUBLISHED = "already_published"
    FAILED = "failed"
    SKIPPED = "skipped"  # a duplicate in the input, or settled in the journal
    NOT_ATTEMPTED = "not_attempted"  # after an early stop or a cancellation


# Not slotted: a frozen slotted class sets each of its twelve fields through
# object.__setattr__, a call apiece, and every draft of a bulk run makes one of these;
# a frozen class with a __dict__ fills the dict directly (the cost of each is in
# docs/performance.md). A run keeps no outcome but the first failures.
@attrs.frozen(slots=False)
class Outcome:
    """The fate of one input item.

    ``index`` is its 0-based position in the input. ``result`` is set for ``published``
    and ``checkpoint``; ``error`` for ``failed`` and ``already_published`` (the
    :class:`AlreadyPublishedError`, whose ``earlier_attempts`` tells a retry's 422 from a
    previous run's). ``reason`` says why a draft was ``skipped`` (``"duplicate"``,
    ``"journal"``) or ``not_attempted`` (``"stopped"``, ``"cancelled"``). ``resumed``: the
    journal showed this draft on the wire when an earlier run died, so this run sent it
    again. ``interrupted``: this run cancelled it on the wire (it may have gone through;
    a re-run with the journal settles it).

    For a :class:`NewJob` item: ``new_job`` is the item, ``ref`` its reference,
    ``created_job_id`` the id of its draft once created (by this run or, per the journal,
    an earlier one; also ``draft_id`` then), and ``request`` the publish of that draft.
    ``step`` says where a failure happened: ``"create"`` (no draft was made, or its fate
    is unknown) or ``"publish"``; it is set for every failed item.

    ``stop``: for an item ``not_attempted`` because of a stop, the :class:`StopReason`
    (which scope, which account, which error or account status).
    """

    kind: OutcomeKind
    index: int
    request: PublishRequest | None
    result: PublishResult | None = None
    error: PostpressError | None = None
    reason: str | None = None
    resumed: bool = False
    interrupted: bool = False
    step: BulkStep | None = None
    new_job: NewJob | None = None
    created_job_id: str | None = None
    stop: StopReason | None = None

    @property
    def ref(self) -> str | None:
        """The :class:`NewJob`'s ``ref`` (None for a PublishRequest item)."""
        return self.new_job.ref if self.new_job is not None else None

    @property
    def account_id(self) -> str | None:
        """The item's account (None for an input item that was neither a PublishRequest
        nor a NewJob)."""
        if self.request is not None:
            return self.request.account_id
        return self.new_job.job.account_id if self.new_job is not None else None

    @property
    def draft_id(self) -> str | None:
        """The draft's id (None for an input item that was not a PublishRequest)."""
        return self.request.draft_id if self.request is not None else None

    @property
    def job_state(self) -> JobState | str | None:
        """The published job's state, for ``published``."""
        return self.result.job_state if isinstance(self.result, Published) else None

    @property
    def checkpoint_type(self) -> CheckpointType | str | None:
        """The checkpoint to solve, for ``checkpoint``."""
        return self.result.type if isinstance(self.result, Checkpoint) else None


def error_label(error: BaseException) -> str:
    """A short, stable label for tallies: ``"401 errors/invalid_credentials"``, ``"timeout"``."""
    if isinstance(error, APIStatusError):
        return f"{error.status} {error.type if error.type is not None else 'unknown'}"
    if isinstance(error, APITimeoutError):
        return "timeout"
    if isinstance(error, APIConnectionError):
        return "connection_error"
    if isinstance(error, PublishOptionsError):
        return f"publish_options {error.reason}"
    if isinstance(error, InvalidRequestError):
        return "invalid_request"
    if isinstance(error, UnexpectedResponseError):
        return "unexpected_response"
    return type(error).__name__


@attrs.frozen
class AccountReport:
    """One account's share of a run: ``counts`` by outcome kind (all six keys) and, if its
    drafts were stopped, the :class:`StopReason`."""

    counts: Mapping[str, int]
    stop: StopReason | None = None

    @property
    def total(self) -> int:
        """How many of the account's drafts have an outcome."""
        return sum(self.counts.values())


@attrs.frozen
class BulkReport:
    """The summary of a bulk run; its size does not grow with the number of drafts.

    ``counts`` maps every :class:`OutcomeKind` value to a number (all six keys are always
    there). ``error_types`` tallies failures by :func:`error_label`. ``failures`` holds the
    first 100 failed outcomes in full. ``stop_error`` is the failure that stopped the
    batch (or, failing that, the first account) early, if one did. ``by_account`` maps
    each account id to its :class:`AccountReport` (its size grows with the number of
    accounts, not drafts). ``stop`` is the stop of the whole run, if there was one.
    ``failed_by_step`` splits ``counts["failed"]`` by the step that failed (``create``,
    ``publish``).
    """

    counts: Mapping[str, int]
    error_types: Mapping[str, int]
    failures: tuple[Outcome, ...]
    stop_error: PostpressError | None
    elapsed: float
    journal_ignored_lines: int = 0
    failed_by_step: Mapping[str, int] = attrs.field(
        factory=lambda: {step.value: 0 for step in BulkStep}
    )
    by_account: Mapping[str, AccountReport] = attrs.field(factory=dict)
    stop: StopReason | None = None

    @property
    def total(self) -> int:
        """How many input items have an outcome."""
        return sum(self.counts.values())

    def summary(self) -> str:
        """One line: every count, e.g. ``published=98 ... not_attempted=2``."""
        return " ".join(f"{kind}={count}" for kind, count in self.counts.items())

    @property
    def stopped_early(self) -> bool:
        """True when a stop (a failure matching ``stop_on``, or an account found unusable by
        the health check) kept drafts of the run, or of one of its accounts, from being sent."""
        return (
            self.stop is not None
            or self.stop_error is not None
            or any(account.stop is not None for account in self.by_account.values())
        )

    @property
    def stopped_accounts(self) -> dict[str, StopReason]:
        """Each stopped account's :class:`StopReason`."""
        return {
            account_id: account.stop
            for account_id, account in self.by_account.items()
            if account.stop is not None
        }

    @property
    def ok(self) -> bool:
        """True when nothing failed, awaits a checkpoint or was left unattempted."""
        return not (
            self.counts[OutcomeKind.FAILED]
            or self.counts[OutcomeKind.CHECKPOINT]
            or self.counts[OutcomeKind.NOT_ATTEMPTED]
        )


class Tally:
    """Running counts for the report: constant size, whatever the number of drafts."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {kind.value: 0 for kind in OutcomeKind}
        self.error_types: dict[str, int] = {}
        self.failures: list[Outcome] = []
        self.failed_by_step: dict[str, int] = {step.value: 0 for step in BulkStep}
        self.accounts: dict[str, dict[str, int]] = {}

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        kind = outcome.kind._value_  # not .value: a Python-level descriptor, per outcome
        self.counts[kind] += 1
        request = outcome.request
        if request is not None:
            counts = self.accounts.get(request.account_id)
            if counts is None:
                counts = self.accounts[request.account_id] = dict.fromkeys(self.counts, 0)
            counts[kind] += 1
        if outcome.kind is OutcomeKind.FAILED and outcome.error is not None:
            self.failed_by_step[(outcome.step or BulkStep.PUBLISH).value] += 1
            label = error_label(outcome.error)
            self.error_types[label] = self.error_types.get(label, 0) + 1
            if len(self.failures) < MAX_REPORTED_FAILURES:
                self.failures.append(outcome)

    def report(
        self,
        *,
        stop_error: PostpressError | None,
        elapsed: float,
        journal_ignored_lines: int,
        stops: Mapping[str, StopReason] | None = None,
        run_stop: StopReason | None = None,
    ) -> BulkReport:
        """A snapshot of the counts as a :class:`BulkReport` (``stops``: per account)."""
        stops = stops or {}
        by_account = {
            account_id: AccountReport(dict(counts), stops.get(account_id))
            for account_id, counts in self.accounts.items()
        }
        for account_id, reason in stops.items():  # stopped before any draft was counted
            if account_id not in by_account:
                by_account[account_id] = AccountReport(dict.fromkeys(self.counts, 0), reason)
        return BulkReport(
            counts=dict(self.counts),
            error_types=dict(self.error_types),
            failures=tuple(self.failures),
            stop_error=stop_error,
            elapsed=elapsed,
            journal_ignored_lines=journal_ignored_lines,
            failed_by_step=dict(self.failed_by_step),
            by_account=by_account,
            stop=run_stop,
        )
