"""What a bulk run does with its items, as the engine sees it: the :class:`Plan` protocol,
the :class:`Ticket` of an admitted item on its way, and :class:`Requeue`.

The engine (``_bulk_engine``) drives any plan; the publish plan (``_bulk_publish``) and
the create plan (``_bulk_create``) are the two there are.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from ._bulk_lanes import Lane
    from ._bulk_outcomes import Outcome
    from ._bulk_stop import StopReason
    from ._exceptions import PostpressError

__all__ = ["ItemT", "Plan", "Requeue", "Ticket"]

ItemT = TypeVar("ItemT")


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
