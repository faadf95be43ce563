"""What a user sees in a real terminal (a pty): Ctrl-C during ``bulk`` and ``publish``."""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pexpect  # type: ignore[import-untyped]
import pytest

from postpress_async import Postpress
from postpress_async.sandbox import Draft, Faults, SandboxThread

from .cli_helpers import COMMAND, cli_env, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs a pty")

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _spawn(args: list[str], sandbox: SandboxThread, cwd: Path, columns: int = 80) -> pexpect.spawn:
    child = pexpect.spawn(
        COMMAND[0],
        [*COMMAND[1:], *args],
        env=cli_env(sandbox, TERM="xterm", COLUMNS=str(columns)),
        cwd=str(cwd),
        encoding="utf-8",
        timeout=60,
        dimensions=(24, columns),
    )
    child.logfile_read = io.StringIO()
    return child


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert condition()


def _screen(text: str, columns: int) -> list[str]:
    """The lines a terminal shows after ``text``: redrawn lines appear once."""
    pyte = pytest.importorskip("pyte")
    screen = pyte.Screen(columns, 200)
    pyte.Stream(screen).feed(text)
    return [line.rstrip() for line in screen.display if line.strip()]


def test_ctrl_c_during_bulk_draws_the_bar_once_and_every_count_agrees(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    # 60 columns: the bar fills the line, where the "^C" echo used to wrap it.
    sandbox = postpress_sandbox_factory(faults=Faults(latency=0.05))
    (tmp_path / "drafts.csv").write_text("draft_id\n" + "".join(f"d{i}\n" for i in range(2000)))
    args = ["bulk", "drafts.csv", "--account-id", "a", "--mode", "free", "--concurrency", "4"]
    child = _spawn(args, sandbox, tmp_path, columns=60)
    try:
        child.expect(r"published \d")
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    output = child.logfile_read.getvalue()
    text = ANSI.sub("", output)

    assert child.exitstatus == 130
    bars = [line for line in _screen(output, 60) if "━" in line and not set("┏┡┃│└├") & set(line)]
    assert len(bars) == 1, bars
    assert "interrupted" in bars[0]
    assert "bulk publishing cancelled" not in text
    interrupted_line = text.split("postpress bulk: interrupted:")[1].splitlines()[0]
    stderr_counts = dict(re.findall(r"(\w+)=(\d+)", interrupted_line))
    table_published = re.search(r"│ published\s*│\s*(\d+) │", text)
    table_not_attempted = re.search(r"│ not attempted\s*│\s*(\d+) │", text)
    assert table_published
    assert table_not_attempted
    assert stderr_counts["published"] == table_published.group(1)
    assert stderr_counts["not_attempted"] == table_not_attempted.group(1)
    assert sum(map(int, stderr_counts.values())) == 2000
    sent = re.search(r"(\d+) drafts sent in", text)
    assert sent
    assert int(sent.group(1)) == int(stderr_counts["published"])


def test_ctrl_c_during_publish_says_it_may_have_gone_through_and_how_to_check(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(faults=Faults(latency=1.0))
    args = ["publish", "d1", "--account-id", "a", "--mode", "free"]
    child = _spawn(args, sandbox, tmp_path)
    try:
        _wait_for(lambda: sandbox.stats.total_requests == 1)
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    said = " ".join(ANSI.sub("", child.logfile_read.getvalue()).split())

    assert child.exitstatus == 130
    assert "postpress publish: interrupted: the publish of draft d1 may have gone through" in said
    assert "postpress publish d1 --account-id a --mode FREE" in said
    assert "'already published'" in said

    _wait_for(lambda: len(sandbox.ledger) == 1)  # it had gone through
    again = run_cli(*args, sandbox=sandbox, cwd=tmp_path)
    assert again.returncode == 0
    assert "already published" in again.stdout
    assert sandbox.ledger.published_count("d1") == 1


def test_ctrl_c_at_the_checkpoint_prompt_says_how_to_solve_it_later(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(drafts=[Draft("d1", checkpoints=(("OTP", "1"),))])
    child = _spawn(["publish", "d1", "--account-id", "a", "--mode", "FREE"], sandbox, tmp_path)
    try:
        child.expect("OTP code for draft d1: ")
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    said = " ".join(ANSI.sub("", child.logfile_read.getvalue()).split())

    assert child.exitstatus == 130
    assert "interrupted: draft d1 still awaits its checkpoint" in said
    assert "postpress checkpoint d1 --account-id a --input CODE" in said
    assert len(sandbox.ledger) == 0


def test_bulk_v_prints_log_records_above_a_bar_drawn_once(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    # Each draft's first attempt is answered 504: one INFO record per draft.
    sandbox = postpress_sandbox_factory(faults=Faults(request_timeout=1.0, first_attempts=1))
    (tmp_path / "drafts.csv").write_text("draft_id\nd1\nd2\nd3\n")
    args = ["bulk", "drafts.csv", "--account-id", "a", "--mode", "free", "-v"]
    child = _spawn(args, sandbox, tmp_path, columns=200)
    try:
        child.expect(pexpect.EOF)
    finally:
        child.close()
    lines = _screen(child.logfile_read.getvalue(), 200)

    assert child.exitstatus == 0
    records = [line for line in lines if "INFO postpress_async: retrying jobs.publish" in line]
    bars = [line for line in lines if "━" in line and not set("┏┡┃│└├") & set(line)]
    assert len(records) == 3
    assert len(bars) == 1, bars
    assert lines.index(records[-1]) < lines.index(bars[0])


def _live_job(sandbox: SandboxThread) -> str:
    with Postpress(api_key=sandbox.api_key, base_url=sandbox.base_url) as client:
        draft = client.jobs.create(
            account_id="a", job_title="Data Engineer", company="Acme GmbH",
            workplace="REMOTE", location="106967730", description="<p>Pipelines</p>",
        )
        client.jobs.publish(draft.job_id, account_id="a", mode="FREE")
        client.jobs.wait_for_state(draft.job_id, account_id="a", timeout=30, poll_interval=0.05)
    return draft.job_id


def test_applicants_export_shows_one_bar_that_ends_at_the_count(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(
        review_delay=0, applicants=2000,
        faults=Faults(latency=0.02, endpoints=frozenset({"list_applicants"})),
    )
    job_id = _live_job(sandbox)
    args = ["applicants", "list", job_id, "--account-id", "a", "--page-size", "100",
            "--output", "applicants.csv"]
    child = _spawn(args, sandbox, tmp_path)
    try:
        child.expect(pexpect.EOF)
    finally:
        child.close()
    lines = _screen(child.logfile_read.getvalue(), 80)

    assert child.exitstatus == 0
    bars = [line for line in lines if "━" in line]
    assert len(bars) == 1, bars
    assert "exported applicants" in bars[0]
    assert "2000/2000" in bars[0]
    assert f"exported 2000 applicants of job {job_id} to applicants.csv" in lines
    assert len((tmp_path / "applicants.csv").read_text().splitlines()) == 1 + 2000


def test_ctrl_c_during_an_export_leaves_no_file(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(
        review_delay=0, applicants=2000,
        faults=Faults(latency=0.2, endpoints=frozenset({"list_applicants"})),
    )
    job_id = _live_job(sandbox)
    args = ["applicants", "list", job_id, "--account-id", "a", "--page-size", "50",
            "--output", "applicants.csv"]
    child = _spawn(args, sandbox, tmp_path)
    try:
        child.expect("exporting applicants")
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    said = " ".join(ANSI.sub("", child.logfile_read.getvalue()).split())

    assert child.exitstatus == 130
    assert "postpress applicants list: interrupted" in said
    assert list(tmp_path.iterdir()) == []
