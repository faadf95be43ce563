"""The command line's arguments: no abbreviations, and no value echoed in a usage error."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from postpress_async._cli import build_parser
from postpress_async.sandbox import SandboxThread

from .cli_helpers import run_cli

KEY = "pp_live_0123456789abcdefSECRET"
PUBLISH = ("publish", "d1", "--account-id", "a", "--mode", "FREE")


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _parsers(sub)
    return found


def test_no_parser_or_subparser_accepts_abbreviations() -> None:
    parsers = _parsers(build_parser())

    # The top level, its eight commands, jobs' six and applicants' three subcommands.
    assert len(parsers) == 1 + 8 + 6 + 3
    assert all(parser.allow_abbrev is False for parser in parsers)


def test_api_key_is_not_an_abbreviation_of_api_key_file_and_is_not_echoed(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli(*PUBLISH, "--api-key", KEY, sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert KEY not in result.stdout + result.stderr
    assert "unrecognized arguments: --api-key" in result.stderr
    assert "POSTPRESS_API_KEY" in result.stderr
    assert "--api-key-file" in result.stderr
    assert sandbox.stats.total_requests == 0


def test_an_option_given_with_equals_shows_its_name_not_its_value(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli(*PUBLISH, f"--api-key={KEY}", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert KEY not in result.stderr
    assert "--api-key and 1 value (not shown: it may be a secret)" in result.stderr


def test_an_abbreviated_option_is_refused(sandbox: SandboxThread, tmp_path: Path) -> None:
    result = run_cli(
        "publish", "d1", "--account-id", "a", "--mode", "FREE", "--bypass", sandbox=sandbox,
        cwd=tmp_path,
    )

    assert result.returncode == 2
    assert "unrecognized arguments: --bypass" in result.stderr
    assert sandbox.stats.total_requests == 0


@pytest.mark.parametrize(
    "args",
    [
        pytest.param((KEY,), id="as the command"),
        pytest.param((*PUBLISH, KEY), id="as an extra word"),
        pytest.param(("publish", "d1", "--account-id", "a", "--mode", KEY), id="as the mode"),
        pytest.param((*PUBLISH[:-1], "PROMOTED", "--service", KEY), id="as the service"),
        pytest.param((*PUBLISH[:-1], "PROMOTED", "--daily-budget", KEY), id="as an amount"),
        pytest.param(("bulk", "x.csv", "--concurrency", KEY), id="as a whole number"),
        pytest.param(("bulk", "x.csv", "--rate", KEY), id="as a rate"),
        pytest.param(("sandbox", "--seed", KEY), id="as an argparse int"),
        pytest.param((*PUBLISH, f"--json={KEY}"), id="as a flag's value"),
    ],
)
def test_a_key_typed_in_the_wrong_place_is_never_echoed(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    result = run_cli(*args, sandbox=None, cwd=tmp_path, POSTPRESS_API_KEY="pp_unused")

    assert result.returncode == 2
    assert KEY not in result.stdout + result.stderr
    assert result.stderr.strip().splitlines()[-1].count("error:") == 1


def test_an_unknown_command_lists_the_commands(tmp_path: Path) -> None:
    result = run_cli("pubish", sandbox=None, cwd=tmp_path)

    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert "publish" in result.stderr
    assert "pubish" not in result.stderr


def test_an_unknown_mode_names_the_choices(tmp_path: Path) -> None:
    result = run_cli(
        "publish", "d1", "--account-id", "a", "--mode", "X", sandbox=None, cwd=tmp_path
    )

    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "postpress publish: error: argument --mode: unknown mode; "
        "expected one of FREE, PROMOTED, PROMOTED_PLUS"
    )


def test_a_key_given_as_the_key_file_path_is_not_echoed(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli(*PUBLISH, "--api-key-file", KEY, sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert KEY not in result.stderr
    assert "does not exist" in result.stderr
    assert sandbox.stats.total_requests == 0
