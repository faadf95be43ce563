"""Fixtures shared by the test folders: clients, sandboxes, a clean environment.

``make_client`` is the one way tests build an ``AsyncPostpress``: aimed at a base URL, a
sandbox or a transport, with the folder's ``client_defaults`` (a folder's conftest
overrides that fixture: its API key, a short timeout...), and closed at teardown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from postpress_async import AsyncPostpress
from postpress_async.sandbox import Sandbox

# Distinctive, so a leak is found by a plain substring search.
TEST_API_KEY = "pp_test_shared_k3y_5d1c0e8b9a"

MakeClient = Callable[..., AsyncPostpress]

_PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "REQUEST_METHOD")


@pytest.fixture(autouse=True)
def _no_proxy_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clients read proxies from the environment: a developer's shell (or a CI
    machine) behind a proxy must not route the tests' loopback servers through it.
    Tests about proxies set these variables themselves."""
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
async def make_sandbox() -> AsyncIterator[Callable[..., Awaitable[Sandbox]]]:
    """Start sandboxes on the test's loop, with any configuration; all stop at teardown."""
    started: list[Sandbox] = []

    async def make(**kwargs: Any) -> Sandbox:
        sandbox = Sandbox(**kwargs)
        await sandbox.start()
        started.append(sandbox)
        return sandbox

    yield make
    for sandbox in started:
        await sandbox.stop()


@pytest.fixture
def client_defaults() -> dict[str, Any]:
    """The options ``make_client`` uses unless a test gives its own."""
    return {"api_key": TEST_API_KEY}


@pytest.fixture
async def make_client(client_defaults: dict[str, Any]) -> AsyncIterator[MakeClient]:
    """``make_client(target=None, **options)``: a client for ``target``, closed at teardown.

    ``target`` is a base URL, a sandbox (its URL and key are used), or a transport;
    ``options`` are ``AsyncPostpress`` arguments and win over ``client_defaults``.
    """
    made: list[AsyncPostpress] = []

    def make(target: object = None, **options: Any) -> AsyncPostpress:
        if isinstance(target, str):
            options.setdefault("base_url", target)
        elif hasattr(target, "send") and hasattr(target, "aclose"):
            options.setdefault("transport", target)
        elif target is not None:  # a Sandbox or SandboxThread
            options.setdefault("base_url", target.base_url)  # type: ignore[attr-defined]
            options.setdefault("api_key", target.api_key)  # type: ignore[attr-defined]
        client = AsyncPostpress(**{**client_defaults, **options})
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """A configured tracer provider with an in-memory exporter, removed afterwards."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    previous = trace._TRACER_PROVIDER  # type: ignore[attr-defined]
    trace._TRACER_PROVIDER = provider  # type: ignore[attr-defined]
    try:
        yield exporter
    finally:
        trace._TRACER_PROVIDER = previous  # type: ignore[attr-defined]
        provider.shutdown()
