"""The job-lifecycle requests: create and edit bodies, screening questions, the
Recruiter block and apply methods.

Each validates on construction and raises :class:`InvalidRequestError` naming the field
(``"recruiter.functions"``, ``"screening_questions[].choices"``...), so a bad call fails
before any byte is sent. Unset optional fields are left out of the body.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

from ._enums import EmploymentStatus, Seniority, Workplace
from ._exceptions import InvalidRequestError
from ._models import _account_id, _non_empty
from ._search_models import SearchParameter
from ._validators import DIGITS, LOWERCASE, digit_id, enum_member, number, strict_bool, strings

__all__ = [
    "CreateJobRequest",
    "EditJobRequest",
    "ExternalApply",
    "IdOrText",
    "LinkedInApply",
    "MultipleChoiceQuestion",
    "NumericQuestion",
    "Recruiter",
    "RecruiterEdit",
    "ScreeningQuestion",
]

@attrs.frozen
class IdOrText:
    """A job title or company: a LinkedIn ``id`` (digits) or a free ``text`` fallback.

    Resource methods build it from what the caller gives: a :class:`SearchParameter` or a
    digit string becomes an id, any other string the text.
    """

    id: str | None = None
    text: str | None = None

    @classmethod
    def of(cls, field: str, value: object, what: str) -> IdOrText:
        """``value`` (an :class:`IdOrText`, a :class:`SearchParameter`, a digit id or text)."""
        if isinstance(value, IdOrText):
            return value
        if isinstance(value, SearchParameter):
            return cls(id=digit_id(field, value, what))
        text = _non_empty(field, value)
        return cls(id=text) if DIGITS.fullmatch(text) else cls(text=text)


# Converters are named functions: mypy's attrs plugin reads the __init__ types from them.
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


def _screening_questions(value: object) -> tuple[ScreeningQuestion, ...] | None:
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


def _apply_method(value: object) -> ApplyMethod | None:
    if value is None or isinstance(value, (LinkedInApply, ExternalApply)):
        return value
    raise InvalidRequestError(
        "apply_method", f"must be a LinkedInApply or an ExternalApply, got {type(value).__name__}"
    )


def _recruiter_apply_method(value: object) -> ApplyMethod:
    if isinstance(value, (LinkedInApply, ExternalApply)):
        return value
    raise InvalidRequestError(
        "recruiter.apply_method",
        f"must be a LinkedInApply or an ExternalApply, got {type(value).__name__}",
    )


def _functions(value: object) -> tuple[str, ...]:
    return strings("recruiter.functions", value, low=1, high=3, pattern=LOWERCASE,
                   what="JOB_FUNCTION id (lowercase letters)")


def _industries(value: object) -> tuple[str, ...]:
    return strings("recruiter.industries", value, low=1, high=3, pattern=DIGITS,
                   what="INDUSTRY id (digits)")


def _optional_functions(value: object) -> tuple[str, ...] | None:
    return None if value is None else _functions(value)


def _optional_industries(value: object) -> tuple[str, ...] | None:
    return None if value is None else _industries(value)


def _skills(value: object) -> tuple[str, ...] | None:
    return None if value is None else strings("recruiter.skills", value, low=1, high=10)


def _seniority(value: object) -> Seniority:
    return enum_member("recruiter.seniority", Seniority, value)


def _project_id(value: object) -> str | None:
    return None if value is None else _non_empty("recruiter.project_id", value)


def _required_project_id(value: object) -> str:
    return _non_empty("recruiter.project_id", value)


def _project_name(value: object) -> str | None:
    return None if value is None else _non_empty("recruiter.project_name", value)


@attrs.frozen
class Recruiter:
    """The Recruiter block of a new posting (required when the account uses Recruiter).

    Give ``project_id`` (an existing project) or ``project_name`` (a new one), not both.
    ``functions``: 1-3 JOB_FUNCTION ids (lowercase letters); ``industries``: 1-3 INDUSTRY
    ids (digits); ``skills``: 1-10 SKILL ids.
    """

    functions: tuple[str, ...] = attrs.field(kw_only=True, converter=_functions)
    industries: tuple[str, ...] = attrs.field(kw_only=True, converter=_industries)
    seniority: Seniority = attrs.field(kw_only=True, converter=_seniority)
    apply_method: ApplyMethod = attrs.field(kw_only=True, converter=_recruiter_apply_method)
    project_id: str | None = attrs.field(default=None, kw_only=True, converter=_project_id)
    project_name: str | None = attrs.field(default=None, kw_only=True, converter=_project_name)
    skills: tuple[str, ...] | None = attrs.field(default=None, kw_only=True, converter=_skills)

    def __attrs_post_init__(self) -> None:
        if (self.project_id is None) == (self.project_name is None):
            raise InvalidRequestError(
                "recruiter.project", "give project_id (existing) or project_name (new), not both"
            )


@attrs.frozen
class RecruiterEdit:
    """Recruiter overrides of an edit: ``project_id`` (required) and the lists to replace."""

    project_id: str = attrs.field(converter=_required_project_id)
    functions: tuple[str, ...] | None = attrs.field(
        default=None, kw_only=True, converter=_optional_functions
    )
    industries: tuple[str, ...] | None = attrs.field(
        default=None, kw_only=True, converter=_optional_industries
    )
    skills: tuple[str, ...] | None = attrs.field(default=None, kw_only=True, converter=_skills)


def _job_id(value: object) -> str:
    return _non_empty("job_id", value)


def _job_title(value: object) -> IdOrText:
    return IdOrText.of("job_title", value, "JOB_TITLE")


def _company(value: object) -> IdOrText:
    return IdOrText.of("company", value, "COMPANY")


def _workplace(value: object) -> Workplace:
    return enum_member("workplace", Workplace, value)


def _location(value: object) -> str:
    return digit_id("location", value, "LOCATION")


def _description(value: object) -> str:
    return _non_empty("description", value)


def _employment_status(value: object) -> EmploymentStatus | None:
    return None if value is None else enum_member("employment_status", EmploymentStatus, value)


def _auto_rejection_template(value: object) -> str | None:
    return None if value is None else _non_empty("auto_rejection_template", value)


def _recruiter(value: object) -> Recruiter | None:
    if value is None or isinstance(value, Recruiter):
        return value
    raise InvalidRequestError("recruiter", f"must be a Recruiter, got {type(value).__name__}")


def _recruiter_edit(value: object) -> RecruiterEdit | None:
    if value is None or isinstance(value, RecruiterEdit):
        return value
    raise InvalidRequestError("recruiter", f"must be a RecruiterEdit, got {type(value).__name__}")


def _optional_job_title(value: object) -> IdOrText | None:
    return None if value is None else _job_title(value)


def _optional_company(value: object) -> IdOrText | None:
    return None if value is None else _company(value)


def _optional_workplace(value: object) -> Workplace | None:
    return None if value is None else _workplace(value)


def _optional_location(value: object) -> str | None:
    return None if value is None else _location(value)


def _optional_description(value: object) -> str | None:
    return None if value is None else _description(value)


@attrs.frozen
class CreateJobRequest:
    """The body of ``POST /linkedin/jobs`` (see :meth:`AsyncJobs.create`)."""

    account_id: str = attrs.field(converter=_account_id)
    job_title: IdOrText = attrs.field(converter=_job_title)
    company: IdOrText = attrs.field(converter=_company)
    workplace: Workplace = attrs.field(converter=_workplace)
    location: str = attrs.field(converter=_location)
    description: str = attrs.field(converter=_description)
    employment_status: EmploymentStatus | None = attrs.field(
        default=None, converter=_employment_status
    )
    auto_rejection_template: str | None = attrs.field(
        default=None, converter=_auto_rejection_template
    )
    screening_questions: tuple[ScreeningQuestion, ...] | None = attrs.field(
        default=None, converter=_screening_questions
    )
    recruiter: Recruiter | None = attrs.field(default=None, converter=_recruiter)
    apply_method: ApplyMethod | None = attrs.field(default=None, converter=_apply_method)


@attrs.frozen
class EditJobRequest:
    """The body of ``PATCH /linkedin/jobs/{job_id}``: only the fields given change
    (``screening_questions``, when given, replaces the whole list)."""

    job_id: str = attrs.field(converter=_job_id)
    account_id: str = attrs.field(converter=_account_id)
    job_title: IdOrText | None = attrs.field(default=None, converter=_optional_job_title)
    company: IdOrText | None = attrs.field(default=None, converter=_optional_company)
    workplace: Workplace | None = attrs.field(default=None, converter=_optional_workplace)
    location: str | None = attrs.field(default=None, converter=_optional_location)
    description: str | None = attrs.field(default=None, converter=_optional_description)
    employment_status: EmploymentStatus | None = attrs.field(
        default=None, converter=_employment_status
    )
    auto_rejection_template: str | None = attrs.field(
        default=None, converter=_auto_rejection_template
    )
    screening_questions: tuple[ScreeningQuestion, ...] | None = attrs.field(
        default=None, converter=_screening_questions
    )
    recruiter: RecruiterEdit | None = attrs.field(default=None, converter=_recruiter_edit)
    apply_method: ApplyMethod | None = attrs.field(default=None, converter=_apply_method)

    def __attrs_post_init__(self) -> None:
        changes = attrs.asdict(self, recurse=False)
        del changes["job_id"], changes["account_id"]
        if all(value is None for value in changes.values()):
            raise InvalidRequestError("job", "an edit must change at least one field")
