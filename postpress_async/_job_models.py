"""The job-lifecycle requests: create and edit bodies and the Recruiter block
(screening questions and apply methods are in ``_job_questions``).

Each validates on construction and raises :class:`InvalidRequestError` naming the field
(``"recruiter.functions"``, ``"screening_questions[].choices"``...), so a bad call fails
before any byte is sent. Unset optional fields are left out of the body.
"""

from __future__ import annotations

import attrs

from ._exceptions import InvalidRequestError
from ._job_questions import (
    ApplyMethod,
    ExternalApply,
    LinkedInApply,
    MultipleChoiceQuestion,
    NumericQuestion,
    ScreeningQuestion,
    apply_method_of,
    recruiter_apply_method_of,
    screening_questions_of,
)
from ._lifecycle_enums import EmploymentStatus, Seniority, Workplace
from ._models import _account_id, _non_empty
from ._search_models import SearchParameter
from ._validators import DIGITS, LOWERCASE, digit_id, enum_member, strings

__all__ = [
    "ApplyMethod",
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
    apply_method: ApplyMethod = attrs.field(kw_only=True, converter=recruiter_apply_method_of)
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
        default=None, converter=screening_questions_of
    )
    recruiter: Recruiter | None = attrs.field(default=None, converter=_recruiter)
    apply_method: ApplyMethod | None = attrs.field(default=None, converter=apply_method_of)


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
        default=None, converter=screening_questions_of
    )
    recruiter: RecruiterEdit | None = attrs.field(default=None, converter=_recruiter_edit)
    apply_method: ApplyMethod | None = attrs.field(default=None, converter=apply_method_of)

    def __attrs_post_init__(self) -> None:
        changes = attrs.asdict(self, recurse=False)
        del changes["job_id"], changes["account_id"]
        if all(value is None for value in changes.values()):
            raise InvalidRequestError("job", "an edit must change at least one field")
