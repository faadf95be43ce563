"""The publish plan: what a bulk run does with each :class:`PublishRequest`.

Admission (a bad item fails alone, a repeated draft id and a draft the journal says is
settled are skipped), then the request: wait at the rate gate, write ``in_flight`` to
the journal, ``send`` it, and turn the answer into an :class:`Outcome`, journaled as soon
as it is known. The ``send`` callable is given by the caller (the client's
``publish_request``), so nothing here imports the client.

Money safety rests on three things: duplicates in the input are never sent; a draft the
journal says is settled is never sent again; and a draft whose fate is unknown (in flight
at a crash, cancelled on the wire) is sent again only because the API refuses a second
publish with 422 ``action_already_performed``, which is reported as ``already_published``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, Awaitable, Hashable, Iterable, Mapping
from typing import NamedTuple, Protocol

from ._bulk_gate import MAX_RATE_LIMIT_RETRIES, RateGate, pause_seconds, rate_limit_scope
from ._bulk_health import GetAccount, account_status
from ._bulk_options import BulkOptions
from ._bulk_outcomes import Outcome, OutcomeKind
from ._bulk_plan import Requeue, Ticket
from ._bulk_stop import StopReason, Stops
from ._config import NotGiven, TimeoutTypes
from ._enums import Mode
from ._exceptions import (
    AlreadyPublishedError,
    InvalidRequestError,
    PostpressError,
    RateLimitError,
)
from ._journal import Journal, JournalState, in_flight_record, outcome_record
from ._lifecycle_enums import AccountSourceStatus
from ._models import Published, PublishRequest, PublishResult

__all__ = ["PublishPlan", "Send"]

logger = logging.getLogger("postpress_async")


class _AccountProbe(NamedTuple):
    """An account's health check, as the stop rules see a failed item."""

    account_id: str
    mode: Mode = Mode.PROMOTED

class Send(Protocol):
    """Sends one request with the client's retry policy (``AsyncJobs.publish_request``);
    raises a :class:`PostpressError` for anything but a result."""

    def __call__(
        self,
        request: PublishRequest,
        *,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> Awaitable[PublishResult]: ...


class PublishPlan:
    """Publishing drafts, each at most once (see the module docstring)."""

    def __init__(
        self, send: Send, options: BulkOptions, get_account: GetAccount | None = None
    ) -> None:
        self.send = send
        self.options = options
        self.get_account = get_account
        self.gate = RateGate(options.rate)
        self.stops = Stops(options.should_stop, options.scopes)
        self.journal: Journal | None = None
        self.known = JournalState()
        self.seen: set[str] = set()

    @property
    def stopped(self) -> bool:
        return self.stops.run_stopped

    @property
    def stop_error(self) -> PostpressError | None:
        return self.stops.first_error

    @property
    def journal_ignored_lines(self) -> int:
        return self.known.ignored_lines

    @property
    def run_stop(self) -> StopReason | None:
        return self.stops.run_reason

    @property
    def key_stops(self) -> Mapping[str, StopReason]:
        return self.stops.by_account()

    def check_input(self, items: object) -> None:
        if isinstance(items, (str, bytes, PublishRequest)) or not isinstance(
            items, (Iterable, AsyncIterable)
        ):
            raise InvalidRequestError(
                "requests",
                "must be an iterable or async iterable of PublishRequest (a list, a generator...), "
                f"got {type(items).__name__}",
            )

    def open(self) -> None:
        if self.options.journal is not None:
            self.journal = Journal(self.options.journal)
            self.known = self.journal.state

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()

    def _record(self, outcome: Outcome) -> Outcome:
        """Journal an outcome, if the journal is (still) open."""
        if self.journal is not None and not self.journal.closed:
            self.journal.write(outcome_record(outcome))
        return outcome

    def admit(self, item: object, index: int) -> Outcome | Ticket[PublishRequest]:
        if not isinstance(item, PublishRequest):
            return self._admit_other(item, index)
        draft_id = item.draft_id
        if draft_id in self.seen:
            return self._record(Outcome(OutcomeKind.SKIPPED, index, item, reason="duplicate"))
        self.seen.add(draft_id)
        if draft_id in self.known.settled:
            # Not journaled: the journal already holds the line that settled it.
            return Outcome(OutcomeKind.SKIPPED, index, item, reason="journal")
        if self.stops.in_force:
            stop = self.stops.blocking(item)
            if stop is not None:
                return self._record(
                    Outcome(OutcomeKind.NOT_ATTEMPTED, index, item, reason="stopped", stop=stop)
                )
        return Ticket(index, item, resumed=draft_id in self.known.in_flight, key=item.account_id)

    def _admit_other(self, item: object, index: int) -> Outcome | Ticket[PublishRequest]:
        """Admit an item that is not a PublishRequest (the create plan's NewJob); here, a
        bad item, which fails alone."""
        error = InvalidRequestError(
            "requests", f"item {index} must be a PublishRequest, got {type(item).__name__}"
        )
        return self._record(Outcome(OutcomeKind.FAILED, index, None, error=error))

    def refuse(self, ticket: Ticket[PublishRequest]) -> Outcome | None:
        stop = self.stops.blocking(ticket.item)
        if stop is None:
            return None
        return self._record(
            Outcome(
                OutcomeKind.NOT_ATTEMPTED,
                ticket.index,
                ticket.item,
                reason="stopped",
                resumed=ticket.resumed,
                interrupted=ticket.sent,  # a requeued draft's in_flight line stands
                stop=stop,
            )
        )

    async def check(self, key: Hashable) -> bool:
        account_id = str(key)
        if self.get_account is None or self.stops.account_blocked(account_id):
            return not self.stops.account_blocked(account_id)
        try:
            status = await account_status(
                self.get_account, account_id, connecting_timeout=self.options.connecting_timeout
            )
        except PostpressError as exc:
            # A stopping answer (a wrong key, say) stops by its scope; any other (404, a
            # connection error) says nothing about the account: its drafts will tell.
            if self.stops.note_failure(exc, _AccountProbe(account_id)):
                logger.warning("bulk: health check of account %r: %s", account_id, exc)
            else:
                logger.info("bulk: health check of account %r failed: %s", account_id, exc)
            return not self.stops.account_blocked(account_id)
        if status is AccountSourceStatus.OK:
            return True
        reason = self.stops.stop_account(account_id, status)
        logger.warning("bulk: %s; its drafts are not attempted", reason)
        return False

    async def perform(self, ticket: Ticket[PublishRequest]) -> Outcome | Requeue:
        request, index, resumed = ticket.item, ticket.index, ticket.resumed
        gate, stops = self.gate, self.stops
        while True:
            if not gate.idle:
                await gate.wait()
            if stops.in_force:
                refused = self.refuse(ticket)
                if refused is not None:
                    # Stopped while this draft waited for its turn: it was never sent (or,
                    # if requeued after a 429, the API did nothing with it).
                    return refused
            if not ticket.sent:
                if self.journal is not None:
                    self.journal.write(in_flight_record(request))
                ticket.sent = True
            try:
                result = await self.send(
                    request, timeout=self.options.timeout, max_retries=self.options.max_retries
                )
            except AlreadyPublishedError as exc:
                outcome = Outcome(
                    OutcomeKind.ALREADY_PUBLISHED, index, request, error=exc, resumed=resumed
                )
            except RateLimitError as exc:
                if ticket.rate_limited < MAX_RATE_LIMIT_RETRIES:
                    ticket.rate_limited += 1
                    if rate_limit_scope(exc, request.account_id) == "account":
                        # Only this account is held back, in its lane, holding no worker.
                        return Requeue(pause_seconds(exc.retry_after))
                    # The API did nothing: hold every worker back, then try this one again.
                    gate.pause(exc.retry_after)
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
        try:
            # Written here, as soon as the answer is known, not when the caller gets to it.
            return self._record(outcome)
        except Exception:
            # The answer stands (a published draft *is* published); the journal keeps its
            # in_flight line, so a re-run sends it again and gets 422 -> already_published.
            logger.exception(
                "bulk: could not journal the outcome of draft %r (%s)", request.draft_id,
                outcome.kind.value,
            )
            return outcome

    def observe(self, outcome: Outcome) -> bool:
        # On delivery, in the order the caller sees outcomes: stop_on (which may be the
        # caller's own stateful predicate) is asked before on_outcome hears of the failure.
        if (
            outcome.kind is OutcomeKind.FAILED
            and outcome.error is not None
            and outcome.request is not None
        ):
            return self.stops.note_failure(outcome.error, outcome.request)
        return False

    def failed(self, ticket: Ticket[PublishRequest], error: Exception) -> Outcome:
        wrapped = PostpressError(
            f"unexpected {type(error).__name__} while publishing draft "
            f"{ticket.item.draft_id!r}: {error}"
        )
        wrapped.__cause__ = error
        outcome = Outcome(
            OutcomeKind.FAILED, ticket.index, ticket.item, error=wrapped, resumed=ticket.resumed
        )
        try:
            return self._record(outcome)
        except Exception:
            logger.exception("bulk: could not journal the outcome of item %d", ticket.index)
            return outcome

    def not_attempted(
        self,
        item: object,
        index: int,
        reason: str,
        ticket: Ticket[PublishRequest] | None = None,
    ) -> Outcome:
        request = item if isinstance(item, PublishRequest) else None
        stop = self.stops.blocking(request) if reason == "stopped" and request else None
        outcome = Outcome(
            OutcomeKind.NOT_ATTEMPTED,
            index,
            request,
            reason=reason,
            resumed=ticket.resumed if ticket is not None else False,
            interrupted=ticket.sent if ticket is not None else False,
            stop=stop,
        )
        return self._record(outcome)
