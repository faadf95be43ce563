"""The SDK loop thread's hand-over of one call: result, error, timeout and cancellation."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import traceback
import warnings
from collections.abc import Iterator

import pytest

from postpress_async._loop_thread import LoopThread

from .sync_helpers import WAIT


@pytest.fixture
def loop_thread() -> Iterator[LoopThread]:
    # A private loop thread, so nothing here can disturb the process's SDK loop.
    loop_thread = LoopThread()
    yield loop_thread
    loop_thread.stop()


def test_a_call_returns_the_coroutines_result_computed_on_the_loop_thread(
    loop_thread: LoopThread,
) -> None:
    async def where() -> int | None:
        await asyncio.sleep(0)
        return threading.get_ident()

    assert loop_thread.call(where()) == loop_thread.thread.ident


def test_an_error_is_raised_in_the_caller_with_the_loop_side_frames(
    loop_thread: LoopThread,
) -> None:
    class Refused(Exception):
        pass

    async def refuse() -> None:
        await asyncio.sleep(0)
        raise Refused("no")

    with pytest.raises(Refused) as caught:
        loop_thread.call(refuse())
    frames = [frame.name for frame in traceback.extract_tb(caught.value.__traceback__)]
    assert "refuse" in frames
    assert frames[0] == "test_an_error_is_raised_in_the_caller_with_the_loop_side_frames"


def test_a_timeout_raises_timeout_error_and_cancels_the_coroutine_on_the_loop(
    loop_thread: LoopThread,
) -> None:
    cancelled = threading.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    with pytest.raises(TimeoutError):
        loop_thread.call(forever(), timeout=0.05)
    assert cancelled.wait(WAIT)
    # The loop goes on serving calls.
    assert loop_thread.call(asyncio.sleep(0, result="still here")) == "still here"


def test_a_call_given_up_before_it_started_is_closed_without_a_never_awaited_warning(
    loop_thread: LoopThread,
) -> None:
    started = threading.Event()

    async def never_runs() -> None:
        started.set()

    # The loop is kept busy past the caller's timeout, so the call is cancelled
    # before its coroutine ever ran.
    loop_thread.loop.call_soon_threadsafe(time.sleep, 0.3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(TimeoutError):
            loop_thread.call(never_runs(), timeout=0.01)
        assert loop_thread.call(asyncio.sleep(0, result="done")) == "done"
        gc.collect()
    assert not started.is_set()
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []
