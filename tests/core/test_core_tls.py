"""TLS: certificates are verified by default; a caller's SSL context is honoured."""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable

import aiohttp
import pytest
import trustme

from postpress_async import APIConnectionError, AsyncPostpress, InvalidRequestError, Published

from .core_support import ACCOUNT_ID, API_KEY, DRAFT_ID, FakeAPI

MakeServer = Callable[..., Awaitable[FakeAPI]]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


async def test_untrusted_certificate_is_refused_before_the_key_is_sent(
    make_server: MakeServer, server_context: ssl.SSLContext
) -> None:
    server = await make_server(ssl_context=server_context)
    async with AsyncPostpress(api_key=API_KEY, base_url=server.base_url) as client:
        with pytest.raises(APIConnectionError, match=r"(?i)certificate"):
            await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert server.requests == []


async def test_ssl_context_that_trusts_the_ca_is_used(
    make_server: MakeServer, server_context: ssl.SSLContext, ca: trustme.CA
) -> None:
    server = await make_server(ssl_context=server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    async with AsyncPostpress(
        api_key=API_KEY, base_url=server.base_url, ssl=client_context
    ) as client:
        result = await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert isinstance(result, Published)
    assert server.requests[0].headers["X-API-KEY"] == API_KEY


async def test_ssl_with_a_caller_session_is_rejected() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(InvalidRequestError, match="ssl"):
            AsyncPostpress(api_key=API_KEY, session=session, ssl=ssl.create_default_context())
