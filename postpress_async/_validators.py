"""Argument checks shared by the lifecycle request models and resources: each raises
:class:`InvalidRequestError` naming the field."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable
from typing import Final, TypeVar

from ._exceptions import InvalidRequestError
from ._models import _non_empty
from ._search_models import SearchParameter

__all__ = ["DIGITS", "LOWERCASE", "digit_id", "enum_member", "number", "strict_bool", "strings"]

DIGITS: Final = re.compile(r"[0-9]+")
LOWERCASE: Final = re.compile(r"[a-z]+")
_E = TypeVar("_E", bound=enum.Enum)


def digit_id(field: str, value: object, what: str) -> str:
    """An id the contract patterns as ``^\\d+$`` (a :class:`SearchParameter` gives its id)."""
    if isinstance(value, SearchParameter):
        value = value.id
    text = _non_empty(field, value)
    if not DIGITS.fullmatch(text):
        raise InvalidRequestError(
            field,
            f"must be a numeric {what} id (digits only), got {text!r}; resolve text with "
            f"client.search.parameters({what!r}, keywords=...)",
        )
    return text


def enum_member(field: str, enum_cls: type[_E], value: object) -> _E:
    """``value`` as a member of ``enum_cls`` (a member or its wire value)."""
    if isinstance(value, enum_cls):
        return value
    for member in enum_cls:
        if value == member.value:
            return member
    expected = ", ".join(m.value for m in enum_cls)
    raise InvalidRequestError(field, f"unknown value {value!r}; expected one of {expected}")


def number(field: str, value: object) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRequestError(field, f"must be a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise InvalidRequestError(field, f"must be a finite number, got {value!r}")
    return value


def strict_bool(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidRequestError(field, f"must be a bool, got {type(value).__name__}")
    return value


def strings(field: str, value: object, *, low: int, high: int,
            pattern: re.Pattern[str] | None = None, what: str = "") -> tuple[str, ...]:
    """A list of non-empty strings, ``low`` to ``high`` of them, each matching ``pattern``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidRequestError(field, f"must be a list of strings, got {type(value).__name__}")
    items = tuple(
        item.id if isinstance(item, SearchParameter) else item for item in value
    )
    if not low <= len(items) <= high:
        raise InvalidRequestError(field, f"must hold {low} to {high} items, got {len(items)}")
    for index, item in enumerate(items):
        text = _non_empty(f"{field}[{index}]", item)
        if pattern is not None and not pattern.fullmatch(text):
            raise InvalidRequestError(f"{field}[{index}]", f"{text!r} is not a {what}")
    return items
