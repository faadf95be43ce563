"""``postpress bulk``: stopping when the API cannot be reached, and what the summary says."""

from __future__ import annotations

import socket
from pathlib import Path

from postpress_async import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ErrorType,
    PublishRequest,
)
from postpress_async._bulk import Outcome, OutcomeKind
from postpress_async._cli._bulk_cmd import _Unreachable
from postpress_async.sandbox import SandboxThread

from .cli_helpers import json_out, run_cli

REQUEST = PublishRequest("d1", account_id="a", mode="FREE")


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _drafts(tmp_path: Path, n: int) -> None:
    (tmp_path / "drafts.csv").write_text("draft_id\n" + "".join(f"d{i}\n" for i in range(n)))


def test_an_api_that_cannot_be_reached_stops_the_run_after_its_first_drafts(
    tmp_path: Path,
) -> None:
    _drafts(tmp_path, 500)
    port = _closed_port()

    result = run_cli(
        "bulk", "drafts.csv", "--account-id", "a", "--mode", "FREE", "--concurrency", "4",
        "--base-url", f"http://127.0.0.1:{port}/api/v1", "--json",
        sandbox=None, cwd=tmp_path, POSTPRESS_API_KEY="pp_test",
    )

    summary = json_out(result)
    assert result.returncode == 1
    assert summary["stopped_early"]
    assert summary["stop_error"] == (
        f"connection error: cannot connect to 127.0.0.1:{port} (Connection refused)"
    )
    assert 4 <= summary["counts"]["failed"] <= 8  # the first drafts, and those in flight
    assert summary["counts"]["not_attempted"] == 500 - summary["counts"]["failed"]
    assert summary["sent"] == summary["counts"]["failed"]


def test_the_table_shows_why_the_run_stopped_and_each_error_types_first_message(
    tmp_path: Path,
) -> None:
    _drafts(tmp_path, 50)
    port = _closed_port()

    result = run_cli(
        "bulk", "drafts.csv", "--account-id", "a", "--mode", "FREE",
        "--base-url", f"http://127.0.0.1:{port}/api/v1",
        sandbox=None, cwd=tmp_path, POSTPRESS_API_KEY="pp_test", COLUMNS="40",
    )

    lines = result.stdout.splitlines()
    assert result.returncode == 1
    reason = f"connection error: cannot connect to 127.0.0.1:{port} (Connection refused)"
    assert any(line.startswith("first connection_error: draft d") and line.endswith(reason)
               for line in lines)
    assert (
        "stopped early: the first drafts could not reach the API and none got through: "
        f"{reason}; the remaining drafts were not attempted"
    ) in lines
    assert "ssl:" not in result.stdout


def test_connection_failures_after_a_draft_got_through_never_stop_the_run() -> None:
    unreachable = _Unreachable(after=2)
    unreachable.on_outcome(Outcome(OutcomeKind.PUBLISHED, 0, REQUEST))

    refused = APIConnectionError("connection error: refused")
    assert not any(unreachable.should_stop(refused) for _ in range(10))


def test_the_first_connection_failures_stop_the_run_and_the_default_stops_still_apply() -> None:
    unreachable = _Unreachable(after=2)
    refused = APIConnectionError("connection error: refused")
    invalid_key = AuthenticationError(
        status=401,
        type=ErrorType.INVALID_CREDENTIALS,
        title="Unauthorized",
        detail=None,
        request_id=None,
    )

    assert not unreachable.should_stop(refused)
    assert unreachable.should_stop(APITimeoutError("the request timed out"))  # timeouts count
    assert unreachable.first_error is refused
    assert _Unreachable(after=5).should_stop(invalid_key)


def test_error_lines_are_one_line_each_when_output_is_not_a_terminal(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    long_id = "draft-" + "x" * 90
    (tmp_path / "drafts.csv").write_text(f"draft_id,mode\n{long_id},SOMETIMES\nd2,FREE\n")

    result = run_cli(
        "bulk", "drafts.csv", "--account-id", "a", sandbox=sandbox, cwd=tmp_path, COLUMNS="40"
    )

    expected = (
        "drafts.csv:2: unknown mode 'SOMETIMES'; expected one of FREE, PROMOTED, PROMOTED_PLUS"
    )
    assert expected in result.stderr.splitlines()
    assert f"first invalid_row: draft {long_id}: {expected}" in result.stdout.splitlines()


def test_the_rate_counts_only_drafts_that_were_sent(sandbox: SandboxThread, tmp_path: Path) -> None:
    _drafts(tmp_path, 3)
    args = ("bulk", "drafts.csv", "--account-id", "a", "--mode", "FREE", "--journal", "j.jsonl")
    first = run_cli(*args, sandbox=sandbox, cwd=tmp_path)

    again = run_cli(*args, sandbox=sandbox, cwd=tmp_path)

    assert "3 drafts sent in " in first.stdout
    assert "0 drafts sent in " in again.stdout  # all three settled in the journal


def test_mode_and_service_cells_are_read_in_any_case_like_the_sdk(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "drafts.csv").write_text(
        "draft_id,mode,service\nd1,free,\nd2,Promoted_Plus,classic\nd3,FREE,Recruiter\n"
    )

    result = run_cli("bulk", "drafts.csv", "--account-id", "a", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    entries = {entry.draft_id: entry for entry in sandbox.ledger}
    assert entries["d1"].mode == "FREE"
    assert entries["d2"].mode == "PROMOTED_PLUS"
    assert len(entries) == 3


def test_a_bad_amount_in_a_row_is_shown_as_written(sandbox: SandboxThread, tmp_path: Path) -> None:
    (tmp_path / "drafts.csv").write_text(
        "draft_id,mode,budget_period,budget_amount,budget_currency\nd1,PROMOTED,daily,-3,USD\n"
    )

    result = run_cli("bulk", "drafts.csv", "--account-id", "a", sandbox=sandbox, cwd=tmp_path)

    assert "drafts.csv:2: budget.amount: must be greater than 0, got -3" in result.stderr
    assert "Decimal" not in result.stdout + result.stderr
