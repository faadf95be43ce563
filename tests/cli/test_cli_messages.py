"""Messages show what the user wrote, in the user's terms: no Python reprs, no aiohttp
internals, one rule for enum values."""

from __future__ import annotations

import socket
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from postpress_async import DailyBudget, InvalidRequestError, Mode, PublishRequest, Timeout
from postpress_async.sandbox import SandboxThread

from .cli_helpers import run_cli


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: DailyBudget(currency="USD", amount=Decimal("-3")),
         "budget.amount: must be greater than 0, got -3"),
        (lambda: DailyBudget(currency="USD", amount=Decimal("Infinity")),
         "budget.amount: must be a finite number, got Infinity"),
        (lambda: DailyBudget(currency="dollars", amount=1),
         "budget.currency: must be a three-letter ISO 4217 code such as 'USD', got 'dollars'"),
        (lambda: DailyBudget(currency=["USD"], amount=1),
         "budget.currency: must be a three-letter ISO 4217 code such as 'USD', got a list"),
        (lambda: Timeout(total=Decimal("5")),
         "timeout.total: must be a number of seconds or None, got 5 (Decimal)"),
        (lambda: Timeout(connect=-1.5),
         "timeout.connect: must be a positive number of seconds, got -1.5"),
        (lambda: PublishRequest("d1", account_id="a", mode="x" * 500),
         "mode: unknown mode '" + "x" * 60 + "...'; expected one of FREE, PROMOTED, PROMOTED_PLUS"),
    ],
)
def test_validation_messages_show_the_value_as_written(build: Any, message: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        build()

    assert str(caught.value) == message


def test_mode_and_service_are_one_rule_in_any_case() -> None:
    assert PublishRequest("d1", account_id="a", mode="promoted_plus").mode is Mode.PROMOTED_PLUS
    with pytest.raises(InvalidRequestError, match="unknown mode"):
        PublishRequest("d1", account_id="a", mode="\u017free")  # long s: not ASCII "free"


def test_the_publish_command_takes_any_case_too(sandbox: SandboxThread, tmp_path: Path) -> None:
    result = run_cli(
        "publish", "d1", "--account-id", "a", "--mode", "Promoted", "--service", "recruiter",
        sandbox=sandbox, cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert (sandbox.ledger.entries[0].mode, sandbox.ledger.entries[0].service) == (
        "PROMOTED", "RECRUITER"
    )


def test_a_refused_connection_names_the_host_and_reason_not_aiohttp_internals(
    tmp_path: Path,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    result = run_cli(
        "publish", "d1", "--account-id", "a", "--mode", "FREE",
        "--base-url", f"http://127.0.0.1:{port}/api/v1",
        sandbox=None, cwd=tmp_path, POSTPRESS_API_KEY="pp_test",
    )

    assert result.returncode == 1
    assert result.stderr == (
        "postpress publish: error: connection error: "
        f"cannot connect to 127.0.0.1:{port} (Connection refused)\n"
    )
