"""Turning a raw response into a result or a typed error: pure functions, no I/O."""

from __future__ import annotations

import datetime
import email.utils
import math
import time
from collections.abc import Mapping
from typing import Any, Final

import cattrs

from ._converter import RESULT_TAGS, structure_result
from ._enums import ErrorType, error_type_or_raw
from ._exceptions import (
    STATUS_CLASSES,
    AlreadyPublishedError,
    APIStatusError,
    UnexpectedResponseError,
)
from ._jsoncodec import parse
from ._models import PublishResult
from ._transport import MAX_RESPONSE_BYTES, RawResponse

__all__ = ["decode_response", "error_from_response", "parse_retry_after"]

_KNOWN_TAGS: Final = frozenset(RESULT_TAGS.values())


def decode_response(raw: RawResponse) -> PublishResult:
    """The result model of a 2xx response; raises the typed error otherwise."""
    if not 200 <= raw.status < 300:
        raise error_from_response(raw)
    if raw.truncated:
        raise _unexpected(
            raw, f"the response body exceeded {MAX_RESPONSE_BYTES} bytes and was not read further"
        )
    payload = _load_json(raw.body)
    if not isinstance(payload, dict):
        raise _unexpected(raw, "the response body is not a JSON object")
    tag = payload.get("object")
    # isinstance first: a list or object as the tag is unhashable.
    if not isinstance(tag, str) or tag not in _KNOWN_TAGS:
        if isinstance(payload.get("type"), str) and isinstance(payload.get("title"), str):
            raise _unexpected(
                raw, f"a success status carrying an error envelope ({payload['type']})"
            )
        raise _unexpected(raw, f"unknown response object {tag!r}")
    try:
        return structure_result(payload)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        problems = "; ".join(cattrs.transform_error(exc, path="response"))
        raise _unexpected(raw, f"the {tag} payload is not as documented: {problems}") from None


def _unexpected(raw: RawResponse, message: str) -> UnexpectedResponseError:
    return UnexpectedResponseError(
        message,
        status=raw.status,
        body=raw.body,
        headers=raw.headers,
        request_id=raw.headers.get("X-Request-Id"),
    )


def error_from_response(raw: RawResponse) -> APIStatusError:
    """The typed error for a non-2xx response. Works on any body, envelope or not."""
    payload = _load_json(raw.body) if raw.body else None
    envelope: Mapping[str, Any] = payload if isinstance(payload, dict) else {}
    raw_type = envelope.get("type")
    error_type = error_type_or_raw(raw_type) if isinstance(raw_type, str) else None
    title = _str_or_none(envelope.get("title")) or raw.reason
    detail = _str_or_none(envelope.get("detail"))
    if 300 <= raw.status < 400:
        detail = (
            f"redirect to {raw.headers.get('Location')!r} not followed: the SDK never replays "
            "a request (or its API key) to another URL; check base_url"
        )
    elif raw.truncated and detail is None:
        detail = f"the body exceeded {MAX_RESPONSE_BYTES} bytes and was not read further"
    request_id = _str_or_none(envelope.get("instance")) or raw.headers.get("X-Request-Id")
    cls = STATUS_CLASSES.get(raw.status, APIStatusError)
    if raw.status == 422 and error_type is ErrorType.ACTION_ALREADY_PERFORMED:
        cls = AlreadyPublishedError
    return cls(
        status=raw.status,
        type=error_type,
        title=title,
        detail=detail,
        request_id=request_id,
        headers=raw.headers,
        body=raw.body,
        retry_after=parse_retry_after(raw.headers.get("Retry-After")),
    )


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    A date in the past or a negative number means "now" (0.0); an unreadable
    value is ignored (None), so the normal backoff applies.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            # RFC 9110 dates are GMT, and its asctime form ("Sun Nov  6 08:49:37 1994")
            # carries no zone at all: read a bare date as GMT.
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


def _load_json(body: bytes) -> Any:
    try:
        return parse(body)
    # ValueError covers JSONDecodeError and invalid UTF-8; RecursionError a
    # pathologically nested document.
    except (ValueError, RecursionError):
        return None


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
