"""The SDK defect classes of the hostile-server trial (issue 14, items 2 to 8).

Each class is tried with more cases than the trial's own: unsolicited bytes on an idle
pooled connection, compressed bodies cut short, server text that echoes secrets, is
huge, carries control characters, or bends Retry-After and JSON.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import math
import zlib
from typing import Any

import pytest
from aiohttp import web

from postpress_async import (
    APIConnectionError,
    APIStatusError,
    AsyncPostpress,
    BadRequestError,
    Published,
    RateLimitError,
    ServiceUnavailableError,
    UnexpectedResponseError,
)
from postpress_async.testing import MockResponse, MockTransport, no_retry_waits
from tests.conftest import MakeClient

from .conftest import API_KEY, PUBLISHED, MakeRawServer, MakeWebServer, bounded
from .conftest import read_request as read_one_request

FORGED = b'{"object":"LinkedinJobPostingPublished","job_state":"active","job_id":"FORGED"}'


def _http(status: str, body: bytes, *extra: str) -> bytes:
    head = [f"HTTP/1.1 {status}", "Content-Type: application/json",
            f"Content-Length: {len(body)}", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _answer_for(draft_id: str) -> bytes:
    return json.dumps(
        {"object": "LinkedinJobPostingPublished", "job_state": "active", "job_id": draft_id}
    ).encode()


async def _publish(client: AsyncPostpress, draft_id: str = "draft-1") -> Any:
    return await bounded(client.jobs.publish(draft_id, account_id="acc", mode="FREE"))


# --- 2. bytes that arrive on an idle pooled connection --------------------------------------

_UNSOLICITED = {
    "forged 200": _http("200 OK", FORGED),
    "408 keep-alive": _http("408 Request Timeout", b'{"title":"idle"}'),
    "half a response": b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"object\"",
    "garbage": b"\x00\x01 not http at all\r\n\r\n",
}


@pytest.mark.parametrize("unsolicited", list(_UNSOLICITED.values()), ids=list(_UNSOLICITED))
async def test_bytes_written_on_an_idle_connection_never_answer_the_next_call(
    raw_server: MakeRawServer, make_client: MakeClient, unsolicited: bytes
) -> None:
    seen: list[str] = []
    written = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                line, _, _ = await read_one_request(reader)
            except asyncio.IncompleteReadError:
                return
            draft_id = line.split()[1].split("/")[-2]
            seen.append(draft_id)
            writer.write(_http("200 OK", _answer_for(draft_id)))
            await writer.drain()
            if len(seen) == 1:
                # Once the connection sits idle in the client's pool, write into it.
                await asyncio.sleep(0.05)
                writer.write(unsolicited)
                await writer.drain()
                written.set()

    client = make_client(await raw_server(handle))
    first = await _publish(client, "first")
    await asyncio.wait_for(written.wait(), 5)
    await asyncio.sleep(0.05)  # let the unsolicited bytes reach the client's socket
    second = await _publish(client, "second")
    assert (first.job_id, second.job_id) == ("first", "second")
    assert seen == ["first", "second"]  # the second call really reached the server


# --- 3. compressed bodies that have fully arrived and do not decompress ---------------------

def _compressed(encoding: str, size: int) -> bytes:
    payload = json.dumps({"object": "LinkedinJobPostingPublished", "job_state": "active",
                          "job_id": "1", "pad": "ab" * size}).encode()
    if encoding == "gzip":
        return gzip.compress(payload)
    wbits = -15 if encoding == "raw-deflate" else 15
    compressor = zlib.compressobj(wbits=wbits)
    return compressor.compress(payload) + compressor.flush()


@pytest.mark.parametrize("size", [100_000, 400_000, 2_000_000])
@pytest.mark.parametrize("encoding", ["deflate", "raw-deflate", "gzip"])
async def test_a_truncated_compressed_body_fails_at_once_with_a_typed_error(
    raw_server: MakeRawServer, make_client: MakeClient, encoding: str, size: int
) -> None:
    body = _compressed(encoding, size)
    cut = body[: len(body) // 2]
    header = "deflate" if encoding == "raw-deflate" else encoding

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_one_request(reader)
        writer.write(_http("200 OK", cut, f"Content-Encoding: {header}"))
        await writer.drain()
        await asyncio.sleep(30)  # the connection stays open: only the body is complete

    # A long per-attempt timeout: waiting for it would trip bounded()'s guard.
    client = make_client(await raw_server(handle), timeout=60.0)
    # The largest decompresses past the body limit before its end: cut there, also at once.
    with pytest.raises(UnexpectedResponseError, match=r"does not decompress|exceeded"):
        await _publish(client)


async def test_a_whole_compressed_body_is_read(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    for encoding in ("deflate", "raw-deflate", "gzip"):
        body = _compressed(encoding, 1000)
        header = "deflate" if encoding == "raw-deflate" else encoding

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await read_one_request(reader)
            writer.write(_http("200 OK", body, f"Content-Encoding: {header}"))  # noqa: B023
            await writer.drain()

        client = make_client(await raw_server(handle))
        assert (await _publish(client)).job_id == "1"


async def test_a_broken_compressed_error_body_keeps_its_status_and_is_retried(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    calls: list[int] = []
    cut = gzip.compress(b'{"type":"errors/network_down"}' * 100)[:40]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_one_request(reader)
        calls.append(1)
        writer.write(_http("503 Service Unavailable", cut, "Content-Encoding: gzip"))
        await writer.drain()

    client = make_client(await raw_server(handle), max_retries=1)
    with no_retry_waits(), pytest.raises(ServiceUnavailableError):
        await _publish(client)
    assert len(calls) == 2


async def test_an_unknown_content_encoding_is_a_typed_error(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_one_request(reader)
        writer.write(_http("200 OK", b"\x1f\x8b????", "Content-Encoding: compress"))
        await writer.drain()

    client = make_client(await raw_server(handle))
    with pytest.raises(UnexpectedResponseError, match="unsupported Content-Encoding"):
        await _publish(client)


# --- 4, 5. secrets echoed by a server --------------------------------------------------------

PASSWORD = "pw-Zq81xVv"


def _echoing(where: str) -> MockTransport:
    """A server that puts the key it received (and the URL's password) into ``where``."""

    def handler(request: Any) -> MockResponse:
        echo = f"key={request.headers['X-API-KEY']} url={request.url} pw={PASSWORD}"
        envelope = {"status": 400, "type": "errors/invalid_parameters", "title": "Bad"}
        if where == "html":
            return MockResponse(502, body=f"<html><pre>{echo}</pre></html>".encode())
        if where == "success body":
            return MockResponse(200, json={"object": "Surprise", "echo": echo})
        if where == "header":
            return MockResponse(400, json=envelope, headers={"X-Debug": echo})
        return MockResponse(400, json={**envelope, where: echo},
                            headers={"X-Request-Id": "req-1"})

    return MockTransport(handler)


def _texts_of(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), repr(error.args)]
    for value in vars(error).values():
        texts.append(value.decode("utf-8", "replace") if isinstance(value, bytes) else repr(value))
        if hasattr(value, "items"):
            texts += [f"{k}: {v}" for k, v in value.items()]
    return texts


@pytest.mark.parametrize("where", ["detail", "title", "instance", "type", "html",
                                   "success body", "header"])
async def test_a_key_or_password_echoed_by_the_server_is_redacted_everywhere(
    where: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="postpress_async")
    client = AsyncPostpress(API_KEY, base_url=f"https://user:{PASSWORD}@api.test/api/v1",
                            transport=_echoing(where))
    with pytest.raises((APIStatusError, UnexpectedResponseError)) as info:
        await client.jobs.publish("d", account_id="acc", mode="FREE")
    texts = [*_texts_of(info.value), caplog.text]
    assert not [t for t in texts if API_KEY in t or PASSWORD in t]
    assert any("***" in t for t in texts)


async def test_an_echoed_instance_is_redacted_in_the_retry_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="postpress_async")
    transport = MockTransport(lambda r: MockResponse(503, json={
        "status": 503, "type": "errors/network_down", "title": "Down",
        "instance": f"req for {r.headers['X-API-KEY']}"}))
    client = AsyncPostpress(API_KEY, base_url="https://api.test/v1", transport=transport,
                            max_retries=1)
    with no_retry_waits(), pytest.raises(ServiceUnavailableError):
        await client.jobs.publish("d", account_id="acc", mode="FREE")
    assert "retrying" in caplog.text
    assert API_KEY not in caplog.text


async def test_the_base_url_password_is_in_no_connection_error_attribute(
    make_client: MakeClient,
) -> None:
    with socket_bound_and_closed() as port:
        client = make_client(f"http://user:{PASSWORD}@127.0.0.1:{port}/api/v1")
        with pytest.raises(APIConnectionError) as info:
            await _publish(client)
    assert info.value.url is not None
    assert "***" in info.value.url
    assert not [t for t in _texts_of(info.value) if PASSWORD in t]


class socket_bound_and_closed:
    """A 127.0.0.1 port nothing listens on."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])

    def __exit__(self, *_: object) -> None:
        pass


# --- 6, 7. huge and hostile text in messages --------------------------------------------------

def _failing_with(**fields: str) -> AsyncPostpress:
    envelope = {"status": 400, "type": "errors/invalid_parameters", "title": "Bad", **fields}
    return AsyncPostpress(API_KEY, base_url="https://api.test/v1",
                          transport=MockTransport(lambda _: MockResponse(400, json=envelope)))


@pytest.mark.parametrize("field", ["detail", "title", "instance", "type"])
async def test_a_huge_server_field_gives_a_bounded_message(field: str) -> None:
    client = _failing_with(**{field: "x" * 900_000})
    with pytest.raises(BadRequestError) as info:
        await client.jobs.publish("d", account_id="acc", mode="FREE")
    assert len(str(info.value)) < 1500


async def test_a_huge_unknown_object_tag_gives_a_bounded_message() -> None:
    transport = MockTransport(lambda _: MockResponse(200, json={"object": "y" * 500_000}))
    client = AsyncPostpress(API_KEY, base_url="https://api.test/v1", transport=transport)
    with pytest.raises(UnexpectedResponseError) as info:
        await client.jobs.publish("d", account_id="acc", mode="FREE")
    assert len(str(info.value)) < 1500


_HOSTILE = ["\x00", "\x1b[31mred\x1b[0m", "\x07", "\x08\x08\x08", "\r\nFAKE LOG LINE",
            "\u202eevil", "\x7f", "\x9b", "\ud800"]


@pytest.mark.parametrize("text", _HOSTILE)
@pytest.mark.parametrize("field", ["detail", "title", "instance", "type"])
async def test_control_characters_from_the_server_are_escaped_in_the_message(
    field: str, text: str
) -> None:
    client = _failing_with(**{field: f"before{text}after"})
    with pytest.raises(BadRequestError) as info:
        await client.jobs.publish("d", account_id="acc", mode="FREE")
    message = str(info.value)
    assert message.isprintable()
    assert "before" in message
    assert "after" in message
    message.encode("utf-8")  # a lone surrogate would raise here


# --- 8. Retry-After, duplicate tags, huge integers ----------------------------------------------

@pytest.mark.parametrize(
    "value", ["inf", "Infinity", "1e400", "-inf", "nan", "9" * 400, "\u0661\u0662", "1_0",
              "0x10", " 5 ", "5"],
)
async def test_retry_after_is_always_finite_or_none(value: str) -> None:
    transport = MockTransport(lambda _: MockResponse(429, json={"title": "slow down"},
                                                     headers={"Retry-After": value}))
    client = AsyncPostpress(API_KEY, base_url="https://api.test/v1", transport=transport)
    with pytest.raises(RateLimitError) as info:
        await client.jobs.publish("d", account_id="acc", mode="FREE")
    retry_after = info.value.retry_after
    assert retry_after is None or math.isfinite(retry_after)
    if value.strip() == "5":
        assert retry_after == 5.0
    if not value.strip().isascii() or value in ("1_0", "0x10", "inf", "nan", "1e400"):
        assert retry_after is None


@pytest.mark.parametrize(
    "body",
    [
        b'{"object":"LinkedinJobPostingPublishCheckpoint","type":"OTP","job_id":"1",'
        b'"object":"LinkedinJobPostingPublished","job_state":"active"}',
        b'{"object":"LinkedinJobPostingPublished","job_state":"active","job_id":"1",'
        b'"\\u006fbject":"LinkedinJobPostingPublishCheckpoint","type":"OTP"}',
        b'{"object":"LinkedinJobPostingPublished","job_state":"\\u00e9t\\u00e9","job_id":"1",'
        b'"obj\\u0045ct":"x","ob\\u006Aect":"LinkedinJobPostingPublishCheckpoint","type":"OTP"}',
    ],
    ids=["plain", "escaped key", "upper-case escape beside accents"],
)
async def test_a_body_naming_its_object_tag_twice_is_an_unexpected_response(body: bytes) -> None:
    transport = MockTransport(lambda _: MockResponse(200, body=body))
    client = AsyncPostpress(API_KEY, base_url="https://api.test/v1", transport=transport)
    with pytest.raises(UnexpectedResponseError, match="'object' tag twice"):
        await client.jobs.publish("d", account_id="acc", mode="FREE")


async def test_the_word_object_as_a_value_is_not_a_duplicate_tag() -> None:
    body = (b'{"object":"LinkedinJobPostingPublished","job_state":"active","job_id":"1",'
            b'"note":"\\"object\\" and object"}')
    transport = MockTransport(lambda _: MockResponse(200, body=body))
    client = AsyncPostpress(API_KEY, base_url="https://api.test/v1", transport=transport)
    assert (await client.jobs.publish("d", account_id="acc", mode="FREE")).job_id == "1"


@pytest.mark.parametrize("digits", [25, 400, 5000, 50_000])
async def test_a_huge_integer_in_an_unknown_field_does_not_spoil_a_real_publish(
    digits: int,
) -> None:
    body = PUBLISHED[:-1] + b',"views":' + b"7" * digits + b"}"
    transport = MockTransport(lambda _: MockResponse(200, body=body))
    client = AsyncPostpress(API_KEY, base_url="https://api.test/v1", transport=transport)
    assert isinstance(await client.jobs.publish("d", account_id="acc", mode="FREE"), Published)


async def test_invalid_json_is_said_to_be_invalid_json() -> None:
    transport = MockTransport(lambda _: MockResponse(200, body=b'{"object": "Linkedin'))
    client = AsyncPostpress(API_KEY, base_url="https://api.test/v1", transport=transport)
    with pytest.raises(UnexpectedResponseError, match="not valid JSON"):
        await client.jobs.publish("d", account_id="acc", mode="FREE")


async def test_a_lone_surrogate_in_an_error_detail_gives_an_encodable_message(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        return web.Response(status=400, content_type="application/json",
                            body=b'{"status":400,"type":"errors/invalid_parameters",'
                                 b'"title":"t","detail":"bad \\ud800 id"}')

    client = make_client(await web_server(handler))
    with pytest.raises(BadRequestError) as info:
        await _publish(client)
    assert info.value.detail == "bad \ud800 id"  # stored as the server sent it
    str(info.value).encode("utf-8")
