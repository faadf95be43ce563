"""Proxies, against a real proxy server (proxy.py in a subprocess): plain http, https
through CONNECT (trustme certificates), basic auth, the environment, and failures."""

from __future__ import annotations

import asyncio
import ssl
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import NamedTuple

import pytest
import trustme

from postpress_async import (
    APIConnectionError,
    AsyncPostpress,
    Postpress,
    ProxyAuthenticationError,
    Published,
)

from .core_support import ACCOUNT_ID, API_KEY, DRAFT_ID, FakeAPI
from .proxy_support import PROXY_PASSWORD, PROXY_USER, ProxyServer, Tap

MakeServer = Callable[..., Awaitable[FakeAPI]]
MakeTap = Callable[[ProxyServer], Awaitable[Tap]]


class Proxies(NamedTuple):
    open: ProxyServer  # no authentication
    locked: ProxyServer  # --basic-auth PROXY_USER:PROXY_PASSWORD


@pytest.fixture(scope="module")
def proxies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxies]:
    """Two proxy.py processes for the whole module, started side by side."""
    workdir = tmp_path_factory.mktemp("proxy")
    started = Proxies(
        ProxyServer(workdir / "open"),
        ProxyServer(workdir / "locked", basic_auth=f"{PROXY_USER}:{PROXY_PASSWORD}"),
    )
    try:
        for proxy in started:
            proxy.wait_ready()
        yield started
    finally:
        for proxy in started:
            proxy.stop()


@pytest.fixture
async def make_tap() -> AsyncIterator[MakeTap]:
    """Taps in front of a proxy, recording what the client lets the proxy read."""
    taps: list[Tap] = []

    async def make(proxy: ProxyServer) -> Tap:
        tap = Tap(proxy.port)
        await tap.start()
        taps.append(tap)
        return tap

    yield make
    for tap in taps:
        await tap.stop()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
async def https_server(make_server: MakeServer, ca: trustme.CA) -> FakeAPI:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return await make_server(ssl_context=context)


@pytest.fixture
def trusting(ca: trustme.CA) -> ssl.SSLContext:
    """A client SSL context that trusts the test CA."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def publish(client: AsyncPostpress) -> object:
    return await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")


def with_credentials(url: str, password: str = PROXY_PASSWORD) -> str:
    return url.replace("http://", f"http://{PROXY_USER}:{password}@", 1)


async def test_plain_http_goes_through_the_proxy(
    make_server: MakeServer, make_tap: MakeTap, proxies: Proxies
) -> None:
    server = await make_server()
    tap = await make_tap(proxies.open)
    async with AsyncPostpress(API_KEY, base_url=server.base_url, proxy=tap.url) as client:
        assert isinstance(await publish(client), Published)
    # An absolute-form request line: the proxy forwarded it.
    assert f"POST {server.base_url}/linkedin/jobs/{DRAFT_ID}/publish".encode() in tap.received
    assert server.requests[0].headers["X-API-KEY"] == API_KEY


async def test_https_goes_through_a_connect_tunnel_and_the_proxy_never_sees_the_key(
    https_server: FakeAPI, trusting: ssl.SSLContext, make_tap: MakeTap, proxies: Proxies
) -> None:
    tap = await make_tap(proxies.open)
    async with AsyncPostpress(
        API_KEY, base_url=https_server.base_url, proxy=tap.url, ssl=trusting
    ) as client:
        assert isinstance(await publish(client), Published)
        assert isinstance(await publish(client), Published)
    assert tap.received.startswith(f"CONNECT 127.0.0.1:{https_server.port} ".encode())
    assert b"X-API-KEY" not in tap.received.upper()
    assert API_KEY.encode() not in tap.received
    assert DRAFT_ID.encode() not in tap.received  # the path, too, is inside the tunnel
    assert [seen.headers["X-API-KEY"] for seen in https_server.requests] == [API_KEY] * 2


async def test_credentials_in_the_proxy_url_are_accepted_over_plain_http(
    make_server: MakeServer, proxies: Proxies
) -> None:
    server = await make_server()
    proxy = with_credentials(proxies.locked.url)
    async with AsyncPostpress(API_KEY, base_url=server.base_url, proxy=proxy) as client:
        assert isinstance(await publish(client), Published)


async def test_credentials_in_the_proxy_url_open_a_connect_tunnel(
    https_server: FakeAPI, trusting: ssl.SSLContext, proxies: Proxies
) -> None:
    proxy = with_credentials(proxies.locked.url)
    async with AsyncPostpress(
        API_KEY, base_url=https_server.base_url, proxy=proxy, ssl=trusting
    ) as client:
        assert isinstance(await publish(client), Published)


def assert_never_shows_the_password(error: BaseException) -> None:
    shown = "".join(traceback.format_exception(error)) + repr(error) + repr(vars(error))
    assert PROXY_PASSWORD not in shown


async def test_a_refused_connect_is_a_proxy_authentication_error_naming_the_proxy(
    https_server: FakeAPI, trusting: ssl.SSLContext, proxies: Proxies
) -> None:
    proxy = with_credentials(proxies.locked.url, PROXY_PASSWORD + "-wrong")
    async with AsyncPostpress(
        API_KEY, base_url=https_server.base_url, proxy=proxy, ssl=trusting
    ) as client:
        with pytest.raises(ProxyAuthenticationError) as caught:
            await publish(client)
    error = caught.value
    assert isinstance(error, APIConnectionError)
    assert f"the proxy 127.0.0.1:{proxies.locked.port} answered 407" in str(error)
    assert "refused the credentials" in str(error)
    assert error.proxy == f"127.0.0.1:{proxies.locked.port}"
    assert "pr0xy" not in str(error)
    assert_never_shows_the_password(error)
    assert https_server.requests == []


async def test_a_connect_without_credentials_says_the_proxy_needs_them(
    https_server: FakeAPI, trusting: ssl.SSLContext, proxies: Proxies
) -> None:
    async with AsyncPostpress(
        API_KEY, base_url=https_server.base_url, proxy=proxies.locked.url, ssl=trusting
    ) as client:
        with pytest.raises(ProxyAuthenticationError, match="needs credentials"):
            await publish(client)


async def test_a_407_answer_over_plain_http_is_a_proxy_authentication_error(
    make_server: MakeServer, proxies: Proxies
) -> None:
    server = await make_server()
    proxy = with_credentials(proxies.locked.url, "not-" + PROXY_PASSWORD)
    async with AsyncPostpress(API_KEY, base_url=server.base_url, proxy=proxy) as client:
        with pytest.raises(ProxyAuthenticationError, match="407 Proxy Authentication") as caught:
            await publish(client)
    assert caught.value.status == 407
    assert_never_shows_the_password(caught.value)
    assert server.requests == []  # not retried, never reached the API


async def test_an_unreachable_proxy_is_a_connection_error_naming_it(
    make_server: MakeServer, unused_tcp_port: int
) -> None:
    server = await make_server()
    proxy = f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{unused_tcp_port}"
    async with AsyncPostpress(API_KEY, base_url=server.base_url, proxy=proxy) as client:
        with pytest.raises(APIConnectionError) as caught:
            await publish(client)
    assert f"cannot connect to the proxy 127.0.0.1:{unused_tcp_port}" in str(caught.value)
    assert_never_shows_the_password(caught.value)


async def test_a_tunnel_the_proxy_cannot_open_is_a_connection_error_naming_it(
    trusting: ssl.SSLContext, proxies: Proxies, unused_tcp_port: int
) -> None:
    # Nothing listens on the target port: the proxy answers CONNECT with a 502.
    base_url = f"https://127.0.0.1:{unused_tcp_port}/api/v1"
    async with AsyncPostpress(
        API_KEY, base_url=base_url, proxy=proxies.open.url, ssl=trusting
    ) as client:
        with pytest.raises(APIConnectionError) as caught:
            await publish(client)
    assert not isinstance(caught.value, ProxyAuthenticationError)
    message = str(caught.value)
    assert f"the proxy 127.0.0.1:{proxies.open.port} could not open a tunnel" in message
    assert f"to 127.0.0.1:{unused_tcp_port}" in message
    assert "502" in message


async def test_https_proxy_from_the_environment_is_used(
    https_server: FakeAPI,
    trusting: ssl.SSLContext,
    make_tap: MakeTap,
    proxies: Proxies,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tap = await make_tap(proxies.open)
    monkeypatch.setenv("HTTPS_PROXY", tap.url)
    async with AsyncPostpress(API_KEY, base_url=https_server.base_url, ssl=trusting) as client:
        assert isinstance(await publish(client), Published)
    assert tap.received.startswith(b"CONNECT ")


async def test_http_proxy_from_the_environment_with_credentials_is_used(
    make_server: MakeServer, proxies: Proxies, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = await make_server()
    monkeypatch.setenv("http_proxy", with_credentials(proxies.locked.url))
    async with AsyncPostpress(API_KEY, base_url=server.base_url) as client:
        assert PROXY_PASSWORD not in repr(client)
        assert isinstance(await publish(client), Published)


async def test_no_proxy_sends_the_request_directly(
    https_server: FakeAPI,
    trusting: ssl.SSLContext,
    make_tap: MakeTap,
    proxies: Proxies,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tap = await make_tap(proxies.open)
    monkeypatch.setenv("HTTPS_PROXY", tap.url)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.0/8")
    async with AsyncPostpress(API_KEY, base_url=https_server.base_url, ssl=trusting) as client:
        assert isinstance(await publish(client), Published)
    assert tap.connections == 0


async def test_trust_env_false_ignores_the_environment(
    make_server: MakeServer, make_tap: MakeTap, proxies: Proxies, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = await make_server()
    tap = await make_tap(proxies.open)
    monkeypatch.setenv("HTTP_PROXY", tap.url)
    async with AsyncPostpress(API_KEY, base_url=server.base_url, trust_env=False) as client:
        assert isinstance(await publish(client), Published)
    assert tap.connections == 0


async def test_the_sync_client_goes_through_the_proxy(
    https_server: FakeAPI, trusting: ssl.SSLContext, proxies: Proxies
) -> None:
    proxy = with_credentials(proxies.locked.url)

    def publish_without_await() -> object:
        with Postpress(
            API_KEY, base_url=https_server.base_url, proxy=proxy, ssl=trusting
        ) as client:
            assert PROXY_PASSWORD not in repr(client)
            return client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")

    # In a thread: this test's loop keeps serving the https server meanwhile.
    assert isinstance(await asyncio.to_thread(publish_without_await), Published)
