"""``postpress demo`` and the command line as a whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from postpress_async.sandbox import Faults, SandboxThread

from .cli_helpers import COMMAND, cli_env, run_cli


def test_the_demo_publishes_each_draft_exactly_once_with_faults(tmp_path: Path) -> None:
    result = run_cli("demo", "--drafts", "200", "--seed", "3", sandbox=None, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "each of the 200 drafts published exactly once, and created once" in result.stdout
    assert "Summary" in result.stdout
    assert " 504: " in result.stdout  # faults were injected and survived


def test_the_demo_runs_the_whole_life_of_each_job(tmp_path: Path) -> None:
    result = run_cli("demo", "--drafts", "30", sandbox=None, cwd=tmp_path)
    said = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}

    assert result.returncode == 0, result.stderr
    assert "Berlin 106967730" in said["search"]
    assert said["create"].startswith("  create   30 drafts in")
    assert said["review"].startswith("  review   30 jobs active")
    assert said["applied"].startswith("  applied  ")
    assert said["close"].startswith("  close    30 jobs closed in")


def test_the_demo_with_no_faults_needs_no_retry(tmp_path: Path) -> None:
    result = run_cli("demo", "--drafts", "10", "--fault-rate", "0", sandbox=None, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "answered (200: " in result.stdout
    assert " 504: " not in result.stdout


def test_the_demo_refuses_a_fault_rate_above_1(tmp_path: Path) -> None:
    result = run_cli("demo", "--fault-rate", "1.5", sandbox=None, cwd=tmp_path)

    assert result.returncode == 2
    assert "--fault-rate" in result.stderr


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run_cli("--help", sandbox=None, cwd=tmp_path)

    assert result.returncode == 0
    for command in ("publish", "checkpoint", "bulk", "jobs", "applicants", "search-parameters",
                    "demo", "sandbox"):
        assert command in result.stdout


@pytest.mark.skipif(os.name != "posix", reason="SIGINT delivery to a child is POSIX-specific")
def test_ctrl_c_during_bulk_exits_130_with_a_valid_resumable_journal(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(faults=Faults(latency=0.05))
    (tmp_path / "drafts.csv").write_text("draft_id\n" + "".join(f"d{i:03d}\n" for i in range(200)))
    journal = tmp_path / "run.jsonl"
    args = ["bulk", "drafts.csv", "--account-id", "a", "--mode", "FREE", "--concurrency", "4"]
    child = subprocess.Popen(
        [*COMMAND, *args, "--journal", str(journal), "--json"],
        env=cli_env(sandbox),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if journal.exists() and journal.read_text().count('"published"') >= 10:
            break
        time.sleep(0.01)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)

    assert child.returncode == 130, err
    summary = json.loads(out)
    assert summary["interrupted"]
    assert summary["exit_code"] == 130
    assert summary["counts"]["not_attempted"] > 0
    assert sum(summary["counts"].values()) == 200
    counts = " ".join(f"{kind}={n}" for kind, n in summary["counts"].items())
    assert err.strip() == f"postpress bulk: interrupted: {counts}"  # the same counts, once
    for line in journal.read_text().splitlines():
        json.loads(line)

    time.sleep(0.1)  # the server finishes what the interrupted requests started
    again = run_cli(*args, "--journal", str(journal), "--json", sandbox=sandbox, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert sorted(e.draft_id for e in sandbox.ledger) == [f"d{i:03d}" for i in range(200)]
    assert not sandbox.ledger.duplicates()
