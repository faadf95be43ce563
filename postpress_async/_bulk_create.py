"""The create-and-publish plan: a bulk run whose items may be :class:`NewJob` as well as
:class:`PublishRequest` (in any mix).

A :class:`PublishRequest` goes through the publish plan unchanged. A :class:`NewJob` is
created, checked against the answer's ``publish_options``, then published through that
same publish path (so the rate gate, stops, journal lines and the 422 rule all apply).

Exactly once per ``ref``, across crashes: the create's ``Idempotency-Key`` (derived from
the ``ref`` unless given) is journaled *before* the create is sent, and the new draft id as
soon as the answer is read. A re-run then either knows the draft (no create at all) or
re-sends the create with the journaled key, which the server answers with the draft it
made the first time. The publish half is the publish plan's own rule: a draft journaled in
flight is sent again, and a 422 ``action_already_performed`` counts as already published.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, Awaitable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from ._bulk_gate import MAX_RATE_LIMIT_RETRIES
from ._bulk_health import GetAccount
from ._bulk_new_job import BulkStep, NewJob, check_publish_options
from ._bulk_options import BulkOptions
from ._bulk_outcomes import Outcome, OutcomeKind
from ._bulk_plan import Requeue, Ticket
from ._bulk_publish import PublishPlan, Send
from ._config import NotGiven, TimeoutTypes
from ._converter import structure_hook
from ._exceptions import InvalidRequestError, PostpressError, RateLimitError
from ._journal import RefState, created_record, creating_record
from ._lifecycle_models import CreateJobRequest, DraftCreated, PublishOptions
from ._models import PublishRequest

__all__ = ["Create", "CreatePlan"]

logger = logging.getLogger("postpress_async")

Item = PublishRequest | NewJob


class Create(Protocol):
    """Creates one draft with the client's retry policy (``AsyncJobs.create_request``)."""

    def __call__(
        self,
        request: CreateJobRequest,
        *,
        idempotency_key: str | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> Awaitable[DraftCreated]: ...


class _NewJobTicket(Ticket[Item]):
    """A new job on its way; remembers how far it got, for a cancellation's outcome."""

    __slots__ = ("job_id", "publishing")

    def __init__(self, index: int, item: NewJob, *, resumed: bool, job_id: str | None) -> None:
        # Its flow-control key is its account, as a draft's is.
        super().__init__(index, item, resumed=resumed, key=item.job.account_id)
        self.job_id = job_id  # its draft, once known (journaled or created)
        self.publishing: Ticket[PublishRequest] | None = None  # the publish, once started


class CreatePlan(PublishPlan):
    """Creating and publishing new jobs, publishing drafts (see the module docstring).

    A :class:`Plan` of ``PublishRequest | NewJob``; the overrides widen the publish plan's
    item type (hence the ``override`` ignores), handing PublishRequest items to it.
    """

    def __init__(
        self,
        send: Send,
        create: Create,
        options: BulkOptions,
        get_account: GetAccount | None = None,
    ) -> None:
        super().__init__(send, options, get_account)
        self.create = create
        self.seen_refs: set[str] = set()
        # draft id -> its new job, while its publish is under way (at most `concurrency`):
        # publish outcomes journaled by the publish plan then carry the ref.
        self._publishing: dict[str, NewJob] = {}
        self._decode_options = structure_hook(PublishOptions)

    def check_input(self, items: object) -> None:
        if isinstance(items, (str, bytes, PublishRequest, NewJob)) or not isinstance(
            items, (Iterable, AsyncIterable)
        ):
            raise InvalidRequestError(
                "requests",
                "must be an iterable or async iterable of PublishRequest or NewJob "
                f"(a list, a generator...), got {type(items).__name__}",
            )

    def _record(self, outcome: Outcome) -> Outcome:
        if self._publishing and outcome.new_job is None and outcome.request is not None:
            job = self._publishing.get(outcome.request.draft_id)
            if job is not None:
                outcome = attrs.evolve(
                    outcome, new_job=job, created_job_id=outcome.request.draft_id
                )
        if (
            outcome.kind is OutcomeKind.FAILED
            and outcome.step is None
            and outcome.request is not None
        ):
            outcome = attrs.evolve(outcome, step=BulkStep.PUBLISH)
        return super()._record(outcome)

    def _outcome(
        self, kind: OutcomeKind, ticket: _NewJobTicket, step: BulkStep | None, **fields: object
    ) -> Outcome:
        job = ticket.item
        assert isinstance(job, NewJob)
        request = job.publish_request(ticket.job_id) if ticket.job_id is not None else None
        return Outcome(
            kind, ticket.index, request, new_job=job, created_job_id=ticket.job_id,
            step=step, resumed=ticket.resumed, **fields,  # type: ignore[arg-type]
        )

    if TYPE_CHECKING:
        # The publish plan's admit(), inherited (drafts pay no frame of this plan), seen
        # with this plan's wider item type.
        def admit(  # type: ignore[override]
            self, item: object, index: int
        ) -> Outcome | Ticket[Item]: ...

    def _admit_other(  # type: ignore[override]
        self, item: object, index: int
    ) -> Outcome | Ticket[Item]:
        # A PublishRequest is admitted by the publish plan's admit(), which calls this for
        # anything else: drafts go through one admit() only.
        if not isinstance(item, NewJob):
            error = InvalidRequestError(
                "requests",
                f"item {index} must be a PublishRequest or a NewJob, got {type(item).__name__}",
            )
            return self._record(Outcome(OutcomeKind.FAILED, index, None, error=error))
        ref = item.ref
        if ref in self.seen_refs:
            return self._record(
                Outcome(OutcomeKind.SKIPPED, index, None, reason="duplicate", new_job=item)
            )
        self.seen_refs.add(ref)
        known = self.known.refs.get(ref, RefState())
        job_id = known.job_id
        if job_id is not None:
            self.seen.add(job_id)  # a PublishRequest for the same draft is a duplicate
            if job_id in self.known.settled:
                # Not journaled: the journal already holds the line that settled it.
                return Outcome(
                    OutcomeKind.SKIPPED, index, item.publish_request(job_id), reason="journal",
                    new_job=item, created_job_id=job_id,
                )
        # On the wire when an earlier run died: a create never answered, or a publish.
        resumed = (job_id is None and known.create_pending) or (
            job_id in self.known.in_flight
        )
        ticket = _NewJobTicket(index, item, resumed=resumed, job_id=job_id)
        stop = self.stops.blocking(item.template)
        if stop is not None:
            return self._record(self._outcome(OutcomeKind.NOT_ATTEMPTED, ticket, None,
                                              reason="stopped", stop=stop))
        return ticket

    def refuse(self, ticket: Ticket[Item]) -> Outcome | None:  # type: ignore[override]
        if not isinstance(ticket, _NewJobTicket):
            return super().refuse(ticket)  # type: ignore[arg-type]
        job = ticket.item
        assert isinstance(job, NewJob)
        # Stopped while it waited in its account's lane: never sent (or, requeued, its
        # journaled key stands for a re-run).
        stop = self.stops.blocking(job.template)
        if stop is None:
            return None
        return self._record(
            self._outcome(OutcomeKind.NOT_ATTEMPTED, ticket, None, reason="stopped",
                          stop=stop, interrupted=ticket.sent)
        )

    def perform(  # type: ignore[override]
        self, ticket: Ticket[Item]
    ) -> Coroutine[Any, Any, Outcome | Requeue]:
        # A plain function handing back the right coroutine: a draft's publish runs without
        # a frame of this plan in between, to create and to resume through at every await
        # (every run of the client's publish_many uses this plan, drafts and all).
        if not isinstance(ticket, _NewJobTicket):
            return super().perform(ticket)  # type: ignore[arg-type]
        return self._perform_new_job(ticket)

    async def _perform_new_job(self, ticket: _NewJobTicket) -> Outcome | Requeue:
        job = ticket.item
        assert isinstance(job, NewJob)
        known = self.known.refs.get(job.ref, RefState())
        options: PublishOptions | None = None
        if ticket.job_id is None:
            created = await self._create(ticket, job, known.idempotency_key or job.create_key)
            if isinstance(created, Outcome):
                return created
            options = created.publish_options
        elif known.publish_options is not None:
            try:
                options = self._decode_options(known.publish_options, PublishOptions)
            except Exception:  # an edited journal: publish unchecked, as a draft id would be
                logger.warning("bulk: unreadable publish_options journaled for %r", job.ref)
        assert ticket.job_id is not None
        request = job.publish_request(ticket.job_id)
        problem = check_publish_options(request, options) if options is not None else None
        if problem is not None:
            return self._record(
                self._outcome(OutcomeKind.FAILED, ticket, BulkStep.PUBLISH, error=problem)
            )
        # Resumed: its publish, or its create, was on the wire when an earlier run died.
        publishing = Ticket(ticket.index, request, resumed=ticket.resumed)
        ticket.publishing = publishing
        self._publishing[request.draft_id] = job
        try:
            return await super().perform(publishing)
        finally:
            del self._publishing[request.draft_id]

    async def _create(
        self, ticket: _NewJobTicket, job: NewJob, key: str
    ) -> DraftCreated | Outcome:
        """Create the draft (journaling the key first); an outcome if that failed."""
        gate = self.gate
        for rate_limited in range(MAX_RATE_LIMIT_RETRIES + 1):
            if not gate.idle:
                await gate.wait()
            stop = self.stops.blocking(job.template)
            if stop is not None:
                return self._record(
                    self._outcome(OutcomeKind.NOT_ATTEMPTED, ticket, None, reason="stopped",
                                  stop=stop)
                )
            if not ticket.sent:
                if self.journal is not None:
                    # Before the create leaves: a re-run re-sends it with this very key.
                    self.journal.write(creating_record(job, key))
                ticket.sent = True
            try:
                created = await self.create(
                    job.job, idempotency_key=key, timeout=self.options.timeout,
                    max_retries=self.options.max_retries,
                )
            except RateLimitError as exc:
                if rate_limited < MAX_RATE_LIMIT_RETRIES:
                    gate.pause(exc.retry_after)
                    continue
                error: PostpressError = exc
            except PostpressError as exc:
                error = exc
            else:
                ticket.job_id = created.job_id
                self.seen.add(created.job_id)
                if self.journal is not None:
                    try:
                        self.journal.write(created_record(job, created))
                    except Exception:
                        # The key is journaled: a re-run re-sends the create, replayed.
                        logger.exception("bulk: could not journal the draft of %r", job.ref)
                return created
            break
        outcome = self._outcome(OutcomeKind.FAILED, ticket, BulkStep.CREATE, error=error)
        try:
            return self._record(outcome)
        except Exception:
            logger.exception("bulk: could not journal the outcome of %r", job.ref)
            return outcome

    def observe(self, outcome: Outcome) -> bool:
        if (
            outcome.new_job is not None
            and outcome.request is None
            and outcome.kind is OutcomeKind.FAILED
            and outcome.error is not None
        ):
            # A create failure stops what a publish failure would (bad credentials...).
            return self.stops.note_failure(outcome.error, outcome.new_job.template)
        return super().observe(outcome)

    def failed(self, ticket: Ticket[Item], error: Exception) -> Outcome:  # type: ignore[override]
        if not isinstance(ticket, _NewJobTicket):
            return super().failed(ticket, error)  # type: ignore[arg-type]
        job = ticket.item
        assert isinstance(job, NewJob)
        wrapped = PostpressError(
            f"unexpected {type(error).__name__} while creating or publishing {job.ref!r}: "
            f"{error}"
        )
        wrapped.__cause__ = error
        step = BulkStep.PUBLISH if ticket.publishing is not None else BulkStep.CREATE
        outcome = self._outcome(OutcomeKind.FAILED, ticket, step, error=wrapped)
        try:
            return self._record(outcome)
        except Exception:
            logger.exception("bulk: could not journal the outcome of item %d", ticket.index)
            return outcome

    def not_attempted(  # type: ignore[override]
        self, item: object, index: int, reason: str, ticket: Ticket[Item] | None = None
    ) -> Outcome:
        if not isinstance(item, NewJob):
            return super().not_attempted(item, index, reason, ticket)  # type: ignore[arg-type]
        if not isinstance(ticket, _NewJobTicket):
            ticket = _NewJobTicket(index, item, resumed=False, job_id=None)
        # Cut short on the wire: its create (or publish) may have gone through; the
        # journal's key (or in_flight line) lets a re-run settle it.
        cut = ticket.publishing.sent if ticket.publishing is not None else (
            ticket.sent and ticket.job_id is None
        )
        step = BulkStep.PUBLISH if ticket.job_id is not None else None
        return self._record(
            self._outcome(OutcomeKind.NOT_ATTEMPTED, ticket, step, reason=reason,
                          interrupted=cut)
        )
