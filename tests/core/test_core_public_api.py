"""The public surface: ``__all__``, the exception tree, the exported enums, packaging."""

from __future__ import annotations

import enum
import inspect
import re
from pathlib import Path

import pytest

import postpress_async
from postpress_async import _exceptions


def _isort_style_key(name: str) -> tuple[int, list[object]]:
    # ruff RUF022: SCREAMING_CASE, then CamelCase, then the rest; natural sort within.
    group = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    natural: list[object] = [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]
    return group, natural


def test_all_lists_exactly_the_public_names() -> None:
    # Submodules (testing, sandbox...) are reached by import, not re-exported.
    # dir(), not vars(): the lifecycle names are loaded on first use (PEP 562).
    public = {
        name
        for name in dir(postpress_async)
        if not name.startswith("_") and not inspect.ismodule(getattr(postpress_async, name))
    }
    assert public == set(postpress_async.__all__) - {"__version__"}


def test_all_names_exist() -> None:
    missing = [n for n in postpress_async.__all__ if not hasattr(postpress_async, n)]
    assert missing == []


def test_all_is_sorted() -> None:
    assert postpress_async.__all__ == sorted(postpress_async.__all__, key=_isort_style_key)


def test_all_has_no_duplicates() -> None:
    assert len(postpress_async.__all__) == len(set(postpress_async.__all__))


@pytest.mark.parametrize(
    "name",
    [
        "AsyncPostpress", "DailyBudget", "MonthlyBudget", "Published", "Checkpoint",
        "Mode", "Service", "JobState", "CheckpointType", "ErrorType",
        "PostpressError", "InvalidRequestError", "APIConnectionError", "APITimeoutError",
        "UnexpectedResponseError", "APIStatusError", "BadRequestError", "AuthenticationError",
        "PermissionDeniedError", "NotFoundError", "UnprocessableEntityError", "RateLimitError",
        "InternalServerError", "ServiceUnavailableError", "GatewayTimeoutError",
        "AlreadyPublishedError",
    ],
)
def test_issue_names_are_exported(name: str) -> None:
    assert name in postpress_async.__all__


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("InvalidRequestError", "PostpressError"),
        ("APIConnectionError", "PostpressError"),
        ("APITimeoutError", "APIConnectionError"),
        ("UnexpectedResponseError", "PostpressError"),
        ("APIStatusError", "PostpressError"),
        ("BadRequestError", "APIStatusError"),
        ("AuthenticationError", "APIStatusError"),
        ("PermissionDeniedError", "APIStatusError"),
        ("NotFoundError", "APIStatusError"),
        ("UnprocessableEntityError", "APIStatusError"),
        ("AlreadyPublishedError", "UnprocessableEntityError"),
        ("RateLimitError", "APIStatusError"),
        ("InternalServerError", "APIStatusError"),
        ("ServiceUnavailableError", "APIStatusError"),
        ("GatewayTimeoutError", "APIStatusError"),
    ],
)
def test_exception_tree(child: str, parent: str) -> None:
    assert issubclass(getattr(postpress_async, child), getattr(postpress_async, parent))


def test_invalid_request_error_is_a_value_error() -> None:
    assert issubclass(postpress_async.InvalidRequestError, ValueError)


def test_exceptions_module_docstring_draws_every_class() -> None:
    doc = _exceptions.__doc__ or ""
    missing = [name for name in _exceptions.__all__ if name not in doc]
    assert missing == []


@pytest.mark.parametrize("name", ["Mode", "Service", "JobState", "CheckpointType", "ErrorType"])
def test_enums_compare_equal_to_wire_values(name: str) -> None:
    enum_cls = getattr(postpress_async, name)
    assert issubclass(enum_cls, enum.Enum)
    assert all(member == member.value and str(member) == member.value for member in enum_cls)


def test_package_ships_py_typed() -> None:
    assert (Path(postpress_async.__file__).parent / "py.typed").is_file()


def test_version_is_exported() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", postpress_async.__version__)
