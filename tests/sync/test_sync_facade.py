"""The sync facade in-process: same API and errors as the async client, threads, running loops,
connection reuse, re-entrancy and lifetime."""

from __future__ import annotations

import asyncio
import gc
import inspect
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from postpress_async import (
    AsyncJobs,
    AsyncPostpress,
    Checkpoint,
    ClientStateError,
    InvalidRequestError,
    Jobs,
    NotFoundError,
    Postpress,
    Published,
    PublishRequest,
)
from postpress_async._aiohttp_transport import AiohttpTransport
from postpress_async._loop_thread import sdk_loop as _sdk_loop

from .sync_helpers import API_KEY, WAIT, ServerThread


@pytest.fixture
def client(server: ServerThread) -> Any:
    with Postpress(API_KEY, base_url=server.base_url, max_retries=0) as client:
        yield client


def _transport(client: Postpress) -> AiohttpTransport:
    transport = client._async._core.transport
    assert isinstance(transport, AiohttpTransport)
    return transport


def _transport_closed(client: Postpress) -> bool:
    return _transport(client).closed


def _wait_until(predicate: Any) -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


# --- same API as AsyncPostpress -------------------------------------------------------------


@pytest.mark.parametrize("name", ["publish", "publish_request", "solve_checkpoint"])
def test_jobs_methods_have_the_async_signatures(name: str) -> None:
    sync = inspect.signature(getattr(Jobs, name))
    async_ = inspect.signature(getattr(AsyncJobs, name))
    assert sync == async_


def test_constructor_has_the_async_parameters_except_session() -> None:
    sync = inspect.signature(Postpress.__init__).parameters
    async_ = dict(inspect.signature(AsyncPostpress.__init__).parameters)
    del async_["session"]
    assert list(sync.values()) == list(async_.values())


def test_missing_api_key_raises_at_construction(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POSTPRESS_API_KEY", raising=False)
    with pytest.raises(InvalidRequestError, match="POSTPRESS_API_KEY"):
        Postpress(base_url=server.base_url)


def test_api_key_is_read_from_the_environment(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTPRESS_API_KEY", API_KEY)
    with Postpress(base_url=server.base_url) as client:
        assert client.jobs.publish("d-env", account_id="acc", mode="FREE") == Published(
            job_id="d-env", job_state="active"
        )


def test_publish_returns_the_published_model(client: Postpress) -> None:
    result = client.jobs.publish("d-1", account_id="acc", mode="FREE")
    assert result == Published(job_id="d-1", job_state="active")


def test_publish_request_returns_the_published_model(client: Postpress) -> None:
    request = PublishRequest("d-2", account_id="acc", mode="FREE")
    assert client.jobs.publish_request(request) == Published(job_id="d-2", job_state="active")


def test_checkpoint_then_solve_checkpoint(client: Postpress) -> None:
    result = client.jobs.publish("checkpoint", account_id="acc", mode="FREE")
    assert isinstance(result, Checkpoint)
    solved = client.jobs.solve_checkpoint(result.job_id, account_id="acc", input="123456")
    assert solved == Published(job_id="j-1", job_state="active")


def test_error_answers_raise_the_async_exception_class(
    client: Postpress, server: ServerThread
) -> None:
    with pytest.raises(NotFoundError) as info:
        client.jobs.publish("missing", account_id="acc", mode="FREE")
    assert info.value.status == 404
    assert server.requests == ["publish missing"]


def test_invalid_arguments_raise_in_the_caller_without_sending(
    client: Postpress, server: ServerThread
) -> None:
    with pytest.raises(InvalidRequestError, match="mode"):
        client.jobs.publish("d-3", account_id="acc", mode="BOGUS")
    assert server.requests == []


def test_error_traceback_reaches_the_callers_frame(client: Postpress) -> None:
    with pytest.raises(NotFoundError) as info:
        client.jobs.publish("missing", account_id="acc", mode="FREE")
    frames = [entry.name for entry in info.traceback]
    assert frames[0] == "test_error_traceback_reaches_the_callers_frame"
    assert "_send" in frames  # the async client's frames (its attempt), not a re-wrapped error


def test_with_options_overrides_defaults(client: Postpress) -> None:
    copy = client.with_options(timeout=5.0, max_retries=1)
    assert (copy.timeout.total, copy.max_retries) == (5.0, 1)
    assert (client.timeout.total, client.max_retries) == (90.0, 0)
    assert copy.jobs.publish("d-4", account_id="acc", mode="FREE").job_id == "d-4"


def test_repr_never_shows_the_api_key(client: Postpress) -> None:
    assert API_KEY not in repr(client)
    assert repr(client).startswith("Postpress(base_url=")


@pytest.mark.parametrize(
    "options", [{"timeout": "soon"}, {"base_url": "ftp://x"}, {"api_key_suffix": "\n"}], ids=str
)
def test_a_failed_construction_formats_with_locals_and_hides_the_key(
    options: dict[str, str],
) -> None:
    suffix = options.pop("api_key_suffix", "")
    with pytest.raises(InvalidRequestError) as caught:
        Postpress(API_KEY + suffix, **options)  # type: ignore[arg-type]
    # What "show locals" tracebacks do (unittest, rich, Sentry): repr every frame's locals,
    # including the half-built Postpress, whose repr must not raise.
    formatted = "".join(
        traceback.TracebackException.from_exception(caught.value, capture_locals=True).format()
    )
    assert "Postpress(<not initialised>)" in formatted
    assert API_KEY not in formatted


# --- threads, running loops, connections ----------------------------------------------------


def test_concurrent_calls_from_a_thread_pool(client: Postpress, server: ServerThread) -> None:
    drafts = [f"d-{i}" for i in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda d: client.jobs.publish(d, account_id="acc", mode="FREE"), drafts)
        )
    assert [r.job_id for r in results] == drafts
    assert sorted(server.requests) == sorted(f"publish {d}" for d in drafts)


def test_works_when_the_calling_thread_runs_an_event_loop(client: Postpress) -> None:
    async def notebook_cell() -> str:
        return client.jobs.publish("d-loop", account_id="acc", mode="FREE").job_id

    assert asyncio.run(notebook_cell()) == "d-loop"


def test_sequential_calls_share_one_connection(client: Postpress, server: ServerThread) -> None:
    for i in range(5):
        client.jobs.publish(f"d-{i}", account_id="acc", mode="FREE")
    assert len(server.requests) == 5
    assert len(server.connections) == 1


def test_calling_from_the_sdk_loop_raises_instead_of_deadlocking(client: Postpress) -> None:
    async def on_sdk_loop() -> None:
        client.jobs.publish("d-5", account_id="acc", mode="FREE")

    future = asyncio.run_coroutine_threadsafe(on_sdk_loop(), _sdk_loop().loop)
    with pytest.raises(ClientStateError, match="SDK's own event loop"):
        future.result(WAIT)


def test_closing_from_the_sdk_loop_raises_and_leaves_the_client_usable(
    client: Postpress,
) -> None:
    async def on_sdk_loop() -> None:
        client.close()

    future = asyncio.run_coroutine_threadsafe(on_sdk_loop(), _sdk_loop().loop)
    with pytest.raises(ClientStateError, match="SDK's own event loop"):
        future.result(WAIT)
    assert client.jobs.publish("d-6", account_id="acc", mode="FREE").job_id == "d-6"


# --- lifetime -------------------------------------------------------------------------------


def test_closed_client_raises_like_the_async_one(server: ServerThread) -> None:
    client = Postpress(API_KEY, base_url=server.base_url)
    client.close()
    client.close()  # idempotent
    with pytest.raises(ClientStateError, match="closed"):
        client.jobs.publish("d-7", account_id="acc", mode="FREE")
    assert server.requests == []


def test_context_manager_closes_the_pool(server: ServerThread) -> None:
    with Postpress(API_KEY, base_url=server.base_url) as client:
        client.jobs.publish("d-8", account_id="acc", mode="FREE")
    assert _transport_closed(client)


def test_rebinding_closes_the_old_client_without_a_gc_pass(server: ServerThread) -> None:
    client = Postpress(API_KEY, base_url=server.base_url)
    client.jobs.publish("d-9", account_id="acc", mode="FREE")
    old_transport = _transport(client)
    gc.disable()
    try:
        client = Postpress(API_KEY, base_url=server.base_url)
        assert old_transport.closed
    finally:
        gc.enable()
        client.close()


def test_an_unnamed_client_stays_open_for_its_call(server: ServerThread) -> None:
    result = Postpress(API_KEY, base_url=server.base_url).jobs.publish(
        "d-10", account_id="acc", mode="FREE"
    )
    assert result.job_id == "d-10"


def test_with_options_copy_keeps_the_pool_open(server: ServerThread) -> None:
    copy = Postpress(API_KEY, base_url=server.base_url).with_options(max_retries=0)
    gc.collect()
    assert copy.jobs.publish("d-11", account_id="acc", mode="FREE").job_id == "d-11"
    assert not _transport_closed(copy)
    copy.close()  # a copy does not own the pool
    assert not _transport_closed(copy)


def test_client_collected_on_the_sdk_loop_is_closed_there(server: ServerThread) -> None:
    holder = [Postpress(API_KEY, base_url=server.base_url)]
    holder[0].jobs.publish("d-12", account_id="acc", mode="FREE")
    transport = _transport(holder[0])

    async def drop_last_reference() -> None:
        holder.clear()

    asyncio.run_coroutine_threadsafe(drop_last_reference(), _sdk_loop().loop).result(WAIT)
    assert _wait_until(lambda: transport.closed)
