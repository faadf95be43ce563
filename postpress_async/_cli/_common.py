"""What the API-calling subcommands share: connection options (``--base-url``, ``--proxy``,
``--timeout``, ``--max-retries``), ``-v``/``-vv`` logging, the API key, exit codes, and
printing an error as one clear line (never a traceback)."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, Final

from .._config import DEFAULT_MAX_RETRIES, DEFAULT_TOTAL_TIMEOUT
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
    "client_options",
    "enum_option",
    "error_line",
    "guarded",
    "log_client",
    "positive_number",
    "print_json",
    "require_rich",
    "sdk_logging",
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


def positive_number(text: str) -> float:
    """An argparse ``type=`` for a positive number (seconds, a rate); not echoed when wrong."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number (a positive one such as 10)") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


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
    """The options of every command that calls the API, named alike everywhere:
    ``--api-key-file``, ``--base-url``, ``--proxy``, ``--timeout``, ``--max-retries``,
    and ``-v``/``-vv``. Unset, each is the SDK's default (see :func:`client_options`)."""
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
    group.add_argument(
        "--proxy",
        metavar="URL",
        help="http(s) proxy, http://[USER:PASSWORD@]HOST:PORT (default: HTTPS_PROXY or "
        "HTTP_PROXY unless NO_PROXY names the host; put credentials there rather than on "
        "the command line, which other users of the machine can read)",
    )
    group.add_argument(
        "--timeout",
        type=positive_number,
        metavar="SECONDS",
        help=f"time limit of each attempt (default: {DEFAULT_TOTAL_TIMEOUT:g})",
    )
    group.add_argument(
        "--max-retries",
        type=whole_number(0, expected="must be 0 or more"),
        metavar="N",
        help="retries of a 503, a 504 or a provider error, with backoff "
        f"(default: {DEFAULT_MAX_RETRIES})",
    )
    logs = parser.add_argument_group("logging")
    logs.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log the SDK's requests and retries to stderr: -v INFO, -vv DEBUG",
    )


def client_options(args: argparse.Namespace) -> dict[str, Any]:
    """The client keywords from the connection options; those not given are left out,
    so the client's defaults apply."""
    options: dict[str, Any] = {"base_url": args.base_url}
    for name in ("proxy", "timeout", "max_retries"):
        value = getattr(args, name, None)
        if value is not None:
            options[name] = value
    return options


def log_client(client: object) -> None:
    """Log the client's configuration at DEBUG (``-vv``): its repr masks every secret."""
    logging.getLogger("postpress_async.cli").debug("client: %r", client)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of each record: the bulk
    command's progress bar swaps it for a proxy that prints above the bar."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # the stream is always the current sys.stderr


@contextlib.contextmanager
def sdk_logging(verbosity: int) -> Iterator[None]:
    """``-v``: the ``postpress_async`` logger's INFO records on stderr; ``-vv``: DEBUG too.
    Restored afterwards (the CLI may run in-process, in tests)."""
    if verbosity <= 0:
        yield
        return
    logger = logging.getLogger("postpress_async")
    handler = _StderrHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    level = logger.level
    logger.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


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
                with sdk_logging(getattr(args, "verbose", 0)):
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
