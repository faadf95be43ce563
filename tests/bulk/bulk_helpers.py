"""Helpers shared by the bulk tests."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
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


def sigkill_after_published(
    argv: Sequence[str], env: Mapping[str, str], journal: Path, published: int
) -> None:
    """Run a bulk worker process and SIGKILL it once its journal holds ``published``
    published lines: no cleanup, no finally, no flush, as in a crash."""
    worker = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            if journal.exists() and journal.read_text().count('"outcome":"published"') >= published:
                break
            time.sleep(0.01)
        assert worker.poll() is None, "the run ended before it could be killed"
        worker.kill()
    finally:
        worker.kill()
        worker.communicate()
    assert worker.returncode == -9
