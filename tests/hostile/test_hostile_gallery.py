"""A gallery of broken servers on real 127.0.0.1 sockets, one named test per fault.

Every call ends in a typed result or a typed ``PostpressError`` within its configured
timeout; ``bounded`` turns a hang into a failure instead of a stuck run.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import json
import socket
import struct
from collections.abc import Callable

import pytest
import tenacity
from aiohttp import web

import postpress_async._retry as retry_module
from postpress_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ErrorType,
    GatewayTimeoutError,
    NotFoundError,
    Published,
    PublishResult,
    ServiceUnavailableError,
    Timeout,
    UnexpectedResponseError,
)
from postpress_async._transport import MAX_RESPONSE_BYTES

from .conftest import (
    PUBLISHED,
    MakeClient,
    MakeRawServer,
    MakeWebServer,
    bounded,
    published_response,
    read_request,
)

FIFTY_MIB = 50 * 1024 * 1024


async def publish(client: object, **kwargs: object) -> PublishResult:
    jobs = client.jobs  # type: ignore[attr-defined]
    return await bounded(jobs.publish("draft-1", account_id="acc", mode="FREE", **kwargs))


def json_response(status: int, payload: object, **headers: str) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(payload).encode(),
        content_type="application/json",
        headers=headers or None,
    )


def counting(
    handler: Callable[[web.BaseRequest], object],
) -> tuple[Callable[..., object], list[int]]:
    """Wrap a handler so the test can count the requests that reached the server."""
    calls: list[int] = []

    async def wrapped(request: web.BaseRequest) -> web.StreamResponse:
        calls.append(1)
        await request.read()
        result = handler(request)
        if asyncio.iscoroutine(result):
            result = await result
        assert isinstance(result, web.StreamResponse)
        return result

    return wrapped, calls


def raw_answer(head: str, body: bytes = b"") -> Callable[..., object]:
    """A raw handler that reads the request, writes ``head`` + ``body`` and closes."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(head.replace("\n", "\r\n").encode("latin-1") + body)
        await writer.drain()

    return handle


# --- bodies that are not what they claim ------------------------------------------------


async def test_truncated_json_on_200_is_an_unexpected_response(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        return web.Response(body=PUBLISHED[:30], content_type="application/json")

    client = make_client(await web_server(handler))
    with pytest.raises(UnexpectedResponseError, match="not valid JSON"):
        await publish(client)


async def test_body_shorter_than_its_content_length_is_a_connection_error(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    handle = raw_answer("HTTP/1.1 200 OK\nContent-Length: 500\n\n", PUBLISHED[:20])
    client = make_client(await raw_server(handle))  # type: ignore[arg-type]
    with pytest.raises(APIConnectionError) as info:
        await publish(client)
    assert not isinstance(info.value, APITimeoutError)


async def test_wrong_content_type_with_a_valid_payload_is_still_parsed(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        return web.Response(body=PUBLISHED, content_type="text/html")

    client = make_client(await web_server(handler))
    assert await publish(client) == Published(job_id="j-1", job_state="active")


async def test_missing_content_type_with_a_valid_payload_is_still_parsed(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    handle = raw_answer(f"HTTP/1.1 200 OK\nContent-Length: {len(PUBLISHED)}\n\n", PUBLISHED)
    client = make_client(await raw_server(handle))  # type: ignore[arg-type]
    assert await publish(client) == Published(job_id="j-1", job_state="active")


async def test_empty_200_is_an_unexpected_response(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        return web.Response(status=200)

    client = make_client(await web_server(handler))
    with pytest.raises(UnexpectedResponseError) as info:
        await publish(client)
    assert info.value.status == 200


async def test_204_no_content_is_an_unexpected_response(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        return web.Response(status=204)

    client = make_client(await web_server(handler))
    with pytest.raises(UnexpectedResponseError):
        await publish(client)


async def test_200_carrying_an_error_envelope_is_an_unexpected_response_naming_the_type(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    envelope = {"title": "Invalid", "type": "errors/invalid_credentials", "status": 401}

    async def handler(request: web.BaseRequest) -> web.Response:
        return json_response(200, envelope, **{"X-Request-Id": "req-9"})

    client = make_client(await web_server(handler))
    with pytest.raises(UnexpectedResponseError, match="errors/invalid_credentials") as info:
        await publish(client)
    assert info.value.request_id == "req-9"


async def test_unknown_object_tag_is_an_unexpected_response(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        return json_response(200, {"object": "LinkedinJobPostingDeleted", "job_id": "j-1"})

    client = make_client(await web_server(handler))
    with pytest.raises(UnexpectedResponseError, match="LinkedinJobPostingDeleted"):
        await publish(client)


async def test_new_job_state_is_kept_as_a_raw_string(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    payload = {"object": "LinkedinJobPostingPublished", "job_state": "archived", "job_id": "j"}

    async def handler(request: web.BaseRequest) -> web.Response:
        return json_response(200, payload)

    client = make_client(await web_server(handler))
    assert await publish(client) == Published(job_id="j", job_state="archived")


async def test_invalid_utf8_in_a_success_body_is_an_unexpected_response(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        body = b'{"object":"LinkedinJobPostingPublished","job_state":"active","job_id":"\xff\xfe"}'
        return web.Response(body=body, content_type="application/json")

    client = make_client(await web_server(handler))
    with pytest.raises(UnexpectedResponseError):
        await publish(client)


async def test_invalid_utf8_in_an_error_body_is_a_status_error_without_type(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        return web.Response(status=400, body=b'{"type":"errors/\xff","title":"\xfe"}')

    client = make_client(await web_server(handler))
    with pytest.raises(BadRequestError) as info:
        await publish(client)
    assert info.value.type is None
    assert "400" in str(info.value)


async def test_invalid_utf8_in_a_header_value_still_gives_a_typed_error(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    body = b'{"status":404,"type":"errors/resource_not_found","title":"Not found"}'
    head = f"HTTP/1.1 404 Not Found\nContent-Length: {len(body)}\nX-Request-Id: ".encode()
    handle_head = head + b"\xff\xfe-req\r\n\r\n" + body

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(handle_head.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n"))
        await writer.drain()

    client = make_client(await raw_server(handle))
    with pytest.raises(NotFoundError) as info:
        await publish(client)
    assert info.value.type is ErrorType.RESOURCE_NOT_FOUND
    assert str(info.value)
    assert repr(info.value)


async def test_status_and_body_disagreeing_keep_both(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    envelope = {"status": 403, "type": "errors/account_restricted", "title": "Restricted"}

    async def handler(request: web.BaseRequest) -> web.Response:
        return json_response(401, envelope)

    client = make_client(await web_server(handler))
    with pytest.raises(AuthenticationError) as info:
        await publish(client)
    assert (info.value.status, info.value.type) == (401, ErrorType.ACCOUNT_RESTRICTED)


async def test_http_10_body_delimited_by_close_is_parsed(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    handle = raw_answer("HTTP/1.0 200 OK\nContent-Type: application/json\n\n", PUBLISHED)
    client = make_client(await raw_server(handle))  # type: ignore[arg-type]
    assert await publish(client) == Published(job_id="j-1", job_state="active")


# --- proxies and odd statuses ------------------------------------------------------------


async def test_html_502_from_a_proxy_is_a_status_error_and_not_retried(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
    handler, calls = counting(
        lambda _: web.Response(status=502, text=page, content_type="text/html")
    )
    client = make_client(await web_server(handler), max_retries=2)
    with pytest.raises(APIStatusError) as info:
        await publish(client)
    assert type(info.value) is APIStatusError
    assert (info.value.status, info.value.type) == (502, None)
    assert "Bad Gateway" in str(info.value)
    assert len(calls) == 1


async def test_empty_504_from_a_proxy_is_retried_then_a_gateway_timeout(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    from postpress_async.testing import no_retry_waits

    handler, calls = counting(lambda _: web.Response(status=504))
    client = make_client(await web_server(handler), max_retries=2)
    with no_retry_waits(), pytest.raises(GatewayTimeoutError) as info:
        await publish(client)
    assert info.value.type is None
    assert len(calls) == 3


@pytest.mark.parametrize("status", [418, 599])
async def test_unknown_status_is_a_plain_status_error(
    web_server: MakeWebServer, make_client: MakeClient, status: int
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        return web.Response(status=status, text="?")

    client = make_client(await web_server(handler))
    with pytest.raises(APIStatusError) as info:
        await publish(client)
    assert type(info.value) is APIStatusError
    assert info.value.status == status


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_to_another_origin_is_not_followed_and_the_key_not_sent(
    web_server: MakeWebServer, make_client: MakeClient, status: int
) -> None:
    elsewhere_handler, elsewhere_calls = counting(lambda _: published_response())
    elsewhere = await web_server(elsewhere_handler)

    async def handler(request: web.BaseRequest) -> web.Response:
        await request.read()
        target = f"{elsewhere}/linkedin/jobs/draft-1/publish"
        return web.Response(status=status, headers={"Location": target})

    client = make_client(await web_server(handler))
    with pytest.raises(APIStatusError) as info:
        await publish(client)
    assert info.value.status == status
    assert "not followed" in str(info.value)
    assert elsewhere_calls == []


# --- duplicate and conflicting headers ---------------------------------------------------


async def test_duplicate_headers_are_tolerated(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    head = (
        f"HTTP/1.1 200 OK\nContent-Length: {len(PUBLISHED)}\n"
        "Content-Type: application/json\nContent-Type: text/plain\n"
        "X-Request-Id: first\nX-Request-Id: second\n\n"
    )
    client = make_client(await raw_server(raw_answer(head, PUBLISHED)))  # type: ignore[arg-type]
    assert await publish(client) == Published(job_id="j-1", job_state="active")


async def test_conflicting_duplicate_content_length_is_a_connection_error(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    head = f"HTTP/1.1 200 OK\nContent-Length: {len(PUBLISHED)}\nContent-Length: 3\n\n"
    client = make_client(await raw_server(raw_answer(head, PUBLISHED)))  # type: ignore[arg-type]
    with pytest.raises(APIConnectionError):
        await publish(client)


# --- connections that die ----------------------------------------------------------------


async def test_connection_closed_before_headers_is_a_connection_error_and_not_retried(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    requests: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        requests.append(1)
        writer.close()

    client = make_client(await raw_server(handle), max_retries=2)
    with pytest.raises(APIConnectionError) as info:
        await publish(client)
    assert not isinstance(info.value, APITimeoutError)
    # The publish may have happened: a connection error is never retried blindly.
    assert requests == [1]


async def test_connection_reset_mid_body_is_a_connection_error(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + PUBLISHED[:10])
        await writer.drain()
        sock = writer.get_extra_info("socket")
        # Linger 0: closing sends RST instead of FIN.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    client = make_client(await raw_server(handle))
    with pytest.raises(APIConnectionError) as info:
        await publish(client)
    assert not isinstance(info.value, APITimeoutError)


async def test_garbage_instead_of_http_is_a_connection_error(
    raw_server: MakeRawServer, make_client: MakeClient
) -> None:
    handle = raw_answer("SSH-2.0-OpenSSH_9.6\n\n")
    client = make_client(await raw_server(handle))  # type: ignore[arg-type]
    with pytest.raises(APIConnectionError):
        await publish(client)


async def test_nothing_listening_is_a_connection_error(make_client: MakeClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}/api/v1")
    with pytest.raises(APIConnectionError):
        await publish(client)


async def test_slow_drip_body_exceeding_the_timeout_is_an_api_timeout(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        await request.read()
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = len(PUBLISHED)
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            for byte in PUBLISHED:
                await response.write(bytes([byte]))
                await asyncio.sleep(0.1)
        return response

    client = make_client(await web_server(handler), timeout=0.5)
    with pytest.raises(APITimeoutError):
        await publish(client)


async def test_a_timeout_message_says_none_for_an_unlimited_connect_phase(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        await request.read()
        await asyncio.sleep(2)
        return published_response()

    client = make_client(await web_server(handler), timeout=Timeout(total=0.3, connect=None))
    with pytest.raises(APITimeoutError) as caught:
        await publish(client)

    assert "total=0.3s, connect=none" in str(caught.value)


async def test_response_after_the_client_gave_up_is_a_timeout_and_the_client_still_works(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    calls: list[int] = []

    async def handler(request: web.BaseRequest) -> web.Response:
        calls.append(1)
        await request.read()
        if len(calls) == 1:
            await asyncio.sleep(1.5)  # answers, but only after the 0.5 s timeout
        return published_response()

    client = make_client(await web_server(handler), timeout=0.5)
    with pytest.raises(APITimeoutError):
        await publish(client)
    assert await publish(client) == Published(job_id="j-1", job_state="active")


# --- bounded reads -----------------------------------------------------------------------


def streaming_handler(
    total: int, *, status: int = 200, declared: bool = False
) -> tuple[Callable[..., object], dict[str, int], asyncio.Event]:
    """Streams ``total`` zero bytes; reports how many the socket accepted before the client left."""
    sent = {"bytes": 0}
    done = asyncio.Event()
    chunk = b"0" * (256 * 1024)

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        await request.read()
        response = web.StreamResponse(status=status)
        if declared:
            response.content_length = total
        await response.prepare(request)
        try:
            while sent["bytes"] < total:
                await response.write(chunk)
                sent["bytes"] += len(chunk)
        except (ConnectionError, RuntimeError):
            pass  # the client hung up, which is the point
        finally:
            done.set()
        return response

    return handler, sent, done


@pytest.mark.parametrize("declared", [False, True], ids=["chunked", "content_length"])
async def test_enormous_body_is_cut_at_the_bound_without_reading_it_all(
    web_server: MakeWebServer, make_client: MakeClient, declared: bool
) -> None:
    handler, sent, done = streaming_handler(FIFTY_MIB, declared=declared)
    client = make_client(await web_server(handler), timeout=10.0)
    with pytest.raises(
        UnexpectedResponseError, match=f"exceeded {MAX_RESPONSE_BYTES} bytes"
    ) as info:
        await publish(client)
    assert len(info.value.body) == MAX_RESPONSE_BYTES
    await bounded(done.wait())
    assert sent["bytes"] < FIFTY_MIB


async def test_enormous_error_body_is_cut_at_the_bound(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    handler, sent, done = streaming_handler(FIFTY_MIB, status=500)
    client = make_client(await web_server(handler), timeout=10.0)
    with pytest.raises(APIStatusError, match=f"exceeded {MAX_RESPONSE_BYTES} bytes") as info:
        await publish(client)
    assert info.value.status == 500
    assert len(info.value.body) == MAX_RESPONSE_BYTES
    await bounded(done.wait())
    assert sent["bytes"] < FIFTY_MIB


# --- compression -------------------------------------------------------------------------


def gzip_handler(body: bytes) -> Callable[..., object]:
    async def handler(request: web.BaseRequest) -> web.Response:
        await request.read()
        return web.Response(
            body=body,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )

    return handler


async def test_gzip_encoded_body_is_parsed(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    client = make_client(await web_server(gzip_handler(gzip.compress(PUBLISHED))))  # type: ignore[arg-type]
    assert await publish(client) == Published(job_id="j-1", job_state="active")


async def test_corrupt_gzip_body_is_a_typed_error(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    corrupt = bytearray(gzip.compress(PUBLISHED))
    corrupt[12:20] = b"\x00\xff" * 4
    client = make_client(await web_server(gzip_handler(bytes(corrupt))))  # type: ignore[arg-type]
    # The 200 arrived (the publish reached the API); its body cannot be read.
    with pytest.raises(UnexpectedResponseError, match="does not decompress: the gzip body"):
        await publish(client)


async def test_gzip_bomb_is_cut_at_the_bound(
    web_server: MakeWebServer, make_client: MakeClient
) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # ~64 KiB on the wire
    client = make_client(await web_server(gzip_handler(bomb)), timeout=10.0)  # type: ignore[arg-type]
    with pytest.raises(UnexpectedResponseError, match="exceeded"):
        await publish(client)


# --- Retry-After ---------------------------------------------------------------------------


async def waits_for_retry_after(
    value: str, web_server: MakeWebServer, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> list[float]:
    """Answer every attempt with a 503 carrying ``value``; return the waits tenacity slept."""
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    # Tenacity's own sleep hook: the computed waits are recorded, none is actually slept.
    monkeypatch.setattr(
        tenacity, "AsyncRetrying", functools.partial(tenacity.AsyncRetrying, sleep=record)
    )
    monkeypatch.setattr(retry_module.WAITS, "enabled", True)
    envelope = {"status": 503, "type": "errors/network_down", "title": "Network down"}
    handler, calls = counting(lambda _: json_response(503, envelope, **{"Retry-After": value}))
    client = make_client(await web_server(handler), max_retries=2)
    with pytest.raises(ServiceUnavailableError):
        await publish(client)
    assert len(calls) == 3
    return waits


async def test_retry_after_in_the_past_means_retry_now(
    web_server: MakeWebServer, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert await waits_for_retry_after(date, web_server, make_client, monkeypatch) == [0.0, 0.0]


async def test_negative_retry_after_means_retry_now(
    web_server: MakeWebServer, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await waits_for_retry_after("-30", web_server, make_client, monkeypatch) == [0.0, 0.0]


@pytest.mark.parametrize("value", ["86400", "9" * 400, "Fri, 31 Dec 9999 23:59:59 GMT"])
async def test_huge_retry_after_is_capped_at_sixty_seconds(
    web_server: MakeWebServer, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    assert await waits_for_retry_after(value, web_server, make_client, monkeypatch) == [
        60.0,
        60.0,
    ]


@pytest.mark.parametrize(
    "value", ["soon", "nan", "", "Mon, 99 Foo 2020 99:99:99 GMT", "1e400", "inf", "\u0663"]
)
async def test_garbage_retry_after_falls_back_to_backoff(
    web_server: MakeWebServer, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    first, second = await waits_for_retry_after(value, web_server, make_client, monkeypatch)
    # Equal jitter: retry n waits between half and all of 0.5 s * 2**(n-1).
    assert 0.25 <= first <= 0.5
    assert 0.5 <= second <= 1.0
