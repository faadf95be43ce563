"""Client configuration in one place: the API key, the base URL, the environment
variables that supply them, timeouts, retry counts and the "not given" sentinel.

The client, the sync facade and the command line all take these names from here.
"""

from __future__ import annotations

import math
import os
from decimal import Decimal
from typing import Any, Final, Literal
from urllib.parse import unquote, urlsplit

import attrs

from ._exceptions import InvalidRequestError

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "NotGiven",
    "Secret",
    "Timeout",
    "TimeoutTypes",
    "redact_password",
    "resolve_api_key",
    "resolve_base_url",
    "resolve_max_retries",
    "resolve_timeout",
    "secrets_of",
    "show_value",
]

API_KEY_ENV: Final = "POSTPRESS_API_KEY"
BASE_URL_ENV: Final = "POSTPRESS_BASE_URL"

# The API page's curl example uses /api/v1 while its heading shows /v1; the
# example is what the provider answers on, so it is the default.
DEFAULT_BASE_URL: Final = "https://api.postpress.ai/api/v1"
DEFAULT_MAX_RETRIES: Final = 2
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
# LinkedIn publishing is slow (tens of seconds is normal for promoted posts).
DEFAULT_TOTAL_TIMEOUT: Final = 90.0


class NotGiven:
    """Sentinel telling "argument not given" apart from ``None`` (which means "no timeout")."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

# Longest text a validation message quotes from the caller's value.
_SHOWN_CHARS: Final = 60


def show_value(value: object) -> str:
    """A caller's value as a validation message shows it: plainly, never a Python repr.

    Numbers as written (``-3``, not ``Decimal('-3')``), text quoted (escapes make control
    characters visible) and cut to a few dozen characters, anything else by its type.
    """
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        try:
            return str(value)
        except ValueError:  # an int with more digits than int->str conversion allows
            return "a number too large to show"
    if isinstance(value, str):
        if len(value) > _SHOWN_CHARS:
            return repr(value[:_SHOWN_CHARS])[:-1] + "...'"
        return repr(value)
    return f"a {type(value).__name__}"


def _seconds(field: str) -> Any:
    def check(_: object, __: object, value: float | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidRequestError(
                field,
                f"must be a number of seconds or None, got {show_value(value)} "
                f"({type(value).__name__})",
            )
        if not math.isfinite(value) or value <= 0:
            raise InvalidRequestError(
                field, f"must be a positive number of seconds, got {show_value(value)}"
            )

    return attrs.field(default=None, validator=check)


@attrs.frozen
class Timeout:
    """Time limits for ONE attempt of a call (retries each get their own).

    ``total`` bounds the whole attempt (connecting, sending, waiting, reading);
    ``connect`` bounds opening the TCP/TLS connection. ``None`` means no limit.
    """

    total: float | None = _seconds("timeout.total")
    connect: float | None = _seconds("timeout.connect")


DEFAULT_TIMEOUT: Final = Timeout(total=DEFAULT_TOTAL_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)

TimeoutTypes = float | Timeout | None


def resolve_timeout(value: TimeoutTypes | NotGiven, default: Timeout) -> Timeout:
    """A call's effective :class:`Timeout`; a plain number sets ``total``."""
    if isinstance(value, NotGiven):
        return default
    if isinstance(value, Timeout):
        return value
    if value is None:
        return Timeout(total=None, connect=None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRequestError(
            "timeout",
            "must be seconds (a number), a Timeout or None, "
            f"got {show_value(value)} ({type(value).__name__})",
        )
    connect = DEFAULT_CONNECT_TIMEOUT
    if math.isfinite(value) and value > 0:
        connect = min(float(value), DEFAULT_CONNECT_TIMEOUT)
    return Timeout(total=float(value), connect=connect)


def resolve_max_retries(value: int | NotGiven, default: int) -> int:
    """A call's effective retry count, validated."""
    if isinstance(value, NotGiven):
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequestError(
            "max_retries", f"must be a whole number >= 0, got {show_value(value)}"
        )
    return value


class Secret(str):
    """The API key: a real ``str`` for the HTTP layer, masked wherever it is repr'd
    (debuggers, rich/pytest tracebacks with locals, logged header dicts)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"


def resolve_api_key(value: str | None) -> Secret:
    """The API key to use: ``value``, else ``$POSTPRESS_API_KEY``; checked, never echoed."""
    key = value if value is not None else os.environ.get(API_KEY_ENV)
    # Masked before a check can fail: these frames' traceback locals show '***'.
    if isinstance(key, str):
        key = value = Secret(key)
    if not key:
        raise InvalidRequestError(
            "api_key",
            f"no API key: pass api_key=... or set the {API_KEY_ENV} environment variable",
        )
    if not isinstance(key, str):
        raise InvalidRequestError("api_key", f"must be a string, got {type(key).__name__}")
    # Never echo the key itself: say what is wrong with it.
    if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
        raise InvalidRequestError(
            "api_key", "contains whitespace, control or non-ASCII characters (a pasted newline?)"
        )
    return Secret(key)


def redact_password(url: str) -> str:
    """``url`` with the password of a ``user:password@`` part masked, for reprs and messages.

    aiohttp sends such credentials as Basic auth, so they are as secret as the API key.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:  # "user:pw@host" with the scheme forgotten
        scheme, rest = "", url
    end = min((i for i in map(rest.find, "/?#") if i != -1), default=len(rest))
    userinfo, at, host = rest[:end].rpartition("@")
    user, colon, _ = userinfo.partition(":")
    if not at or not colon:
        return url
    return f"{scheme}{separator}{user}:***@{host}{rest[end:]}"


# Shorter "secrets" are not removed from messages: they would mangle every message
# that happens to contain those letters, and such a secret protects nothing anyway.
_MIN_SECRET_CHARS: Final = 4


def secrets_of(api_key: str, *urls: str | None) -> tuple[str, ...]:
    """What must never be shown: the key, and each URL's password (as written and decoded)."""
    found = [api_key]
    for url in urls:
        if url:
            password = urlsplit(url).password
            if password:
                found += [password, unquote(password)]
    return tuple(sorted({s for s in found if len(s) >= _MIN_SECRET_CHARS}, key=len, reverse=True))


def resolve_base_url(value: str | None) -> str:
    """The base URL to use: ``value``, else ``$POSTPRESS_BASE_URL``, else the default."""
    url = value if value is not None else os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    if not isinstance(url, str):
        raise InvalidRequestError("base_url", f"must be a string, got {type(url).__name__}")
    if any(c.isspace() or not c.isprintable() for c in url):
        # urlsplit quietly drops tabs and newlines, and the path is sent as it is
        # (encoded=True): a space would go out raw in the HTTP request line.
        raise InvalidRequestError(
            "base_url", f"contains whitespace or control characters: {redact_password(url)!r}"
        )
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number in 0-65535
    except ValueError as exc:
        # Otherwise a bare ValueError from urllib, or from yarl at the first call.
        raise InvalidRequestError(
            "base_url", f"is not a valid URL ({exc}): {redact_password(url)!r}"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise InvalidRequestError(
            "base_url", f"must be an http(s) URL such as {DEFAULT_BASE_URL!r}, "
            f"got {redact_password(url)!r}"
        )
    if parts.query or parts.fragment:
        raise InvalidRequestError(
            "base_url", f"must not have a query or fragment, got {redact_password(url)!r}"
        )
    return url.rstrip("/")
