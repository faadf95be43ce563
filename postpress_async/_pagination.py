"""Pagers: walking a cursor-paginated list for the caller, lazily, one page ahead.

A list method returns an :class:`AsyncPager` at once (its arguments are validated then;
nothing is sent until the walk starts). ``async for item in pager`` walks every item of
every page; ``pager.pages()`` yields the :class:`~postpress_async.Page` objects.
While the caller works on one page, the next one is already being fetched: at most one
page ahead, so memory stays bounded by two pages. Leaving the loop early cancels that
fetch. A cursor that comes back twice is a :class:`RepeatedCursorError`, never a loop.

The sync facade's :class:`Pager` is a plain iterable over the same page fetches, each run
on the SDK loop with one call.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from ._exceptions import InvalidRequestError, RepeatedCursorError

__all__ = ["AsyncPager", "Pager", "check_limit"]

_T = TypeVar("_T")
_R = TypeVar("_R")

if TYPE_CHECKING:  # Page loads with the first list endpoint (docs/performance.md)
    from ._page import Page

    FetchPage = Callable[[str | None], Coroutine[Any, Any, Page[_T]]]
    """Fetches the page at a cursor (``None``: the first page)."""


def check_limit(value: object, low: int, high: int) -> int | None:
    """A page size within the endpoint's documented range (``None``: the API's default)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequestError("limit", f"must be an int, got {type(value).__name__}")
    if not low <= value <= high:
        raise InvalidRequestError("limit", f"must be between {low} and {high}, got {value}")
    return value


def _retrieve(task: asyncio.Future[Any]) -> None:
    # A prefetch nobody awaits any more (the caller stopped early, or failed): mark its
    # exception as retrieved so asyncio does not log "exception was never retrieved".
    if not task.cancelled():
        task.exception()


class AsyncPager(Generic[_T]):
    """Every item of a list, across pages: ``async for item in pager``.

    ``pages()`` yields whole pages (``items``, ``cursor``, ``total_count`` when the API
    gives one). Each walk starts again from the first page. Leaving a walk early cancels
    the page being prefetched; wrap it in ``contextlib.aclosing(pager.pages())`` when it
    must stop at once rather than when the iterator is collected.
    """

    __slots__ = ("_fetch_page", "endpoint")

    def __init__(self, fetch: FetchPage[_T], *, endpoint: str) -> None:
        self._fetch_page = fetch
        self.endpoint = endpoint

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._items()

    async def _items(self) -> AsyncGenerator[_T, None]:
        # aclosing: leaving this generator closes the page walk at once, which cancels
        # its prefetch, instead of leaving that to the garbage collector.
        async with contextlib.aclosing(self.pages()) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    async def pages(self) -> AsyncGenerator[Page[_T], None]:
        """Yield each page in turn, fetching the next one while the caller holds this one."""
        seen: set[str] = set()
        number = 1
        page = await self._fetch_page(None)
        while True:
            cursor = page.cursor
            if cursor is None or cursor in seen:
                yield page
                if cursor is None:
                    return
                raise RepeatedCursorError(cursor, page=number, endpoint=self.endpoint)
            seen.add(cursor)
            following = asyncio.ensure_future(self._fetch_page(cursor))
            following.add_done_callback(_retrieve)
            try:
                yield page
            except BaseException:
                # GeneratorExit (the caller stopped early) or an error thrown in.
                following.cancel()
                raise
            page = await following
            number += 1

    async def to_list(self, max_items: int | None = None) -> list[_T]:
        """Every item in a list (at most ``max_items`` when given): for small lists."""
        items: list[_T] = []
        async with contextlib.aclosing(self._items()) as walk:
            async for item in walk:
                if max_items is not None and len(items) >= max_items:
                    break
                items.append(item)
        return items

    def __repr__(self) -> str:
        return f"<AsyncPager {self.endpoint}>"


class Runner(Protocol):
    """Runs a coroutine to completion from synchronous code (the facade's runner)."""

    def run(self, coro: Coroutine[Any, Any, _R]) -> _R: ...


class Pager(Generic[_T]):
    """The sync facade's pager: a plain iterable over every item, page after page.

    Each page is fetched with one call on the SDK loop when the previous one is used up
    (no prefetch: the caller's thread would have nothing to overlap it with).
    """

    __slots__ = ("_endpoint", "_fetch", "_runner")

    def __init__(
        self,
        fetch: Callable[[str | None], Coroutine[Any, Any, Page[_T]]],
        runner: Runner,
        *,
        endpoint: str,
    ) -> None:
        self._fetch = fetch
        self._runner = runner
        self._endpoint = endpoint

    def __iter__(self) -> Iterator[_T]:
        for page in self.pages():
            yield from page.items

    def pages(self) -> Iterator[Page[_T]]:
        """Yield each page in turn."""
        seen: set[str] = set()
        number = 1
        page = self._runner.run(self._fetch(None))
        while True:
            cursor = page.cursor
            yield page
            if cursor is None:
                return
            if cursor in seen:
                raise RepeatedCursorError(cursor, page=number, endpoint=self._endpoint)
            seen.add(cursor)
            page = self._runner.run(self._fetch(cursor))
            number += 1

    def to_list(self, max_items: int | None = None) -> list[_T]:
        """Every item in a list (at most ``max_items`` when given)."""
        items: list[_T] = []
        for item in self:
            if max_items is not None and len(items) >= max_items:
                break
            items.append(item)
        return items

    def __repr__(self) -> str:
        return f"<Pager {self._endpoint}>"
