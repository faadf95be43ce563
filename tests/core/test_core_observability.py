"""Raw responses, event hooks, OpenTelemetry spans and structured logs (issue 13).

All of them observe: the outcome of a call is the same with or without them.
"""

from __future__ import annotations

import datetime
import logging
import os
import subprocess
import sys
from typing import Any

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from postpress_async import (
    APIResponse,
    AsyncPostpress,
    InvalidRequestError,
    NotFoundError,
    Postpress,
    Published,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
)
from postpress_async.testing import MockResponse, MockTransport

from .core_support import ACCOUNT_ID, API_KEY, DRAFT_ID, PUBLISHED, envelope

BASE_URL = "https://user:hunter2pw@api.postpress.test/api/v1"
SHOWN_URL = f"https://user:***@api.postpress.test/api/v1/linkedin/jobs/{DRAFT_ID}/publish"


def flaky_then_published() -> MockTransport:
    """Two 503s, then the documented 200: a call retried twice that succeeds."""
    answers = [
        MockResponse(503, json=envelope(503, "errors/network_down"),
                     headers={"X-Request-Id": "req-1"}),
        MockResponse(504, body=b"", headers={"X-Request-Id": "req-2"}),
        MockResponse(200, json=PUBLISHED, headers={"X-Request-Id": "req-3"}),
    ]
    return MockTransport(lambda _: answers.pop(0))


def not_found() -> MockTransport:
    answer = MockResponse(404, json=envelope(404, "errors/resource_not_found"),
                          headers={"X-Request-Id": "req-404"})
    return MockTransport(lambda _: answer)


async def publish(client: AsyncPostpress) -> Any:
    return await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")


# --- raw responses ----------------------------------------------------------------------------

async def test_with_raw_response_gives_the_final_response_and_the_parsed_result() -> None:
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=flaky_then_published())
    response = await client.jobs.with_raw_response.publish(
        DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE"
    )
    assert isinstance(response, APIResponse)
    assert (response.status_code, response.request_id) == (200, "req-3")
    assert response.headers["x-request-id"] == "req-3"
    assert response.retries_taken == 2
    assert response.http_method == "POST"
    assert response.url == SHOWN_URL
    assert isinstance(response.elapsed, datetime.timedelta)
    assert response.elapsed >= datetime.timedelta(0)
    assert isinstance(response.parse(), Published)
    assert response.parse() is response.parse()


async def test_with_raw_response_raises_exactly_as_without() -> None:
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=not_found())
    with pytest.raises(NotFoundError) as raw_error:
        await client.jobs.with_raw_response.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    with pytest.raises(NotFoundError) as plain_error:
        await publish(client)
    assert str(raw_error.value) == str(plain_error.value)


def test_with_raw_response_names_only_methods_that_exist() -> None:
    client = AsyncPostpress(API_KEY, transport=not_found())
    with pytest.raises(AttributeError, match="no method 'publsh'"):
        _ = client.jobs.with_raw_response.publsh
    with pytest.raises(AttributeError):
        _ = client.jobs.with_raw_response._client


# --- event hooks ------------------------------------------------------------------------------

async def test_hooks_see_every_attempt_response_and_retry_decision() -> None:
    seen: list[Any] = []

    async def on_response(event: ResponseEvent) -> None:
        seen.append(event)

    client = AsyncPostpress(
        API_KEY, base_url=BASE_URL, transport=flaky_then_published(), max_retries=2,
        event_hooks={"request": [seen.append], "response": [on_response],
                     "retry": [seen.append]},
    )
    assert isinstance(await publish(client), Published)
    kinds = [type(event).__name__ for event in seen]
    assert kinds == ["RequestEvent", "ResponseEvent", "RetryEvent"] * 2 + [
        "RequestEvent", "ResponseEvent"]
    requests = [e for e in seen if isinstance(e, RequestEvent)]
    assert [e.attempt for e in requests] == [1, 2, 3]
    assert all(e.url == SHOWN_URL and e.method == "POST" for e in requests)
    assert all(API_KEY not in repr(e.headers) for e in requests)
    assert all(e.headers["X-API-KEY"] == API_KEY for e in requests)  # masked, not removed
    responses = [e for e in seen if isinstance(e, ResponseEvent)]
    assert [(e.status_code, e.request_id) for e in responses] == [
        (503, "req-1"), (504, "req-2"), (200, "req-3")]
    assert all(e.elapsed >= 0 for e in responses)
    retries = [e for e in seen if isinstance(e, RetryEvent)]
    assert [(e.attempt, e.error.status, e.wait) for e in retries] == [  # type: ignore[attr-defined]
        (1, 503, 0.0), (2, 504, 0.0)]


async def test_a_failing_hook_is_logged_and_the_call_keeps_its_outcome(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken_hook(event: object) -> None:
        raise RuntimeError("hook bug")

    async def broken_async_hook(event: object) -> None:
        raise ValueError("async hook bug")

    client = AsyncPostpress(
        API_KEY, base_url=BASE_URL, transport=flaky_then_published(), max_retries=2,
        event_hooks={"request": [broken_hook], "response": [broken_async_hook],
                     "retry": [broken_hook]},
    )
    with caplog.at_level(logging.WARNING, logger="postpress_async"):
        assert isinstance(await publish(client), Published)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3 + 3 + 2
    assert "broken_hook" in warnings[0].getMessage()
    assert any("broken_async_hook" in r.getMessage() for r in warnings)


async def test_with_options_replaces_or_keeps_the_hooks() -> None:
    first: list[object] = []
    second: list[object] = []
    transport = MockTransport(lambda _: MockResponse(200, json=PUBLISHED))
    client = AsyncPostpress(API_KEY, transport=transport, event_hooks={"request": [first.append]})
    await publish(client.with_options(timeout=5.0))
    await publish(client.with_options(event_hooks={"request": [second.append]}))
    await publish(client.with_options(event_hooks=None))
    assert (len(first), len(second)) == (1, 1)


@pytest.mark.parametrize(
    ("hooks", "field"),
    [({"requests": []}, "event_hooks"), ({"request": print}, "event_hooks.request"),
     ({"request": [42]}, "event_hooks.request"), (["request"], "event_hooks")],
)
def test_bad_event_hooks_are_refused_naming_the_field(hooks: Any, field: str) -> None:
    with pytest.raises(InvalidRequestError) as info:
        AsyncPostpress(API_KEY, event_hooks=hooks)
    assert info.value.field == field


def test_the_sync_facade_calls_hooks_too() -> None:
    seen: list[object] = []
    transport = MockTransport(lambda _: MockResponse(200, json=PUBLISHED))
    with Postpress(API_KEY, transport=transport, event_hooks={"response": [seen.append]}) as client:
        client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
        client.with_options(event_hooks={}).jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID,
                                                         mode="FREE")
    assert len(seen) == 1


# --- OpenTelemetry ------------------------------------------------------------------------------

def _attributes(span: Any) -> dict[str, Any]:
    return dict(span.attributes or {})


async def test_a_call_retried_twice_is_one_span_with_three_http_client_spans(
    spans: InMemorySpanExporter,
) -> None:
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=flaky_then_published(),
                            max_retries=2)
    await publish(client)
    finished = spans.get_finished_spans()
    (call,) = [s for s in finished if s.name == "postpress jobs.publish"]
    attempts = [s for s in finished if s.kind is SpanKind.CLIENT]
    assert len(attempts) == 3
    assert all(s.parent is not None and s.parent.span_id == call.context.span_id
               for s in attempts)
    assert call.parent is None
    assert _attributes(call)["postpress.draft_id"] == DRAFT_ID
    statuses = [_attributes(s)["http.response.status_code"] for s in attempts]
    assert statuses == [503, 504, 200]
    assert [_attributes(s).get("http.request.resend_count") for s in attempts] == [None, 1, 2]
    first = _attributes(attempts[0])
    assert first["http.request.method"] == "POST"
    assert (first["server.address"], first["server.port"]) == ("api.postpress.test", 443)
    assert first["url.full"] == SHOWN_URL
    assert first["error.type"] == "503"
    assert _attributes(attempts[2])["postpress.request_id"] == "req-3"
    assert "error.type" not in _attributes(attempts[2])
    assert call.status.status_code is not StatusCode.ERROR
    every_value = " ".join(str(v) for s in finished for v in _attributes(s).values())
    assert API_KEY not in every_value
    assert "hunter2pw" not in every_value


async def test_a_typed_failure_marks_the_call_span_as_an_error(
    spans: InMemorySpanExporter,
) -> None:
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=not_found())
    with pytest.raises(NotFoundError):
        await publish(client)
    call, = [s for s in spans.get_finished_spans() if s.name == "postpress jobs.publish"]
    assert call.status.status_code is StatusCode.ERROR
    assert _attributes(call)["error.type"] == "404"
    attempt, = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CLIENT]
    assert _attributes(attempt)["postpress.request_id"] == "req-404"


async def test_no_spans_without_a_configured_provider() -> None:
    from postpress_async._tracing import active_tracer

    assert active_tracer() is None  # the API's default proxy provider means "not configured"


async def test_a_provider_set_replaced_or_removed_between_calls_is_followed() -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=not_found())
    previous = trace._TRACER_PROVIDER  # type: ignore[attr-defined]
    providers = [TracerProvider(), TracerProvider()]
    exporters = [InMemorySpanExporter(), InMemorySpanExporter()]
    for provider, exporter in zip(providers, exporters, strict=True):
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    try:
        for provider in (None, providers[0], providers[0], providers[1], None):
            trace._TRACER_PROVIDER = provider  # type: ignore[attr-defined]
            with pytest.raises(NotFoundError):
                await publish(client)
    finally:
        trace._TRACER_PROVIDER = previous  # type: ignore[attr-defined]
        for provider in providers:
            provider.shutdown()
    # Each call's spans went to the provider configured when it was made, and only there.
    calls = [
        [s for s in exporter.get_finished_spans() if s.name == "postpress jobs.publish"]
        for exporter in exporters
    ]
    assert [len(found) for found in calls] == [2, 1]


# --- logging --------------------------------------------------------------------------------

async def test_log_records_carry_structured_fields(caplog: pytest.LogCaptureFixture) -> None:
    client = AsyncPostpress(API_KEY, base_url=BASE_URL, transport=flaky_then_published(),
                            max_retries=2)
    with caplog.at_level(logging.DEBUG, logger="postpress_async"):
        await publish(client)
    responses = [r for r in caplog.records if r.getMessage().startswith("response")]
    assert [r.status for r in responses] == [503, 504, 200]  # type: ignore[attr-defined]
    assert all(r.draft_id == DRAFT_ID for r in responses)  # type: ignore[attr-defined]
    assert all(r.method == "POST" for r in responses)  # type: ignore[attr-defined]
    assert all(r.path == f"/linkedin/jobs/{DRAFT_ID}/publish"  # type: ignore[attr-defined]
               for r in responses)
    assert [r.attempt for r in responses] == [1, 2, 3]  # type: ignore[attr-defined]
    assert all(isinstance(r.elapsed_ms, float) for r in responses)  # type: ignore[attr-defined]
    retries = [r for r in caplog.records if r.getMessage().startswith("retrying")]
    assert [r.request_id for r in retries] == ["req-1", "req-2"]  # type: ignore[attr-defined]
    assert API_KEY not in caplog.text
    assert "hunter2pw" not in caplog.text


@pytest.mark.parametrize(("level", "expect_debug"), [("debug", True), ("info", False)])
def test_postpress_log_switches_logging_to_stderr_without_code(
    level: str, expect_debug: bool
) -> None:
    script = (
        "import asyncio\n"
        "from postpress_async import AsyncPostpress\n"
        "from postpress_async.testing import MockResponse, MockTransport, no_retry_waits\n"
        "answers = [MockResponse(503, json={'status': 503, 'type': 'errors/network_down',"
        " 'title': 'Down'}), MockResponse(200, json={'object': 'LinkedinJobPostingPublished',"
        " 'job_id': '1', 'job_state': 'active'})]\n"
        "async def main():\n"
        f"    async with AsyncPostpress({API_KEY!r}, transport=MockTransport("
        "lambda _: answers.pop(0))) as client:\n"
        "        with no_retry_waits():\n"
        "            await client.jobs.publish('1', account_id='a', mode='FREE')\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "POSTPRESS_LOG": level}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    assert "INFO postpress_async: retrying jobs.publish" in done.stderr
    assert ("DEBUG postpress_async: request POST" in done.stderr) is expect_debug
    assert API_KEY not in done.stderr


def test_the_sync_facade_has_with_raw_response_on_every_resource() -> None:
    transport = flaky_then_published()
    with Postpress(API_KEY, base_url=BASE_URL, transport=transport, max_retries=2) as client:
        response = client.jobs.with_raw_response.publish(DRAFT_ID, account_id=ACCOUNT_ID,
                                                         mode="FREE")
        assert (response.status_code, response.retries_taken) == (200, 2)
        assert isinstance(response.parse(), Published)
        for resource in (client.applicants, client.search, client.accounts):
            assert resource.with_raw_response is not None
