"""The vocabularies (``ErrorType``, ``Mode``...): built by ``@_vocabulary`` for import time,
yet the very enums a ``class X(_StrEnum)`` statement makes, members, pickles and all."""

from __future__ import annotations

import enum
import pickle
from typing import Any

import pytest

import postpress_async
from postpress_async import _enums, _lifecycle_enums
from postpress_async._bulk_new_job import BulkStep
from postpress_async._bulk_outcomes import OutcomeKind
from postpress_async._bulk_stop import StopScope

# Each enum once, by its own name (JobPostingState is JobState under another name).
VOCABULARIES = sorted(
    name for module in (_enums, _lifecycle_enums) for name in module.__all__
    if isinstance(getattr(module, name), enum.EnumMeta) and getattr(module, name).__name__ == name
)
# The standard library's check that two enums are the same (Python 3.11+).
_same_enum: Any = getattr(enum, "_test_simple_enum", None)
needs_the_check = pytest.mark.skipif(_same_enum is None, reason="Python 3.11+")


def _as_class_statement(cls: Any) -> Any:
    """``cls`` rebuilt through EnumType's full path (what ``class X(_StrEnum)`` runs)."""
    members = [(member.name, member.value) for member in cls]
    return _enums._StrEnum(  # type: ignore[call-overload]
        cls.__name__, members, module=cls.__module__, qualname=cls.__qualname__
    )


def test_every_public_enum_is_checked_here() -> None:
    assert len(VOCABULARIES) == 11
    assert all(getattr(postpress_async, name) is not None for name in VOCABULARIES)


@needs_the_check
@pytest.mark.parametrize("name", VOCABULARIES)
def test_each_vocabulary_is_the_enum_a_class_statement_makes(name: str) -> None:
    cls = getattr(postpress_async, name)
    _same_enum(_as_class_statement(cls), cls)  # raises TypeError on a difference


@needs_the_check
def test_the_python_3_10_path_makes_the_same_enum() -> None:
    class Colour:
        """Two colours."""

        RED = "red"
        DARK_RED = "dark-red"

    made: Any = _enums._functional_enum(Colour)
    _same_enum(made, _enums._vocabulary(Colour))
    assert made.__doc__ == "Two colours."
    assert made("dark-red") is made.DARK_RED


@pytest.mark.parametrize("name", VOCABULARIES)
def test_members_pickle_to_themselves_and_read_as_their_wire_value(name: str) -> None:
    cls = getattr(postpress_async, name)
    for member in cls:
        assert pickle.loads(pickle.dumps(member)) is member
        assert cls(member.value) is member
        assert cls[member.name] is member
        assert str(member) == f"{member}" == member.value == member
        assert repr(member) == f"<{name}.{member.name}: {member.value!r}>"


def test_error_type_keeps_its_48_members_in_the_documented_order() -> None:
    members = list(postpress_async.ErrorType)
    assert len(members) == 48
    assert members[0] is postpress_async.ErrorType.INVALID_PARAMETERS
    assert members[-1] is postpress_async.ErrorType.REQUEST_TIMEOUT
    assert isinstance(postpress_async.ErrorType.PROVIDER_ERROR, str)


def test_pickles_of_lifecycle_enums_made_when_they_lived_in_enums_still_load() -> None:
    member = postpress_async.Workplace.REMOTE
    old = pickle.dumps(member, protocol=0).replace(
        b"postpress_async._lifecycle_enums", b"postpress_async._enums")
    assert b"postpress_async._enums" in old
    assert pickle.loads(old) is member


_BULK_ENUMS = [OutcomeKind, StopScope, BulkStep]


@pytest.mark.parametrize(
    "cls",
    [getattr(postpress_async, name) for name in VOCABULARIES] + _BULK_ENUMS,
    ids=lambda cls: cls.__name__,
)
def test_members_live_in_their_class_as_themselves_on_every_python(cls: Any) -> None:
    # Python 3.11's _simple_enum (behind @_vocabulary) puts a descriptor there, a Python
    # call at every Mode.FREE; _direct_members stores the member itself, as a class
    # statement does. The bulk engine's enums are class statements: checked alike.
    for member in cls:
        assert vars(cls)[member.name] is member
        assert getattr(cls, member.name) is member
        assert cls[member.name] is member
    first = next(iter(cls))
    with pytest.raises(AttributeError, match=r"(?i)cannot reassign member"):
        setattr(cls, first.name, "other")
    assert vars(cls)[first.name] is first


def test_direct_members_leaves_other_class_attributes_alone() -> None:
    class Size:
        SMALL = "s"

        @property
        def label(self) -> str:
            return f"size {self.value}"  # type: ignore[attr-defined]

    made: Any = _enums._vocabulary(Size)
    assert vars(made)["SMALL"] is made.SMALL
    assert made.SMALL.label == "size s"
    assert made.SMALL.value == "s"
    assert made.SMALL.name == "SMALL"
