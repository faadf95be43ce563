"""Bulk runs under observation: one span with the final counts, every call its child;
event hooks see every draft's request, in the async client and the sync facade."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from postpress_async import AsyncPostpress, Postpress, PublishRequest
from postpress_async.sandbox import Faults, SandboxThread
from postpress_async.testing import no_retry_waits


def _drafts(n: int, prefix: str) -> list[PublishRequest]:
    return [PublishRequest(f"{prefix}{i}", account_id="acc_1", mode="FREE") for i in range(n)]


async def test_a_bulk_run_is_one_span_with_its_counts_and_every_call_inside_it(
    make_sandbox: Any, spans: InMemorySpanExporter
) -> None:
    sandbox = await make_sandbox(faults=Faults(service_unavailable=0.3, first_attempts=1), seed=7)
    async with AsyncPostpress(sandbox.api_key, base_url=sandbox.base_url) as client:
        with no_retry_waits():
            report = await client.jobs.publish_many(_drafts(20, "span-"), concurrency=4)
    finished = spans.get_finished_spans()
    (run,) = [s for s in finished if s.name == "postpress bulk publish_many"]
    calls = [s for s in finished if s.name == "postpress jobs.publish"]
    assert len(calls) == 20
    assert all(s.parent is not None and s.parent.span_id == run.context.span_id for s in calls)
    attributes = dict(run.attributes or {})
    assert attributes["postpress.bulk.total"] == 20
    assert attributes["postpress.bulk.published"] == report.counts["published"]
    assert attributes["postpress.bulk.failed"] == report.counts["failed"]
    retried = [s for s in finished if s.kind is SpanKind.CLIENT
               and dict(s.attributes or {}).get("http.request.resend_count")]
    assert retried  # the 503s were retried, each retry an HTTP span of its call
    every_value = " ".join(str(v) for s in finished for v in dict(s.attributes or {}).values())
    assert sandbox.api_key not in every_value


async def test_event_hooks_see_every_draft_of_a_bulk_run(make_sandbox: Any) -> None:
    sandbox = await make_sandbox()
    requests: list[Any] = []
    async with AsyncPostpress(sandbox.api_key, base_url=sandbox.base_url,
                              event_hooks={"request": [requests.append]}) as client:
        report = await client.jobs.publish_many(_drafts(12, "hook-"), concurrency=3)
    assert report.counts["published"] == 12
    assert sorted(e.url.rsplit("/", 2)[-2] for e in requests) == sorted(
        f"hook-{i}" for i in range(12))


def test_the_sync_facade_bulk_run_reports_to_hooks_and_spans(
    spans: InMemorySpanExporter,
) -> None:
    responses: list[Any] = []
    with SandboxThread() as sandbox, Postpress(
        sandbox.api_key, base_url=sandbox.base_url, event_hooks={"response": [responses.append]}
    ) as client:
        report = client.jobs.publish_many(_drafts(6, "sync-"), concurrency=2)
    assert report.counts["published"] == 6
    assert [e.status_code for e in responses] == [200] * 6
    assert [s.name for s in spans.get_finished_spans()].count("postpress bulk publish_many") == 1
