"""The phases of ``postpress demo`` around the bulk publish: resolve locations, create
drafts from generated job definitions, wait for LinkedIn's review, count applicants,
close. Each phase runs through the real async client, a bounded number of calls at a
time, and reports one line (with a progress bar while it runs, on a terminal).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

    from .._client import AsyncPostpress

__all__ = ["ACCOUNT", "Phases", "job_definitions", "resolve_locations"]

ACCOUNT: Final = "acc_demo"
CITIES: Final = ("Berlin", "Paris", "London", "New York", "Amsterdam")
_TITLES: Final = (
    "Senior Python Engineer", "Data Engineer", "Site Reliability Engineer",
    "Product Designer", "Engineering Manager", "Backend Developer", "QA Engineer",
)
_COMPANIES: Final = ("Acme GmbH", "Globex", "Initech", "Umbrella", "Hooli")
_WORKPLACES: Final = ("HYBRID", "REMOTE", "ON_SITE")

_T = TypeVar("_T")
_R = TypeVar("_R")


async def resolve_locations(client: AsyncPostpress) -> dict[str, str]:
    """Each demo city's LOCATION id, through ``client.search.parameters``."""
    found: dict[str, str] = {}
    for city in CITIES:
        async for parameter in client.search.parameters(
            "LOCATION", keywords=city, account_id=ACCOUNT, limit=5
        ):
            if parameter.title.startswith(city):
                found[city] = parameter.id
                break
    return found


def job_definitions(count: int, locations: dict[str, str]) -> list[dict[str, Any]]:
    """``count`` job definitions (the keyword arguments of ``client.jobs.create``)."""
    cities = sorted(locations)
    return [
        {
            "account_id": ACCOUNT,
            "job_title": _TITLES[n % len(_TITLES)],
            "company": _COMPANIES[n % len(_COMPANIES)],
            "workplace": _WORKPLACES[n % len(_WORKPLACES)],
            "location": locations[cities[n % len(cities)]],
            "description": f"<p>Requisition REQ-{n + 1:05d}: join us.</p>",
            "employment_status": "FULL_TIME",
        }
        for n in range(count)
    ]


class Phases:
    """Runs one phase over many items, ``concurrency`` calls at a time, with a bar."""

    def __init__(self, console: Console, concurrency: int) -> None:
        self.console = console
        self.concurrency = concurrency

    async def run(
        self, title: str, items: Sequence[_T], call: Callable[[_T], Awaitable[_R]]
    ) -> tuple[list[_R], float]:
        """Every item's result, in the items' order, and the seconds it took."""
        from ._bulk_view import _progress

        results: list[Any] = [None] * len(items)
        queue = iter(enumerate(items))
        progress = _progress(self.console) if self.console.is_terminal else None
        task = None
        if progress is not None:
            progress.live.transient = True  # the phase's summary line replaces it
            progress.start()
            task = progress.add_task(title, total=len(items), counts="")

        async def worker() -> None:
            for index, item in queue:  # one shared iterator: each item is taken once
                results[index] = await call(item)
                if progress is not None and task is not None:
                    progress.advance(task)

        started = time.monotonic()
        workers = [asyncio.ensure_future(worker())
                   for _ in range(min(self.concurrency, len(items)))]
        try:
            await asyncio.gather(*workers)
        except BaseException:
            # One call failed for good (or Ctrl-C): stop the others before reporting it.
            for running in workers:
                running.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            raise
        finally:
            if progress is not None:
                progress.stop()
        return results, time.monotonic() - started
