"""The bulk engine: items in, one :class:`Outcome` per item out, a bounded number at a time.

The driver (an async generator) reads the input lazily, only while fewer than
``concurrency`` admitted items are unfinished, so memory is bounded by ``concurrency``
plus whatever the plan remembers (the draft ids it has seen), never by the input size.
A fixed pool of at most ``concurrency`` worker tasks performs the admitted items; each
outcome goes back to the driver, which counts it, tells ``on_outcome`` and yields it.

What an item *is*, and what performing it means (sending it, journaling it, deciding
whether a failure stops the run) is the :class:`Plan`'s business: the engine knows
neither requests nor the client.

With per-key flow control (``per_key_limit``, ``per_key_interval``, a ``check`` of each
key before its first item, or a 429 that concerns one key), admitted items go through
``_bulk_lanes`` first: an item whose key cannot send yet is *parked* there, holding no
worker, and reading goes on while fewer than ``max_parked`` items are parked.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sized,
)
from typing import Generic, Protocol, TypeVar

from ._bulk_lanes import Lane, Lanes
from ._bulk_outcomes import BulkReport, Outcome, OutcomeKind, Tally
from ._bulk_stop import StopReason
from ._exceptions import PostpressError

__all__ = ["BulkEngine", "Plan", "Requeue", "Ticket"]

ItemT = TypeVar("ItemT")

logger = logging.getLogger("postpress_async")


class Ticket(Generic[ItemT]):
    """An admitted item on its way: maybe parked in its key's lane, queued for a worker,
    then performed."""

    __slots__ = ("index", "item", "key", "lane", "rate_limited", "resumed", "sent")

    def __init__(
        self, index: int, item: ItemT, *, resumed: bool = False, key: Hashable = None
    ) -> None:
        self.index = index
        self.item = item
        # The journal showed it on the wire when an earlier run died.
        self.resumed = resumed
        # Its first request may have left (so, cut short, it may have taken effect).
        self.sent = False
        # Its flow-control key (the account), and the lane that handed it on, if one did.
        self.key = key
        self.lane: Lane[ItemT] | None = None
        # 429s answered so far.
        self.rate_limited = 0


class Requeue:
    """What :meth:`Plan.perform` returns for an item to be tried again later, without
    holding a worker meanwhile: its key's lane is paused ``pause`` seconds (a 429 that
    concerns that key only)."""

    __slots__ = ("pause",)

    def __init__(self, pause: float) -> None:
        self.pause = pause


class Plan(Protocol[ItemT]):
    """What a run does with its items (the publish plan is ``_bulk_publish.PublishPlan``)."""

    @property
    def stopped(self) -> bool:
        """True once no further item may be read or sent."""

    @property
    def stop_error(self) -> PostpressError | None:
        """The failure that stopped (part of) the run, for the report."""

    @property
    def journal_ignored_lines(self) -> int:
        """Lines of an earlier journal that did not parse, for the report."""

    @property
    def run_stop(self) -> StopReason | None:
        """The stop of the whole run, if there is one, for the report."""

    @property
    def key_stops(self) -> Mapping[str, StopReason]:
        """Each stopped key's (account's) stop, for the report."""

    def check_input(self, items: object) -> None:
        """Raise :class:`InvalidRequestError` for an input that is not an iterable of items."""

    def open(self) -> None:
        """Start the run (open the journal); called on the first read of the outcomes."""

    def close(self) -> None:
        """End the run (close the journal); safe to call twice."""

    def admit(self, item: object, index: int) -> Outcome | Ticket[ItemT]:
        """An immediate outcome (a bad, repeated or settled item, say) or a ticket to perform."""

    async def perform(self, ticket: Ticket[ItemT]) -> Outcome | Requeue:
        """Everything the item needs, ending in its outcome (journaled by then), or a
        :class:`Requeue` (only for a ticket with a key)."""

    def observe(self, outcome: Outcome) -> bool:
        """Take a delivered *failed* outcome into account (it may stop the run), before
        ``on_outcome`` sees it; True when a new stop came into force. Only failures are
        shown: nothing else stops anything."""

    def refuse(self, ticket: Ticket[ItemT]) -> Outcome | None:
        """The ``not_attempted`` outcome of a parked ticket a stop now keeps from being
        sent (journaled), or None when it may still go."""

    async def check(self, key: Hashable) -> bool:
        """Whether ``key``'s items may be sent (the health check of an account, read once
        before its first item); False means the plan stopped the key."""

    def failed(self, ticket: Ticket[ItemT], error: Exception) -> Outcome:
        """The outcome of an item whose perform() raised ``error`` (a bug, not an answer)."""

    def not_attempted(
        self, item: object, index: int, reason: str, ticket: Ticket[ItemT] | None = None
    ) -> Outcome:
        """The outcome of an item left unsent (stopped or cancelled), journaled if still open."""


class BulkEngine(Generic[ItemT]):
    """One run over ``items``: :meth:`run` is the outcome stream; :meth:`report` the summary."""

    def __init__(
        self,
        items: Iterable[object] | AsyncIterable[object],
        plan: Plan[ItemT],
        *,
        concurrency: int,
        on_outcome: Callable[[Outcome], object] | None,
        per_key_limit: int | None = None,
        per_key_interval: float = 0.0,
        check: bool = False,
        max_parked: int = 1000,
    ) -> None:
        self.items = items
        self.plan = plan
        self.concurrency = concurrency
        self.on_outcome = on_outcome
        self.max_parked = max_parked
        self.lanes: Lanes[ItemT] = Lanes(
            plan,
            limit=per_key_limit,
            interval=per_key_interval,
            check=plan.check if check else None,
            checks_at_once=concurrency,
            has_slot=self._has_slot,
            hand_over=self._hand_over,
            finished=self._finished,
        )
        # Without limits or checks, tickets skip the lanes (and their cost) until a 429
        # concerning one key turns them on.
        self.lanes_on = per_key_limit is not None or bool(per_key_interval) or check
        self.tally = Tally()
        self.started = time.monotonic()
        # The input's iterator (sync inputs only) and the index of its next item.
        self.unread: Iterator[object] | None = None
        self.next_index = 0
        # Tickets handed to the workers and not finished: queued, just handed to an idle
        # worker, or being performed. Whatever is here at a cancellation was cut short.
        self._pending: set[Ticket[ItemT]] = set()
        self._todo: deque[Ticket[ItemT]] = deque()  # waiting for a free worker
        self._idle: deque[asyncio.Future[Ticket[ItemT]]] = deque()  # workers waiting
        self._done: deque[Outcome] = deque()  # outcomes the driver has not taken
        self._driver_waiter: asyncio.Future[None] | None = None

    def report(self) -> BulkReport:
        """The counts so far as a :class:`BulkReport`."""
        plan = self.plan
        return self.tally.report(
            stop_error=plan.stop_error,
            elapsed=time.monotonic() - self.started,
            journal_ignored_lines=plan.journal_ignored_lines,
            stops=plan.key_stops,
            run_stop=plan.run_stop,
        )

    def _deliver(self, outcome: Outcome) -> Outcome:
        """Count an outcome and tell the caller's callback (journaling is done by then)."""
        self.tally.add(outcome)
        if (
            outcome.kind is OutcomeKind.FAILED
            and self.plan.observe(outcome)
            and self.lanes.parked
        ):
            # A new stop: what it dooms among the parked tickets is settled now, not when
            # each one's turn (and its account's rate slot) comes.
            self.lanes.flush_refused()
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return outcome

    # -- hand-offs between the driver and the workers --------------------------------
    # Plain deques and one future per wait, not asyncio.Queue: a bulk run passes two
    # messages per item, and the queues' bookkeeping was a measurable share of its CPU.

    def _has_slot(self) -> bool:
        return len(self._pending) < self.concurrency

    def _hand_over(self, ticket: Ticket[ItemT]) -> None:
        """Give a ticket to an idle worker, or queue it for the next free one."""
        self._pending.add(ticket)
        while self._idle:
            waiter = self._idle.popleft()
            if not waiter.done():  # a cancelled worker's waiter is skipped
                waiter.set_result(ticket)
                return
        self._todo.append(ticket)

    def _finished(self, outcome: Outcome) -> None:
        self._done.append(outcome)
        waiter = self._driver_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _outcome_ready(self) -> None:
        while not self._done:
            self._driver_waiter = asyncio.get_running_loop().create_future()
            await self._driver_waiter

    async def _work(self) -> None:
        # The waits are written out here, not in helper coroutines: one frame less to
        # create and to resume through per item.
        plan, todo, idle = self.plan, self._todo, self._idle
        loop = asyncio.get_running_loop()
        while True:
            if todo:
                ticket = todo.popleft()
            else:
                waiter: asyncio.Future[Ticket[ItemT]] = loop.create_future()
                idle.append(waiter)
                ticket = await waiter
            try:
                outcome = await plan.perform(ticket)
            except Exception as exc:  # one item's trouble is that item's outcome
                logger.exception("bulk: unexpected error for item %d", ticket.index)
                outcome = plan.failed(ticket, exc)
            self._pending.discard(ticket)
            if isinstance(outcome, Requeue):
                self.lanes_on = True  # from now on, this key's tickets wait in its lane
                self.lanes.requeue(ticket, outcome.pause)
                continue
            if self.lanes_on:
                self.lanes.done(ticket)  # a worker is free: parked tickets may go
            self._finished(outcome)

    # -- the driver --------------------------------------------------------------------

    async def run(self) -> AsyncGenerator[Outcome, None]:
        """Yield each item's outcome as it is ready (the driver; see the module docstring)."""
        plan = self.plan
        plan.check_input(self.items)
        plan.open()
        workers: list[asyncio.Task[None]] = []
        sync_items: Iterator[object] | None = None
        async_items: AsyncIterator[object] | None = None
        if isinstance(self.items, AsyncIterable):
            async_items = aiter(self.items)
        else:
            sync_items = self.unread = iter(self.items)
        concurrency, lanes, max_parked = self.concurrency, self.lanes, self.max_parked
        unfinished = 0  # admitted items whose outcome the driver has not taken yet
        exhausted = False
        try:
            while True:
                # Read only while a slot is free (parked items hold none, but count against
                # their own bound) and nothing says stop: laziness is here.
                while (
                    not exhausted
                    and unfinished - lanes.parked < concurrency
                    and lanes.parked < max_parked
                    and not plan.stopped
                ):
                    try:
                        if sync_items is not None:
                            item = next(sync_items)
                        else:
                            assert async_items is not None
                            item = await anext(async_items)
                    except (StopIteration, StopAsyncIteration):
                        exhausted = True
                        break
                    admitted = plan.admit(item, self.next_index)
                    self.next_index += 1
                    if isinstance(admitted, Outcome):
                        yield self._deliver(admitted)
                        continue
                    unfinished += 1
                    if len(workers) < concurrency and len(workers) < unfinished:
                        workers.append(asyncio.ensure_future(self._work()))
                    if self.lanes_on and admitted.key is not None:
                        lanes.add(admitted)
                    else:
                        self._hand_over(admitted)
                if not unfinished:
                    break
                if not self._done:
                    await self._outcome_ready()
                outcome = self._done.popleft()
                unfinished -= 1
                yield self._deliver(outcome)
            if plan.stopped:
                for outcome in self.unread_outcomes("stopped"):
                    yield outcome
        finally:
            try:
                await self._cancel(workers)
            finally:
                plan.close()

    async def _cancel(self, workers: list[asyncio.Task[None]]) -> None:
        """Stop the workers and report every item not delivered yet (a cancellation, an
        early exit, or simply the end: then there is nothing left but idle workers)."""
        for worker in workers:
            worker.cancel()
        if workers:
            await asyncio.wait(workers)
        parked = await self.lanes.close()
        left = list(self._done)
        self._done.clear()
        plan = self.plan
        left.extend(
            plan.not_attempted(ticket.item, ticket.index, "cancelled", ticket)
            for ticket in (*self._pending, *parked)
        )
        self._pending.clear()
        self._todo.clear()
        for outcome in sorted(left, key=lambda o: o.index):
            self._deliver(outcome)

    def unread_outcomes(self, reason: str) -> Iterator[Outcome]:
        """``not_attempted`` outcomes for the items of a finite input never read.

        Only a collection with ``len()`` is read to its end: an iterator or generator
        may be endless, so it is simply not pulled any further. Journaled only while
        the journal is open (an early stop); after a cancellation the journal is closed,
        and a draft with no line in it was not attempted.
        """
        if self.unread is None or not isinstance(self.items, Sized):
            return
        for item in self.unread:
            index, self.next_index = self.next_index, self.next_index + 1
            yield self._deliver(self.plan.not_attempted(item, index, reason))
