"""OpenTelemetry, through ``opentelemetry-api`` only, and only when an application uses it.

The SDK never imports OpenTelemetry itself: an application that configured a tracer
provider has imported ``opentelemetry.trace`` already, so the SDK looks it up in
``sys.modules``. No import cost, and no span work at all, for everybody else. A provider
that is still the API's default proxy or the no-op one means "not configured".
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Iterator
from typing import Any

from ._version import __version__

__all__ = ["active_tracer", "run_span"]

_UNKNOWN = object()
_cache: tuple[object, Any] = (_UNKNOWN, None)  # (the configured provider, its tracer)


@functools.cache
def _provider_in_environment() -> bool:
    return "OTEL_PYTHON_TRACER_PROVIDER" in os.environ


def active_tracer() -> Any:
    """The SDK's tracer from the configured provider, or ``None`` when nothing traces."""
    global _cache
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return None
    # No provider set yet, and none named in the environment (read once): without this,
    # get_tracer_provider() reads the environment on every call, a cost on every request of
    # every application that has OpenTelemetry installed but not configured.
    configured = getattr(trace, "_TRACER_PROVIDER", _UNKNOWN)
    if configured is None and not _provider_in_environment():
        return None
    cached_provider, tracer = _cache
    if configured is cached_provider and configured is not _UNKNOWN:
        # The provider of the last call: its tracer, or None for a no-op provider. Asked
        # again only when the application sets another.
        return tracer
    provider = trace.get_tracer_provider()
    no_op = isinstance(provider, (trace.ProxyTracerProvider, trace.NoOpTracerProvider))
    tracer = None if no_op else provider.get_tracer("postpress_async", __version__)
    # Keyed by the module's global, which get_tracer_provider() may just have set.
    _cache = (getattr(trace, "_TRACER_PROVIDER", _UNKNOWN), tracer)
    return tracer


@contextlib.contextmanager
def run_span(name: str) -> Iterator[Any]:
    """A span around a whole run (a bulk run), current while the block runs, so the calls
    made inside it become its children. Yields ``None`` when nothing traces."""
    tracer = active_tracer()
    if tracer is None:
        yield None
        return
    from opentelemetry import trace

    span = tracer.start_span(name, kind=trace.SpanKind.INTERNAL)
    with trace.use_span(span, end_on_exit=True, record_exception=False,
                        set_status_on_exception=False):
        yield span
