"""Helpers shared by the bulk tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from postpress_async import PublishRequest
from postpress_async.sandbox import Sandbox

MakeSandbox = Callable[..., Awaitable[Sandbox]]


def requests_for(draft_ids: Iterable[str], **fields: Any) -> list[PublishRequest]:
    """FREE requests from one account unless ``fields`` say otherwise."""
    fields.setdefault("account_id", "acc_1")
    fields.setdefault("mode", "FREE")
    return [PublishRequest(draft_id, **fields) for draft_id in draft_ids]


def read_lines(path: Path) -> list[dict[str, Any]]:
    """Every journal record; fails the test on any line that does not parse."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def running_bulk_tasks() -> list[asyncio.Task[object]]:
    """Tasks of a bulk run still alive on this loop (there should be none after it ends)."""
    return [
        task
        for task in asyncio.all_tasks()
        if getattr(task.get_coro(), "__qualname__", "").startswith("BulkEngine.")
    ]
