"""The options every API-calling command shares: ``--proxy``, ``--timeout``,
``--max-retries`` and ``-v``/``-vv`` (the SDK's logs on stderr), named alike everywhere."""

from __future__ import annotations

import argparse
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from postpress_async._cli import build_parser
from postpress_async.sandbox import Faults, SandboxThread

from .cli_helpers import run_cli

PROXY_PASSWORD = "cli-Pr0xy-s3cret"
API_COMMANDS = {
    "publish": ["publish", "d1", "--account-id", "a", "--mode", "FREE"],
    "checkpoint": ["checkpoint", "d1", "--account-id", "a", "--input", "123"],
    "bulk": ["bulk", "drafts.csv", "--account-id", "a", "--mode", "FREE"],
    "jobs create": ["jobs", "create", "--account-id", "a"],
    "jobs edit": ["jobs", "edit", "1", "--account-id", "a"],
    "jobs get": ["jobs", "get", "1", "--account-id", "a"],
    "jobs list": ["jobs", "list", "--account-id", "a"],
    "jobs wait": ["jobs", "wait", "1", "--account-id", "a"],
    "jobs close": ["jobs", "close", "1", "--account-id", "a"],
    "applicants list": ["applicants", "list", "1", "--account-id", "a"],
    "applicants get": ["applicants", "get", "x", "--account-id", "a"],
    "applicants resume": ["applicants", "resume", "x", "--account-id", "a"],
    "search-parameters": ["search-parameters", "LOCATION", "Berlin", "--account-id", "a"],
}
PUBLISH = API_COMMANDS["publish"]


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def parse(command: str, *options: str) -> argparse.Namespace:
    return build_parser().parse_args([*API_COMMANDS[command], *options])


@pytest.mark.parametrize("command", sorted(API_COMMANDS))
def test_every_api_command_takes_the_same_connection_options(command: str) -> None:
    args = parse(
        command,
        "--proxy", "http://proxy.example:3128",
        "--timeout", "2.5",
        "--max-retries", "0",
        "-vv",
    )
    assert (args.proxy, args.timeout, args.max_retries, args.verbose) == (
        "http://proxy.example:3128", 2.5, 0, 2,
    )


@pytest.mark.parametrize("command", sorted(API_COMMANDS))
def test_unset_options_leave_the_sdk_defaults(command: str) -> None:
    args = parse(command)
    assert (args.proxy, args.timeout, args.max_retries, args.verbose) == (None, None, None, 0)


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--timeout", "0", "must be a positive number"),
        ("--timeout", "soon", "not a number"),
        ("--max-retries", "-1", "must be 0 or more"),
    ],
)
def test_a_bad_timeout_or_retry_count_is_a_usage_error(
    option: str, value: str, says: str, tmp_path: Path
) -> None:
    result = run_cli(*PUBLISH, option, value, sandbox=None, cwd=tmp_path)
    assert result.returncode == 2
    assert says in result.stderr
    assert option in result.stderr


def test_a_bad_proxy_is_a_usage_error_that_hides_its_password(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    proxy = f"socks5://user:{PROXY_PASSWORD}@127.0.0.1:1080"
    result = run_cli(*PUBLISH, "--proxy", proxy, sandbox=sandbox, cwd=tmp_path)
    assert result.returncode == 2
    assert "proxy: must be an http(s) proxy URL" in result.stderr
    assert PROXY_PASSWORD not in result.stderr + result.stdout
    assert sandbox.ledger.entries == []


def test_requests_go_through_the_proxy_given(sandbox: SandboxThread, tmp_path: Path) -> None:
    # Nothing listens there: the failure names the proxy, so the proxy was used.
    port = closed_port()
    proxy = f"http://user:{PROXY_PASSWORD}@127.0.0.1:{port}"
    result = run_cli(*PUBLISH, "--proxy", proxy, "-vv", sandbox=sandbox, cwd=tmp_path)
    assert result.returncode == 1
    assert f"cannot connect to the proxy 127.0.0.1:{port}" in result.stderr
    assert f"proxy='http://user:***@127.0.0.1:{port}'" in result.stderr  # the -vv config line
    assert PROXY_PASSWORD not in result.stderr + result.stdout
    assert sandbox.ledger.entries == []


def test_the_environment_proxy_is_used_unless_no_proxy_names_the_host(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    proxy = f"http://127.0.0.1:{closed_port()}"
    through = run_cli(*PUBLISH, sandbox=sandbox, cwd=tmp_path, HTTP_PROXY=proxy)
    assert through.returncode == 1
    assert "cannot connect to the proxy" in through.stderr

    direct = run_cli(
        *PUBLISH, sandbox=sandbox, cwd=tmp_path, HTTP_PROXY=proxy, NO_PROXY="127.0.0.1"
    )
    assert direct.returncode == 0, direct.stderr
    assert sandbox.ledger.published_count("d1") == 1


@pytest.fixture
def flaky_sandbox(postpress_sandbox_factory: Callable[..., SandboxThread]) -> SandboxThread:
    """Every draft's first publish attempt is answered 504; the retry gets through."""
    return postpress_sandbox_factory(faults=Faults(request_timeout=1.0, first_attempts=1))


def test_v_logs_the_sdks_retries_to_stderr(flaky_sandbox: SandboxThread, tmp_path: Path) -> None:
    result = run_cli(*PUBLISH, "-v", sandbox=flaky_sandbox, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "INFO postpress_async: retrying jobs.publish" in result.stderr
    assert "DEBUG" not in result.stderr
    assert flaky_sandbox.api_key not in result.stderr


def test_vv_adds_debug_records_without_secrets(
    flaky_sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli(*PUBLISH, "-vv", sandbox=flaky_sandbox, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "DEBUG postpress_async.cli: client: Postpress(base_url=" in result.stderr
    assert "INFO postpress_async: retrying" in result.stderr
    assert flaky_sandbox.api_key not in result.stderr


def test_without_v_there_are_no_logs(flaky_sandbox: SandboxThread, tmp_path: Path) -> None:
    result = run_cli(*PUBLISH, sandbox=flaky_sandbox, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_max_retries_0_gives_up_at_the_first_504(
    flaky_sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli(*PUBLISH, "--max-retries", "0", sandbox=flaky_sandbox, cwd=tmp_path)
    assert result.returncode == 1
    assert "504" in result.stderr


def test_timeout_bounds_each_attempt(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    slow = postpress_sandbox_factory(faults=Faults(latency=5.0))
    result = run_cli(
        *PUBLISH, "--timeout", "0.2", "--max-retries", "0", sandbox=slow, cwd=tmp_path
    )
    assert result.returncode == 1
    assert "timed out (limit per attempt: total=0.2s" in result.stderr


def test_bulk_takes_the_options_too(flaky_sandbox: SandboxThread, tmp_path: Path) -> None:
    (tmp_path / "drafts.csv").write_text("draft_id\nd1\nd2\n")
    result = run_cli(
        *API_COMMANDS["bulk"], "--json", "--max-retries", "0", "--timeout", "10", "-v",
        sandbox=flaky_sandbox,
        cwd=tmp_path,
    )
    assert result.returncode == 1  # each draft's one attempt was answered 504
    assert "retrying" not in result.stderr


def test_jobs_wait_bounds_the_wait_apart_from_each_request() -> None:
    args = parse("jobs wait", "--wait-timeout", "30", "--timeout", "2")
    assert (args.wait_timeout, args.timeout) == (30.0, 2.0)


def test_the_lifecycle_commands_take_the_options_too(
    flaky_sandbox: SandboxThread, tmp_path: Path
) -> None:
    # The sandbox's faults hit creates too: one retry, logged with -v, gets through.
    result = run_cli(
        "jobs", "create", "--account-id", "a", "--job-title", "x", "--company", "y",
        "--workplace", "REMOTE", "--location", "1", "--description", "d", "-v",
        sandbox=flaky_sandbox, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "INFO postpress_async: retrying jobs.create" in result.stderr
    assert len(flaky_sandbox.ledger.creations) == 1


def test_the_demo_ignores_a_proxy_in_the_environment(tmp_path: Path) -> None:
    # Its sandbox runs in the same process: no proxy could reach it.
    proxy = f"http://127.0.0.1:{closed_port()}"
    result = run_cli(
        "demo", "--drafts", "20", sandbox=None, cwd=tmp_path, HTTP_PROXY=proxy, http_proxy=proxy
    )
    assert result.returncode == 0, result.stderr
