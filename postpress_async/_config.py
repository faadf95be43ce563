"""Client configuration in one place: the API key, the base URL, the proxy, the environment
variables that supply them, timeouts, retry counts and the "not given" sentinel.

The client, the sync facade and the command line all take these names from here.
"""

from __future__ import annotations

import ipaddress
import math
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypeGuard
from urllib.parse import urlsplit

import attrs

from ._exceptions import InvalidRequestError
from ._untrusted import redact_password

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESUME_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "NotGiven",
    "Secret",
    "Timeout",
    "TimeoutTypes",
    "check_proxy",
    "is_decimal",
    "proxy_address",
    "resolve_api_key",
    "resolve_base_url",
    "resolve_max_retries",
    "resolve_proxy",
    "resolve_timeout",
    "show_value",
]

API_KEY_ENV: Final = "POSTPRESS_API_KEY"
# A résumé download's own cap (separate from MAX_RESPONSE_BYTES, the JSON cap).
DEFAULT_MAX_RESUME_BYTES: Final = 10 * 1024 * 1024
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


def is_decimal(value: object) -> TypeGuard[Decimal]:
    """``isinstance(value, decimal.Decimal)``, without importing :mod:`decimal` (a few
    ms of import time) for the programs that never make one: none exists before it is
    imported."""
    decimal = sys.modules.get("decimal")
    return decimal is not None and isinstance(value, decimal.Decimal)


def show_value(value: object) -> str:
    """A caller's value as a validation message shows it: plainly, never a Python repr.

    Numbers as written (``-3``, not ``Decimal('-3')``), text quoted (escapes make control
    characters visible) and cut to a few dozen characters, anything else by its type.
    """
    if value is None or isinstance(value, (bool, int, float)) or is_decimal(value):
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


_PROXY_EXAMPLE: Final = "'http://user:password@proxy.example:3128'"


def _shown_proxy(url: str) -> str:
    """An invalid proxy URL as an error message may show it: nothing before its last ``@``.

    A password with an unencoded ``/``, ``?`` or ``#`` makes URL parsers (and
    :func:`redact_password`) see it as the path, so the whole user part is masked.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "", url
    if "@" in rest:
        rest = "***@" + rest.rpartition("@")[2]
    return show_value(f"{scheme}{separator}{rest}")


def check_proxy(value: object, field: str = "proxy") -> str:
    """A proxy URL, checked: ``http(s)://[user:password@]host[:port]``, nothing else.

    ``field`` names where it came from (``proxy``, ``HTTPS_PROXY``...) in the error.
    Messages never show the password.
    """
    if not isinstance(value, str):
        raise InvalidRequestError(
            field, f"must be a URL such as {_PROXY_EXAMPLE}, got {type(value).__name__}"
        )
    if not value or any(c.isspace() or not c.isprintable() for c in value):
        raise InvalidRequestError(
            field,
            f"must be a URL such as {_PROXY_EXAMPLE} without whitespace or control "
            f"characters, got {_shown_proxy(value)}",
        )
    try:
        parts = urlsplit(value)
        port = parts.port  # raises for a port that is not a number in 0-65535
    except ValueError:
        # urllib's own text may quote part of a password: it is not shown.
        parts, port = None, None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or port == 0
    ):
        raise InvalidRequestError(
            field,
            f"must be an http(s) proxy URL such as {_PROXY_EXAMPLE} (SOCKS is not "
            f"supported), got {_shown_proxy(value)}",
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InvalidRequestError(
            field,
            "must be scheme://[user:password@]host[:port] with nothing after it (a '/', "
            f"'?' or '#' in the password must be percent-encoded), got {_shown_proxy(value)}",
        )
    return value


def proxy_address(url: str) -> str:
    """``host:port`` of a proxy URL, for messages: never its credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _env_value(name: str, environ: Mapping[str, str]) -> tuple[str, str] | None:
    # The lower-case name first, as curl, urllib and requests read them: it wins even
    # when empty (an empty http_proxy switches HTTP_PROXY off).
    for var in (name.lower(), name.upper()):
        if var in environ:
            return var, environ[var]
    return None


def _bypasses_proxy(no_proxy: str, host: str, port: int) -> bool:
    """Whether ``NO_PROXY`` exempts ``host``: ``*``, a domain (its subdomains too, with
    or without a leading ``.`` or ``*.``), a ``host:port``, an IP address or a CIDR range."""
    host = host.lower().rstrip(".")
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for entry in no_proxy.replace(" ", ",").split(","):
        entry = entry.strip().lower()
        if entry == "*":
            return True
        if not entry:
            continue
        try:
            network = ipaddress.ip_network(entry.strip("[]"), strict=False)
        except ValueError:
            pass
        else:
            if address is not None and address in network:
                return True
            continue
        name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and entry_port != str(port):
            continue
        name = name.removeprefix("*").lstrip(".").rstrip(".")
        if name and (host == name or host.endswith("." + name)):
            return True
    return False


def resolve_proxy(
    proxy: str | None,
    *,
    trust_env: bool,
    base_url: str,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The proxy for requests to ``base_url``: ``proxy``, else (when ``trust_env``) the
    environment's ``HTTPS_PROXY`` / ``HTTP_PROXY`` (by the base URL's scheme) unless
    ``NO_PROXY`` exempts its host; ``None`` for a direct connection."""
    if not isinstance(trust_env, bool):
        raise InvalidRequestError(
            "trust_env", f"must be True or False, got {type(trust_env).__name__}"
        )
    if proxy is not None:
        return check_proxy(proxy)
    if not trust_env:
        return None
    environ = os.environ if environ is None else environ
    parts = urlsplit(base_url)
    scheme = parts.scheme.lower()
    if scheme == "http" and "REQUEST_METHOD" in environ:
        # In a CGI script HTTP_PROXY is the client's "Proxy:" header ("httpoxy"):
        # urllib and requests ignore it there, and so does this.
        return None
    found = _env_value(f"{scheme}_proxy", environ)
    if found is None or not found[1]:
        return None
    exempt = _env_value("no_proxy", environ)
    port = parts.port or (443 if scheme == "https" else 80)
    if exempt is not None and _bypasses_proxy(exempt[1], parts.hostname or "", port):
        return None
    var, value = found
    try:
        return check_proxy(value, var)
    except InvalidRequestError as exc:
        raise InvalidRequestError(
            var, f"{exc.message} (from the environment; trust_env=False ignores it)"
        ) from None
