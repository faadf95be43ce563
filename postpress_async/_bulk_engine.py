"""The bulk engine: items in, one :class:`Outcome` per item out, a bounded number at a time.

The input is read lazily, only while fewer than ``concurrency`` admitted items are
unfinished, so memory is bounded by ``concurrency`` plus whatever the plan remembers (the
draft ids it has seen), never by the input size. A fixed pool of at most ``concurrency``
worker tasks performs the admitted items. Two drivers run it:

- :meth:`BulkEngine.run` (``iter_publish``), an async generator: it reads the input, and
  each outcome goes back to it to be counted, told to ``on_outcome`` and yielded;
- :meth:`BulkEngine.drain` (``publish_many``, whose caller takes no outcome one by one):
  each worker counts and reports its own item's outcome and reads the next item itself, so
  an item makes no trip to the driver and back.

What an item *is*, and what performing it means (sending it, journaling it, deciding
whether a failure stops the run) is the plan's business (``_bulk_plan``): the engine knows
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
    Iterable,
    Iterator,
    Sized,
)
from typing import Generic

from ._bulk_lanes import Lanes
from ._bulk_outcomes import BulkReport, Outcome, OutcomeKind, Tally
from ._bulk_plan import ItemT, Plan, Requeue, Ticket

__all__ = ["BulkEngine"]

logger = logging.getLogger("postpress_async")


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
        self.exhausted = False
        # Admitted items whose outcome has not been delivered yet (parked ones included).
        self.unfinished = 0
        # drain(): each worker delivers its own outcome and reads the next item itself.
        self._direct = False
        # What stopped a drain() in a worker (the input or on_outcome raised), for the driver.
        self._failure: Exception | None = None
        self._workers: list[asyncio.Task[None]] = []
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
        """An outcome for the driver to deliver: every outcome of :meth:`run`, and in
        :meth:`drain` those the lanes settle (parked tickets a stop refuses)."""
        self._done.append(outcome)
        self._wake_driver()

    def _wake_driver(self) -> None:
        waiter = self._driver_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _outcome_ready(self) -> None:
        while not self._done:
            self._driver_waiter = asyncio.get_running_loop().create_future()
            await self._driver_waiter

    # -- reading -----------------------------------------------------------------------

    def _may_read(self) -> bool:
        """Whether the next item may be read: a slot is free (parked items hold none, but
        count against their own bound) and nothing says stop. Laziness is here."""
        lanes = self.lanes
        return (
            not self.exhausted
            and self.unfinished - lanes.parked < self.concurrency
            and lanes.parked < self.max_parked
            and not self.plan.stopped
            and self._failure is None
        )

    def _admit(self, item: object) -> Outcome | Ticket[ItemT]:
        admitted = self.plan.admit(item, self.next_index)
        self.next_index += 1
        if not isinstance(admitted, Outcome):
            self.unfinished += 1
        return admitted

    def _place(self, ticket: Ticket[ItemT]) -> None:
        """Send an admitted ticket on: to its lane, or to a worker (started if the pool
        is not full yet)."""
        workers = self._workers
        if len(workers) < self.concurrency and len(workers) < self.unfinished:
            workers.append(asyncio.ensure_future(self._work()))
        if self.lanes_on and ticket.key is not None:
            self.lanes.add(ticket)
        else:
            self._hand_over(ticket)

    def _read_direct(self) -> Ticket[ItemT] | None:
        """:meth:`drain`'s reading (a sync input): items are read and admitted while
        reading may go on, until one is ready to perform now, which is returned (an
        immediate outcome is delivered on the way, a ticket for a lane goes there)."""
        assert self.unread is not None
        while self._may_read():
            try:
                item = next(self.unread)
            except StopIteration:
                self.exhausted = True
                return None
            admitted = self._admit(item)
            if isinstance(admitted, Outcome):
                self._deliver(admitted)
            elif self.lanes_on and admitted.key is not None:
                self._place(admitted)
            else:
                return admitted
        return None

    # -- the workers -------------------------------------------------------------------

    async def _work(self) -> None:
        # The waits are written out here, not in helper coroutines: one frame less to
        # create and to resume through per item.
        plan, todo, idle, pending = self.plan, self._todo, self._idle, self._pending
        direct = self._direct
        loop = asyncio.get_running_loop()
        try:
            while True:
                if todo:
                    ticket = todo.popleft()
                elif direct and (read := self._read_direct()) is not None:
                    ticket = read
                    pending.add(ticket)
                else:
                    if direct and not self.unfinished:
                        self._wake_driver()  # nothing left to read, nothing unfinished: the end
                    waiter: asyncio.Future[Ticket[ItemT]] = loop.create_future()
                    idle.append(waiter)
                    ticket = await waiter
                try:
                    outcome = await plan.perform(ticket)
                except Exception as exc:  # one item's trouble is that item's outcome
                    logger.exception("bulk: unexpected error for item %d", ticket.index)
                    outcome = plan.failed(ticket, exc)
                pending.discard(ticket)
                if isinstance(outcome, Requeue):
                    self.lanes_on = True  # from now on, this key's tickets wait in its lane
                    self.lanes.requeue(ticket, outcome.pause)
                    continue
                if self.lanes_on:
                    self.lanes.done(ticket)  # a worker is free: parked tickets may go
                if direct:
                    self.unfinished -= 1
                    self._deliver(outcome)
                else:
                    self._finished(outcome)
        except Exception as exc:
            if not direct:
                raise
            # The input or on_outcome raised: the run stops, and drain() raises it.
            if self._failure is None:
                self._failure = exc
            self._wake_driver()

    # -- the drivers -------------------------------------------------------------------

    async def run(self) -> AsyncGenerator[Outcome, None]:
        """Yield each item's outcome as it is ready (see the module docstring): the
        driver reads, the workers perform, and each outcome comes back to the driver."""
        plan = self.plan
        plan.check_input(self.items)
        plan.open()
        sync_items: Iterator[object] | None = None
        async_items: AsyncIterator[object] | None = None
        if isinstance(self.items, AsyncIterable):
            async_items = aiter(self.items)
        else:
            sync_items = self.unread = iter(self.items)
        try:
            while True:
                while self._may_read():
                    try:
                        if sync_items is not None:
                            item = next(sync_items)
                        else:
                            assert async_items is not None
                            item = await anext(async_items)
                    except (StopIteration, StopAsyncIteration):
                        self.exhausted = True
                        break
                    admitted = self._admit(item)
                    if isinstance(admitted, Outcome):
                        yield self._deliver(admitted)
                    else:
                        self._place(admitted)
                if not self.unfinished:
                    break
                if not self._done:
                    await self._outcome_ready()
                outcome = self._done.popleft()
                self.unfinished -= 1
                yield self._deliver(outcome)
            if plan.stopped:
                for outcome in self.unread_outcomes("stopped"):
                    yield outcome
        finally:
            await self._end()

    async def drain(self) -> None:
        """Run to the end, delivering every outcome without handing it out (for
        ``publish_many``, whose caller takes none one by one).

        Each worker delivers the outcome of its item and reads the next item itself, so
        an item costs no trip to the driver and back (a future and a loop step each
        way). The rules are :meth:`run`'s: the same bound on reading, a stop in force
        before the next read, each failure observed before ``on_outcome`` hears of it.
        The driver reads the first items, and again whenever the lanes settle parked
        items (a stop refusing them); an async input, which no two workers may read at
        once, is read by the driver alone, through :meth:`run`.
        """
        if isinstance(self.items, AsyncIterable):
            outcomes = self.run()
            try:
                async for _ in outcomes:
                    pass
            finally:
                await outcomes.aclose()
            return
        plan = self.plan
        plan.check_input(self.items)
        plan.open()
        self.unread = iter(self.items)
        self._direct = True
        loop = asyncio.get_running_loop()
        try:
            while True:
                while self._done:
                    self.unfinished -= 1
                    self._deliver(self._done.popleft())
                while (ticket := self._read_direct()) is not None:
                    self._place(ticket)
                if self._failure is not None:
                    raise self._failure
                if not self.unfinished:
                    break
                self._driver_waiter = loop.create_future()
                await self._driver_waiter
            if plan.stopped:
                for _ in self.unread_outcomes("stopped"):
                    pass
        finally:
            await self._end()

    async def _end(self) -> None:
        """The end of a run, however it ends (a cancellation, an early exit, or simply the
        end: then there is nothing left but idle workers): stop the workers, report every
        item not delivered yet, then close the plan (the journal)."""
        plan = self.plan
        try:
            workers = self._workers
            for worker in workers:
                worker.cancel()
            if workers:
                await asyncio.wait(workers)
            parked = await self.lanes.close()
            left = list(self._done)
            self._done.clear()
            left.extend(
                plan.not_attempted(ticket.item, ticket.index, "cancelled", ticket)
                for ticket in (*self._pending, *parked)
            )
            self._pending.clear()
            self._todo.clear()
            for outcome in sorted(left, key=lambda o: o.index):
                self._deliver(outcome)
        finally:
            plan.close()

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
