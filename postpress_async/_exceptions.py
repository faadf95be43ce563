"""Every error the SDK raises.

All of them derive from :class:`PostpressError`, so one ``except`` catches
everything the SDK can throw; nothing from aiohttp, cattrs, tenacity or
``json`` reaches the caller raw::

    PostpressError
    ├── InvalidRequestError          (also a ValueError; raised before any byte is sent)
    ├── ClientStateError             (also a RuntimeError: closed client, wrong event loop...)
    ├── APIConnectionError           (no response: refused, reset, dropped, TLS failure)
    │   ├── APITimeoutError          (an attempt exceeded its timeout)
    │   └── ProxyAuthenticationError (the proxy answered 407: credentials missing or refused)
    ├── UnexpectedResponseError      (a success status whose body is not a known payload)
    ├── RepeatedCursorError          (a list's next-page cursor came back a second time)
    ├── JobStateError                (wait_for_state: the job reached a state it cannot leave)
    ├── WaitTimeoutError             (also a TimeoutError: wait_for_state ran out of time)
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

from ._enums import ErrorType
from ._untrusted import body_excerpt, display, scrub

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
    "JobStateError",
    "NotFoundError",
    "PermissionDeniedError",
    "PostpressError",
    "ProxyAuthenticationError",
    "RateLimitError",
    "RepeatedCursorError",
    "ServiceUnavailableError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
]

class PostpressError(Exception):
    """Base class of every error raised by postpress-async."""

    def redact(self, secrets: Iterable[str]) -> None:
        """Remove ``secrets`` from every text this error stores, and from its message."""
        secrets = [secret for secret in secrets if secret]
        if not secrets:
            return
        for name, value in vars(self).items():
            setattr(self, name, scrub(value, secrets))
        self.args = tuple(scrub(arg, secrets) for arg in self.args)

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


class ProxyAuthenticationError(APIConnectionError):
    """The HTTP proxy answered ``407 Proxy Authentication Required``: it wants
    credentials (``http://user:password@host:port``) or refused the ones it got.

    Raised when a CONNECT tunnel (an https base URL) is refused with 407 and when a
    plain-http request is answered 407. The API was not reached; nothing is retried.
    ``proxy`` is the proxy's ``host:port`` when known (never its credentials),
    ``status`` is 407 and ``headers`` are the proxy's response headers
    (``Proxy-Authenticate`` names the scheme it wants).
    """

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        proxy: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, url=url)
        self.proxy = proxy
        self.status = 407
        self.headers: Mapping[str, str] = headers if headers is not None else {}


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


class RepeatedCursorError(PostpressError):
    """A list answered a next-page cursor it had already given: walking on would loop
    for ever, so the walk stops here. ``cursor`` is the repeated value, ``page`` the
    number (1-based) of the page that carried it."""

    def __init__(self, cursor: str, *, page: int, endpoint: str) -> None:
        super().__init__(
            f"{endpoint}: page {page} answered the cursor {cursor[:80]!r} a second time; "
            "the server's pagination loops, so the walk was stopped"
        )
        self.cursor = cursor
        self.page = page
        self.endpoint = endpoint


class JobStateError(PostpressError):
    """``wait_for_state``: the job reached a state from which the one waited for can no
    longer come (``closed``: no reopen exists). ``job`` is the last
    :class:`~postpress_async.JobPosting` read."""

    def __init__(self, job_id: str, *, state: str, expected: str, job: object) -> None:
        super().__init__(
            f"job {job_id!r} is {state!r} and can no longer become {expected!r}"
        )
        self.job_id = job_id
        self.state = state
        self.expected = expected
        self.job = job


class WaitTimeoutError(PostpressError, TimeoutError):
    """``wait_for_state``: the job did not reach the state within ``timeout`` seconds.

    ``last_state`` is the state last read (``None`` if no read completed). Nothing is
    wrong with the job: LinkedIn's review can take longer; wait again or look later.
    """

    def __init__(
        self, job_id: str, *, expected: str, last_state: str | None, timeout: float
    ) -> None:
        super().__init__(
            f"job {job_id!r} did not become {expected!r} within {timeout:g}s "
            f"(last state read: {last_state!r})"
        )
        self.job_id = job_id
        self.expected = expected
        self.last_state = last_state
        self.timeout = timeout


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
        """Remove ``secrets`` from every stored text; the message is built again."""
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
