"""``postpress sandbox`` options for the job lifecycle: ``--accounts``, ``--review-delay``,
``--applicants``; and the whole life through the command line against it."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .cli_helpers import COMMAND, cli_env, json_out

JOB = ["--job-title", "Data Engineer", "--company", "Acme GmbH", "--workplace", "REMOTE",
       "--location", "106967730", "--description", "<p>Pipelines</p>"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A ``postpress sandbox`` process with two accounts, no review delay, 4 applicants
    per job; yields the environment its export lines give."""
    process = subprocess.Popen(
        [*COMMAND, "sandbox", "--port", "0", "--accounts", "2", "--review-delay", "0",
         "--applicants", "4"],
        env=cli_env(None), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        exports: dict[str, str] = {}
        for line in process.stdout:
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").strip().partition("=")
                exports[name] = value
            if len(exports) == 2:
                break
        assert len(exports) == 2, process.stderr.read() if process.stderr else ""
        yield exports
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def cli(served: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], env=cli_env(None, **served), cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_a_job_lives_its_whole_life_through_the_command_line(
    served: dict[str, str], tmp_path: Path
) -> None:
    draft = json_out(cli(served, tmp_path, "jobs", "create", "--account-id", "acc_1", *JOB,
                         "--json"))["job_id"]
    published = cli(served, tmp_path, "publish", draft, "--account-id", "acc_1", "--mode", "free")
    waited = cli(served, tmp_path, "jobs", "wait", draft, "--account-id", "acc_1",
                 "--wait-timeout", "30")
    exported = cli(served, tmp_path, "applicants", "list", draft, "--account-id", "acc_1")
    closed = cli(served, tmp_path, "jobs", "close", draft, "--account-id", "acc_1")
    listed = cli(served, tmp_path, "jobs", "list", "--account-id", "acc_1", "--category",
                 "closed", "--json")

    assert published.returncode == 0, published.stderr
    assert waited.stdout.strip() == f"job {draft} is active"
    assert len(exported.stdout.splitlines()) == 1 + 4  # the header and --applicants 4
    assert closed.returncode == 0, closed.stderr
    assert [job["id"] for job in json_out(listed)] == [draft]


def test_only_the_accounts_given_are_served(served: dict[str, str], tmp_path: Path) -> None:
    result = cli(served, tmp_path, "jobs", "create", "--account-id", "acc_3", *JOB)

    assert result.returncode == 1
    assert "404" in result.stderr
