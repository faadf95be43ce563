"""The argument parser every ``postpress`` command uses.

Two rules argparse does not keep by default:

* **No abbreviations.** ``--api-key VALUE`` must not quietly become ``--api-key-file VALUE``
  (and ``--acc`` must not become ``--account-id``): every option is spelled out in full.
  Subparsers inherit the parser class, so the rule holds for every command.
* **Never echo a value in a usage error.** A value on the command line may be an API key
  typed in the wrong place; argparse's own messages repeat values ("invalid choice:
  'pp_live_...'", "unrecognized arguments: --api-key pp_live_..."). Errors here name
  options and say what is expected, never what was given.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import Any, Final, NoReturn

__all__ = ["SECRET_HIDDEN", "Parser"]

SECRET_HIDDEN: Final = "not shown: it may be a secret"

# argparse's messages that quote a value the user typed, and what each becomes.
_VALUE_ECHOES: Final = (
    # "invalid choice: 'x' (choose from ...)"; 3.12+ may add "maybe you meant ...?".
    (re.compile(r"invalid choice: .*?(?= \(choose from|$)", re.DOTALL), "invalid choice"),
    # "invalid int value: 'x'"
    (re.compile(r"invalid (\S+) value: .*$", re.DOTALL), r"invalid \1 value"),
    # "ignored explicit argument 'x'" (a flag given --flag=x)
    (re.compile(r"ignored explicit argument .*$", re.DOTALL), "takes no value"),
)


def _without_values(message: str) -> str:
    for pattern, replacement in _VALUE_ECHOES:
        message = pattern.sub(replacement, message)
    return message


def _unrecognized(extras: Sequence[str]) -> str:
    """Name the unknown options; count the other words without showing them."""
    options = [arg.split("=", 1)[0] for arg in extras if arg.startswith("-") and arg != "-"]
    # A word that is not an option is a value; so is the part after "=" in --option=value.
    values = sum(1 for arg in extras if not arg.startswith("-") or arg == "-" or "=" in arg)
    parts = [", ".join(options)] if options else []
    if values:
        parts.append(f"{values} value{'s' if values > 1 else ''} ({SECRET_HIDDEN})")
    message = "unrecognized arguments: " + " and ".join(parts)
    if any(name.startswith("--api-key") and name != "--api-key-file" for name in options):
        message += (
            "; there is no --api-key option: put the key in the POSTPRESS_API_KEY "
            "environment variable or in a file given with --api-key-file PATH"
        )
    return message


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` without abbreviations and without echoed values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """Parse like argparse, but report unknown arguments without their values."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            self.error(_unrecognized(extras))
        return parsed

    def error(self, message: str) -> NoReturn:
        """Print the usage and a message that quotes no value, then exit 2."""
        super().error(_without_values(message))
