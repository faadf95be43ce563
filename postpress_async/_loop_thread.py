"""The SDK's own event loop, running in a daemon thread, for the sync facade.

One per process, started by the first ``Postpress`` (see :func:`sdk_loop`), with the
process-wide bookkeeping that goes with it: the clients still open (closed at exit,
whichever order ``atexit`` runs its handlers in), and what a ``fork`` leaves behind in the
child. The exit and fork handlers are registered with the loop thread, by the first
``Postpress()``, not when the package is imported.

:meth:`LoopThread.call` hands a coroutine to the loop and blocks the calling thread until
it is done: the call is queued and the loop woken by a byte on its own socket pair; the
caller sleeps reading a socket pair of its own (a reused ``_Waiter``), written to by the
call's task as the coroutine ends. That is all ``asyncio.run_coroutine_threadsafe`` plus
``concurrent.futures.Future`` would do here, without their second future, chained
callbacks and condition variable; why sockets rather than ``call_soon_threadsafe`` and a
lock is said where each is used.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import contextlib
import functools
import os
import select
import socket
import threading
import weakref
from collections.abc import Callable, Coroutine
from typing import Any, Final, Generic, Protocol, TypeVar

__all__ = [
    "CLOSE_TIMEOUT",
    "MAX_SOCKET_WAITERS",
    "LoopThread",
    "Owned",
    "close_owned",
    "close_when_collected",
    "live_clients",
    "sdk_loop",
]

_T = TypeVar("_T")

# How long closing a client may block a finalizer, garbage collection or exit.
# Closing a plain aiohttp session takes milliseconds; the bound only matters
# when the SDK loop is wedged, and then hanging the interpreter is worse.
CLOSE_TIMEOUT: Final = 5.0


class _Waiter:
    """What one waiting thread blocks on: a socket pair the SDK loop writes one byte to.

    Not a ``threading.Lock``, for the GIL: ``lock.release()`` wakes the waiting thread
    while the loop thread still holds the GIL, and on a shared core the woken thread
    can run at once, find the GIL taken, sleep again, and be woken twice more as the
    loop thread lets the GIL go (up to four context switches more per call).
    ``socket.send`` lets the GIL go *before* it wakes the waiter, which then runs
    straight on. A socket pair rather than a pipe: ``select`` takes sockets everywhere.
    """

    __slots__ = ("reader", "writer")

    def __init__(self, reader: socket.socket, writer: socket.socket) -> None:
        self.reader = reader
        self.writer = writer

    def wake(self) -> None:  # on the SDK loop, once per call
        self.writer.send(b"\0")

    def wait(self, timeout: float | None) -> bool:
        """Block until woken (True) or ``timeout`` seconds pass (False)."""
        if timeout is not None and not select.select([self.reader], [], [], timeout)[0]:
            return False
        self.reader.recv(1)
        return True

    def __del__(self) -> None:
        # Dropped by the pool's owner, or by a call its caller gave up on (whose byte,
        # written later, nobody reads): the sockets go with it.
        self.reader.close()
        self.writer.close()


class _LockWaiter:
    """A waiter without file descriptors, for threads waiting beyond MAX_SOCKET_WAITERS."""

    __slots__ = ("lock",)

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lock.acquire()  # held until woken; taken again by each wait, so reusable

    def wake(self) -> None:
        self.lock.release()

    def wait(self, timeout: float | None) -> bool:
        return self.lock.acquire(timeout=-1 if timeout is None else timeout)


# Two descriptors each: past this many threads waiting at once (a big thread pool),
# waiters are locks, so the facade never runs a process out of descriptors.
MAX_SOCKET_WAITERS: Final = 32


class _Call(Generic[_T]):
    """One coroutine handed to the SDK loop by another thread, and its result."""

    __slots__ = ("coro", "error", "result", "task", "waiter")

    def __init__(self, coro: Coroutine[Any, Any, _T], waiter: _Waiter | _LockWaiter) -> None:
        self.coro: Coroutine[Any, Any, _T] | None = coro
        self.task: asyncio.Task[None] | None = None
        self.result: _T | None = None
        self.error: BaseException | None = None
        # Woken once, when the call is over.
        self.waiter = waiter

    def start(self, loop: asyncio.AbstractEventLoop) -> None:  # on the SDK loop
        if self.coro is not None:  # else cancelled before it started
            self.task = loop.create_task(self._run(self.coro))

    async def _run(self, coro: Coroutine[Any, Any, _T]) -> None:  # the call's task
        self.coro = None  # started: from now on it is cancelled through the task
        # The waiting thread is released from here, as the coroutine ends, rather than
        # by a done-callback on the task, which would cost one more turn of the loop.
        try:
            self.result = await coro
        except BaseException as error:
            self.error = error  # raised in the waiting thread
            if not isinstance(error, Exception):
                raise  # cancellation and exits end the task as they would have
        finally:
            self.waiter.wake()

    def cancel(self) -> None:  # on the SDK loop
        if self.task is not None:
            self.task.cancel()
        if self.coro is not None:
            # Never started (its task, if any, ends without running it): closed here,
            # so no "coroutine was never awaited" warning.
            self.coro.close()
            self.coro = None
            self.error = asyncio.CancelledError()
            self.waiter.wake()


class LoopThread:
    """An event loop running forever in a daemon thread.

    Per process rather than per client: clients are cheap to make and to drop (a
    notebook re-running ``client = Postpress()``), threads and loops are not; each
    client still has its own session, so sharing the loop shares nothing else.
    Daemon: it must never keep a finished script alive.
    """

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        # Tasks scheduled from the loop thread itself, kept so they are not
        # garbage collected mid-flight.
        self.tasks: set[asyncio.Task[None]] = set()
        # Waiters not in use, so a call costs no new sockets: at most as many as
        # threads ever waited at once. A waiter whose call was given up on is not
        # returned (its wake-up byte may still come).
        self._idle_waiters: list[_Waiter | _LockWaiter] = []
        self._socket_waiters = 0  # made so far
        # Calls handed over and not started yet. The loop learns of them from a byte on
        # its own wake-up socket: call_soon_threadsafe would do it with a handle per
        # call, and asyncio's self-pipe reads until a BlockingIOError (an exception
        # built on every call).
        self._calls: collections.deque[_Call[Any]] = collections.deque()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        self._wake: Callable[[], object]
        try:
            self.loop.add_reader(self._wake_reader.fileno(), self._on_wake)
            self._wake = self._send_wake_byte
        except NotImplementedError:  # a proactor loop (Windows' default) has no readers
            self._wake = functools.partial(self.loop.call_soon_threadsafe, self._start_calls)
        # True until run_forever returns (stopped, or ended by an exception): a flag,
        # not thread.is_alive(), which is five Python calls and a lock on every call.
        self.serving = True
        self.thread = threading.Thread(target=self._main, name="postpress-sdk-loop", daemon=True)
        self.thread.start()  # returns once the thread runs, so .ident is set
        self.ident = self.thread.ident

    def _main(self) -> None:
        # asyncio reads each socket into a fresh 256 KiB buffer. Outside the main thread,
        # glibc serves that from its own mmap (then mremap, munmap): system calls and a
        # page fault on every response, about 15 us here. Freeing one larger block makes
        # glibc raise its mmap threshold (as it does after any such free), so the buffers
        # are carved from this thread's heap instead. Elsewhere it is a throwaway block.
        bytes(1 << 20)
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            self.serving = False

    # try/except rather than contextlib.suppress: nothing to pay when nothing is raised.
    def _send_wake_byte(self) -> None:  # any thread, after adding to self._calls
        try:  # noqa: SIM105
            self._wake_writer.send(b"\0")
        except BlockingIOError:
            pass  # the socket is full of wake-ups the loop has not read yet: it will wake

    def _on_wake(self) -> None:  # on the SDK loop: the wake-up socket is readable
        try:  # noqa: SIM105
            self._wake_reader.recv(4096)
        except BlockingIOError:
            pass  # nothing left to read: the calls are what matters
        self._start_calls()

    def _start_calls(self) -> None:  # on the SDK loop
        calls = self._calls
        while calls:
            calls.popleft().start(self.loop)

    def in_loop_thread(self) -> bool:
        """True when called from the loop's own thread (where blocking would deadlock)."""
        return threading.get_ident() == self.ident

    def usable(self) -> bool:
        """True in the process that made it, while its loop runs."""
        return os.getpid() == self.pid and self.serving

    def call(self, coro: Coroutine[Any, Any, _T], timeout: float | None = None) -> _T:
        """Run ``coro`` on the loop and return its result, from another thread.

        If waiting is interrupted (``KeyboardInterrupt`` on Ctrl-C) or ``timeout``
        passes, the coroutine is cancelled on the loop and the exception (or
        ``TimeoutError``) is raised here.
        """
        try:
            waiter = self._idle_waiters.pop()
        except IndexError:
            waiter = self._new_waiter()
        call = _Call(coro, waiter)
        self._calls.append(call)
        self._wake()
        try:
            if not waiter.wait(timeout):
                raise TimeoutError
        except BaseException:
            # The caller gave up: the call is cancelled on the loop. Re-raised unchanged.
            self.loop.call_soon_threadsafe(call.cancel)
            raise
        self._idle_waiters.append(waiter)
        if call.error is not None:
            error, call.error = call.error, None  # no reference cycle through the traceback
            raise error
        return call.result  # type: ignore[return-value]

    def _new_waiter(self) -> _Waiter | _LockWaiter:
        if self._socket_waiters >= MAX_SOCKET_WAITERS:
            return _LockWaiter()
        self._socket_waiters += 1  # never decremented: a bound, not a count of the living
        return _Waiter(*socket.socketpair())

    def stop(self) -> None:
        """Cancel what is left, stop the loop and close it (bounded; from another thread)."""
        if not self.usable() or self.in_loop_thread():
            return
        with contextlib.suppress(TimeoutError):
            self.call(_drain(), CLOSE_TIMEOUT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(CLOSE_TIMEOUT)
        # A loop still running cannot be closed; a wedged one is left to die with the process.
        if not self.thread.is_alive():
            self.loop.close()
            self._wake_reader.close()
            self._wake_writer.close()


async def _drain() -> None:
    # What asyncio.Runner.close() does, minus closing: whatever is still running
    # at exit is cancelled and allowed to finish, so no transport or task is
    # destroyed pending.
    me = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not me]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    loop = asyncio.get_running_loop()
    await loop.shutdown_asyncgens()
    await loop.shutdown_default_executor()


_lock = threading.Lock()
_loop_thread: LoopThread | None = None


def sdk_loop() -> LoopThread:
    """The process's SDK loop thread, started on first use (with the process handlers)."""
    global _loop_thread
    with _lock:
        _install_process_handlers()
        if _loop_thread is None or not _loop_thread.usable():
            _loop_thread = LoopThread()
        return _loop_thread


class Closeable(Protocol):
    """A client the SDK loop closes: ``AsyncPostpress``."""

    async def close(self) -> None: ...


class Owned:
    """What closing a client needs, held by its finalizer: never the ``Postpress`` itself."""

    __slots__ = ("client", "finalizer", "loop_thread", "pid")

    def __init__(self, client: Closeable, loop_thread: LoopThread) -> None:
        self.client = client
        self.loop_thread = loop_thread
        self.pid = os.getpid()
        self.finalizer: weakref.finalize[Any, Any] | None = None


# Clients not yet closed, so exit can close them before stopping the loop
# whichever order atexit runs the handlers in.
live_clients: set[Owned] = set()
# After a fork, the parent's clients in the child: kept alive on purpose. Their
# sockets and selector are shared with the parent, so closing them from the
# child is never safe, and collecting them would only print aiohttp's warnings.
_orphans: list[Owned] = []


def close_owned(owned: Owned) -> None:
    """Close a client on the SDK loop (bounded), from any thread of its process."""
    live_clients.discard(owned)
    loop_thread = owned.loop_thread
    if os.getpid() != owned.pid or not loop_thread.usable():
        return
    if loop_thread.in_loop_thread():
        # Garbage collection ran on the SDK loop itself: blocking would deadlock,
        # so the close is scheduled and runs as soon as the current callback ends.
        task = loop_thread.loop.create_task(owned.client.close())
        loop_thread.tasks.add(task)
        task.add_done_callback(loop_thread.tasks.discard)
        return
    with contextlib.suppress(TimeoutError):
        loop_thread.call(owned.client.close(), CLOSE_TIMEOUT)


def close_when_collected(owned: Owned) -> None:
    """The finalizer: runs at garbage collection or exit, where no caller could
    handle an error and printing one is the noise this exists to prevent."""
    with contextlib.suppress(Exception):
        close_owned(owned)


def _shutdown() -> None:
    for owned in list(live_clients):
        if owned.finalizer is not None:
            owned.finalizer()
    with _lock:
        loop_thread = _loop_thread
    if loop_thread is not None:
        loop_thread.stop()


def _after_fork_in_child() -> None:
    global _lock, _loop_thread
    # The parent's loop thread does not exist here, and the lock may have been
    # held by a parent thread at the moment of the fork.
    _lock = threading.Lock()
    _loop_thread = None
    for owned in live_clients:
        if owned.finalizer is not None:
            owned.finalizer.detach()
        _orphans.append(owned)
    live_clients.clear()


_installed = False


def _install_process_handlers() -> None:
    # Once per process (a forked child inherits both registrations), under _lock.
    global _installed
    if _installed:
        return
    _installed = True
    atexit.register(_shutdown)
    if hasattr(os, "register_at_fork"):  # POSIX
        os.register_at_fork(after_in_child=_after_fork_in_child)
