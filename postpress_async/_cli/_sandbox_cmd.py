"""``postpress sandbox``: serve the embedded sandbox until SIGINT/SIGTERM.

Prints the base URL and API key (and ``export`` lines for the environment variables the
client reads), flushing at once so a parent process or a test reading the pipe sees them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import signal
import sys
from typing import Any

from ._common import whole_number

__all__ = ["register", "run"]

_draft_count = whole_number(0, expected="must be 0 (any draft id) or more")
_account_count = whole_number(0, expected="must be 0 (any account id) or more")
_port = whole_number(0, 65535, expected="must be between 0 and 65535")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``sandbox`` subcommand."""
    from ..sandbox import DEFAULT_API_KEY, DEFAULT_PREFIX

    parser = subparsers.add_parser(
        "sandbox",
        help="run a local postpress sandbox server",
        description=(
            "Run an embedded postpress API server that enforces the contract, keeps state, "
            "injects seeded faults and records every publish in a ledger "
            "(GET /_sandbox/ledger, GET /_sandbox/stats)."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=8080,
        help="port; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=0, help="fault seed (default: %(default)s)")
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=0.0,
        metavar="F",
        help="probability of a retryable fault per request (500 provider_error, 503s, 504, "
        "commit-then-fail), 0 to 1 (default: %(default)s)",
    )
    parser.add_argument(
        "--api-key", default=DEFAULT_API_KEY, help="API key to accept (default: %(default)s)"
    )
    parser.add_argument(
        "--prefix", default=DEFAULT_PREFIX, help="API path prefix (default: %(default)s)"
    )
    parser.add_argument(
        "--drafts",
        type=_draft_count,
        default=0,
        metavar="N",
        help="serve only drafts draft-00001..N (default: accept any draft id)",
    )
    parser.add_argument(
        "--accounts",
        type=_account_count,
        default=0,
        metavar="N",
        help="serve only accounts acc_1..acc_N, healthy (default: accept any account id)",
    )
    parser.add_argument(
        "--review-delay",
        type=_seconds_or_range,
        default=None,
        metavar="SECONDS",
        help="how long a published created draft stays in review: a number, or MIN,MAX "
        "for a seeded value per job; 0 goes live on the next read (default: 0.5,2)",
    )
    parser.add_argument(
        "--applicants",
        type=_count_or_range,
        default=None,
        metavar="N",
        help="applicants per job once active: a number, or MIN,MAX (default: 3,8)",
    )
    parser.set_defaults(func=run)


def _range(text: str, parse: Any, what: str) -> Any:
    parts = text.split(",")
    if len(parts) > 2:
        raise argparse.ArgumentTypeError(f"expected {what} or MIN,MAX")
    try:
        values = [parse(part) for part in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what} or MIN,MAX") from None
    if any(not 0 <= value < float("inf") for value in values):
        raise argparse.ArgumentTypeError(f"must not be negative, got {text}")
    if len(values) == 2:
        if values[0] > values[1]:
            raise argparse.ArgumentTypeError(f"MIN must not exceed MAX, got {text}")
        return (values[0], values[1])
    return values[0]


def _seconds_or_range(text: str) -> Any:
    return _range(text, float, "a number of seconds")


def _count_or_range(text: str) -> Any:
    return _range(text, int, "a whole number")



def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 0 on a clean stop."""
    if not 0.0 <= args.fault_rate <= 1.0:
        print("postpress sandbox: --fault-rate must be between 0 and 1", file=sys.stderr)
        return 2
    if not args.api_key:
        print("postpress sandbox: --api-key must not be empty", file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        # Platforms without loop signal handlers (Windows) stop with KeyboardInterrupt.
        pass
    except OSError as exc:
        print(f"postpress sandbox: cannot listen: {exc}", file=sys.stderr)
        return 1
    return 0


async def _serve(args: argparse.Namespace) -> None:
    from ..sandbox import Faults, Sandbox

    # Unset knobs keep the sandbox's own defaults.
    lifecycle = {
        name: value
        for name, value in (("review_delay", args.review_delay), ("applicants", args.applicants))
        if value is not None
    }
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    sandbox = Sandbox(
        host=args.host,
        port=args.port,
        seed=args.seed,
        faults=Faults.transient(args.fault_rate),
        api_key=args.api_key,
        prefix=args.prefix,
        generate=args.drafts,
        accounts=args.accounts or None,
        **lifecycle,
    )
    async with sandbox:
        print(f"postpress sandbox listening on {sandbox.root_url}")
        print(f"  base URL: {sandbox.base_url}")
        print(f"  API key:  {sandbox.api_key}")
        print(f"  ledger:   {sandbox.root_url}/_sandbox/ledger")
        print(f"  stats:    {sandbox.root_url}/_sandbox/stats")
        if args.accounts:
            print(f"  accounts: acc_1..acc_{args.accounts}")
        print(f"export POSTPRESS_BASE_URL={shlex.quote(sandbox.base_url)}")
        print(f"export POSTPRESS_API_KEY={shlex.quote(sandbox.api_key)}")
        print("Press Ctrl-C to stop.", flush=True)
        await stop.wait()
        ledger = sandbox.ledger
        print(
            f"stopped: {len(ledger)} publish(es), duplicates: {ledger.duplicates() or 'none'}",
            flush=True,
        )
