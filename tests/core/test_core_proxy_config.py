"""Proxy configuration: checks of ``proxy=``, the environment variables, reprs, refusals,
and the 407 mapping (no proxy process needed; see test_core_proxy for the real one)."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web

from postpress_async import (
    APIConnectionError,
    AsyncPostpress,
    InvalidRequestError,
    Postpress,
    ProxyAuthenticationError,
)
from postpress_async._config import resolve_proxy
from postpress_async.testing import MockResponse, MockTransport

from .core_support import ACCOUNT_ID, API_KEY, DRAFT_ID, FakeAPI

MakeServer = Callable[..., Awaitable[FakeAPI]]
PASSWORD = "hunter2-Pr0xy-pw"
HTTPS_BASE = "https://api.postpress.test/api/v1"
HTTP_BASE = "http://api.postpress.test/api/v1"


def from_env(base_url: str = HTTPS_BASE, **environ: str) -> str | None:
    return resolve_proxy(None, trust_env=True, base_url=base_url, environ=environ)


@pytest.mark.parametrize(
    "proxy",
    [
        "socks5://127.0.0.1:1080",
        "ftp://proxy.example:21",
        "http://",
        "http://:3128",
        "proxy.example:3128",
        "http://proxy.example:notaport",
        "http://proxy.example:0",
        "http://proxy.example:3128/path",
        "http://proxy.example:3128?x=1",
        "http://proxy .example:3128",
        "http://proxy.example:3128\n",
        "",
    ],
)
def test_a_proxy_that_is_not_an_http_url_is_refused_naming_the_field(proxy: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        AsyncPostpress(API_KEY, proxy=proxy)
    assert caught.value.field == "proxy"


def test_a_proxy_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="proxy: must be a URL"):
        AsyncPostpress(API_KEY, proxy=3128)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "proxy",
    [
        f"socks5://user:{PASSWORD}@proxy.example:1080",
        f"http://user:{PASSWORD}@proxy.example:notaport",
        f"http://user:{PASSWORD} @proxy.example:3128",
        # An unencoded "/" makes the rest of the password look like the path.
        f"http://user:{PASSWORD[:5]}/{PASSWORD[6:]}@proxy.example:3128",
    ],
)
def test_a_refused_proxy_never_shows_its_password(proxy: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        AsyncPostpress(API_KEY, proxy=proxy)
    assert PASSWORD[6:] not in str(caught.value)
    assert PASSWORD[:5] not in str(caught.value)


def test_an_https_proxy_url_is_accepted() -> None:
    assert resolve_proxy("https://proxy.example:3129", trust_env=True, base_url=HTTPS_BASE) == (
        "https://proxy.example:3129"
    )


def test_the_client_repr_masks_the_proxy_password() -> None:
    client = AsyncPostpress(API_KEY, proxy=f"http://user:{PASSWORD}@proxy.example:3128")
    assert "proxy='http://user:***@proxy.example:3128'" in repr(client)
    assert PASSWORD not in repr(client)
    assert PASSWORD not in repr(client.with_options(max_retries=0))


def test_the_sync_client_repr_masks_the_proxy_password() -> None:
    with Postpress(API_KEY, proxy=f"http://user:{PASSWORD}@proxy.example:3128") as client:
        assert repr(client).startswith("Postpress(")
        assert "user:***@proxy.example:3128" in repr(client)
        assert PASSWORD not in repr(client)


def test_a_client_without_a_proxy_says_nothing_of_one() -> None:
    assert "proxy" not in repr(AsyncPostpress(API_KEY, trust_env=False))


async def test_a_proxy_with_a_caller_session_is_refused() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(InvalidRequestError, match="proxy: has no effect"):
            AsyncPostpress(API_KEY, session=session, proxy="http://proxy.example:3128")
        with pytest.raises(InvalidRequestError, match="trust_env: has no effect"):
            AsyncPostpress(API_KEY, session=session, trust_env=False)


def test_a_proxy_with_a_custom_transport_is_refused() -> None:
    transport = MockTransport(lambda request: MockResponse(200))
    with pytest.raises(InvalidRequestError, match=r"proxy: has no effect .* transport"):
        AsyncPostpress(API_KEY, transport=transport, proxy="http://proxy.example:3128")
    with pytest.raises(InvalidRequestError, match="trust_env"):
        AsyncPostpress(API_KEY, transport=transport, trust_env=False)


def test_trust_env_must_be_a_bool() -> None:
    with pytest.raises(InvalidRequestError, match="trust_env: must be True or False"):
        AsyncPostpress(API_KEY, trust_env="no")  # type: ignore[arg-type]


def test_the_base_urls_scheme_picks_the_environment_variable() -> None:
    env = {"HTTPS_PROXY": "http://secure.example:1", "HTTP_PROXY": "http://plain.example:2"}
    assert from_env(HTTPS_BASE, **env) == "http://secure.example:1"
    assert from_env(HTTP_BASE, **env) == "http://plain.example:2"


def test_the_lower_case_variable_wins_as_in_curl_and_requests() -> None:
    env = {"https_proxy": "http://lower.example:1", "HTTPS_PROXY": "http://upper.example:2"}
    assert from_env(**env) == "http://lower.example:1"
    assert from_env(https_proxy="", HTTPS_PROXY="http://upper.example:2") is None


def test_an_explicit_proxy_wins_over_the_environment() -> None:
    assert resolve_proxy(
        "http://given.example:1",
        trust_env=True,
        base_url=HTTPS_BASE,
        environ={"HTTPS_PROXY": "http://env.example:2"},
    ) == "http://given.example:1"


@pytest.mark.parametrize(
    "no_proxy",
    [
        "*",
        "api.postpress.test",
        "postpress.test",
        ".postpress.test",
        "*.postpress.test",
        "other.example, postpress.test",
        "api.postpress.test:443",
        "API.POSTPRESS.TEST",
    ],
)
def test_no_proxy_exempts_the_host(no_proxy: str) -> None:
    assert from_env(HTTPS_PROXY="http://proxy.example:1", NO_PROXY=no_proxy) is None


@pytest.mark.parametrize(
    "no_proxy", ["", "other.example", "ostpress.test", "api.postpress.test:8443", "10.0.0.0/8"]
)
def test_no_proxy_leaves_other_hosts_proxied(no_proxy: str) -> None:
    assert from_env(HTTPS_PROXY="http://proxy.example:1", no_proxy=no_proxy) is not None


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "127.0.0.0/8", "localhost,127.0.0.1"])
def test_no_proxy_exempts_ip_addresses_and_ranges(no_proxy: str) -> None:
    base_url = "https://127.0.0.1:8443/api/v1"
    assert from_env(base_url, HTTPS_PROXY="http://proxy.example:1", NO_PROXY=no_proxy) is None


def test_http_proxy_is_ignored_in_a_cgi_script() -> None:
    # There, HTTP_PROXY is set from the client's "Proxy:" header ("httpoxy").
    assert from_env(HTTP_BASE, HTTP_PROXY="http://evil.example:1", REQUEST_METHOD="GET") is None


def test_a_bad_proxy_in_the_environment_names_the_variable_and_the_way_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"socks5://user:{PASSWORD}@proxy.example:1080")
    with pytest.raises(InvalidRequestError) as caught:
        AsyncPostpress(API_KEY)
    assert caught.value.field == "HTTPS_PROXY"
    assert "trust_env=False" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    AsyncPostpress(API_KEY, trust_env=False)  # ignored, so no error


async def test_a_407_response_is_a_proxy_authentication_error_and_is_not_retried() -> None:
    requests = []

    def handler(request: object) -> MockResponse:
        requests.append(request)
        return MockResponse(407, body=b"<html>auth needed</html>")

    async with AsyncPostpress(API_KEY, transport=MockTransport(handler)) as client:
        with pytest.raises(ProxyAuthenticationError) as caught:
            await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert isinstance(caught.value, APIConnectionError)
    assert caught.value.status == 407
    assert len(requests) == 1


async def test_the_proxy_password_is_redacted_from_what_a_proxy_echoes(
    make_server: MakeServer,
) -> None:
    # A plain-http proxy (an aiohttp server answering absolute-form requests) that
    # echoes the credentials it was sent, decoded, in its 407.
    async def echo_credentials(request: web.Request) -> web.StreamResponse:
        sent = request.headers.get("Proxy-Authorization", "").removeprefix("Basic ")
        return web.Response(status=407, headers={"X-Echo": base64.b64decode(sent).decode()})

    proxy = await make_server(echo_credentials)
    proxy_url = f"http://user:{PASSWORD}@127.0.0.1:{proxy.port}"
    async with AsyncPostpress(API_KEY, base_url=HTTP_BASE, proxy=proxy_url) as client:
        with pytest.raises(ProxyAuthenticationError) as caught:
            await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert proxy.requests  # the credentials did reach the proxy
    assert caught.value.headers["X-Echo"] == "user:***"
    assert PASSWORD not in repr(vars(caught.value))
