"""Draft ids are percent-encoded: no id can change which endpoint a real server sees."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import unquote

import pytest

from postpress_async import AsyncPostpress

from .core_support import ACCOUNT_ID, FakeAPI

MakeServer = Callable[..., Awaitable[FakeAPI]]
MakeClient = Callable[..., AsyncPostpress]

HOSTILE_IDS = [
    "a/b",
    "../accounts",
    "../../accounts/acc_1/delete",
    "draft?mode=FREE",
    "draft#fragment",
    "with space",
    "tab\there",
    "100%",
    "%2e%2e",
    "brûlée-職",
    "emoji-🚀",
    "semi;colon",
    "...",
    "./x",
    "a\\b",
]


@pytest.mark.parametrize("draft_id", HOSTILE_IDS)
async def test_publish_path_keeps_the_draft_id_in_one_segment(
    make_server: MakeServer, make_client: MakeClient, draft_id: str
) -> None:
    server = await make_server()
    client = make_client(server.base_url)
    await client.jobs.publish(draft_id, account_id=ACCOUNT_ID, mode="FREE")
    (seen,) = server.requests
    prefix, _, rest = seen.raw_path.partition("/api/v1/linkedin/jobs/")
    assert prefix == ""
    segment, _, action = rest.partition("/")
    assert action == "publish"
    assert unquote(segment) == draft_id


@pytest.mark.parametrize("draft_id", ["a/b", "../accounts", "x?y#z"])
async def test_checkpoint_path_keeps_the_draft_id_in_one_segment(
    make_server: MakeServer, make_client: MakeClient, draft_id: str
) -> None:
    server = await make_server()
    client = make_client(server.base_url)
    await client.jobs.solve_checkpoint(draft_id, account_id=ACCOUNT_ID, input="123456")
    (seen,) = server.requests
    segment, _, action = seen.raw_path.removeprefix("/api/v1/linkedin/jobs/").partition("/")
    assert action == "checkpoint"
    assert unquote(segment) == draft_id


async def test_plain_draft_id_is_sent_verbatim(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()
    client = make_client(server.base_url)
    await client.jobs.publish("3984512098", account_id=ACCOUNT_ID, mode="FREE")
    assert server.requests[0].raw_path == "/api/v1/linkedin/jobs/3984512098/publish"


async def test_base_url_with_trailing_slash_builds_the_same_path(
    make_server: MakeServer, make_client: MakeClient
) -> None:
    server = await make_server()
    client = make_client(server.base_url + "/")
    await client.jobs.publish("42", account_id=ACCOUNT_ID, mode="FREE")
    assert server.requests[0].raw_path == "/api/v1/linkedin/jobs/42/publish"


URLS_IN_ORDER = [
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/1/publish",
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/2/checkpoint",  # origin reused
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/a%2F..%2Fb/publish",
    # The origin's text is a prefix of this one, but the host is another: not reused.
    "http://127.0.0.1:8080@other.example/x",
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/1/publish",
    "https://user:p%40ss@api.example.com/api/v1/linkedin/jobs/3/publish",
    "https://user:p%40ss@api.example.com/api/v1/linkedin/jobs/4/publish",
    "http://[::1]:9000/linkedin/jobs/5/publish",
    "http://[::1]:9000/linkedin/jobs/6/publish?x=1#f",  # not a plain path: parsed whole
    "http://[::1]:9000/linkedin/jobs/7/publish",  # the last one's query and fragment gone
    "http://127.0.0.1:8080",
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/7/publish",
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/a\tb/publish",  # yarl drops the tab
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/a\nb/publish",  # and newlines
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/a\rb/publish",
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/8/publish ",  # kept by both
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/9/publish\x1f",
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/a\x00b/publish",
    "http://127.0.0.1:8080/api/v1/linkedin/jobs/\u00e9t\u00e9/publish",
]


def test_the_transport_sends_exactly_the_url_it_is_given() -> None:
    from yarl import URL

    from postpress_async._aiohttp_transport import AiohttpTransport

    transport = AiohttpTransport()
    for url in URLS_IN_ORDER:
        expected = URL(url, encoded=True)
        got = transport._url(url)
        assert (got, str(got), got.raw_host, got.raw_path, got.port) == (
            expected, str(expected), expected.raw_host, expected.raw_path, expected.port
        )
