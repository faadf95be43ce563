"""``postpress bulk`` across accounts: the health check first, a table by account, each
stopped account's reason, ``by_account`` in ``--json``, exit codes unchanged."""

from __future__ import annotations

from pathlib import Path

from postpress_async.sandbox import Account, SandboxThread

from .cli_helpers import json_out, run_cli


def _three_accounts_csv(tmp_path: Path, per_account: int = 10) -> None:
    rows = "".join(
        f"{account}-{i},{account}\n" for i in range(per_account) for account in ("a", "b", "c")
    )
    (tmp_path / "drafts.csv").write_text("draft_id,account_id\n" + rows)


def test_json_has_counts_by_account_and_the_stopped_accounts_reason(tmp_path: Path) -> None:
    _three_accounts_csv(tmp_path)
    accounts = [Account("a"), Account("b", status="CREDENTIALS"), Account("c")]
    with SandboxThread(accounts=accounts) as sandbox:
        result = run_cli(
            "bulk", "drafts.csv", "--mode", "FREE", "--per-account-concurrency", "2", "--json",
            sandbox=sandbox, cwd=tmp_path,
        )
        publishes_of_b = [e for e in sandbox.ledger if e.account_id == "b"]

    summary = json_out(result)
    assert result.returncode == 1  # drafts were not attempted: unchanged exit code
    by_account = summary["by_account"]
    assert by_account["a"]["counts"]["published"] == 10
    assert by_account["c"]["counts"]["published"] == 10
    assert by_account["a"]["stop"] is None
    assert by_account["b"]["counts"]["not_attempted"] == 10
    assert by_account["b"]["stop"] == {
        "scope": "account",
        "account_id": "b",
        "cause": "account status CREDENTIALS",
    }
    assert summary["stopped_early"]
    assert summary["stop_error"] is None  # the run itself was not stopped
    assert not publishes_of_b


def test_the_summary_shows_a_table_by_account_and_why_an_account_stopped(
    tmp_path: Path,
) -> None:
    _three_accounts_csv(tmp_path)
    accounts = [Account("a"), Account("b", status="PERMISSIONS"), Account("c")]
    with SandboxThread(accounts=accounts) as sandbox:
        result = run_cli(
            "bulk", "drafts.csv", "--mode", "FREE", "--no-check-accounts", "--concurrency", "1",
            sandbox=sandbox, cwd=tmp_path,
        )

    text = " ".join(result.stdout.split())
    assert result.returncode == 1
    assert "By account" in result.stdout
    assert "stopped early for account b: 403 errors/account_restricted" in text
    assert "the remaining drafts were not attempted" in text


def test_a_wrong_key_is_found_by_the_health_check_before_any_draft_is_sent(
    tmp_path: Path,
) -> None:
    _three_accounts_csv(tmp_path)
    with SandboxThread(accounts=3) as sandbox:
        result = run_cli(
            "bulk", "drafts.csv", "--mode", "FREE", "--json",
            sandbox=sandbox, cwd=tmp_path, POSTPRESS_API_KEY="pp_wrong_key",
        )
        publishes = len(sandbox.ledger)

    summary = json_out(result)
    assert result.returncode == 1
    assert "invalid_credentials" in summary["stop_error"]
    assert summary["counts"]["not_attempted"] == 30
    assert summary["sent"] == 0
    assert publishes == 0
