"""Bulk publishing: many drafts, concurrently, lazily, and never one of them twice.

The entry points behind ``AsyncJobs.publish_many`` / ``iter_publish`` and the sync
facade's ``publish_many``. The work is split by job:

- ``_bulk_outcomes``: :class:`Outcome`, :class:`OutcomeKind`, :class:`BulkReport`, the tally;
- ``_bulk_options``: :class:`BulkOptions`, every option validated once;
- ``_bulk_stop``: ``stop_on`` and the scope of each stopping error (run, account, credits);
- ``_bulk_gate``: the rate limit and 429 pauses, and the scope of a 429;
- ``_bulk_lanes``: per-account flow control (limits, pauses, parked drafts);
- ``_bulk_health``: the health check of an account before its first draft;
- ``_journal``: the crash-safe journal and its line format;
- ``_bulk_publish``: what is done with each draft (admission, journal, ``send``);
- ``_bulk_new_job`` / ``_bulk_create``: new jobs (:class:`NewJob`), created then published;
- ``_bulk_engine``: the driver and its worker pool, which know nothing of publishing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterable, Iterable
from typing import TYPE_CHECKING, Any

from ._bulk_engine import BulkEngine
from ._bulk_health import GetAccount
from ._bulk_new_job import BulkStep, NewJob, PublishOptionsError
from ._bulk_options import BulkOptions, OnOutcome
from ._bulk_outcomes import (
    MAX_REPORTED_FAILURES,
    AccountReport,
    BulkReport,
    Outcome,
    OutcomeKind,
    error_label,
)
from ._bulk_plan import Plan
from ._bulk_publish import PublishPlan, Send
from ._bulk_stop import (
    DEFAULT_STOP_ON,
    PROMOTED_ONLY_STOPS,
    STOP_SCOPES,
    StopOn,
    StopReason,
    StopScope,
    StopScopes,
)
from ._journal import outcome_record
from ._models import PublishRequest
from ._retry import logger
from ._tracing import run_span

if TYPE_CHECKING:
    from ._bulk_create import Create

__all__ = [
    "DEFAULT_STOP_ON",
    "MAX_REPORTED_FAILURES",
    "PROMOTED_ONLY_STOPS",
    "STOP_SCOPES",
    "AccountReport",
    "BulkOptions",
    "BulkReport",
    "BulkStep",
    "GetAccount",
    "NewJob",
    "OnOutcome",
    "Outcome",
    "OutcomeKind",
    "PublishOptionsError",
    "Send",
    "StopOn",
    "StopReason",
    "StopScope",
    "StopScopes",
    "error_label",
    "iter_publish",
    "outcome_record",
    "publish_many",
]

Item = PublishRequest | NewJob
Requests = Iterable[Item] | AsyncIterable[Item]


def _create_plan(
    send: Send, create: Create, options: BulkOptions, get_account: GetAccount | None
) -> Plan[Item]:
    # Imported with the first run that can create drafts: it loads the lifecycle models.
    from ._bulk_create import CreatePlan

    return CreatePlan(send, create, options, get_account)


def _engine(
    send: Send,
    requests: Requests,
    options: BulkOptions,
    create: Create | None,
    get_account: GetAccount | None,
) -> BulkEngine[Item]:
    # Without a create callable the run takes drafts only (PublishRequest items).
    plan: Plan[Item] = (
        PublishPlan(send, options, get_account)  # type: ignore[assignment]
        if create is None
        else _create_plan(send, create, options, get_account)
    )
    rate = options.per_account_rate
    return BulkEngine(
        requests,
        plan,
        concurrency=options.concurrency,
        on_outcome=options.on_outcome,
        per_key_limit=options.per_account_concurrency,
        per_key_interval=1.0 / rate if rate else 0.0,
        check=options.check_accounts and get_account is not None,
        max_parked=options.max_parked,
    )


def iter_publish(
    send: Send,
    requests: Requests,
    options: BulkOptions,
    *,
    create: Create | None = None,
    get_account: GetAccount | None = None,
) -> AsyncGenerator[Outcome, None]:
    """See :meth:`AsyncJobs.iter_publish`; ``send`` publishes one request, ``create``
    (needed for :class:`NewJob` items) creates one draft, ``get_account`` reads one
    account (for ``check_accounts``)."""
    return _engine(send, requests, options, create, get_account).run()


def add_note(error: BaseException, note: str) -> None:
    """``error.add_note(note)``, also before Python 3.11 (``__notes__`` is then set by
    hand: readable by code, though 3.10 does not print it in tracebacks)."""
    if hasattr(error, "add_note"):
        error.add_note(note)
    else:  # Python 3.10
        notes = getattr(error, "__notes__", None)
        if not isinstance(notes, list):
            notes = []
            error.__notes__ = notes  # type: ignore[attr-defined]
        notes.append(note)


async def publish_many(
    send: Send,
    requests: Requests,
    options: BulkOptions,
    *,
    create: Create | None = None,
    get_account: GetAccount | None = None,
) -> BulkReport:
    """See :meth:`AsyncJobs.publish_many`; ``send`` publishes one request, ``create``
    (needed for :class:`NewJob` items) creates one draft, ``get_account`` reads one
    account (for ``check_accounts``)."""
    # One span for the run (when a tracer provider is configured): every call inside it
    # is its child, and it carries the final counts.
    with run_span("postpress bulk publish_many") as span:
        engine = _engine(send, requests, options, create, get_account)
        try:
            await _drive(engine)
        finally:
            if span is not None:
                _record_counts(span, engine.report())
        return engine.report()


async def _drive(engine: BulkEngine[Any]) -> None:
    try:
        await engine.drain()
    except asyncio.CancelledError as cancelled:
        # Not converted, not swallowed: only annotated with what the run did. The drafts
        # in flight were cancelled and the journal closed on the way out of drain().
        for _ in engine.unread_outcomes("cancelled"):
            pass
        summary = engine.report().summary()
        logger.warning("bulk publishing cancelled: %s", summary)
        add_note(cancelled, f"postpress_async bulk run cancelled: {summary}")
        raise


def _record_counts(span: Any, report: BulkReport) -> None:
    for kind, count in report.counts.items():
        span.set_attribute(f"postpress.bulk.{kind}", count)
    span.set_attribute("postpress.bulk.total", report.total)
    if report.stop_error is not None:
        span.set_attribute("postpress.bulk.stop_error", error_label(report.stop_error))
