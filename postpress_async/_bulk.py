"""Bulk publishing: many drafts, concurrently, lazily, and never one of them twice.

``AsyncJobs.publish_many`` and ``AsyncJobs.iter_publish`` delegate here. One driver (an
async generator) pulls requests from the caller's iterable only when a concurrency slot is
free, starts one task per draft, and hands outcomes back as tasks finish; so memory is
bounded by ``concurrency`` plus the set of draft ids already seen, not by the input size.

Money safety rests on three things: duplicates in the input are never sent; a draft the
journal says is settled is never sent again; and a draft whose fate is unknown (in flight
at a crash, cancelled on the wire) is sent again only because the API refuses a second
publish with 422 ``action_already_performed`` — which is reported as ``already_published``.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    Sized,
)
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs

from ._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    TimeoutTypes,
    resolve_max_retries,
    resolve_timeout,
)
from ._enums import CheckpointType, ErrorType, JobState, Mode, _StrEnum
from ._exceptions import (
    AlreadyPublishedError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidRequestError,
    PostpressError,
    RateLimitError,
    UnexpectedResponseError,
)
from ._journal import IN_FLIGHT, Journal, JournalState
from ._models import Checkpoint, Published, PublishRequest, PublishResult
from ._retry import MAX_RETRY_AFTER, WAITS, logger

if TYPE_CHECKING:
    from ._jobs import AsyncJobs

__all__ = [
    "DEFAULT_STOP_ON",
    "PROMOTED_ONLY_STOPS",
    "BulkReport",
    "Outcome",
    "OutcomeKind",
    "StopOn",
    "error_label",
    "iter_publish",
    "outcome_record",
    "publish_many",
]

# A 429 without Retry-After pauses the batch this long; the draft is tried again this
# many times before it is reported failed (a 429 means the API did nothing).
DEFAULT_RATE_LIMIT_PAUSE: Final = 1.0
MAX_RATE_LIMIT_RETRIES: Final = 5
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


# Errors that doom every later request of the batch: the credentials or the account are
# unusable (401, except a wrong checkpoint code, which concerns one draft), the account is
# restricted or unsubscribed (403), or the credits for promoted postings are gone (422).
DEFAULT_STOP_ON: Final[frozenset[ErrorType]] = frozenset(
    {
        ErrorType.MISSING_CREDENTIALS,
        ErrorType.MULTIPLE_SESSIONS,
        ErrorType.WRONG_ACCOUNT,
        ErrorType.INVALID_CREDENTIALS,
        ErrorType.INVALID_PROXY_CREDENTIALS,
        ErrorType.EXPIRED_CREDENTIALS,
        ErrorType.EXPIRED_LINK,
        ErrorType.INSUFFICIENT_PRIVILEGES,
        ErrorType.DISCONNECTED_ACCOUNT,
        ErrorType.DISCONNECTED_FEATURE,
        ErrorType.INVALID_CREDENTIALS_BUT_VALID_ACCOUNT_IMAP,
        ErrorType.ACCOUNT_RESTRICTED,
        ErrorType.SUBSCRIPTION_REQUIRED,
        ErrorType.INSUFFICIENT_CREDITS,
    }
)

# Failures that doom the later *promoted* drafts only: free postings spend no credits, so
# a mixed run goes on publishing its free drafts.
PROMOTED_ONLY_STOPS: Final = frozenset({ErrorType.INSUFFICIENT_CREDITS, ErrorType.PAYMENT_ERROR})

StopOn: TypeAlias = Callable[[PostpressError], bool] | Collection[ErrorType | str] | None
"""``stop_on``: a predicate on the failure, a collection of error types, or None (never stop)."""

OnOutcome = Callable[["Outcome"], object]


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
    """

    kind: OutcomeKind
    index: int
    request: PublishRequest | None
    result: PublishResult | None = None
    error: PostpressError | None = None
    reason: str | None = None
    resumed: bool = False
    interrupted: bool = False

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
    batch early, if one did.
    """

    counts: Mapping[str, int]
    error_types: Mapping[str, int]
    failures: tuple[Outcome, ...]
    stop_error: PostpressError | None
    elapsed: float
    journal_ignored_lines: int = 0

    @property
    def total(self) -> int:
        """How many input items have an outcome."""
        return sum(self.counts.values())

    def summary(self) -> str:
        """One line: every count, e.g. ``published=98 ... not_attempted=2``."""
        return " ".join(f"{kind}={count}" for kind, count in self.counts.items())

    @property
    def stopped_early(self) -> bool:
        """True when a failure matching ``stop_on`` stopped the run (see ``stop_error``)."""
        return self.stop_error is not None

    @property
    def ok(self) -> bool:
        """True when nothing failed, awaits a checkpoint or was left unattempted."""
        return not (
            self.counts[OutcomeKind.FAILED]
            or self.counts[OutcomeKind.CHECKPOINT]
            or self.counts[OutcomeKind.NOT_ATTEMPTED]
        )


class _Tally:
    """Running counts for the report."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {kind.value: 0 for kind in OutcomeKind}
        self.error_types: dict[str, int] = {}
        self.failures: list[Outcome] = []

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.kind.value] += 1
        if outcome.kind is OutcomeKind.FAILED and outcome.error is not None:
            label = error_label(outcome.error)
            self.error_types[label] = self.error_types.get(label, 0) + 1
            if len(self.failures) < MAX_REPORTED_FAILURES:
                self.failures.append(outcome)


def _stop_predicate(stop_on: StopOn) -> Callable[[PostpressError], bool]:
    if stop_on is None:
        return lambda _error: False
    if callable(stop_on):
        return stop_on
    if isinstance(stop_on, (str, bytes)) or not isinstance(stop_on, Collection):
        raise InvalidRequestError(
            "stop_on", "must be a predicate, a collection of error types, or None"
        )
    types = frozenset(str(t) for t in stop_on)
    return lambda error: (
        isinstance(error, APIStatusError) and error.type is not None and str(error.type) in types
    )


class _Gate:
    """Where every draft waits before it is sent: the shared rate limit and 429 pauses."""

    def __init__(self, rate: float | None) -> None:
        self._interval = 1.0 / rate if rate else 0.0
        self._next_slot = 0.0
        self._paused_until = 0.0

    @property
    def idle(self) -> bool:
        """No rate limit and no 429 pause so far: nothing to wait for (the common case,
        where awaiting ``wait()`` would cost two coroutines per draft for nothing)."""
        return not self._interval and not self._paused_until

    async def _wait_out_pause(self, loop: asyncio.AbstractEventLoop) -> None:
        # A loop, not an Event: another 429 may push the end of the pause further out.
        while (delay := self._paused_until - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(delay)

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        await self._wait_out_pause(loop)
        if self._interval:
            now = loop.time()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
            if slot > now:
                await asyncio.sleep(slot - now)
            await self._wait_out_pause(loop)  # a 429 may have come in meanwhile

    def pause(self, retry_after: float | None) -> None:
        if not WAITS.enabled:  # tests switch retry waits off; a 429 wait is one of them
            return
        seconds = DEFAULT_RATE_LIMIT_PAUSE if retry_after is None else retry_after
        until = asyncio.get_running_loop().time() + min(max(seconds, 0.0), MAX_RETRY_AFTER)
        self._paused_until = max(self._paused_until, until)


class _InFlight:
    """One started draft: the driver keeps these to report cancelled ones."""

    __slots__ = ("index", "request", "resumed", "sent")

    def __init__(self, index: int, request: PublishRequest, resumed: bool) -> None:
        self.index = index
        self.request = request
        self.resumed = resumed
        self.sent = False


def outcome_record(outcome: Outcome) -> dict[str, Any]:
    """The journal line for an outcome (also the CLI's ``--json`` shape)."""
    request = outcome.request
    record: dict[str, Any] = {
        "draft_id": request.draft_id if request is not None else None,
        "mode": request.mode.value if request is not None else None,
        "account_id": request.account_id if request is not None else None,
        "outcome": outcome.kind.value,
    }
    result = outcome.result
    if isinstance(result, Published):
        record["job_id"] = result.job_id
        record["job_state"] = str(result.job_state)
    elif isinstance(result, Checkpoint):
        record["job_id"] = result.job_id
        record["type"] = str(result.type)
    error = outcome.error
    if isinstance(error, APIStatusError):
        record["status"] = error.status
        record["type"] = str(error.type) if error.type is not None else None
        record["request_id"] = error.request_id
        if isinstance(error, AlreadyPublishedError) and error.earlier_attempts:
            record["earlier_attempts"] = list(error.earlier_attempts)
    if error is not None and outcome.kind is OutcomeKind.FAILED:
        record["error"] = error_label(error)
        record["message"] = str(error)
    if outcome.reason is not None:
        record["reason"] = outcome.reason
    if outcome.resumed:
        record["resumed"] = True
    if outcome.interrupted:
        record["interrupted"] = True
    return record


@attrs.frozen
class _Options:
    concurrency: int
    rate: float | None
    journal: str | None
    on_outcome: OnOutcome | None
    should_stop: Callable[[PostpressError], bool]
    timeout: TimeoutTypes | NotGiven
    max_retries: int | NotGiven


def _options(
    *,
    concurrency: int,
    rate: float | None,
    journal: str | os.PathLike[str] | None,
    on_outcome: OnOutcome | None,
    stop_on: StopOn,
    timeout: TimeoutTypes | NotGiven,
    max_retries: int | NotGiven,
) -> _Options:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise InvalidRequestError(
            "concurrency", f"must be a whole number >= 1, got {concurrency!r}"
        )
    if rate is not None and (
        isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate < float("inf")
    ):
        raise InvalidRequestError("rate", f"must be a positive number of requests/s, got {rate!r}")
    if on_outcome is not None and not callable(on_outcome):
        raise InvalidRequestError("on_outcome", "must be a callable taking an Outcome")
    # Checked here, once: otherwise every draft would fail with the same InvalidRequestError
    # (after its in_flight journal line), and a typo would read as a batch of failed drafts.
    resolve_timeout(timeout, DEFAULT_TIMEOUT)
    resolve_max_retries(max_retries, DEFAULT_MAX_RETRIES)
    return _Options(
        concurrency=concurrency,
        rate=float(rate) if rate is not None else None,
        journal=os.fspath(journal) if journal is not None else None,
        on_outcome=on_outcome,
        should_stop=_stop_predicate(stop_on),
        timeout=timeout,
        max_retries=max_retries,
    )


class _Run:
    """One bulk run: the driver, the per-draft task, the journal and the tally."""

    def __init__(
        self,
        jobs: AsyncJobs,
        requests: Iterable[object] | AsyncIterable[object],
        options: _Options,
    ) -> None:
        self.jobs = jobs
        self.requests = requests
        self.options = options
        self.tally = _Tally()
        self.gate = _Gate(options.rate)
        self.journal: Journal | None = None
        self.known = JournalState()
        self.seen: set[str] = set()
        self.stop_error: PostpressError | None = None
        # Set by a credits/payment failure: later promoted drafts are not sent, free ones are.
        self.promoted_stop_error: PostpressError | None = None
        self.started = time.monotonic()
        # The input's iterator (sync inputs only) and the index of its next item.
        self.unread: Iterator[object] | None = None
        self.next_index = 0

    # -- outcomes ---------------------------------------------------------------------

    def _write(self, outcome: Outcome) -> None:
        if self.journal is not None:
            self.journal.write(outcome_record(outcome))

    def _deliver(self, outcome: Outcome) -> Outcome:
        """Count an outcome and tell the caller's callback (journaling is done by then)."""
        self.tally.add(outcome)
        error, request = outcome.error, outcome.request
        if (
            self.stop_error is None
            and outcome.kind is OutcomeKind.FAILED
            and error is not None
            and request is not None
            and self.options.should_stop(error)
        ):
            promoted_only = getattr(error, "type", None) in PROMOTED_ONLY_STOPS
            if promoted_only and request.mode is not Mode.FREE:
                if self.promoted_stop_error is None:
                    self.promoted_stop_error = error
            else:
                self.stop_error = error
        if self.options.on_outcome is not None:
            self.options.on_outcome(outcome)
        return outcome

    def report(self) -> BulkReport:
        return BulkReport(
            counts=dict(self.tally.counts),
            error_types=dict(self.tally.error_types),
            failures=tuple(self.tally.failures),
            stop_error=self.stop_error or self.promoted_stop_error,
            elapsed=time.monotonic() - self.started,
            journal_ignored_lines=self.known.ignored_lines,
        )

    # -- admission: what happens to an item before any request ------------------------

    def _admit(self, item: object, index: int) -> Outcome | _InFlight:
        """Either an immediate outcome (invalid, duplicate, settled) or a draft to send."""
        if not isinstance(item, PublishRequest):
            error = InvalidRequestError(
                "requests", f"item {index} must be a PublishRequest, got {type(item).__name__}"
            )
            outcome = Outcome(OutcomeKind.FAILED, index, None, error=error)
            self._write(outcome)
            return outcome
        draft_id = item.draft_id
        if draft_id in self.seen:
            outcome = Outcome(OutcomeKind.SKIPPED, index, item, reason="duplicate")
            self._write(outcome)
            return outcome
        self.seen.add(draft_id)
        if draft_id in self.known.settled:
            # Not journaled: the journal already holds the line that settled it.
            return Outcome(OutcomeKind.SKIPPED, index, item, reason="journal")
        if self._promoted_stopped(item):
            outcome = Outcome(OutcomeKind.NOT_ATTEMPTED, index, item, reason="stopped")
            self._write(outcome)
            return outcome
        return _InFlight(index, item, resumed=draft_id in self.known.in_flight)

    def _promoted_stopped(self, request: PublishRequest) -> bool:
        return self.promoted_stop_error is not None and request.mode is not Mode.FREE

    # -- one draft --------------------------------------------------------------------

    async def _publish(self, slot: _InFlight) -> Outcome:
        request, index, resumed = slot.request, slot.index, slot.resumed
        for rate_limited in range(MAX_RATE_LIMIT_RETRIES + 1):
            if not self.gate.idle:
                await self.gate.wait()
            if self.stop_error is not None or self._promoted_stopped(request):
                # Stopped while this draft waited for its turn: it was never sent.
                outcome = Outcome(
                    OutcomeKind.NOT_ATTEMPTED, index, request, reason="stopped", resumed=resumed
                )
                break
            if not slot.sent:
                if self.journal is not None:
                    self.journal.write(
                        {
                            "draft_id": request.draft_id,
                            "mode": request.mode.value,
                            "account_id": request.account_id,
                            "outcome": IN_FLIGHT,
                        }
                    )
                slot.sent = True
            try:
                result = await self.jobs.publish_request(
                    request, timeout=self.options.timeout, max_retries=self.options.max_retries
                )
            except AlreadyPublishedError as exc:
                outcome = Outcome(
                    OutcomeKind.ALREADY_PUBLISHED, index, request, error=exc, resumed=resumed
                )
            except RateLimitError as exc:
                if rate_limited < MAX_RATE_LIMIT_RETRIES:
                    # The API did nothing: hold every worker back, then try this one again.
                    self.gate.pause(exc.retry_after)
                    continue
                outcome = Outcome(OutcomeKind.FAILED, index, request, error=exc, resumed=resumed)
            except PostpressError as exc:
                outcome = Outcome(OutcomeKind.FAILED, index, request, error=exc, resumed=resumed)
            else:
                kind = (
                    OutcomeKind.PUBLISHED
                    if isinstance(result, Published)
                    else OutcomeKind.CHECKPOINT
                )
                outcome = Outcome(kind, index, request, result=result, resumed=resumed)
            break
        # Written here, as soon as the answer is known, not when the caller gets to it.
        self._write(outcome)
        return outcome

    # -- the driver -------------------------------------------------------------------

    async def run(self) -> AsyncGenerator[Outcome, None]:
        options = self.options
        requests = self.requests
        if isinstance(requests, (str, bytes, PublishRequest)) or not isinstance(
            requests, (Iterable, AsyncIterable)
        ):
            raise InvalidRequestError(
                "requests",
                "must be an iterable or async iterable of PublishRequest (a list, a generator...), "
                f"got {type(requests).__name__}",
            )
        if options.journal is not None:
            self.journal = Journal(options.journal)
            self.known = self.journal.state
        pending: dict[asyncio.Task[Outcome], _InFlight] = {}
        # Finished tasks, in the order they finished. asyncio.wait(pending) would add and
        # remove a callback on every pending task each time one finishes: O(concurrency)
        # per draft, a tenth of a bulk run's CPU at concurrency 64.
        finished: list[asyncio.Task[Outcome]] = []
        wakeup = asyncio.Event()

        def on_finished(task: asyncio.Task[Outcome]) -> None:
            finished.append(task)
            wakeup.set()

        sync_items: Iterator[object] | None = None
        async_items: Any = None
        if isinstance(self.requests, AsyncIterable):
            async_items = aiter(self.requests)
        else:
            sync_items = iter(self.requests)
            self.unread = sync_items
        index = 0
        exhausted = False
        try:
            while True:
                # Pull only while a slot is free and nothing says stop: laziness is here.
                while (
                    not exhausted and self.stop_error is None and len(pending) < options.concurrency
                ):
                    if sync_items is not None:
                        try:
                            item = next(sync_items)
                        except StopIteration:
                            exhausted = True
                            break
                    else:
                        try:
                            item = await anext(async_items)
                        except StopAsyncIteration:
                            exhausted = True
                            break
                    admitted = self._admit(item, index)
                    index += 1
                    self.next_index = index
                    if isinstance(admitted, Outcome):
                        yield self._deliver(admitted)
                    else:
                        task = asyncio.ensure_future(self._publish(admitted))
                        task.add_done_callback(on_finished)
                        pending[task] = admitted
                if not pending:
                    break
                while not finished:
                    wakeup.clear()
                    await wakeup.wait()
                # Tasks that finished together are delivered in input order.
                done = sorted(finished, key=lambda t: pending[t].index)
                finished.clear()
                for task in done:
                    del pending[task]
                    yield self._deliver(task.result())
            if self.stop_error is not None:
                for outcome in self.unread_outcomes("stopped"):
                    yield outcome
        finally:
            try:
                await self._cancel(pending)
            finally:
                if self.journal is not None:
                    self.journal.close()

    def unread_outcomes(self, reason: str) -> Iterator[Outcome]:
        """``not_attempted`` outcomes for the items of a finite input never read.

        Only a collection with ``len()`` is read to its end: an iterator or generator
        may be endless, so it is simply not pulled any further. Journaled only while
        the journal is open (an early stop); after a cancellation the journal is closed,
        and a draft with no line in it was not attempted.
        """
        if self.unread is None or not isinstance(self.requests, Sized):
            return
        index = self.next_index
        for item in self.unread:
            request = item if isinstance(item, PublishRequest) else None
            outcome = Outcome(OutcomeKind.NOT_ATTEMPTED, index, request, reason=reason)
            if self.journal is not None and not self.journal.closed:
                self._write(outcome)
            yield self._deliver(outcome)
            index += 1
        self.next_index = index

    async def _cancel(self, pending: dict[asyncio.Task[Outcome], _InFlight]) -> None:
        """Cancel what is still running and report each draft (cancellation or early exit)."""
        if not pending:
            return
        for task in pending:
            task.cancel()
        await asyncio.wait(pending)
        for task, slot in sorted(pending.items(), key=lambda item: item[1].index):
            if not task.cancelled() and task.exception() is None:
                self._deliver(task.result())
                continue
            if task.cancelled():
                outcome = Outcome(
                    OutcomeKind.NOT_ATTEMPTED,
                    slot.index,
                    slot.request,
                    reason="cancelled",
                    resumed=slot.resumed,
                    interrupted=slot.sent,
                )
                self._write(outcome)
                self._deliver(outcome)


def iter_publish(
    jobs: AsyncJobs,
    requests: Iterable[PublishRequest] | AsyncIterable[PublishRequest],
    *,
    concurrency: int = 16,
    rate: float | None = None,
    journal: str | os.PathLike[str] | None = None,
    on_outcome: OnOutcome | None = None,
    stop_on: StopOn = DEFAULT_STOP_ON,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
) -> AsyncGenerator[Outcome, None]:
    """See :meth:`AsyncJobs.iter_publish`."""
    options = _options(
        concurrency=concurrency,
        rate=rate,
        journal=journal,
        on_outcome=on_outcome,
        stop_on=stop_on,
        timeout=timeout,
        max_retries=max_retries,
    )
    return _Run(jobs, requests, options).run()


async def publish_many(
    jobs: AsyncJobs,
    requests: Iterable[PublishRequest] | AsyncIterable[PublishRequest],
    *,
    concurrency: int = 16,
    rate: float | None = None,
    journal: str | os.PathLike[str] | None = None,
    on_outcome: OnOutcome | None = None,
    stop_on: StopOn = DEFAULT_STOP_ON,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
) -> BulkReport:
    """See :meth:`AsyncJobs.publish_many`."""
    options = _options(
        concurrency=concurrency,
        rate=rate,
        journal=journal,
        on_outcome=on_outcome,
        stop_on=stop_on,
        timeout=timeout,
        max_retries=max_retries,
    )
    run = _Run(jobs, requests, options)
    outcomes = run.run()
    try:
        async for _ in outcomes:
            pass
    except asyncio.CancelledError as cancelled:
        # Not converted, not swallowed: only annotated with what the run did.
        await outcomes.aclose()  # cancels the drafts in flight, closes the journal
        for _ in run.unread_outcomes("cancelled"):
            pass
        summary = run.report().summary()
        logger.warning("bulk publishing cancelled: %s", summary)
        if hasattr(cancelled, "add_note"):  # Python 3.11+
            cancelled.add_note(f"postpress_async bulk run cancelled: {summary}")
        raise
    finally:
        await outcomes.aclose()
    return run.report()
