"""The sync facade across ``os.fork()``: the parent's client refuses to work in the child,
a client made in the child works, and the parent's client is unaffected."""

from __future__ import annotations

import os
import signal
import time

import pytest

from postpress_async import ClientStateError, Postpress

from .sync_helpers import API_KEY, WAIT, ServerThread

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

# The child reports through its exit code (it must never return into pytest).
OK, PARENT_CLIENT_WORKED, UNCLEAR_ERROR, NEW_CLIENT_FAILED, CRASHED = 0, 1, 2, 3, 4


def _child(parent_client: Postpress, base_url: str) -> int:
    try:
        parent_client.jobs.publish("d-child-old", account_id="acc", mode="FREE")
    except ClientStateError as exc:
        if "os.fork()" not in str(exc):
            return UNCLEAR_ERROR
    else:
        return PARENT_CLIENT_WORKED
    try:
        with Postpress(API_KEY, base_url=base_url) as fresh:
            result = fresh.jobs.publish("d-child-new", account_id="acc", mode="FREE")
    except Exception:
        return NEW_CLIENT_FAILED
    return OK if result.job_id == "d-child-new" else NEW_CLIENT_FAILED


def _wait_for_exit_code(pid: int) -> int:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("the forked child did not finish")


def test_fork_child_rejects_the_parents_client_and_can_make_its_own(
    server: ServerThread,
) -> None:
    with Postpress(API_KEY, base_url=server.base_url) as client:
        # A pooled connection and a running SDK loop exist at the fork.
        client.jobs.publish("d-parent-before", account_id="acc", mode="FREE")
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = CRASHED
            try:
                code = _child(client, server.base_url)
            finally:
                os._exit(code)
        assert _wait_for_exit_code(pid) == OK
        assert "publish d-child-old" not in server.requests
        assert "publish d-child-new" in server.requests
        after = client.jobs.publish("d-parent-after", account_id="acc", mode="FREE")
    assert after.job_id == "d-parent-after"
