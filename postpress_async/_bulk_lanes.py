"""Per-key lanes: the bulk engine's flow control for each account of a run.

Every admitted item has a key (its account). With per-account limits, a health check or a
429 that concerns one account, items go through their key's :class:`Lane` before a worker
gets them. A lane hands an item on only when its key may send one now: fewer than
``limit`` of its items in flight, its rate slot reached (``interval`` seconds apart), no
429 pause in force, its health check done. Otherwise the item is *parked* in the lane,
where it holds no worker: a slow, paused or unchecked account never keeps a slot from
another account. Parked items count against the engine's ``max_parked`` bound, which is
what keeps reading ahead (and so memory) bounded.

Ready lanes are served round-robin, so one account with a long backlog does not starve
the others. A lane waiting for a time (rate slot or pause) sets one timer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from ._bulk_outcomes import Outcome
    from ._bulk_plan import Plan, Ticket

__all__ = ["Lane", "Lanes"]

ItemT = TypeVar("ItemT")

logger = logging.getLogger("postpress_async")


class Lane(Generic[ItemT]):
    """One key's parked items and what keeps them waiting."""

    __slots__ = ("checking", "in_flight", "key", "next_slot", "parked", "paused_until", "queued",
                 "timer")

    def __init__(self, key: Hashable) -> None:
        self.key = key
        self.parked: deque[Ticket[ItemT]] = deque()
        self.in_flight = 0
        self.next_slot = 0.0  # loop time at which the rate lets the next item go
        self.paused_until = 0.0  # loop time at which a 429 pause ends
        self.checking = False  # the health check of its key is under way
        self.queued = False  # in the ready queue
        self.timer: asyncio.TimerHandle | None = None


class Lanes(Generic[ItemT]):
    """The lanes of one run (see the module docstring).

    ``has_slot()`` tells whether a worker is free; ``hand_over(ticket)`` gives a worker a
    ticket; ``finished(outcome)`` gives the driver an outcome for a ticket the plan refused
    (its account stopped while it was parked).
    """

    def __init__(
        self,
        plan: Plan[ItemT],
        *,
        limit: int | None,
        interval: float,
        check: Callable[[Hashable], Awaitable[bool]] | None,
        checks_at_once: int,
        has_slot: Callable[[], bool],
        hand_over: Callable[[Ticket[ItemT]], None],
        finished: Callable[[Outcome], None],
    ) -> None:
        self.plan = plan
        self.limit = limit
        self.interval = interval
        self.check = check
        self.checks_at_once = checks_at_once
        self.has_slot = has_slot
        self.hand_over = hand_over
        self.finished = finished
        self.parked = 0  # items parked across all lanes
        self._lanes: dict[Hashable, Lane[ItemT]] = {}
        self._ready: deque[Lane[ItemT]] = deque()
        self._checks: set[asyncio.Task[None]] = set()
        self._check_slots: asyncio.Semaphore | None = None

    def _lane(self, key: Hashable) -> Lane[ItemT]:
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = Lane(key)
            if self.check is not None:
                lane.checking = True
                task = asyncio.ensure_future(self._run_check(lane))
                self._checks.add(task)
                task.add_done_callback(self._checks.discard)
        return lane

    # -- items in and out ---------------------------------------------------------------

    def add(self, ticket: Ticket[ItemT]) -> None:
        """An admitted ticket: sent on now if its lane may send, else parked."""
        lane = self._lane(ticket.key)
        if not lane.parked and self._may_send(lane) and self.has_slot():
            self._send(lane, ticket)
        else:
            self._park(lane, ticket)

    def done(self, ticket: Ticket[ItemT]) -> None:
        """A ticket handed on by a lane is finished: its lane may send the next."""
        lane = ticket.lane
        if lane is not None:
            ticket.lane = None
            lane.in_flight -= 1
            self._consider(lane)
        self.pump()

    def requeue(self, ticket: Ticket[ItemT], pause: float) -> None:
        """Park ``ticket`` again, first in its lane, and pause the lane ``pause`` seconds."""
        lane = ticket.lane
        if lane is None:
            lane = self._lane(ticket.key)
        else:
            ticket.lane = None
            lane.in_flight -= 1
        if pause > 0:
            until = asyncio.get_running_loop().time() + pause
            lane.paused_until = max(lane.paused_until, until)
        lane.parked.appendleft(ticket)
        self.parked += 1
        self._consider(lane)
        self.pump()

    def _park(self, lane: Lane[ItemT], ticket: Ticket[ItemT]) -> None:
        lane.parked.append(ticket)
        self.parked += 1
        self._consider(lane)

    def _send(self, lane: Lane[ItemT], ticket: Ticket[ItemT]) -> None:
        lane.in_flight += 1
        if self.interval:
            now = asyncio.get_running_loop().time()
            lane.next_slot = max(now, lane.next_slot) + self.interval
        ticket.lane = lane
        self.hand_over(ticket)

    # -- when a lane may send ------------------------------------------------------------

    def _may_send(self, lane: Lane[ItemT]) -> bool:
        if lane.checking or (self.limit is not None and lane.in_flight >= self.limit):
            return False
        if lane.next_slot or lane.paused_until:
            now = asyncio.get_running_loop().time()
            return max(lane.next_slot, lane.paused_until) <= now
        return True

    def _consider(self, lane: Lane[ItemT]) -> None:
        """Queue a lane that has items and may send; set its timer if only time stops it."""
        if lane.queued or not lane.parked or lane.checking:
            return
        if self.limit is not None and lane.in_flight >= self.limit:
            return  # done() considers it again
        wait = max(lane.next_slot, lane.paused_until) - asyncio.get_running_loop().time()
        if wait > 0:
            if lane.timer is None:
                lane.timer = asyncio.get_running_loop().call_later(wait, self._wake, lane)
            return
        lane.queued = True
        self._ready.append(lane)

    def _wake(self, lane: Lane[ItemT]) -> None:
        lane.timer = None
        self._consider(lane)
        self.pump()

    def pump(self) -> None:
        """Hand parked items to free workers, one lane after another."""
        ready = self._ready
        while ready and self.has_slot():
            lane = ready.popleft()
            lane.queued = False
            if not lane.parked or not self._may_send(lane):
                self._consider(lane)  # sets its timer if time is what stops it
                continue
            ticket = lane.parked.popleft()
            self.parked -= 1
            refused = self.plan.refuse(ticket)
            if refused is not None:
                self.finished(refused)
            else:
                self._send(lane, ticket)
            self._consider(lane)

    def flush_refused(self, lanes: list[Lane[ItemT]] | None = None) -> None:
        """Give the driver an outcome now for every parked ticket the plan refuses (a stop
        came into force): they need neither a worker nor their lane's rate slot."""
        for lane in lanes if lanes is not None else list(self._lanes.values()):
            if not lane.parked:
                continue
            kept: deque[Ticket[ItemT]] = deque()
            for ticket in lane.parked:
                refused = self.plan.refuse(ticket)
                if refused is None:
                    kept.append(ticket)
                else:
                    self.parked -= 1
                    self.finished(refused)
            lane.parked = kept

    # -- the health check ----------------------------------------------------------------

    async def _run_check(self, lane: Lane[ItemT]) -> None:
        assert self.check is not None
        if self._check_slots is None:
            self._check_slots = asyncio.Semaphore(self.checks_at_once)
        ok = True
        try:
            async with self._check_slots:
                ok = await self.check(lane.key)
        except Exception:  # the check is advice: without it, the drafts themselves tell
            logger.exception("bulk: health check of %r failed", lane.key)
        lane.checking = False
        if not ok:
            self.flush_refused([lane])
        self._consider(lane)
        self.pump()

    # -- the end -------------------------------------------------------------------------

    async def close(self) -> list[Ticket[ItemT]]:
        """Cancel timers and checks; return the tickets still parked (in no order)."""
        for lane in self._lanes.values():
            if lane.timer is not None:
                lane.timer.cancel()
                lane.timer = None
        checks = list(self._checks)
        for task in checks:
            task.cancel()
        if checks:
            await asyncio.wait(checks)
        left = [ticket for lane in self._lanes.values() for ticket in lane.parked]
        for lane in self._lanes.values():
            lane.parked.clear()
        self._ready.clear()
        self.parked = 0
        return left
