"""Watching calls without changing them: event hooks, raw responses, spans and debug logs.

The request core builds a :class:`CallObserver` for a call only when something watches:
event hooks are configured, an OpenTelemetry tracer provider is, the call runs under
``with_raw_response``, or the ``postpress_async`` logger is at DEBUG. Otherwise the call
runs without any of this. Observers observe: an exception raised by a user's hook is
logged (WARNING, naming the hook) and the call goes on with its outcome unchanged.
"""

from __future__ import annotations

import contextvars
import datetime
import inspect
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from ._config import NotGiven
from ._exceptions import APIStatusError, InvalidRequestError, PostpressError
from ._tracing import active_tracer
from ._transport import TransportResponse
from ._untrusted import redact_password

if TYPE_CHECKING:
    from ._api_response import APIResponse
    from ._event_hooks import EventHooks

__all__ = [
    "CallObserver",
    "EventHook",
    "capture_raw_response",
    "observer_for",
    "resolve_event_hooks",
]

logger: Final = logging.getLogger("postpress_async")

EventHook = Callable[[Any], object]
"""A hook: called with the event (:mod:`._events`); a plain function or a coroutine function."""

_HOOK_KINDS: Final = ("request", "response", "retry")


def resolve_event_hooks(
    value: Mapping[str, Iterable[EventHook]] | EventHooks | NotGiven | None,
    default: EventHooks | None,
) -> EventHooks | None:
    """``event_hooks=``: a mapping of event name to a list of callables, validated;
    ``None`` for no hooks (given as ``None`` or with only empty lists, or not given with a
    ``None`` default), so a call checks one ``is None`` and nothing more."""
    if isinstance(value, NotGiven):
        return default
    if value is None:
        return None
    from ._event_hooks import EventHooks  # loaded by the first client given hooks

    if isinstance(value, EventHooks):
        return value or None
    if not isinstance(value, Mapping):
        raise InvalidRequestError(
            "event_hooks", f"must be a dict like {{'request': [...]}}, got {type(value).__name__}"
        )
    unknown = sorted(str(name) for name in value if name not in _HOOK_KINDS)
    if unknown:
        raise InvalidRequestError(
            "event_hooks", f"unknown event {unknown[0]!r}; expected request, response or retry"
        )
    hooks: dict[str, tuple[EventHook, ...]] = {}
    for name, callables in value.items():
        if callable(callables) or isinstance(callables, (str, bytes)) or not isinstance(
            callables, Iterable
        ):
            raise InvalidRequestError(f"event_hooks.{name}", "must be a list of callables")
        hooks[name] = tuple(callables)
        for hook in hooks[name]:
            if not callable(hook):
                raise InvalidRequestError(
                    f"event_hooks.{name}", f"must hold callables, got {type(hook).__name__}"
                )
    return EventHooks(**hooks) or None


def _hook_name(hook: object) -> str:
    return getattr(hook, "__qualname__", None) or repr(hook)


async def _dispatch(hooks: tuple[EventHook, ...], event: object) -> None:
    for hook in hooks:
        try:
            result = hook(event)
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.warning(
                "event hook %s raised; the call goes on unchanged", _hook_name(hook),
                exc_info=True,
            )


class _Captured:
    # What the observer saw of a call's final attempt, for with_raw_response. A plain
    # class: an attrs one costs about a millisecond of import time, for nothing here.
    __slots__ = ("elapsed", "headers", "http_method", "request_id", "retries_taken",
                 "status_code", "url")

    def __init__(self) -> None:
        self.status_code = 0
        self.headers: Mapping[str, str] = {}
        self.request_id: str | None = None
        self.elapsed = 0.0
        self.retries_taken = 0
        self.http_method = ""
        self.url = ""


_CAPTURE: contextvars.ContextVar[_Captured | None] = contextvars.ContextVar(
    "postpress_raw_response", default=None
)


async def capture_raw_response(call: Any) -> APIResponse[Any]:
    """Await ``call`` (a resource method's coroutine) and return its :class:`APIResponse`."""
    from ._api_response import APIResponse  # imported by the first with_raw_response
    captured = _Captured()
    token = _CAPTURE.set(captured)
    try:
        parsed = await call
    finally:
        _CAPTURE.reset(token)
    return APIResponse(
        status_code=captured.status_code,
        headers=captured.headers,
        request_id=captured.request_id,
        elapsed=datetime.timedelta(seconds=captured.elapsed),
        retries_taken=captured.retries_taken,
        http_method=captured.http_method,
        url=captured.url,
        parsed=parsed,
    )


def observer_for(
    operation: str,
    method: str,
    url: str,
    path: str,
    path_params: Mapping[str, str] | None,
    hooks: EventHooks | None,
) -> CallObserver | None:
    """An observer for one call, or ``None`` when nothing watches it (the common case)."""
    tracer = active_tracer()
    capture = _CAPTURE.get()
    debug = logger.isEnabledFor(logging.DEBUG)
    if not hooks and tracer is None and capture is None and not debug:
        return None
    # Ids name what the call is about (draft_id, job_id...), for spans and log records.
    ids = {name: value for name, value in (path_params or {}).items() if name.endswith("_id")}
    if hooks is None:
        from ._event_hooks import EventHooks

        hooks = EventHooks()
    return CallObserver(operation, method, redact_password(url), path, ids,
                        hooks, tracer, capture, debug)


class CallObserver:
    """Everything that watches one logical call: its span, its hooks, its debug lines."""

    def __init__(
        self,
        operation: str,
        method: str,
        url: str,
        path: str,
        ids: Mapping[str, str],
        hooks: EventHooks,
        tracer: Any,
        capture: _Captured | None,
        debug: bool,
    ) -> None:
        self.operation, self.method, self.url, self.path = operation, method, url, path
        self.ids = ids
        self.hooks = hooks
        self.tracer = tracer
        self.capture = capture
        self.debug = debug
        self.attempt = 0
        self._started = 0.0
        self._call_span: Any = None
        self._attempt_span: Any = None

    def log_extra(self, **fields: object) -> dict[str, object]:
        """The structured fields of a log record about this call."""
        return {"method": self.method, "path": self.path, **self.ids, **fields}

    # -- the call ---------------------------------------------------------------------

    def start_call(self) -> None:
        if self.tracer is not None:
            from opentelemetry.trace import SpanKind

            self._call_span = self.tracer.start_span(
                f"postpress {self.operation}", kind=SpanKind.INTERNAL,
                attributes={f"postpress.{name}": value for name, value in self.ids.items()},
            )

    def end_call(self, error: BaseException | None) -> None:
        span = self._call_span
        if span is None:
            return
        if error is not None:
            _mark_failed(span, error)
        span.end()

    # -- each attempt -----------------------------------------------------------------

    async def before_attempt(self, headers: Mapping[str, str]) -> None:
        self.attempt += 1
        self._started = time.monotonic()
        if self.debug:
            logger.debug("request %s %s (attempt %d)", self.method, self.path, self.attempt,
                         extra=self.log_extra(attempt=self.attempt))
        if self.tracer is not None:
            self._attempt_span = self._start_attempt_span()
        if self.hooks.request:
            from ._events import RequestEvent  # loaded by the first hook to call

            await _dispatch(self.hooks.request, RequestEvent(
                self.operation, self.method, self.url, headers, self.attempt))

    def _start_attempt_span(self) -> Any:
        from opentelemetry import trace
        from yarl import URL

        parsed = URL(self.url)
        attributes: dict[str, Any] = {
            "http.request.method": self.method,
            "server.address": parsed.host or "",
            "server.port": parsed.port or 0,
            "url.full": self.url,
            **{f"postpress.{name}": value for name, value in self.ids.items()},
        }
        if self.attempt > 1:
            attributes["http.request.resend_count"] = self.attempt - 1
        context = trace.set_span_in_context(self._call_span) if self._call_span else None
        return self.tracer.start_span(
            f"{self.method} {self.path}", context=context, kind=trace.SpanKind.CLIENT,
            attributes=attributes,
        )

    async def after_response(self, response: TransportResponse) -> None:
        elapsed = time.monotonic() - self._started
        request_id = response.headers.get("X-Request-Id")
        span = self._attempt_span
        if span is not None:
            span.set_attribute("http.response.status_code", response.status)
            if request_id:
                span.set_attribute("postpress.request_id", request_id)
        if self.debug:
            logger.debug(
                "response %d to %s %s in %.1f ms (request_id=%s)", response.status,
                self.method, self.path, elapsed * 1000, request_id,
                extra=self.log_extra(status=response.status, attempt=self.attempt,
                                     elapsed_ms=round(elapsed * 1000, 3),
                                     request_id=request_id),
            )
        capture = self.capture
        if capture is not None:
            capture.status_code, capture.headers = response.status, response.headers
            capture.request_id, capture.elapsed = request_id, elapsed
            capture.retries_taken = self.attempt - 1
            capture.http_method, capture.url = self.method, self.url
        if self.hooks.response:
            from ._events import ResponseEvent

            await _dispatch(self.hooks.response, ResponseEvent(
                self.operation, self.method, self.url, response.status, response.headers,
                request_id, elapsed, self.attempt))

    def end_attempt(self, error: BaseException | None) -> None:
        span, self._attempt_span = self._attempt_span, None
        if span is None:
            return
        if error is not None:
            _mark_failed(span, error)
            request_id = getattr(error, "request_id", None)
            if request_id:
                span.set_attribute("postpress.request_id", str(request_id))
        span.end()

    async def on_retry(self, error: PostpressError, wait: float) -> None:
        if self.hooks.retry:
            from ._events import RetryEvent

            await _dispatch(self.hooks.retry, RetryEvent(
                self.operation, self.method, self.url, error, self.attempt, wait))


def _mark_failed(span: Any, error: BaseException) -> None:
    from opentelemetry.trace import Status, StatusCode

    error_type = (
        str(error.status) if isinstance(error, APIStatusError) else type(error).__name__
    )
    span.set_attribute("error.type", error_type)
    span.set_status(Status(StatusCode.ERROR, type(error).__name__))
