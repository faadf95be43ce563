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
    parser.set_defaults(func=run)



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
    )
    async with sandbox:
        print(f"postpress sandbox listening on {sandbox.root_url}")
        print(f"  base URL: {sandbox.base_url}")
        print(f"  API key:  {sandbox.api_key}")
        print(f"  ledger:   {sandbox.root_url}/_sandbox/ledger")
        print(f"  stats:    {sandbox.root_url}/_sandbox/stats")
        print(f"export POSTPRESS_BASE_URL={shlex.quote(sandbox.base_url)}")
        print(f"export POSTPRESS_API_KEY={shlex.quote(sandbox.api_key)}")
        print("Press Ctrl-C to stop.", flush=True)
        await stop.wait()
        ledger = sandbox.ledger
        print(
            f"stopped: {len(ledger)} publish(es), duplicates: {ledger.duplicates() or 'none'}",
            flush=True,
        )
