"""What a bulk run reports: one :class:`Outcome` per input item, and the :class:`BulkReport`.

Pure data and counting; nothing here sends, waits or writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs

from ._bulk_new_job import BulkStep, NewJob, PublishOptionsError
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

__all__ = ["MAX_REPORTED_FAILURES", "BulkReport", "Outcome", "OutcomeKind", "Tally", "error_label"]

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


@attrs.frozen
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

    @property
    def ref(self) -> str | None:
        """The :class:`NewJob`'s ``ref`` (None for a PublishRequest item)."""
        return self.new_job.ref if self.new_job is not None else None

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
class BulkReport:
    """The summary of a bulk run; its size does not grow with the number of drafts.

    ``counts`` maps every :class:`OutcomeKind` value to a number (all six keys are always
    there). ``error_types`` tallies failures by :func:`error_label`. ``failures`` holds the
    first 100 failed outcomes in full. ``stop_error`` is the failure that stopped the
    batch early, if one did. ``failed_by_step`` splits ``counts["failed"]`` by the step
    that failed (``create``, ``publish``).
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

    @property
    def total(self) -> int:
        """How many input items have an outcome."""
        return sum(self.counts.values())

    def summary(self) -> str:
        """One line: every count, e.g. ``published=98 ... not_attempted=2``."""
        return " ".join(f"{kind}={count}" for kind, count in self.counts.items())

    @property
    def stopped_early(self) -> bool:
        """True when a failure matching ``stop_on`` stopped (part of) the run."""
        return self.stop_error is not None

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

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        self.counts[outcome.kind.value] += 1
        if outcome.kind is OutcomeKind.FAILED and outcome.error is not None:
            self.failed_by_step[(outcome.step or BulkStep.PUBLISH).value] += 1
            label = error_label(outcome.error)
            self.error_types[label] = self.error_types.get(label, 0) + 1
            if len(self.failures) < MAX_REPORTED_FAILURES:
                self.failures.append(outcome)

    def report(
        self, *, stop_error: PostpressError | None, elapsed: float, journal_ignored_lines: int
    ) -> BulkReport:
        """A snapshot of the counts as a :class:`BulkReport`."""
        return BulkReport(
            counts=dict(self.counts),
            error_types=dict(self.error_types),
            failures=tuple(self.failures),
            stop_error=stop_error,
            elapsed=elapsed,
            journal_ignored_lines=journal_ignored_lines,
            failed_by_step=dict(self.failed_by_step),
        )
