"""Every error the SDK raises.

All of them derive from :class:`PostpressError`, so one ``except`` catches
everything the SDK can throw; nothing from aiohttp, cattrs, tenacity or
``json`` reaches the caller raw::

    PostpressError
    ├── InvalidRequestError          (also a ValueError; raised before any byte is sent)
    ├── ClientStateError             (also a RuntimeError: closed client, wrong event loop...)
    ├── APIConnectionError           (no response: refused, reset, dropped, TLS failure)
    │   └── APITimeoutError          (an attempt exceeded its timeout)
    ├── UnexpectedResponseError      (a success status whose body is not a known payload)
    └── APIStatusError               (an HTTP error status; class follows the status)
        ├── BadRequestError              400
        ├── AuthenticationError          401
        ├── PermissionDeniedError        403
        ├── NotFoundError                404
        ├── UnprocessableEntityError     422
        │   └── AlreadyPublishedError    422 errors/action_already_performed
        ├── RateLimitError               429
        ├── InternalServerError          500
        ├── ServiceUnavailableError      503
        └── GatewayTimeoutError          504

The HTTP status picks the class and ``status``; the body's ``type`` is kept
separately (the provider has documented bodies whose ``status`` disagrees with
the HTTP status, so neither is derived from the other).

Everything a server sends is untrusted text. The configured secrets (the API key, a
URL's password) are removed from what an error stores (:meth:`PostpressError.redact`,
called by the request core), and every server-provided field shown in a message is
bounded and has its control characters escaped (:func:`display`), so a message is one
line that cannot forge log lines, recolour a terminal, or fail to encode.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

from ._enums import ErrorType

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AlreadyPublishedError",
    "AuthenticationError",
    "BadRequestError",
    "ClientStateError",
    "GatewayTimeoutError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "PostpressError",
    "RateLimitError",
    "ServiceUnavailableError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
]

# Bodies and fields are kept whole on the exception, but only this much goes into messages.
_EXCERPT_CHARS = 200
REDACTED = "***"


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


def _scrub(value: Any, secrets: Iterable[str]) -> Any:
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
        value = CIMultiDictProxy(CIMultiDict((k, _scrub(v, secrets)) for k, v in value.items()))
    return value


class PostpressError(Exception):
    """Base class of every error raised by postpress-async."""

    def redact(self, secrets: Iterable[str]) -> None:
        """Remove ``secrets`` from every text this error stores, and from its message."""
        secrets = [secret for secret in secrets if secret]
        if not secrets:
            return
        for name, value in vars(self).items():
            setattr(self, name, _scrub(value, secrets))
        self.args = tuple(_scrub(arg, secrets) for arg in self.args)

    def __reduce__(self) -> tuple[object, ...]:
        # Most subclasses take other arguments than their ``args`` (keyword-only, or a
        # field and a message), so pickle (multiprocessing, ProcessPoolExecutor,
        # pytest-xdist) rebuilds them without calling __init__.
        state = self.__dict__.copy()
        headers = state.get("headers")
        copy_headers = getattr(headers, "copy", None)
        if not isinstance(headers, dict) and callable(copy_headers):
            # aiohttp's CIMultiDictProxy cannot be pickled; its copy (a CIMultiDict)
            # can, and keeps case-insensitive lookups.
            state["headers"] = copy_headers()
        return (_restore, (type(self), self.args, state))


def _restore(
    cls: type[PostpressError], args: tuple[object, ...], state: dict[str, object]
) -> PostpressError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InvalidRequestError(PostpressError, ValueError):
    """The call's arguments are invalid; nothing was sent.

    ``field`` names the offending argument (``"budget.amount"``, ``"draft_id"``...).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ClientStateError(PostpressError, RuntimeError):
    """The client cannot be used from here: it is closed, it belongs to another
    event loop, or it was inherited across ``os.fork()``. Nothing was sent."""


class APIConnectionError(PostpressError):
    """No usable HTTP response: the connection failed, was reset, or was dropped.

    A publish that fails this way may or may not have reached the API; it is not
    retried automatically for that reason (see the README, "Retries").
    """

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class APITimeoutError(APIConnectionError):
    """An attempt did not complete within its timeout."""


class UnexpectedResponseError(PostpressError):
    """A success status whose body is not a payload this SDK knows how to read."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(f"{message} (HTTP {status}; body: {body_excerpt(body)!r})")
        self.status = status
        self.body = body
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.request_id = request_id


class APIStatusError(PostpressError):
    """The API (or a proxy in front of it) answered with an error status.

    ``type`` is an :class:`ErrorType` for every documented type, the raw string
    for an undocumented one, and ``None`` when the body was not an error envelope
    (an HTML page from a proxy, an empty 504...).
    """

    def __init__(
        self,
        *,
        status: int,
        type: ErrorType | str | None,
        title: str | None,
        detail: str | None,
        request_id: str | None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.request_id = request_id
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.body = body
        self.retry_after = retry_after
        super().__init__(self._message())

    def _message(self) -> str:
        # Every field but the status is the server's text: bounded, one line, escaped.
        parts = [str(self.status)]
        if self.type is not None:
            parts.append(f" {display(str(self.type))}")
        if self.title:
            parts.append(f": {display(self.title)}")
        if self.detail:
            parts.append(f" — {display(self.detail)}")
        if self.type is None and self.body and not self.detail:
            parts.append(f" — body: {body_excerpt(self.body)!r}")
        if self.request_id:
            parts.append(f" (request_id={display(self.request_id)})")
        return "".join(parts)

    def redact(self, secrets: Iterable[str]) -> None:
        super().redact(secrets)
        self.args = (self._message(),)


class BadRequestError(APIStatusError):
    """400: the request is malformed or the draft is not eligible for the mode."""


class AuthenticationError(APIStatusError):
    """401: credentials missing, expired, invalid — or a wrong checkpoint solution."""


class PermissionDeniedError(APIStatusError):
    """403: authenticated, but the account is restricted or the action not allowed."""


class NotFoundError(APIStatusError):
    """404: the account or draft does not exist."""


class UnprocessableEntityError(APIStatusError):
    """422: well-formed, but the request cannot be fulfilled as it is."""


class AlreadyPublishedError(UnprocessableEntityError):
    """422 ``errors/action_already_performed``: the draft is already published.

    ``earlier_attempts`` holds the statuses of this call's earlier attempts. When
    it is not empty, an earlier attempt (answered by a 503/504) most likely
    published the draft: the job is live and was paid for once — do not publish
    it again. When it is empty, the draft was published before this call.
    """

    def __init__(
        self,
        *,
        status: int,
        type: ErrorType | str | None,
        title: str | None,
        detail: str | None,
        request_id: str | None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        retry_after: float | None = None,
        earlier_attempts: tuple[int, ...] = (),
    ) -> None:
        self.earlier_attempts = earlier_attempts
        super().__init__(
            status=status,
            type=type,
            title=title,
            detail=detail,
            request_id=request_id,
            headers=headers,
            body=body,
            retry_after=retry_after,
        )

    def _message(self) -> str:
        base = super()._message()
        if not self.earlier_attempts:
            return f"{base}. The draft was already published before this call."
        statuses = ", ".join(str(s) for s in self.earlier_attempts)
        return (
            f"{base}. An earlier attempt of this call (answered {statuses}) most likely "
            "published the draft: it is live and was paid for once; do not publish it again."
        )

    def with_earlier_attempts(self, statuses: tuple[int, ...]) -> AlreadyPublishedError:
        """The same error, told which earlier attempts of the call preceded it."""
        return AlreadyPublishedError(
            status=self.status,
            type=self.type,
            title=self.title,
            detail=self.detail,
            request_id=self.request_id,
            headers=self.headers,
            body=self.body,
            retry_after=self.retry_after,
            earlier_attempts=statuses,
        )


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` says how long to wait when the server said."""


class InternalServerError(APIStatusError):
    """500: something failed at postpress or upstream."""


class ServiceUnavailableError(APIStatusError):
    """503: postpress is temporarily unable to handle the request."""


class GatewayTimeoutError(APIStatusError):
    """504: the upstream provider did not answer in time (the publish may still have happened)."""


STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    503: ServiceUnavailableError,
    504: GatewayTimeoutError,
}
