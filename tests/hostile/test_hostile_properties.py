"""Property tests: whatever the caller passes and whatever the server answers, the SDK
either does exactly the right thing or raises one of its own typed errors.

Example counts are modest so the directory stays fast; hypothesis' database replays any
failure it finds first on the next run.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import aiohttp
import pytest
from aiohttp import web
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from postpress_async import (
    NOT_GIVEN,
    APIStatusError,
    Checkpoint,
    DailyBudget,
    InvalidRequestError,
    Mode,
    MonthlyBudget,
    PostpressError,
    Published,
    Service,
)
from postpress_async import TransportResponse as RawResponse
from postpress_async._jobs import PUBLISH
from postpress_async._retry import MAX_RETRY_AFTER, backoff, is_retryable
from postpress_async.sandbox import Sandbox
from postpress_async.testing import MockResponse, MockTransport

from .conftest import API_KEY, PREFIX, PUBLISHED, MakeClient, MakeRawServer, MakeWebServer, bounded

decode_response = PUBLISH.decode


def examples(count: int) -> settings:
    """Modest example counts, no per-example deadline (sockets are involved)."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# RFC 3986 pchar without "/": all a single path segment may hold unencoded.
_SEGMENT = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})*")
_JOBS = f"{PREFIX}/linkedin/jobs/"

_nasty_chars = st.one_of(
    st.characters(exclude_categories=()),  # everything, surrogates included (rarely)
    st.characters(categories=["Cs"]),  # so lone surrogates come up often
    st.sampled_from([*list("/.%?#&=;+@: \t\n\r\x00\x7f~-_"), "\u2028", "é", "😀", "\ufeff"]),
)
draft_ids = st.one_of(
    st.text(alphabet=_nasty_chars, max_size=24),
    st.sampled_from(
        ["", ".", "..", "...", "%2F", "%2e%2e", "a/../b", "../publish", "?x=1", "#f", " ", "%"]
    ),
)


def _utf8_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.fixture
async def path_recorder(web_server: MakeWebServer) -> tuple[str, list[str]]:
    """A server that records the raw (still percent-encoded) path of every request."""
    paths: list[str] = []

    async def handler(request: web.BaseRequest) -> web.Response:
        paths.append(request.raw_path)
        await request.read()
        return web.Response(body=PUBLISHED, content_type="application/json")

    return await web_server(handler), paths


@examples(120)
@given(draft_id=draft_ids)
async def test_any_draft_id_is_rejected_or_reaches_exactly_its_endpoint(
    path_recorder: tuple[str, list[str]], make_client: MakeClient, draft_id: str
) -> None:
    base_url, paths = path_recorder
    client = make_client(base_url)
    for action in ("publish", "checkpoint"):
        paths.clear()
        rejected: InvalidRequestError | None = None
        try:
            if action == "publish":
                await bounded(client.jobs.publish(draft_id, account_id="acc", mode="FREE"))
            else:
                await bounded(client.jobs.solve_checkpoint(draft_id, account_id="acc", input="1"))
        except InvalidRequestError as exc:
            rejected = exc
        if rejected is not None:
            assert rejected.field == "draft_id"
            # Only what no URL can carry faithfully is refused.
            assert draft_id in ("", ".", "..") or not _utf8_encodable(draft_id)
            assert paths == []
            continue
        assert len(paths) == 1
        raw_path = paths[0]
        assert raw_path.startswith(_JOBS)
        assert raw_path.endswith(f"/{action}")
        segment = raw_path[len(_JOBS) : -len(f"/{action}")]
        assert _SEGMENT.fullmatch(segment), segment
        assert unquote(segment, errors="strict") == draft_id


def test_a_non_string_draft_id_is_rejected_naming_the_field() -> None:
    from postpress_async import PublishRequest

    for bad in (None, 123, b"abc", ["a"]):
        with pytest.raises(InvalidRequestError) as info:
            PublishRequest(bad, account_id="acc", mode="FREE")  # type: ignore[arg-type]
        assert info.value.field == "draft_id"


# --- any publish arguments ---------------------------------------------------------------

_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=6),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.decimals(allow_nan=True),
)
# Mostly short, sometimes past the sandbox's default 256-character limit: the contract
# names no limit, so the client must send long values through unchanged.
_strings = st.text(alphabet=_nasty_chars, max_size=30) | st.text(min_size=257, max_size=600)
_amounts = st.one_of(
    st.integers(),
    st.floats(),
    st.decimals(allow_nan=True),
    st.sampled_from(
        [Decimal("sNaN"), Decimal("-sNaN"), 10**400, -(10**400), 10**5000, 0, 0.0, 1e308]
    ),
    _junk,
)
_budgets = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from([DailyBudget, MonthlyBudget]),
        st.one_of(st.sampled_from(["USD", "eur", "GbP", "US", "USDX", "€ab"]), _junk),
        _amounts,
    ),
    _junk,
)


def _mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # Junk in every field at once is rejected at the first one; keeping each field usually
    # well-typed lets examples reach the later fields and the body itself.
    # (st.one_of would flatten _junk's nine branches and pick junk most of the time.)
    return st.integers(0, 3).flatmap(lambda roll: _junk if roll == 3 else valid)


_publish_kwargs = st.fixed_dictionaries(
    {
        "account_id": _mostly(_strings),
        "mode": _mostly(
            st.sampled_from(
                [*Mode, "FREE", "PROMOTED", "PROMOTED_PLUS", "free", "", "CLASSIC", Service.CLASSIC]
            )
        ),
    },
    # Optional keys are left out about half the time, as callers mostly do.
    optional={
        "service": _mostly(st.sampled_from([None, *Service, "CLASSIC", "RECRUITER", "x"])),
        "hiring_photo_frame": _mostly(st.sampled_from([None, True, False])),
        "bypass_email_verification": _mostly(st.sampled_from([None, True, False])),
        "budget": _mostly(_budgets),
        "timeout": _mostly(st.one_of(st.just(NOT_GIVEN), st.floats(), st.integers(-2, 5))),
        "max_retries": _mostly(st.one_of(st.just(NOT_GIVEN), st.integers(-2, 5))),
    },
)
_REQUEST_FIELDS = {
    "draft_id",
    "account_id",
    "mode",
    "service",
    "hiring_photo_frame",
    "bypass_email_verification",
    "budget",
    "budget.currency",
    "budget.amount",
    "timeout",
    "timeout.total",
    "timeout.connect",
    "max_retries",
}


def _recording_transport() -> MockTransport:
    """Stands in for the network: keeps the requests the SDK would send, answers Published."""
    return MockTransport(lambda _request: MockResponse(200, body=PUBLISHED))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


@pytest.fixture
async def contract_sandbox() -> AsyncIterator[Sandbox]:
    # The contract names no length limit, so none is imposed here; republishing is allowed
    # because every example publishes the same draft.
    async with Sandbox(
        api_key=API_KEY, allow_republish=True, max_string_length=1_000_000
    ) as sandbox:
        yield sandbox


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def _budget(spec: Any) -> Any:
    if isinstance(spec, tuple):
        cls, currency, amount = spec
        return cls(currency, amount)
    return spec


@examples(250)
@given(kwargs=_publish_kwargs)
@example(kwargs={"account_id": "\ud800", "mode": "FREE"})  # once sent as a "\ud800" escape
async def test_any_publish_arguments_give_a_named_field_error_or_a_body_the_sandbox_accepts(
    contract_sandbox: Sandbox,
    http: aiohttp.ClientSession,
    make_client: MakeClient,
    kwargs: dict[str, Any],
) -> None:
    transport = _recording_transport()
    client = make_client(contract_sandbox.base_url, transport=transport)
    outcome: object
    try:
        if "budget" in kwargs:
            kwargs["budget"] = _budget(kwargs["budget"])
        outcome = await bounded(client.jobs.publish("draft-1", **kwargs))
    except InvalidRequestError as exc:
        outcome = exc
    if isinstance(outcome, InvalidRequestError):
        assert outcome.field in _REQUEST_FIELDS, outcome.field
        assert outcome.field in str(outcome)
        assert transport.requests == []
        return
    # Anything else escaping (ValueError, TypeError, OverflowError...) fails the test here.
    assert isinstance(outcome, Published)
    ((url, headers, body),) = ((r.url, r.headers, r.body) for r in transport.requests)
    assert body is not None
    # Strict JSON: UTF-8, no NaN/Infinity, no lone surrogates hiding in \u escapes.
    document = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    assert _utf8_encodable(json.dumps(document, ensure_ascii=False))
    async with http.post(url, data=body, headers=dict(headers)) as response:
        answer = await response.read()
        assert response.status == 200, answer


# --- any response --------------------------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_envelope_keys = st.sampled_from(
    ["object", "job_id", "job_state", "type", "title", "status", "detail", "instance"]
)
_envelopes = st.dictionaries(_envelope_keys, _json_values, max_size=8)
_tags = st.sampled_from(
    ["LinkedinJobPostingPublished", "LinkedinJobPostingPublishCheckpoint", "Other", ""]
)
_tagged = st.builds(lambda tag, rest: {**rest, "object": tag}, _tags, _envelopes)
_well_formed = st.fixed_dictionaries(
    {"object": _tags, "job_id": st.text(max_size=8)},
    optional={"job_state": st.text(max_size=8), "type": st.text(max_size=12)},
)
_bodies = st.one_of(
    st.binary(max_size=120),
    _json_values.map(lambda v: json.dumps(v).encode()),
    _envelopes.map(lambda v: json.dumps(v).encode()),
    _tagged.map(lambda v: json.dumps(v).encode()),
    _well_formed.map(lambda v: json.dumps(v).encode()),
    st.just(b"[" * 100_000),  # nesting deep enough to blow the recursion limit
)
_statuses = st.one_of(
    st.integers(100, 999),
    st.sampled_from([200, 201, 204, 301, 307, 400, 401, 404, 418, 422, 429, 500, 503, 504]),
)
_header_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
_retry_after = st.one_of(
    _header_text,
    st.integers(-(10**6), 10**12).map(str),
    st.floats().map(str),
    st.sampled_from(
        ["Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 99 Foo 2020"]
    ),
)
_headers = st.fixed_dictionaries(
    {},
    optional={
        "Retry-After": _retry_after,
        "X-Request-Id": st.text(max_size=20),
        "Content-Type": _header_text,
        "Location": _header_text,
    },
)


def _check_outcome(outcome: object, status: int) -> None:
    if isinstance(outcome, (Published, Checkpoint)):
        assert 200 <= status < 300
        assert isinstance(outcome.job_id, str)
        assert isinstance(
            outcome.job_state if isinstance(outcome, Published) else outcome.type, str
        )
        return
    assert isinstance(outcome, PostpressError), repr(outcome)
    assert str(outcome)
    assert repr(outcome)
    if isinstance(outcome, APIStatusError):
        assert outcome.status == status
        wait = backoff(1, outcome.retry_after)
        assert 0.0 <= wait <= MAX_RETRY_AFTER
        is_retryable(outcome)


@examples(300)
@given(
    spec=st.tuples(
        st.sampled_from([DailyBudget, MonthlyBudget]),
        st.sampled_from(["USD", "eur"]) | _junk,
        _amounts,
    )
)
# A signalling NaN once escaped as ValueError; 10**400 was sent as a 401-digit number.
@example(spec=(DailyBudget, "USD", Decimal("sNaN")))
@example(spec=(MonthlyBudget, "USD", 10**400))
def test_any_budget_is_a_named_field_error_or_a_finite_json_number(spec: Any) -> None:
    outcome: object
    try:
        outcome = _budget(spec)
    except InvalidRequestError as exc:
        outcome = exc
    if isinstance(outcome, InvalidRequestError):
        assert outcome.field in ("budget.currency", "budget.amount")
        return
    budget = outcome
    assert isinstance(budget, (DailyBudget, MonthlyBudget))
    # What JSON parsers in other languages read as a double must stay finite there too.
    assert math.isfinite(float(budget.amount))
    assert budget.amount > 0
    assert len(budget.currency) == 3


@examples(600)
@given(
    status=_statuses,
    body=_bodies,
    headers=_headers,
    reason=st.none() | st.text(max_size=10),
    truncated=st.booleans(),
)
def test_decoding_any_response_returns_a_model_or_raises_a_postpress_error(
    status: int, body: bytes, headers: dict[str, str], reason: str | None, truncated: bool
) -> None:
    raw = RawResponse(status, headers, body, reason=reason, truncated=truncated)
    try:
        outcome: object = decode_response(raw)
    except PostpressError as exc:
        outcome = exc
    _check_outcome(outcome, status)


@examples(40)
@given(
    status=st.integers(200, 599),
    body=_bodies.filter(lambda b: len(b) < 10_000),
    headers=_headers,
)
async def test_any_response_on_the_wire_ends_in_a_model_or_a_postpress_error(
    raw_server: MakeRawServer,
    make_client: MakeClient,
    status: int,
    body: bytes,
    headers: dict[str, str],
) -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        lines = [f"HTTP/1.1 {status} Whatever", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append("Connection: close")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()

    client = make_client(await raw_server(answer), timeout=2.0)
    try:
        outcome: object = await bounded(client.jobs.publish("d", account_id="a", mode="FREE"))
    except PostpressError as exc:
        outcome = exc
    _check_outcome(outcome, status)


def test_retry_waits_are_capped_for_any_retry_after() -> None:
    for retry_after in (None, 0.0, 59.9, 60.0, 61.0, 1e12, math.inf):
        for retry_number in range(1, 6):
            assert 0.0 <= backoff(retry_number, retry_after) <= MAX_RETRY_AFTER
