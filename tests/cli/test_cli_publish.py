"""``postpress publish`` and ``postpress checkpoint``, including the prompt on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pexpect  # type: ignore[import-untyped]

from postpress_async.sandbox import Draft, SandboxThread

from .cli_helpers import COMMAND, cli_env, json_out, run_cli


def test_publish_prints_the_job_and_exits_0(sandbox: SandboxThread, tmp_path: Path) -> None:
    result = run_cli(
        "publish", "d1", "--account-id", "a", "--mode", "free", sandbox=sandbox, cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "published draft d1: job d1 is active"
    assert sandbox.ledger.published_count("d1") == 1


def test_publish_json_prints_the_outcome_record(sandbox: SandboxThread, tmp_path: Path) -> None:
    result = run_cli(
        "publish",
        "d1",
        "--account-id",
        "a",
        "--mode",
        "PROMOTED",
        "--daily-budget",
        "25",
        "--currency",
        "USD",
        "--json",
        sandbox=sandbox,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert json_out(result) == {
        "draft_id": "d1",
        "mode": "PROMOTED",
        "account_id": "a",
        "outcome": "published",
        "job_id": "d1",
        "job_state": "active",
    }
    assert sandbox.ledger.entries[0].budget == {"daily": {"currency": "USD", "amount": 25}}


def test_publishing_an_already_published_draft_exits_0_without_publishing_again(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    args = ("publish", "d1", "--account-id", "a", "--mode", "FREE")
    run_cli(*args, sandbox=sandbox, cwd=tmp_path)

    again = run_cli(*args, sandbox=sandbox, cwd=tmp_path)

    assert again.returncode == 0
    assert "already published" in again.stdout
    assert sandbox.ledger.published_count("d1") == 1


def test_an_api_error_is_one_line_with_the_request_id(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli(
        "publish",
        "d1",
        "--account-id",
        "a",
        "--mode",
        "FREE",
        sandbox=sandbox,
        cwd=tmp_path,
        POSTPRESS_API_KEY="pp_wrong",
    )

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("postpress publish: error: 401 errors/invalid_credentials")
    assert "request_id=req_" in lines[0]


def test_an_api_key_file_that_is_not_utf8_is_a_usage_error_that_does_not_echo_it(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "key").write_bytes(b"pp_live_\xff\xfesecret")

    result = run_cli(
        "publish",
        "d1",
        "--account-id",
        "a",
        "--mode",
        "FREE",
        "--api-key-file",
        "key",
        sandbox=sandbox,
        cwd=tmp_path,
    )

    assert result.returncode == 2
    expected = "postpress publish: error: the API key file 'key' is not UTF-8 text"
    assert result.stderr.strip() == expected
    assert sandbox.stats.total_requests == 0


def test_a_budget_without_currency_is_a_usage_error(sandbox: SandboxThread, tmp_path: Path) -> None:
    result = run_cli(
        "publish",
        "d1",
        "--account-id",
        "a",
        "--mode",
        "PROMOTED",
        "--daily-budget",
        "10",
        sandbox=sandbox,
        cwd=tmp_path,
    )

    assert result.returncode == 2
    assert "--currency" in result.stderr
    assert sandbox.stats.total_requests == 0


def test_a_checkpoint_off_a_terminal_says_how_to_solve_it_and_exits_1(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(drafts=[Draft("d1", checkpoints=(("OTP", "123456"),))])

    result = run_cli(
        "publish", "d1", "--account-id", "a", "--mode", "FREE", sandbox=sandbox, cwd=tmp_path
    )

    assert result.returncode == 1
    assert "postpress checkpoint d1 --account-id a --input CODE" in result.stderr


def test_the_checkpoint_command_solves_it(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(drafts=[Draft("d1", checkpoints=(("OTP", "123456"),))])
    run_cli("publish", "d1", "--account-id", "a", "--mode", "FREE", sandbox=sandbox, cwd=tmp_path)

    wrong = run_cli(
        "checkpoint", "d1", "--account-id", "a", "--input", "000000", sandbox=sandbox, cwd=tmp_path
    )
    right = run_cli(
        "checkpoint",
        "d1",
        "--account-id",
        "a",
        "--input",
        "123456",
        "--json",
        sandbox=sandbox,
        cwd=tmp_path,
    )

    assert wrong.returncode == 1
    assert "invalid_checkpoint_solution" in wrong.stderr
    assert right.returncode == 0
    assert json_out(right) == {  # no "mode": the checkpoint command is not told it
        "draft_id": "d1",
        "account_id": "a",
        "outcome": "published",
        "job_id": "d1",
        "job_state": "active",
    }
    assert sandbox.ledger.published_count("d1") == 1


def test_on_a_terminal_publish_prompts_for_each_code_until_published(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(
        drafts=[Draft("d1", checkpoints=(("OTP", "111111"), ("EMAIL_VERIFICATION", "tok")))]
    )
    child = pexpect.spawn(
        COMMAND[0],
        [*COMMAND[1:], "publish", "d1", "--account-id", "a", "--mode", "FREE"],
        env=cli_env(sandbox),
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=30,
    )
    try:
        child.expect("OTP code for draft d1: ")
        child.sendline("000000")
        child.expect("not accepted .* try again")
        child.expect("OTP code for draft d1: ")
        child.sendline("111111")
        child.expect("email verification token for draft d1: ")
        child.sendline("tok")
        child.expect("published draft d1: job d1 is active")
        child.expect(pexpect.EOF)
    finally:
        child.close()

    assert child.exitstatus == 0
    assert sandbox.ledger.published_count("d1") == 1


def test_on_a_terminal_an_empty_code_leaves_the_checkpoint_pending(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(drafts=[Draft("d1", checkpoints=(("OTP", "1"),))])
    child = pexpect.spawn(
        sys.executable,
        [*COMMAND[1:], "publish", "d1", "--account-id", "a", "--mode", "FREE"],
        env=cli_env(sandbox),
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=30,
    )
    try:
        child.expect("OTP code for draft d1: ")
        child.sendline("")
        child.expect("postpress checkpoint d1")
        child.expect(pexpect.EOF)
    finally:
        child.close()

    assert child.exitstatus == 1
    assert len(sandbox.ledger) == 0
