"""SandboxThread: the same sandbox for sync code, on its own loop in a daemon thread."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from postpress_async.sandbox import Draft, SandboxThread


def publish(sandbox, draft_id, body=None):
    request = urllib.request.Request(
        f"{sandbox.base_url}/linkedin/jobs/{draft_id}/publish",
        data=json.dumps(body or {"account_id": "acc_1", "mode": "FREE"}).encode(),
        headers={"X-API-KEY": sandbox.api_key, "content-type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_sandbox_thread_serves_sync_callers():
    with SandboxThread() as sandbox:
        status, payload = publish(sandbox, "d1")
    assert (status, payload["job_id"]) == (200, "d1")


def test_sandbox_thread_ledger_is_readable_from_the_calling_thread():
    with SandboxThread() as sandbox:
        publish(sandbox, "d1")
        publish(sandbox, "d2")
        assert [entry.draft_id for entry in sandbox.ledger.entries] == ["d1", "d2"]


def test_sandbox_thread_takes_the_sandbox_arguments():
    with SandboxThread(drafts=[Draft("only")], api_key="pp_test_k") as sandbox:
        assert sandbox.api_key == "pp_test_k"
        assert publish(sandbox, "other")[0] == 404


async def test_sandbox_thread_works_inside_a_running_event_loop():
    with SandboxThread() as sandbox:
        assert publish(sandbox, "d1")[0] == 200


def test_sandbox_thread_stop_is_idempotent():
    sandbox = SandboxThread()
    sandbox.start()
    sandbox.stop()
    sandbox.stop()


def test_sandbox_thread_attributes_need_a_running_sandbox():
    with pytest.raises(RuntimeError, match="not running"):
        _ = SandboxThread().base_url


def test_leaving_a_sandbox_thread_in_a_forked_child_does_not_hang():
    import os
    import signal

    with SandboxThread() as sandbox:
        pid = os.fork()
        if pid == 0:  # the child: stop() must return at once
            signal.alarm(10)  # a hang kills the child (nonzero exit) instead of the suite
            sandbox.stop()
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert sandbox.port  # the parent's sandbox still runs
