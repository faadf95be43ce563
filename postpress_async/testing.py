"""Helpers for users' own test suites.

Retries wait (0.5 s and up, or a server's ``Retry-After``); in tests that is
just slowness. Switch waits off for a block or for a whole session::

    from postpress_async.testing import no_retry_waits, set_retry_waits

    with no_retry_waits():
        ...                       # retries happen, immediately

    set_retry_waits(False)        # e.g. in conftest.py, for every test
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ._retry import WAITS

__all__ = ["no_retry_waits", "retry_waits_enabled", "set_retry_waits"]


def set_retry_waits(enabled: bool) -> None:
    """Turn retry waits on or off process-wide (retries still happen)."""
    WAITS.enabled = enabled


def retry_waits_enabled() -> bool:
    """Whether retries currently wait between attempts."""
    return WAITS.enabled


@contextmanager
def no_retry_waits() -> Iterator[None]:
    """Retries inside the block happen without waiting; the previous setting is restored."""
    previous = WAITS.enabled
    WAITS.enabled = False
    try:
        yield
    finally:
        WAITS.enabled = previous
