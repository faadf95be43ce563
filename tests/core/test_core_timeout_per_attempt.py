"""The timeout bounds each attempt, not the whole call (real aiohttp servers on 127.0.0.1).

A retried call may take longer in total than ``timeout`` while every attempt stays under
it; that call must succeed. Applying the timeout to the whole call would turn it into an
``APITimeoutError`` after the first retry had started. (That one attempt over its
timeout is an ``APITimeoutError`` is pinned in ``test_core_sockets.py``.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from postpress_async import AsyncPostpress, Published, Timeout

from .core_support import ACCOUNT_ID, DRAFT_ID, FakeAPI, Reply, envelope, json_reply

MakeServer = Callable[..., Awaitable[FakeAPI]]
MakeClient = Callable[..., AsyncPostpress]

ANSWER_DELAY = 0.6  # each attempt alone is well under the 1.0 s timeout; two are over it


def _slow(reply: Reply) -> Reply:
    async def slow_reply(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(ANSWER_DELAY)
        return await reply(request)

    return slow_reply


def _slow_503_then_published() -> tuple[Reply, ...]:
    unavailable = json_reply(
        503, envelope(503, "errors/no_channel"), headers={"Retry-After": "0"}
    )
    return _slow(unavailable), _slow(json_reply())


async def test_a_retried_call_may_outlast_the_timeout_when_each_attempt_is_within_it(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server(*_slow_503_then_published())
    client = make_client(server.base_url, timeout=1.0)

    result = await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")

    assert isinstance(result, Published)
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("client_options", "call_options"),
    [
        pytest.param({}, {"timeout": 1.0}, id="per call"),
        pytest.param({}, {"timeout": Timeout(total=1.0)}, id="per call, Timeout object"),
        pytest.param({"timeout": 30.0}, {"timeout": 1.0}, id="per call over the client's"),
    ],
)
async def test_a_per_call_timeout_also_bounds_each_attempt(
    make_server: MakeServer,
    make_client: MakeClient,
    client_options: dict[str, Any],
    call_options: dict[str, Any],
) -> None:
    server = await make_server(*_slow_503_then_published())
    client = make_client(server.base_url, **client_options)

    result = await client.jobs.publish(
        DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE", **call_options
    )

    assert isinstance(result, Published)
    assert len(server.requests) == 2


async def test_with_options_timeout_bounds_each_attempt(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server(*_slow_503_then_published())
    client = make_client(server.base_url).with_options(timeout=1.0)

    result = await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")

    assert isinstance(result, Published)
    assert len(server.requests) == 2

