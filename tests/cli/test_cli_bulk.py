"""``postpress bulk``: exit codes, summary, --json, bad rows, journal, early stop."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from postpress_async.sandbox import Draft, SandboxThread

from .cli_helpers import json_out, run_cli

GOOD_CSV = "draft_id,mode\nd1,FREE\nd2,FREE\nd3,FREE\n"


def test_a_csv_of_good_rows_is_published_and_exits_0(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "drafts.csv").write_text(GOOD_CSV)

    result = run_cli("bulk", "drafts.csv", "--account-id", "acc_1", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Summary" in result.stdout
    assert "published" in result.stdout
    assert sorted(e.draft_id for e in sandbox.ledger) == ["d1", "d2", "d3"]


def test_json_output_is_one_document_with_every_count(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "drafts.csv").write_text(GOOD_CSV + "d1,FREE\n")

    result = run_cli(
        "bulk", "drafts.csv", "--account-id", "acc_1", "--json", sandbox=sandbox, cwd=tmp_path
    )

    summary = json_out(result)
    assert result.returncode == 0
    assert summary["counts"] == {
        "published": 3,
        "checkpoint": 0,
        "already_published": 0,
        "failed": 0,
        "skipped": 1,
        "not_attempted": 0,
    }
    assert summary["exit_code"] == 0


def test_bad_rows_are_reported_with_their_line_and_good_rows_still_published(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "drafts.csv").write_text(
        "draft_id,mode,budget_period,budget_amount,budget_currency\n"
        "d1,FREE,,,\n"
        "d2,X,,,\n"
        "d3,PROMOTED,daily,abc,USD\n"
        ",FREE,,,\n"
        "d5,PROMOTED,monthly,100,EUR\n"
    )

    result = run_cli(
        "bulk", "drafts.csv", "--account-id", "acc_1", "--json", sandbox=sandbox, cwd=tmp_path
    )

    assert result.returncode == 1
    assert "drafts.csv:3: unknown mode 'X'" in result.stderr
    assert "drafts.csv:4: bad amount 'abc'" in result.stderr
    assert "drafts.csv:5: missing draft_id" in result.stderr
    summary = json_out(result)
    assert summary["counts"]["failed"] == 3
    assert summary["counts"]["published"] == 2
    assert [f["line"] for f in summary["failures"]] == [3, 4, 5]
    assert sorted(e.draft_id for e in sandbox.ledger) == ["d1", "d5"]


def test_jsonl_rows_override_the_command_options(sandbox: SandboxThread, tmp_path: Path) -> None:
    rows = [
        {"draft_id": "d1"},
        {
            "draft_id": "d2",
            "mode": "PROMOTED",
            "account_id": "acc_2",
            "budget_period": "daily",
            "budget_amount": 25,
            "budget_currency": "usd",
            "hiring_photo_frame": True,
        },
    ]
    (tmp_path / "drafts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))

    result = run_cli(
        "bulk",
        "drafts.jsonl",
        "--account-id",
        "acc_1",
        "--mode",
        "FREE",
        sandbox=sandbox,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    entries = {e.draft_id: e for e in sandbox.ledger}
    assert (entries["d1"].mode, entries["d1"].account_id) == ("FREE", "acc_1")
    assert (entries["d2"].mode, entries["d2"].account_id) == ("PROMOTED", "acc_2")
    assert entries["d2"].budget == {"daily": {"currency": "USD", "amount": 25}}


def test_a_draft_awaiting_a_checkpoint_exits_1(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(
        drafts=[Draft("d1"), Draft("d2", checkpoints=(("OTP", "1"),))]
    )
    (tmp_path / "drafts.csv").write_text("draft_id\nd1\nd2\n")

    result = run_cli(
        "bulk",
        "drafts.csv",
        "--account-id",
        "a",
        "--mode",
        "FREE",
        "--json",
        sandbox=sandbox,
        cwd=tmp_path,
    )

    assert result.returncode == 1
    assert json_out(result)["counts"]["checkpoint"] == 1


def test_drafts_already_published_exit_0(sandbox: SandboxThread, tmp_path: Path) -> None:
    (tmp_path / "drafts.csv").write_text(GOOD_CSV)
    run_cli("bulk", "drafts.csv", "--account-id", "a", sandbox=sandbox, cwd=tmp_path)

    again = run_cli(
        "bulk", "drafts.csv", "--account-id", "a", "--json", sandbox=sandbox, cwd=tmp_path
    )

    assert again.returncode == 0
    assert json_out(again)["counts"]["already_published"] == 3
    assert not sandbox.ledger.duplicates()


def test_a_rerun_with_the_journal_sends_nothing_settled(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "drafts.csv").write_text(GOOD_CSV)
    args = ("bulk", "drafts.csv", "--account-id", "a", "--journal", "run.jsonl", "--json")
    run_cli(*args, sandbox=sandbox, cwd=tmp_path)
    sent = sandbox.stats.total_requests

    again = run_cli(*args, sandbox=sandbox, cwd=tmp_path)

    assert again.returncode == 0
    assert json_out(again)["counts"]["skipped"] == 3
    assert sandbox.stats.total_requests == sent


def test_invalid_credentials_stop_early_and_the_rest_is_not_attempted(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "drafts.csv").write_text("draft_id\n" + "".join(f"d{i}\n" for i in range(40)))
    (tmp_path / "key").write_text("pp_wrong_key\n")

    result = run_cli(
        "bulk",
        "drafts.csv",
        "--account-id",
        "a",
        "--mode",
        "FREE",
        "--concurrency",
        "2",
        "--api-key-file",
        "key",
        "--json",
        "--no-check-accounts",  # the drafts themselves meet the wrong key
        sandbox=sandbox,
        cwd=tmp_path,
    )

    summary = json_out(result)
    assert result.returncode == 1
    assert summary["stopped_early"]
    assert "invalid_credentials" in summary["stop_error"]
    assert summary["counts"]["failed"] == 2
    assert summary["counts"]["not_attempted"] == 38
    assert summary["failures"][0]["request_id"]
    assert "pp_wrong_key" not in result.stdout + result.stderr


def test_an_unknown_column_is_a_usage_error(sandbox: SandboxThread, tmp_path: Path) -> None:
    (tmp_path / "drafts.csv").write_text("draft_id,acount_id\nd1,a\n")

    result = run_cli("bulk", "drafts.csv", "--mode", "FREE", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert "unknown column(s) 'acount_id'" in result.stderr
    assert sandbox.stats.total_requests == 0


def test_a_missing_api_key_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "drafts.csv").write_text(GOOD_CSV)

    result = run_cli("bulk", "drafts.csv", "--account-id", "a", sandbox=None, cwd=tmp_path)

    assert result.returncode == 2
    assert "POSTPRESS_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_file_type_is_a_usage_error(sandbox: SandboxThread, tmp_path: Path) -> None:
    (tmp_path / "drafts.txt").write_text(GOOD_CSV)

    result = run_cli("bulk", "drafts.txt", "--account-id", "a", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert "use .csv or .jsonl" in result.stderr


def test_without_rich_the_table_is_refused_clearly_and_json_still_works(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    no_rich = tmp_path / "no_rich" / "rich"
    no_rich.mkdir(parents=True)
    (no_rich / "__init__.py").write_text("raise ImportError('rich is not installed')\n")
    (tmp_path / "drafts.csv").write_text(GOOD_CSV)
    args = ("bulk", "drafts.csv", "--account-id", "a")

    table = run_cli(*args, sandbox=sandbox, cwd=tmp_path, PYTHONPATH=str(no_rich.parent))
    as_json = run_cli(
        *args, "--json", sandbox=sandbox, cwd=tmp_path, PYTHONPATH=str(no_rich.parent)
    )

    assert table.returncode == 2
    assert 'pip install "postpress-async[cli]"' in table.stderr
    assert as_json.returncode == 0, as_json.stderr
    assert json_out(as_json)["counts"]["published"] == 3


def test_a_file_that_is_not_utf8_is_a_usage_error_before_anything_is_sent(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "drafts.csv").write_bytes(b"draft_id,mode\nd1,FREE\ncaf\xe9,FREE\n")

    result = run_cli("bulk", "drafts.csv", "--account-id", "a", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert "not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr
    assert sandbox.stats.total_requests == 0


def test_an_oversized_csv_field_is_a_bad_row_and_the_other_rows_are_published(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    huge = "x" * 200_000  # beyond the csv module's field limit
    (tmp_path / "drafts.csv").write_text(f'draft_id,mode\nd1,FREE\n"{huge}",FREE\nd3,FREE\n')

    result = run_cli(
        "bulk", "drafts.csv", "--account-id", "a", "--json", sandbox=sandbox, cwd=tmp_path
    )

    assert result.returncode == 1, result.stderr
    assert "drafts.csv:3: unreadable CSV" in result.stderr
    assert json_out(result)["counts"]["failed"] == 1
    assert sorted(e.draft_id for e in sandbox.ledger) == ["d1", "d3"]


def test_a_duplicated_column_is_a_usage_error(sandbox: SandboxThread, tmp_path: Path) -> None:
    (tmp_path / "drafts.csv").write_text("draft_id,mode,mode\nd1,FREE,PROMOTED\n")

    result = run_cli("bulk", "drafts.csv", "--account-id", "a", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert "duplicate column(s) 'mode'" in result.stderr
    assert sandbox.stats.total_requests == 0


def test_a_journal_path_that_is_a_directory_is_one_line_not_a_traceback(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "drafts.csv").write_text(GOOD_CSV)
    (tmp_path / "journal").mkdir()

    result = run_cli(
        "bulk",
        "drafts.csv",
        "--account-id",
        "a",
        "--journal",
        "journal",
        "--json",
        sandbox=sandbox,
        cwd=tmp_path,
    )

    assert result.returncode == 2
    assert "journal: cannot read 'journal'" in result.stderr
    assert "Traceback" not in result.stderr


def test_running_out_of_credits_says_only_promoted_drafts_were_not_attempted(
    tmp_path: Path,
) -> None:
    from postpress_async.sandbox import Account

    rows = "".join(f"p{i},PROMOTED\nf{i},FREE\n" for i in range(4))
    (tmp_path / "drafts.csv").write_text("draft_id,mode\n" + rows)
    with SandboxThread(accounts=[Account("acc_1", credits=1)]) as limited:
        result = run_cli(
            "bulk", "drafts.csv", "--account-id", "acc_1", "--concurrency", "1",
            sandbox=limited, cwd=tmp_path,
        )
        published = sorted(e.draft_id for e in limited.ledger)

    assert result.returncode == 1
    assert "the remaining promoted drafts were not attempted" in " ".join(result.stdout.split())
    assert published == ["f0", "f1", "f2", "f3", "p0"]
