"""Success responses: the tagged union, leniency, and every malformed 200 as a typed error."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import pytest
from aioresponses import aioresponses
from hypothesis import given, settings
from hypothesis import strategies as st

from postpress_async import (
    AsyncPostpress,
    Checkpoint,
    CheckpointType,
    JobState,
    PostpressError,
    Published,
    UnexpectedResponseError,
)
from postpress_async import TransportResponse as RawResponse
from postpress_async._jobs import PUBLISH

from .core_support import ACCOUNT_ID, CHECKPOINT, DRAFT_ID, PUBLISH_URL, PUBLISHED

decode_response = PUBLISH.decode


def _raw(status: int, body: Any, headers: dict[str, str] | None = None) -> RawResponse:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return RawResponse(status=status, headers=headers or {}, body=data)


async def _publish(client: AsyncPostpress) -> Any:
    return await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")


async def test_published_is_structured(client: AsyncPostpress, mock_api: aioresponses) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    result = await _publish(client)
    assert result == Published(job_id=DRAFT_ID, job_state=JobState.ACTIVE)
    assert result.job_state is JobState.ACTIVE


async def test_checkpoint_is_structured(client: AsyncPostpress, mock_api: aioresponses) -> None:
    mock_api.post(PUBLISH_URL, payload=CHECKPOINT)
    result = await _publish(client)
    assert result == Checkpoint(job_id=DRAFT_ID, type=CheckpointType.OTP)
    assert result.type is CheckpointType.OTP


@pytest.mark.parametrize("state", [s.value for s in JobState])
def test_every_documented_job_state_is_an_enum_member(state: str) -> None:
    payload = {**PUBLISHED, "job_state": state}
    result = decode_response(_raw(200, payload))
    assert isinstance(result, Published)
    assert result.job_state is JobState(state)


def test_email_verification_checkpoint() -> None:
    result = decode_response(_raw(200, {**CHECKPOINT, "type": "EMAIL_VERIFICATION"}))
    assert isinstance(result, Checkpoint)
    assert result.type is CheckpointType.EMAIL_VERIFICATION


def test_extra_fields_are_ignored() -> None:
    payload = {**PUBLISHED, "url": "https://linkedin.com/jobs/1", "nested": {"a": [1, 2]}}
    assert decode_response(_raw(200, payload)) == Published(DRAFT_ID, JobState.ACTIVE)


def test_unknown_job_state_is_kept_raw() -> None:
    result = decode_response(_raw(200, {**PUBLISHED, "job_state": "scheduled"}))
    assert result == Published(job_id=DRAFT_ID, job_state="scheduled")


def test_unknown_checkpoint_type_is_kept_raw() -> None:
    result = decode_response(_raw(200, {**CHECKPOINT, "type": "CAPTCHA"}))
    assert result == Checkpoint(job_id=DRAFT_ID, type="CAPTCHA")


MALFORMED_200: list[tuple[str, bytes | Any]] = [
    ("html", b"<html><body>Welcome to nginx!</body></html>"),
    ("empty", b""),
    ("truncated json", b'{"object": "LinkedinJobPostingPublished", "job_'),
    ("invalid utf-8", b'{"object": "\xff\xfe"}'),
    ("json list", [PUBLISHED]),
    ("json string", "LinkedinJobPostingPublished"),
    ("json null", None),
    ("unknown object", {**PUBLISHED, "object": "LinkedinJobPostingDeleted"}),
    ("missing object", {"job_state": "active", "job_id": DRAFT_ID}),
    ("list as object tag", {**PUBLISHED, "object": ["LinkedinJobPostingPublished"]}),
    ("dict as object tag", {**PUBLISHED, "object": {}}),
    ("missing job_id", {"object": "LinkedinJobPostingPublished", "job_state": "active"}),
    ("missing job_state", {"object": "LinkedinJobPostingPublished", "job_id": DRAFT_ID}),
    ("integer job_id", {**PUBLISHED, "job_id": 3984512098}),
    ("null job_id", {**PUBLISHED, "job_id": None}),
    ("integer job_state", {**PUBLISHED, "job_state": 1}),
    ("list job_state", {**PUBLISHED, "job_state": ["active"]}),
    ("missing checkpoint type", {"object": CHECKPOINT["object"], "job_id": DRAFT_ID}),
    ("null checkpoint type", {**CHECKPOINT, "type": None}),
    ("error envelope on 200",
     {"status": 500, "type": "errors/unexpected_error", "title": "Oops"}),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000),
]


@pytest.mark.parametrize(
    "body", [pytest.param(body, id=name) for name, body in MALFORMED_200]
)
def test_malformed_200_raises_unexpected_response_error(body: Any) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        decode_response(_raw(200, body))
    error = caught.value
    assert error.status == 200
    assert "200" in str(error)
    assert error.__cause__ is None or isinstance(error.__cause__, PostpressError)


async def test_malformed_200_over_http_raises_unexpected_response_error(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, body=b"<html>maintenance</html>", content_type="text/html")
    with pytest.raises(UnexpectedResponseError) as caught:
        await _publish(client)
    assert caught.value.status == 200
    assert caught.value.body == b"<html>maintenance</html>"
    assert "maintenance" in str(caught.value)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**PUBLISHED, "job_id": 12}, "response.job_id"),
        ({"object": PUBLISHED["object"], "job_id": DRAFT_ID}, "response.job_state"),
        ({**PUBLISHED, "job_state": ["active"]}, "response.job_state"),
        ({**CHECKPOINT, "type": None}, "response.type"),
    ],
)
def test_unexpected_response_message_names_the_bad_field(
    payload: dict[str, Any], field: str
) -> None:
    # Payloads are read without cattrs' detailed validation first; a failure is read again
    # with it, so the message still says which field differs from the documented one.
    with pytest.raises(UnexpectedResponseError, match=re.escape(field)):
        decode_response(_raw(200, payload))


def test_unexpected_response_excerpt_is_bounded() -> None:
    body = b"<html>" + b"x" * 100_000 + b"</html>"
    with pytest.raises(UnexpectedResponseError) as caught:
        decode_response(_raw(200, body))
    assert len(str(caught.value)) < 400
    assert caught.value.body == body


def test_unexpected_response_message_is_one_line() -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        decode_response(_raw(200, b"<html>\n<body>\r\nbad gateway\n</body>\n</html>"))
    assert "\n" not in str(caught.value)


def test_truncated_200_body_raises_unexpected_response_error() -> None:
    raw = RawResponse(status=200, headers={}, body=b"{" * 10, truncated=True)
    with pytest.raises(UnexpectedResponseError, match="exceeded"):
        decode_response(raw)


def test_unexpected_response_keeps_the_request_id_header() -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        decode_response(_raw(200, b"nope", {"X-Request-Id": "req_9"}))
    assert caught.value.request_id == "req_9"


# Anything JSON can say, and any bytes at all, under any status: a result or an SDK error.
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)
_payloads = st.one_of(
    _json,
    st.fixed_dictionaries(
        {"object": st.sampled_from([PUBLISHED["object"], CHECKPOINT["object"]]) | _json},
        optional={"job_id": _json, "job_state": _json, "type": _json, "title": _json},
    ),
)


@settings(max_examples=300, deadline=None)
@given(status=st.sampled_from([200, 201, 204, 302, 400, 422, 429, 500, 502, 503, 504]),
       payload=_payloads)
def test_any_json_decodes_to_a_result_or_an_sdk_error(status: int, payload: Any) -> None:
    try:
        result = decode_response(_raw(status, payload))
    except PostpressError:
        return
    assert isinstance(result, (Published, Checkpoint))


@settings(max_examples=200, deadline=None)
@given(status=st.integers(100, 599), body=st.binary(max_size=200))
def test_any_bytes_decode_to_a_result_or_an_sdk_error(status: int, body: bytes) -> None:
    with contextlib.suppress(PostpressError):
        decode_response(_raw(status, body))
