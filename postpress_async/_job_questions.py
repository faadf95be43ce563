"""Screening questions and apply methods of a job draft, validated on construction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

from ._exceptions import InvalidRequestError
from ._models import _non_empty
from ._validators import number, strict_bool, strings

__all__ = [
    "ApplyMethod",
    "ExternalApply",
    "LinkedInApply",
    "MultipleChoiceQuestion",
    "NumericQuestion",
    "ScreeningQuestion",
    "apply_method_of",
    "recruiter_apply_method_of",
    "screening_questions_of",
]

_Q: Final = "screening_questions[]"


def _question(value: object) -> str:
    return _non_empty(f"{_Q}.question", value)


def _min_expectation(value: object) -> int | float | None:
    return number(f"{_Q}.min_expectation", value)


def _max_expectation(value: object) -> int | float | None:
    return number(f"{_Q}.max_expectation", value)


def _must_match(value: object) -> bool | None:
    return None if value is None else strict_bool(f"{_Q}.must_match", value)


def _question_position(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequestError(f"{_Q}.position", f"must be an int >= 0, got {value!r}")
    return value


def _choices(value: object) -> tuple[str, ...]:
    return strings(f"{_Q}.choices", value, low=1, high=1000)


def _expected_choices(value: object) -> tuple[str, ...]:
    return strings(f"{_Q}.expected_choices", value, low=1, high=1000)


@attrs.frozen
class NumericQuestion:
    """A screening question answered with a number; ``must_match`` disqualifies answers
    outside ``[min_expectation, max_expectation]``."""

    question: str = attrs.field(converter=_question)
    min_expectation: int | float | None = attrs.field(
        default=None, kw_only=True, converter=_min_expectation
    )
    max_expectation: int | float | None = attrs.field(
        default=None, kw_only=True, converter=_max_expectation
    )
    must_match: bool | None = attrs.field(default=None, kw_only=True, converter=_must_match)
    position: int | None = attrs.field(default=None, kw_only=True, converter=_question_position)
    answer_type: str = attrs.field(default="numeric", init=False)

    def __attrs_post_init__(self) -> None:
        low, high = self.min_expectation, self.max_expectation
        if low is not None and high is not None and low > high:
            raise InvalidRequestError(
                f"{_Q}.min_expectation", f"must not exceed max_expectation ({low!r} > {high!r})"
            )


@attrs.frozen
class MultipleChoiceQuestion:
    """A screening question with ``choices``; ``expected_choices`` (a subset) are the
    favourable answers."""

    question: str = attrs.field(converter=_question)
    choices: tuple[str, ...] = attrs.field(kw_only=True, converter=_choices)
    expected_choices: tuple[str, ...] = attrs.field(kw_only=True, converter=_expected_choices)
    must_match: bool | None = attrs.field(default=None, kw_only=True, converter=_must_match)
    position: int | None = attrs.field(default=None, kw_only=True, converter=_question_position)
    answer_type: str = attrs.field(default="multiple_choices", init=False)

    def __attrs_post_init__(self) -> None:
        unknown = [c for c in self.expected_choices if c not in self.choices]
        if unknown:
            raise InvalidRequestError(
                f"{_Q}.expected_choices", f"{unknown!r} are not among the choices"
            )


ScreeningQuestion = NumericQuestion | MultipleChoiceQuestion


def screening_questions_of(value: object) -> tuple[ScreeningQuestion, ...] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidRequestError(
            "screening_questions", f"must be a list of questions, got {type(value).__name__}"
        )
    questions = tuple(value)
    for index, question in enumerate(questions):
        if not isinstance(question, (NumericQuestion, MultipleChoiceQuestion)):
            raise InvalidRequestError(
                f"screening_questions[{index}]",
                f"must be a NumericQuestion or a MultipleChoiceQuestion, "
                f"got {type(question).__name__}",
            )
    return questions


def _notification_email(value: object) -> str:
    text = _non_empty("apply_method.notification_email", value)
    if "@" not in text.strip("@") or any(c.isspace() for c in text):
        raise InvalidRequestError(
            "apply_method.notification_email", f"{text!r} is not an e-mail address"
        )
    return text


def _resume_required(value: object) -> bool:
    return strict_bool("apply_method.resume_required", value)


def _apply_url(value: object) -> str:
    text = _non_empty("apply_method.url", value)
    if not text.startswith(("https://", "http://")) or any(c.isspace() for c in text):
        raise InvalidRequestError("apply_method.url", f"must be an http(s) URL, got {text!r}")
    return text


@attrs.frozen
class LinkedInApply:
    """Candidates apply on LinkedIn; applications are notified to ``notification_email``."""

    notification_email: str = attrs.field(converter=_notification_email)
    resume_required: bool = attrs.field(kw_only=True, converter=_resume_required)
    type: str = attrs.field(default="linkedin", init=False)


@attrs.frozen
class ExternalApply:
    """Candidates apply on an external site at ``url`` (http or https)."""

    url: str = attrs.field(converter=_apply_url)
    type: str = attrs.field(default="external", init=False)


ApplyMethod = LinkedInApply | ExternalApply


def apply_method_of(value: object) -> ApplyMethod | None:
    if value is None or isinstance(value, (LinkedInApply, ExternalApply)):
        return value
    raise InvalidRequestError(
        "apply_method", f"must be a LinkedInApply or an ExternalApply, got {type(value).__name__}"
    )


def recruiter_apply_method_of(value: object) -> ApplyMethod:
    if isinstance(value, (LinkedInApply, ExternalApply)):
        return value
    raise InvalidRequestError(
        "recruiter.apply_method",
        f"must be a LinkedInApply or an ExternalApply, got {type(value).__name__}",
    )


