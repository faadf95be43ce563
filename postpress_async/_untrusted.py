"""Text a server sent, or a URL a user gave, made safe to show, log, store or journal.

Anything a server sends is untrusted: before the SDK shows it, the configured secrets
(the API key, a URL's password) are removed (:func:`scrub`), and what goes into a
one-line message is bounded and has its control characters escaped (:func:`display`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import unquote, urlsplit

from multidict import CIMultiDict, CIMultiDictProxy

__all__ = [
    "REDACTED",
    "body_excerpt",
    "display",
    "redact_password",
    "scrub",
    "secrets_of",
]

# Bodies and fields are kept whole on the exception, but only this much goes into messages.
_EXCERPT_CHARS: Final = 200
REDACTED: Final = "***"


def display(text: str, limit: int = _EXCERPT_CHARS) -> str:
    """Server-provided text as it may appear in a one-line message or log record.

    Runs of whitespace become one space; the text is cut at ``limit`` characters; what
    is still not printable (control characters such as ESC or NUL, bidirectional
    overrides, lone surrogates) is shown as a Python escape.
    """
    text = " ".join(text[: limit * 2].split())
    if len(text) > limit:
        text = text[:limit] + "…"
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def body_excerpt(body: bytes) -> str:
    """A short, printable excerpt of a response body for error messages."""
    return display(body[: _EXCERPT_CHARS * 4].decode("utf-8", errors="replace"))


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """``value`` with every secret replaced, for str, bytes and header mappings."""
    # Untouched unless a secret is in it: an ErrorType member must stay one.
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
    elif isinstance(value, bytes):
        for secret in secrets:
            encoded = secret.encode("utf-8", "surrogatepass")
            if encoded in value:
                value = value.replace(encoded, REDACTED.encode())
    elif isinstance(value, Mapping) and any(
        secret in v for v in value.values() if isinstance(v, str) for secret in secrets
    ):
        value = CIMultiDictProxy(CIMultiDict((k, scrub(v, secrets)) for k, v in value.items()))
    return value


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
        if isinstance(url, str) and url:
            password = urlsplit(url).password
            if password:
                found += [password, unquote(password)]
    return tuple(sorted({s for s in found if len(s) >= _MIN_SECRET_CHARS}, key=len, reverse=True))
