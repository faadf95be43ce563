"""Query strings and cursors, parsed from the raw request target by the sandbox itself.

The query is decoded strictly (percent-encoded bytes must be UTF-8) and checked against the
parameters each endpoint documents: an unknown or repeated parameter is a client bug the
sandbox reports instead of ignoring. Cursors are opaque to clients: base64url JSON naming
the list they belong to, so a cursor sent to another list (or with other filters) is
refused rather than silently misread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import parse_qsl

from ._errors import SandboxError

__all__ = ["Query", "decode_cursor", "encode_cursor", "parse_query"]

_INTEGER: Final = re.compile(r"[0-9]+")
_NUMBER: Final = re.compile(r"[0-9]+(\.[0-9]+)?")


def _invalid(detail: str) -> SandboxError:
    return SandboxError(400, "errors/invalid_parameters", detail)


class Query:
    """One request's query parameters, each read at most once through a typed accessor."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in pairs:
            self._values.setdefault(name, []).append(value)

    def check(self, allowed: Iterable[str], repeatable: Iterable[str] = ()) -> None:
        """Refuse parameters the endpoint does not document, and repeats of single ones."""
        allowed_set = set(allowed)
        unknown = sorted(set(self._values) - allowed_set)
        if unknown:
            raise _invalid("unknown query parameter(s): " + ", ".join(unknown))
        multi = set(repeatable)
        repeated = sorted(n for n, v in self._values.items() if len(v) > 1 and n not in multi)
        if repeated:
            raise _invalid("query parameter(s) given more than once: " + ", ".join(repeated))

    def string(self, name: str, *, required: bool = False, max_length: int = 256) -> str | None:
        """A non-empty string parameter."""
        values = self._values.get(name)
        if not values:
            if required:
                raise SandboxError(
                    400, "errors/missing_parameters", f"missing required query parameter: {name}"
                )
            return None
        value = values[0]
        if not value:
            raise _invalid(f"{name}: must not be empty")
        if len(value) > max_length:
            raise SandboxError(
                400,
                "errors/too_many_characters",
                f"{name}: {len(value)} characters, at most {max_length} allowed",
            )
        return value

    def enum(
        self,
        name: str,
        allowed: Iterable[str],
        *,
        default: str | None = None,
        required: bool = False,
    ) -> str | None:
        """One value of an enum (case-sensitive, as the contract writes them)."""
        value = self.string(name, required=required)
        if value is None:
            return default
        choices = sorted(allowed)
        if value not in choices:
            raise _invalid(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
        return value

    def enum_list(self, name: str, allowed: Iterable[str]) -> frozenset[str] | None:
        """A comma-joined subset of an enum (``ratings=GOOD_FIT,MAYBE``)."""
        value = self.string(name)
        if value is None:
            return None
        choices = set(allowed)
        items = value.split(",")
        bad = [item for item in items if item not in choices]
        if bad:
            raise _invalid(
                f"{name}: {', '.join(map(repr, bad))} not in {', '.join(sorted(choices))}"
            )
        return frozenset(items)

    def strings(self, name: str) -> tuple[str, ...]:
        """A repeated parameter (``include_degree=a&include_degree=b``)."""
        values = tuple(self._values.get(name, ()))
        if any(not v for v in values):
            raise _invalid(f"{name}: values must not be empty")
        return values

    def limit(self, *, low: int, high: int, default: int) -> int:
        """The page size: digits only, ``low``..``high``; above it is ``limit_too_high``."""
        value = self.string("limit")
        if value is None:
            return default
        if not _INTEGER.fullmatch(value):
            raise _invalid(f"limit: expected an integer, got {value!r}")
        number = int(value)
        if number > high:
            raise SandboxError(
                400, "errors/limit_too_high", f"limit: at most {high} allowed, got {number}"
            )
        if number < low:
            raise _invalid(f"limit: at least {low} required, got {number}")
        return number

    def number(self, name: str) -> float | None:
        """A non-negative decimal number (years of experience and the like)."""
        value = self.string(name)
        if value is None:
            return None
        if not _NUMBER.fullmatch(value):
            raise _invalid(f"{name}: expected a non-negative number, got {value!r}")
        return float(value)


def parse_query(raw_query: str) -> Query:
    """Decode ``a=1&b=2`` strictly: malformed percent-encoding or non-UTF-8 is a 400."""
    try:
        pairs = parse_qsl(raw_query, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise _invalid("the query string is not valid percent-encoded UTF-8") from None
    return Query(pairs)


def scope_of(kind: str, filters: Mapping[str, Any]) -> str:
    """A short hash naming one list (kind + filters), stored in its cursors."""
    text = json.dumps([kind, dict(filters)], sort_keys=True, default=sorted)
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def encode_cursor(scope: str, position: int) -> str:
    """An opaque cursor: continue ``scope`` after ``position``."""
    raw = json.dumps({"s": scope, "p": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, scope: str) -> int:
    """The position stored in ``cursor``; 400 if it is not one of ours or not for ``scope``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        position = data["p"]
        cursor_scope = data["s"]
    except (binascii.Error, ValueError, TypeError, KeyError, RecursionError):
        raise _invalid("cursor: not a cursor this API returned") from None
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise _invalid("cursor: not a cursor this API returned")
    if cursor_scope != scope:
        raise _invalid("cursor: it belongs to another list or to other filters")
    return position
