"""The SDK loop thread's hand-over of one call: result, error, timeout and cancellation."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import time
import traceback
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from postpress_async import _loop_thread
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


def _give_up_on_a_call(loop_thread: LoopThread) -> None:
    """A call the caller times out on: TimeoutError here, the coroutine cancelled there."""
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


def test_a_timeout_raises_timeout_error_and_cancels_the_coroutine_on_the_loop(
    loop_thread: LoopThread,
) -> None:
    _give_up_on_a_call(loop_thread)
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


def test_a_call_after_one_given_up_on_the_same_thread_gets_its_own_result(
    loop_thread: LoopThread,
) -> None:
    _give_up_on_a_call(loop_thread)
    # The given-up call still signals its end; that signal must not end this one early.
    assert loop_thread.call(asyncio.sleep(0.05, result="second")) == "second"


def test_calls_from_many_threads_at_once_each_get_their_own_result(
    loop_thread: LoopThread,
) -> None:
    async def echo(value: tuple[int, int]) -> tuple[int, int]:
        await asyncio.sleep(0)
        return value

    def caller(thread: int) -> list[tuple[int, int]]:
        return [loop_thread.call(echo((thread, i))) for i in range(20)]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(caller, range(8)))
    assert results == [[(thread, i) for i in range(20)] for thread in range(8)]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_sequential_calls_open_no_new_file_descriptors(loop_thread: LoopThread) -> None:
    loop_thread.call(asyncio.sleep(0))  # this thread's waiter exists from here on
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(50):
        loop_thread.call(asyncio.sleep(0))
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_loop_without_readers_is_woken_with_call_soon_threadsafe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class NoReaders(asyncio.SelectorEventLoop):
        # As Windows' proactor loop: add_reader is not implemented.
        def add_reader(self, *args: Any) -> None:  # type: ignore[override]
            raise NotImplementedError

    monkeypatch.setattr(asyncio, "new_event_loop", NoReaders)
    loop_thread = LoopThread()
    try:
        assert loop_thread.call(asyncio.sleep(0, result="woken")) == "woken"
    finally:
        loop_thread.stop()


def test_a_loop_thread_whose_loop_ended_is_no_longer_usable() -> None:
    loop_thread = LoopThread()
    assert loop_thread.usable()
    loop_thread.loop.call_soon_threadsafe(loop_thread.loop.stop)
    loop_thread.thread.join(WAIT)
    assert not loop_thread.usable()
    loop_thread.loop.close()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_threads_waiting_beyond_the_socket_bound_wait_without_descriptors(
    loop_thread: LoopThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_loop_thread, "MAX_SOCKET_WAITERS", 2)
    all_waiting = threading.Barrier(8, timeout=WAIT)

    async def echo(value: tuple[int, int]) -> tuple[int, int]:
        await asyncio.sleep(0.001)
        return value

    def caller(thread: int) -> list[tuple[int, int]]:
        all_waiting.wait()
        return [loop_thread.call(echo((thread, i))) for i in range(20)]

    before = len(os.listdir("/proc/self/fd"))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(caller, range(8)))
    assert results == [[(thread, i) for i in range(20)] for thread in range(8)]
    assert len(os.listdir("/proc/self/fd")) - before <= 2 * 2
