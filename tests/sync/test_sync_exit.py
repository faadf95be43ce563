"""The sync facade in child Pythons run with ``-X dev -W error::ResourceWarning``: every way a
client's life can end leaves stderr clean, and Ctrl-C cancels the request in flight."""

from __future__ import annotations

import signal
import subprocess
import textwrap

import pytest

from .sync_helpers import API_KEY, PYTHON, WAIT, ServerThread

# What aiohttp, asyncio and the interpreter print when a session, connector, socket or
# loop is dropped unclosed, or closed from the wrong place.
DIRTY = (
    "Unclosed client session",
    "Unclosed connector",
    "Event loop is closed",
    "unclosed",
    "ResourceWarning",
    "Exception ignored",
    "was never awaited",
    "Traceback",
)

PRELUDE = f"""
import gc, sys
from postpress_async import Postpress
URL = sys.argv[1]
def make():
    return Postpress({API_KEY!r}, base_url=URL)
"""

ENDINGS = {
    "close": """
        client = make()
        print(client.jobs.publish("d-1", account_id="acc", mode="FREE").job_id)
        client.close()
    """,
    "with_block": """
        with make() as client:
            print(client.jobs.publish("d-1", account_id="acc", mode="FREE").job_id)
    """,
    "no_close_then_exit": """
        client = make()
        print(client.jobs.publish("d-1", account_id="acc", mode="FREE").job_id)
    """,
    "del_and_gc": """
        client = make()
        print(client.jobs.publish("d-1", account_id="acc", mode="FREE").job_id)
        del client
        gc.collect()
    """,
    "rebinding": """
        client = make()
        print(client.jobs.publish("d-1", account_id="acc", mode="FREE").job_id)
        client = make()
        print(client.jobs.publish("d-2", account_id="acc", mode="FREE").job_id)
    """,
    "error_raised_then_exit": """
        client = make()
        try:
            client.jobs.publish("missing", account_id="acc", mode="FREE")
        except Exception as exc:
            print(type(exc).__name__)
    """,
}

EXPECTED_STDOUT = {
    "rebinding": "d-1\nd-2\n",
    "error_raised_then_exit": "NotFoundError\n",
}


def _python(script: str, base_url: str, env: dict[str, str]) -> list[str]:
    return [PYTHON, "-X", "dev", "-W", "error::ResourceWarning", "-c", script, base_url]


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_ending_a_client_prints_nothing_on_stderr(
    ending: str, server: ServerThread, subprocess_env: dict[str, str]
) -> None:
    script = PRELUDE + textwrap.dedent(ENDINGS[ending])
    proc = subprocess.run(
        _python(script, server.base_url, subprocess_env),
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == EXPECTED_STDOUT.get(ending, "d-1\n")
    assert not [marker for marker in DIRTY if marker in proc.stderr], proc.stderr


CTRL_C = PRELUDE + textwrap.dedent(
    """
    client = make()
    try:
        client.jobs.publish("slow", account_id="acc", mode="FREE", max_retries=0)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.stdin.readline()  # the test checks the server meanwhile
        print(client.jobs.publish("d-after", account_id="acc", mode="FREE").job_id, flush=True)
        raise
    """
)


def test_ctrl_c_cancels_the_request_in_flight_and_raises_keyboard_interrupt(
    server: ServerThread, subprocess_env: dict[str, str]
) -> None:
    proc = subprocess.Popen(
        _python(CTRL_C, server.base_url, subprocess_env),
        env=subprocess_env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.slow_started.wait(WAIT), "the child never sent its request"
        proc.send_signal(signal.SIGINT)
        # Observed while the child is still alive, waiting on stdin: the connection was
        # closed by the cancellation, not by the process exiting.
        assert server.slow_disconnected.wait(WAIT), "the request was not cancelled"
        assert proc.poll() is None
        stdout, stderr = proc.communicate("\n", timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert stdout == "interrupted\nd-after\n"
    assert proc.returncode == -signal.SIGINT  # how Python exits on an uncaught Ctrl-C
    assert stderr.rstrip().endswith("KeyboardInterrupt")
    noise = [m for m in DIRTY if m != "Traceback" and m in stderr]
    assert not noise, stderr


HANDLERS = """
import atexit, os, sys
registered = []
real_atexit, real_fork = atexit.register, os.register_at_fork

def record_atexit(func, *args, **kwargs):
    registered.append(("atexit", func.__module__))
    return real_atexit(func, *args, **kwargs)

def record_fork(**kwargs):
    registered.append(("fork", kwargs["after_in_child"].__module__))
    return real_fork(**kwargs)

atexit.register, os.register_at_fork = record_atexit, record_fork

def ours():
    return sorted(kind for kind, module in registered if module.startswith("postpress_async"))

import postpress_async
print(ours())
first = postpress_async.Postpress("pp_test", base_url=sys.argv[1])
second = postpress_async.Postpress("pp_test", base_url=sys.argv[1])
print(ours())
"""


def test_exit_and_fork_handlers_are_registered_by_the_first_client_not_at_import(
    server: ServerThread, subprocess_env: dict[str, str]
) -> None:
    proc = subprocess.run(
        _python(HANDLERS, server.base_url, subprocess_env),
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["[]", "['atexit', 'fork']"]
