"""Turning a transport response into a result or a typed error: pure functions, no I/O.

Each endpoint names a decoder: :class:`ObjectDecoder` for a JSON object tagged with
``object`` (one or several possible classes), :class:`PageDecoder` for one page of a
list, :func:`decode_stream` for a binary body written to a sink. All of them raise the
typed error of a non-2xx status first (:func:`error_from_response`).
"""

from __future__ import annotations

import datetime
import email.utils
import json
import re
import time
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from ._converter import fast_structure_hook, object_tag, structure_hook
from ._enums import ErrorType, error_type_or_raw
from ._exceptions import (
    STATUS_CLASSES,
    AlreadyPublishedError,
    APIStatusError,
    ProxyAuthenticationError,
    UnexpectedResponseError,
)
from ._json import loads
from ._transport import TransportResponse
from ._untrusted import display

if TYPE_CHECKING:
    from ._page import Page

__all__ = [
    "ObjectDecoder",
    "PageDecoder",
    "decode_stream",
    "error_from_response",
    "parse_retry_after",
]

_T = TypeVar("_T")

# Retry-After values are clamped to this (about 30 years), so the number is always finite.
_MAX_RETRY_AFTER_SECONDS: Final = 1e9
_DELTA_SECONDS: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


class _DuplicateTagError(ValueError):
    pass


def _pairs_without_duplicate_tag(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if sum(1 for key, _ in pairs if key == "object") > 1:
        raise _DuplicateTagError
    return dict(pairs)


def _parse_json(raw: TransportResponse) -> Any:
    if raw.truncated:
        raise _unexpected(
            raw, f"the response body exceeded {len(raw.body)} bytes and was not read further"
        )
    try:
        return loads(raw.body)
    except (ValueError, RecursionError):
        raise _unexpected(raw, "the response body is not valid JSON") from None


def _tagged_object(raw: TransportResponse) -> dict[str, Any]:
    payload = _parse_json(raw)
    if not isinstance(payload, dict):
        raise _unexpected(raw, f"the response body is a JSON {_json_kind(payload)}, not an object")
    # Parsers keep the last of two equal keys, so a body naming its ``object`` tag twice
    # could be read as another type than a stricter reader would see. Only a body whose
    # bytes may hide a repeated tag is parsed again, strictly.
    if not _tags_agree(raw.body, payload):
        try:
            json.loads(raw.body, object_pairs_hook=_pairs_without_duplicate_tag)
        except _DuplicateTagError:
            raise _unexpected(raw, "the response body names its 'object' tag twice") from None
        except (ValueError, RecursionError):
            pass  # read by the lenient parser already; not a duplicate-key question
    return payload


# A \u escape of one of the letters of "object" (b c e j o t): only such a body can spell
# the key in a way the byte count below cannot see. Escapes of other characters (accented
# names, say) are common and need no second look.
_ESCAPED_TAG_LETTER: Final = re.compile(rb"\\u00(?:6[235aAfF]|74)")


def _tags_agree(body: bytes, payload: dict[str, Any]) -> bool:
    """Whether the '"object"' keys in the bytes are exactly the tags parsed: true whenever
    no key repeats, none spells a letter of the tag as a \\u escape, and the word is not
    used as a value."""
    if b"\\u00" in body and _ESCAPED_TAG_LETTER.search(body):
        return False
    found = body.count(b'"object"')
    if found == 1 and "object" in payload:  # one object, one tag: the common case
        return True
    return found == _count_tags(payload)


def _count_tags(payload: dict[str, Any]) -> int:
    count = int("object" in payload)
    for value in payload.values():
        if isinstance(value, list):
            count += sum(1 for item in value if isinstance(item, dict) and "object" in item)
        elif isinstance(value, dict):
            count += int("object" in value)
    return count


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return "number"


def _structure(raw: TransportResponse, hook: Callable[[Any, Any], _T], cls: Any,
               payload: Any, what: str) -> _T:
    try:
        return hook(payload, cls)
    except Exception as exc:
        import cattrs  # loaded already: the hook is the converter's (cattrs loads lazily)

        if not isinstance(exc, (cattrs.BaseValidationError, ValueError, TypeError, KeyError)):
            raise
        error: Exception = exc
    # A fast hook's error names no field: structure again with detailed validation, whose
    # error says where the payload differs from the documented one.
    try:
        structure_hook(cls)(payload, cls)
    except Exception as detailed:
        if isinstance(detailed, (cattrs.BaseValidationError, ValueError, TypeError, KeyError)):
            error = detailed
    problems = display("; ".join(cattrs.transform_error(error, path="response")), 500)
    raise _unexpected(raw, f"the {what} payload is not as documented: {problems}") from None


class ObjectDecoder(Generic[_T]):
    """Decodes a 2xx JSON object into ``result_type``: one model class, or a union of them
    told apart by their ``object`` tag.

    A tag that names none of the classes is an :class:`UnexpectedResponseError` (a success
    status with a payload this SDK cannot read).
    """

    def __init__(self, result_type: Any) -> None:
        self._members: tuple[Any, ...] = typing.get_args(result_type) or (result_type,)
        self._by_tag: dict[str, tuple[Any, Callable[[Any, Any], _T]]] | None = None

    def _hooks_by_tag(self) -> dict[str, tuple[Any, Callable[[Any, Any], _T]]]:
        # Each tag straight to its class and that class's hook: the tag is read anyway,
        # and cattrs' tagged-union hook would look it up again, through two more calls per
        # response. Built on the first answer, when the converter is (cattrs loads then),
        # like PageDecoder's hook.
        self._by_tag = {
            object_tag(member): (member, fast_structure_hook(member)) for member in self._members
        }
        return self._by_tag

    def __call__(self, raw: TransportResponse) -> _T:
        if not 200 <= raw.status < 300:
            raise error_from_response(raw)
        payload = _tagged_object(raw)
        tag = payload.get("object")
        by_tag = self._by_tag if self._by_tag is not None else self._hooks_by_tag()
        # isinstance first: a list or object as the tag is unhashable.
        if not isinstance(tag, str) or (found := by_tag.get(tag)) is None:
            if isinstance(payload.get("type"), str) and isinstance(payload.get("title"), str):
                raise _unexpected(
                    raw, f"a success status carrying an error envelope ({display(payload['type'])})"
                )
            raise _unexpected(raw, f"unknown response object {_shown(tag)}")
        cls, hook = found
        return _structure(raw, hook, cls, payload, tag)


class PageDecoder(Generic[_T]):
    """Decodes one page of a list into a :class:`Page` of ``item_class``.

    Reads the reference pages' shape (``items``, ``cursor``, ``paging.total_count``) and
    the quickstart's (``data``, ``next_cursor``). An empty cursor counts as the end.
    """

    def __init__(self, list_tag: str, item_class: type[_T]) -> None:
        from ._page import Page  # loaded with the first list endpoint, not the package

        self._page = Page
        self._list_tag = list_tag
        self._item_class = item_class
        # Looked up on the first page, when the converter is built (cattrs loads then).
        self._item_hook: Callable[[Any, Any], _T] | None = None

    def __call__(self, raw: TransportResponse) -> Page[_T]:
        if not 200 <= raw.status < 300:
            raise error_from_response(raw)
        payload = _tagged_object(raw)
        tag = payload.get("object")
        if tag is not None and tag != self._list_tag:
            raise _unexpected(raw, f"unknown response object {_shown(tag)}")
        if "items" in payload:
            items, cursor = payload["items"], payload.get("cursor")
        elif "data" in payload:
            items, cursor = payload["data"], payload.get("next_cursor")
        else:
            raise _unexpected(raw, f"a {self._list_tag} page without 'items' (or 'data')")
        if not isinstance(items, list):
            raise _unexpected(raw, f"the page's items are a JSON {_json_kind(items)}, not an array")
        if cursor is not None and not isinstance(cursor, str):
            raise _unexpected(raw, f"the page's cursor is a JSON {_json_kind(cursor)}")
        hook, cls = self._item_hook, self._item_class
        if hook is None:
            hook = self._item_hook = structure_hook(cls)
        what = self._list_tag + " item"
        decoded = [_structure(raw, hook, cls, item, what) for item in items]
        paging = payload.get("paging")
        total = paging.get("total_count") if isinstance(paging, dict) else None
        if isinstance(total, bool) or not isinstance(total, int):
            total = None
        return self._page(items=decoded, cursor=cursor or None, total_count=total)


def decode_stream(raw: TransportResponse) -> TransportResponse:
    """A binary (streamed) response: raises the typed error of a failure, else returns it."""
    if not 200 <= raw.status < 300:
        raise error_from_response(raw)
    if raw.truncated:
        raise _unexpected(raw, "the body exceeded the size limit of this download")
    return raw


def _shown(value: object) -> str:
    """A server value in a message: quoted if a string, bounded and escaped either way."""
    return repr(display(value)) if isinstance(value, str) else display(repr(value))


def _unexpected(raw: TransportResponse, message: str) -> UnexpectedResponseError:
    return UnexpectedResponseError(
        message,
        status=raw.status,
        body=raw.body,
        headers=raw.headers,
        request_id=raw.headers.get("X-Request-Id"),
    )


def _envelope(raw: TransportResponse) -> Mapping[str, Any]:
    """The error envelope: the reference pages' flat one, or the quickstart's nested
    ``{"error": {"code", "message", "request_id"}}`` read as the flat one."""
    try:
        payload = loads(raw.body) if raw.body else None
    except (ValueError, RecursionError):
        return {}
    if not isinstance(payload, dict):
        return {}
    nested = payload.get("error")
    if "type" not in payload and isinstance(nested, dict):
        code = nested.get("code")
        return {
            "type": f"errors/{code}" if isinstance(code, str) and code else None,
            "title": nested.get("message"),
            "instance": nested.get("request_id"),
        }
    return payload


def error_from_response(raw: TransportResponse) -> APIStatusError | ProxyAuthenticationError:
    """The typed error for a non-2xx response. Works on any body, envelope or not.

    A 407 comes from an HTTP proxy, never from the API: a
    :class:`ProxyAuthenticationError` (a connection error: the API was not reached).
    """
    if raw.status == 407:
        return ProxyAuthenticationError(
            "the HTTP proxy answered 407 Proxy Authentication Required: give it "
            "credentials (proxy='http://USER:PASSWORD@HOST:PORT', or in HTTP_PROXY) "
            "or check the ones given; the API was not reached",
            headers=raw.headers,
        )
    envelope = _envelope(raw)
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
        detail = f"the body exceeded {len(raw.body)} bytes and was not read further"
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

    A date in the past or a negative number means "now" (0.0). An unreadable value
    (anything but ASCII digits or an HTTP date) is ignored (None), so the normal backoff
    applies. The result is always finite: an absurdly far one is clamped.
    """
    if value is None:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        seconds = float(value) if len(value) < 20 else _MAX_RETRY_AFTER_SECONDS
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            # RFC 9110 dates are GMT, and its asctime form ("Sun Nov  6 08:49:37 1994")
            # carries no zone at all: read a bare date as GMT.
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(0.0, seconds), _MAX_RETRY_AFTER_SECONDS)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
