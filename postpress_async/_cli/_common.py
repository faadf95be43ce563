"""What the API-calling subcommands share: connection options, the API key, exit codes, and
printing an error as one clear line (never a traceback)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any, Final

from .._enums import _StrEnum, request_member
from .._exceptions import (
    APIStatusError,
    InvalidRequestError,
    PostpressError,
    UnexpectedResponseError,
)

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Interrupted",
    "UsageError",
    "add_connection_options",
    "api_key",
    "enum_option",
    "error_line",
    "guarded",
    "print_json",
    "require_rich",
    "whole_number",
]

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130  # 128 + SIGINT, what shells report for Ctrl-C

API_KEY_ENV: Final = "POSTPRESS_API_KEY"


class UsageError(Exception):
    """A mistake in how the command was called (exit status 2)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, with what it means at this point: ``str()`` says what may have happened and
    how to check. Raised from a ``KeyboardInterrupt`` by a command that knows."""


def whole_number(
    minimum: int, maximum: int | None = None, *, expected: str
) -> Callable[[str], int]:
    """An argparse ``type=`` for a whole number in ``[minimum, maximum]``.

    ``expected`` says what is allowed ("must be at least 1"); the number is appended. Text
    that is not a number is not echoed (see ``_parser``: it may be a misplaced key).
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number ({expected})") from None
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"{expected}, got {value}")
        return value

    return parse


def enum_option(enum_class: type[_StrEnum], name: str) -> Callable[[str], _StrEnum]:
    """An argparse ``type=`` for a mode or service: the SDK's rule (any case), one message."""
    expected = ", ".join(member.value for member in enum_class)

    def parse(text: str) -> _StrEnum:
        member = request_member(enum_class, text)
        if member is None:
            raise argparse.ArgumentTypeError(f"unknown {name}; expected one of {expected}")
        return member

    return parse


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """``--api-key-file`` and ``--base-url``; the key otherwise comes from the environment."""
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--api-key-file",
        metavar="PATH",
        help=f"read the API key from this file (default: the {API_KEY_ENV} environment variable)",
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (default: POSTPRESS_BASE_URL, else https://api.postpress.ai/api/v1)",
    )


def api_key(args: argparse.Namespace) -> str:
    """The API key from ``--api-key-file`` or the environment; a UsageError when there is none."""
    path = getattr(args, "api_key_file", None)
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                key = handle.read().strip()
        except FileNotFoundError:
            # Not echoed: a "path" that is no file is often the key itself, given here.
            raise UsageError(
                "the API key file given with --api-key-file does not exist; pass the path of "
                f"a file that holds the key (or set {API_KEY_ENV}), not the key itself"
            ) from None
        except OSError as exc:
            raise UsageError(f"cannot read the API key file {path!r}: {exc.strerror}") from None
        except UnicodeDecodeError:
            # Never echo the bytes: they are (part of) a secret.
            raise UsageError(f"the API key file {path!r} is not UTF-8 text") from None
        if not key:
            raise UsageError(f"the API key file {path!r} is empty")
        return key
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise UsageError(f"no API key: set {API_KEY_ENV} or pass --api-key-file PATH")
    return key


def error_line(error: BaseException) -> str:
    """An error as one line, with the request id when there is one."""
    text = " ".join(str(error).split())
    request_id = getattr(error, "request_id", None)
    if (
        isinstance(error, (APIStatusError, UnexpectedResponseError))
        and request_id
        and request_id not in text
    ):
        text += f" (request_id={request_id})"
    if not isinstance(error, (PostpressError, UsageError)):
        text = f"{type(error).__name__}: {text}"
    return text


def print_json(payload: Any) -> None:
    """One JSON document on stdout."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def require_rich(command: str, *, has_json: bool = False) -> None:
    """Fail with a clear message (UsageError) when the ``[cli]`` extra is not installed."""
    try:
        import rich  # noqa: F401
    except ImportError:
        alternative = " (or use --json)" if has_json else ""
        raise UsageError(
            f"'postpress {command}' shows its progress with the 'rich' package, which is not "
            f'installed: pip install "postpress-async[cli]"{alternative}'
        ) from None


def guarded(
    name: str,
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Turn a subcommand's errors into one line on stderr and an exit status.

    Usage errors and invalid arguments (nothing was sent) exit 2, API and connection
    errors 1, Ctrl-C 130. No traceback reaches the user.
    """

    def wrap(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        def run(args: argparse.Namespace) -> int:
            try:
                return func(args)
            except (UsageError, InvalidRequestError) as exc:
                print(f"postpress {name}: error: {error_line(exc)}", file=sys.stderr)
                return EXIT_USAGE
            except PostpressError as exc:
                print(f"postpress {name}: error: {error_line(exc)}", file=sys.stderr)
                return EXIT_FAILED
            except KeyboardInterrupt as exc:
                what = f": {exc}" if isinstance(exc, Interrupted) else ""
                print(f"postpress {name}: interrupted{what}", file=sys.stderr)
                return EXIT_INTERRUPTED

        run.__doc__ = func.__doc__
        return run

    return wrap
