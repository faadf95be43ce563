"""``EventHooks``: a client's hooks, by event.

Its own module so that it loads when a client is given hooks (or its ``event_hooks`` is
read), not with the package: each attrs class costs import time (docs/performance.md).
A client without hooks holds ``None``; :func:`._observe.resolve_event_hooks` reads
``event_hooks=``.
"""

from __future__ import annotations

from typing import Final

import attrs

from ._observe import EventHook

__all__ = ["NO_EVENT_HOOKS", "EventHooks"]


@attrs.frozen
class EventHooks:
    """The hooks of a client, by event: ``request``, ``response``, ``retry``."""

    request: tuple[EventHook, ...] = ()
    response: tuple[EventHook, ...] = ()
    retry: tuple[EventHook, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.request or self.response or self.retry)


NO_EVENT_HOOKS: Final = EventHooks()
"""What ``client.event_hooks`` shows for a client without hooks (it holds ``None``)."""
