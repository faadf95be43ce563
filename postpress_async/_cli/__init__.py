"""The ``postpress`` command line.

Each subcommand lives in its own module exposing ``register(subparsers)``, which adds its
parser and sets ``func`` (``(argparse.Namespace) -> int``) as a default. Add a subcommand by
appending its module to ``_SUBCOMMANDS``; its parser is a :class:`._parser.Parser` (no
abbreviations, no echoed values). Subcommand modules import heavy or optional
dependencies (``rich``, the client) inside their ``func``, so ``postpress sandbox`` and
``postpress --help`` work with the core dependencies alone.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

from .._version import __version__
from ._parser import Parser

__all__ = ["build_parser", "main"]

# Order is the order shown in --help.
_SUBCOMMANDS: Sequence[str] = (
    "postpress_async._cli._publish_cmd",
    "postpress_async._cli._checkpoint_cmd",
    "postpress_async._cli._bulk_cmd",
    "postpress_async._cli._jobs_cmd",
    "postpress_async._cli._applicants_cmd",
    "postpress_async._cli._search_cmd",
    "postpress_async._cli._demo_cmd",
    "postpress_async._cli._sandbox_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every registered subcommand.

    Subparsers are built by the same :class:`Parser` class: no abbreviated option is
    accepted anywhere, and no usage error echoes a value.
    """
    parser = Parser(
        prog="postpress",
        description="Create, publish, follow and close LinkedIn job postings through postpress, "
        "read their applicants, or run a local sandbox.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _SUBCOMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    code: int = func(args)
    return code
