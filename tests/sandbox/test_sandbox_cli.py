"""``postpress sandbox`` as a real process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from postpress_async._cli import main

REPO = Path(__file__).resolve().parents[2]


def start_cli(*args):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "postpress_async", "sandbox", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def read_exports(process):
    exports = {}
    for line in process.stdout:
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").strip().partition("=")
            exports[name] = value
        if len(exports) == 2:
            return exports
    raise AssertionError(f"no export lines; stderr: {process.stderr.read()}")


def test_cli_sandbox_serves_until_sigint_and_exits_zero():
    process = start_cli("--api-key", "pp_test_cli")
    try:
        exports = read_exports(process)
        request = urllib.request.Request(
            exports["POSTPRESS_BASE_URL"] + "/linkedin/jobs/d1/publish",
            data=json.dumps({"account_id": "a", "mode": "FREE"}).encode(),
            headers={"X-API-KEY": exports["POSTPRESS_API_KEY"], "content-type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["job_id"] == "d1"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_cli_sandbox_prints_a_base_url_on_127_0_0_1_with_the_prefix():
    process = start_cli("--prefix", "/v9")
    try:
        exports = read_exports(process)
        assert exports["POSTPRESS_BASE_URL"].startswith("http://127.0.0.1:")
        assert exports["POSTPRESS_BASE_URL"].endswith("/v9")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_cli_refuses_a_fault_rate_above_one(capsys):
    assert main(["sandbox", "--fault-rate", "1.5"]) == 2
    assert "--fault-rate" in capsys.readouterr().err


def test_cli_without_a_command_prints_help_and_returns_2(capsys):
    assert main([]) == 2
    assert "sandbox" in capsys.readouterr().out


def test_cli_refuses_a_port_out_of_range_as_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sandbox", "--port", "-5"])
    assert exit_.value.code == 2
    assert "between 0 and 65535" in capsys.readouterr().err


def test_cli_refuses_an_empty_api_key(capsys):
    assert main(["sandbox", "--port", "0", "--api-key", ""]) == 2
    assert "--api-key must not be empty" in capsys.readouterr().err


def test_cli_refuses_a_negative_draft_count_as_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sandbox", "--port", "0", "--drafts", "-3"])
    assert exit_.value.code == 2
    assert "must be 0 (any draft id) or more" in capsys.readouterr().err
