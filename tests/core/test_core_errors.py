"""Error responses: every documented type, odd bodies, messages, ``retry_after``."""

from __future__ import annotations

import email.utils
import json
import pickle
import time
from collections.abc import Awaitable, Callable

import pytest
from aioresponses import aioresponses
from core_support import ACCOUNT_ID, DRAFT_ID, PUBLISH_URL, FakeAPI, envelope, json_reply

from postpress_async import (
    AlreadyPublishedError,
    APIConnectionError,
    APIStatusError,
    AsyncPostpress,
    AuthenticationError,
    BadRequestError,
    ErrorType,
    GatewayTimeoutError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    PostpressError,
    RateLimitError,
    ServiceUnavailableError,
    UnexpectedResponseError,
    UnprocessableEntityError,
)
from postpress_async import TransportResponse as RawResponse
from postpress_async._decode import error_from_response, parse_retry_after

# Transcribed from the API page ("Errors"), independently of the SDK's enum.
DOCUMENTED: dict[int, tuple[type[APIStatusError], list[str]]] = {
    400: (BadRequestError, [
        "invalid_parameters", "malformed_request", "content_too_large", "invalid_url",
        "too_many_characters", "unescaped_characters", "missing_parameters", "limit_too_high",
    ]),
    401: (AuthenticationError, [
        "missing_credentials", "multiple_sessions", "wrong_account", "invalid_credentials",
        "invalid_proxy_credentials", "invalid_checkpoint_solution", "checkpoint_error",
        "expired_credentials", "expired_link", "insufficient_privileges",
        "disconnected_account", "disconnected_feature",
        "invalid_credentials_but_valid_account_imap",
    ]),
    403: (PermissionDeniedError, [
        "insufficient_permissions", "account_restricted", "account_mismatch",
        "unknown_authentication_context", "session_mismatch", "feature_not_subscribed",
        "subscription_required", "resource_access_restricted", "action_required",
    ]),
    404: (NotFoundError, ["resource_not_found", "invalid_resource_identifier"]),
    422: (UnprocessableEntityError, [
        "invalid_account", "unprocessable_entity", "account_configuration_error",
        "action_already_performed", "payment_error", "insufficient_credits",
        "insufficient_job_slot",
    ]),
    500: (InternalServerError, [
        "unexpected_error", "provider_error", "authentication_intent_error",
    ]),
    503: (ServiceUnavailableError, [
        "no_client_session", "no_channel", "no_handler", "network_down", "service_unavailable",
    ]),
    504: (GatewayTimeoutError, ["request_timeout"]),
}

CASES = [
    pytest.param(status, cls, f"errors/{name}", id=f"{status}-{name}")
    for status, (cls, names) in DOCUMENTED.items()
    for name in names
]


def _raw(status: int, body: bytes | dict[str, object], **headers: str) -> RawResponse:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return RawResponse(status=status, headers=headers, body=data)


def test_the_page_documents_48_types_and_the_enum_has_each() -> None:
    documented = {f"errors/{name}" for _, names in DOCUMENTED.values() for name in names}
    assert len(documented) == 48
    assert {member.value for member in ErrorType} == documented


@pytest.mark.parametrize(("status", "cls", "type_"), CASES)
async def test_documented_error_type(
    client: AsyncPostpress,
    mock_api: aioresponses,
    status: int,
    cls: type[APIStatusError],
    type_: str,
) -> None:
    mock_api.post(
        PUBLISH_URL,
        status=status,
        payload=envelope(status, type_, "Title", detail="Detail", instance="req_abc123"),
    )
    with pytest.raises(APIStatusError) as caught:
        await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE", max_retries=0)
    error = caught.value
    assert isinstance(error, cls)
    assert error.status == status
    assert error.type is ErrorType(type_)
    assert error.request_id == "req_abc123"
    assert error.title == "Title"
    assert error.detail == "Detail"


def test_already_performed_on_first_attempt_is_already_published_error() -> None:
    error = error_from_response(_raw(422, envelope(422, "errors/action_already_performed")))
    assert isinstance(error, AlreadyPublishedError)
    assert error.earlier_attempts == ()
    assert "already published before this call" in str(error)


def test_already_performed_under_another_status_is_not_already_published_error() -> None:
    error = error_from_response(_raw(400, envelope(422, "errors/action_already_performed")))
    assert type(error) is BadRequestError


def test_class_and_status_follow_http_status_not_body_status() -> None:
    error = error_from_response(_raw(403, envelope(401, "errors/invalid_credentials")))
    assert type(error) is PermissionDeniedError
    assert error.status == 403
    assert error.type is ErrorType.INVALID_CREDENTIALS


def test_unknown_type_string_is_kept_raw() -> None:
    error = error_from_response(_raw(400, envelope(400, "errors/brand_new_thing")))
    assert type(error) is BadRequestError
    assert error.type == "errors/brand_new_thing"
    assert not isinstance(error.type, ErrorType)


def test_minimal_envelope_without_detail_or_instance() -> None:
    body = b'{"status":401,"type":"errors/missing_credentials","title":"Missing credentials"}'
    error = error_from_response(_raw(401, body))
    assert type(error) is AuthenticationError
    assert error.type is ErrorType.MISSING_CREDENTIALS
    assert error.title == "Missing credentials"
    assert error.detail is None
    assert error.request_id is None


def test_request_id_falls_back_to_header() -> None:
    error = error_from_response(
        _raw(404, envelope(404, "errors/resource_not_found"), **{"X-Request-Id": "hdr_1"})
    )
    assert error.request_id == "hdr_1"


def test_html_502_from_a_proxy() -> None:
    body = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    error = error_from_response(_raw(502, body))
    assert type(error) is APIStatusError
    assert error.status == 502
    assert error.type is None
    assert error.body == body


def test_empty_504_from_a_load_balancer() -> None:
    error = error_from_response(_raw(504, b""))
    assert type(error) is GatewayTimeoutError
    assert error.type is None
    assert error.title is None


def test_html_503_is_service_unavailable_with_no_type() -> None:
    error = error_from_response(_raw(503, b"<html>Service Unavailable</html>"))
    assert type(error) is ServiceUnavailableError
    assert error.type is None


async def test_non_json_error_over_http(client: AsyncPostpress, mock_api: aioresponses) -> None:
    mock_api.post(
        PUBLISH_URL, status=502, body=b"<html>Bad Gateway</html>", content_type="text/html"
    )
    with pytest.raises(APIStatusError) as caught:
        await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    assert caught.value.status == 502
    assert caught.value.type is None


@pytest.mark.parametrize("status", [402, 405, 409, 410, 418, 451, 501, 502, 599])
def test_other_statuses_are_plain_api_status_errors(status: int) -> None:
    error = error_from_response(_raw(status, envelope(status, "errors/teapot", "I'm a teapot")))
    assert type(error) is APIStatusError
    assert error.status == status
    assert error.type == "errors/teapot"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[1, 2]", id="json list"),
        pytest.param(b'"oops"', id="json string"),
        pytest.param(b'{"type": 5, "title": ["x"], "instance": {}}', id="wrong field types"),
        pytest.param(b"\xff\xfe\x00", id="binary"),
    ],
)
def test_odd_error_bodies_still_give_the_status_class(body: bytes) -> None:
    error = error_from_response(_raw(400, body))
    assert type(error) is BadRequestError
    assert error.type is None
    assert error.request_id is None


def test_str_is_one_line_with_status_type_title_detail_request_id() -> None:
    error = error_from_response(
        _raw(422, envelope(422, "errors/payment_error", "Payment failed",
                           detail="Card declined", instance="req_77"))
    )
    text = str(error)
    assert "\n" not in text
    for part in ("422", "errors/payment_error", "Payment failed", "Card declined", "req_77"):
        assert part in text


def test_str_stays_one_line_when_the_server_sends_newlines() -> None:
    error = error_from_response(
        _raw(400, envelope(400, "errors/invalid_parameters", "Bad\nrequest",
                           detail="line one\r\nline two", instance="req_1"))
    )
    assert "\n" not in str(error)
    assert "\r" not in str(error)
    assert "line two" in str(error)


def test_str_of_a_non_json_error_carries_a_bounded_excerpt() -> None:
    error = error_from_response(_raw(502, b"<html>" + b"Bad Gateway " * 1000 + b"</html>"))
    text = str(error)
    assert "502" in text
    assert "Bad Gateway" in text
    assert len(text) < 400


def test_redirect_is_an_error_naming_the_location() -> None:
    raw = RawResponse(status=307, headers={"Location": "https://evil.test/x"}, body=b"")
    error = error_from_response(raw)
    assert type(error) is APIStatusError
    assert "evil.test" in str(error)


def test_status_error_pickles() -> None:
    error = error_from_response(
        _raw(422, envelope(422, "errors/action_already_performed", instance="r"))
    )
    assert isinstance(error, AlreadyPublishedError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is AlreadyPublishedError
    assert (copy.status, copy.type, copy.request_id, str(copy)) == (
        422, ErrorType.ACTION_ALREADY_PERFORMED, "r", str(error)
    )



async def test_status_error_from_a_real_response_pickles_with_its_headers(
    make_server: Callable[..., Awaitable[FakeAPI]], make_client: Callable[..., AsyncPostpress]
) -> None:
    server = await make_server(
        json_reply(404, envelope(404, "errors/resource_not_found", instance="req_7"),
                   headers={"X-Trace": "t1"})
    )
    client = make_client(server.base_url)
    with pytest.raises(NotFoundError) as caught:
        await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    # aiohttp hands back a CIMultiDictProxy, which pickle refuses on its own.
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is NotFoundError
    assert (copy.request_id, str(copy)) == ("req_7", str(caught.value))
    assert copy.headers["x-trace"] == "t1"


@pytest.mark.parametrize(
    "error",
    [
        InvalidRequestError("draft_id", "must not be empty"),
        UnexpectedResponseError("not JSON", status=200, body=b"<html>", request_id="r"),
        APIConnectionError("connection error: reset", url="https://h/x"),
    ],
    ids=type,
)
def test_every_error_kind_pickles(error: PostpressError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (str(copy), copy.__dict__) == (str(error), error.__dict__)


# --- Retry-After -----------------------------------------------------------------------

def test_retry_after_seconds_on_429() -> None:
    error = error_from_response(
        _raw(429, envelope(429, "errors/too_many"), **{"Retry-After": "7"})
    )
    assert type(error) is RateLimitError
    assert error.retry_after == 7.0


def test_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(30.0)


def test_retry_after_asctime_date_is_read_as_gmt() -> None:
    # RFC 9110: recipients must accept all three HTTP-date forms; asctime has no zone.
    now = 1_700_000_000.0
    header = time.strftime("%a %b %e %H:%M:%S %Y", time.gmtime(now + 30))
    assert parse_retry_after(header, now=now) == pytest.approx(30.0)


def test_retry_after_http_date_in_the_past_means_now() -> None:
    header = email.utils.formatdate(time.time() - 3600, usegmt=True)
    assert parse_retry_after(header) == 0.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [("0", 0.0), ("2.5", 2.5), (" 12 ", 12.0), ("-4", 0.0)],
)
def test_retry_after_seconds(header: str, expected: float) -> None:
    assert parse_retry_after(header) == expected


@pytest.mark.parametrize("header", ["soon", "", "nan", "Tue, 99 Foo 2024 00:00:00"])
def test_unreadable_retry_after_is_ignored(header: str) -> None:
    assert parse_retry_after(header) is None


def test_no_retry_after_header_means_none() -> None:
    assert error_from_response(_raw(503, b"")).retry_after is None
