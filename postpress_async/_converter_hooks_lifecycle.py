"""Converter hooks of the job-lifecycle and account models (imported by :mod:`._converter`).

Responses: each class's ``object`` tag, lenient enums (an unknown value is kept as the
raw string), raw numbers kept as the API sent them. Requests: create and edit bodies with
unset fields omitted, ids and texts as ``{"id"}``/``{"text"}``, the Recruiter project as
``{"id"}``/``{"name"}``.
"""

from __future__ import annotations

from typing import Any

from cattrs.gen import make_dict_structure_fn, override

from ._account_models import Account
from ._applicant_models import Applicant
from ._converter import OBJECT_TAGS, converter, lenient_enum, register_request_body
from ._job_models import (
    CreateJobRequest,
    EditJobRequest,
    ExternalApply,
    IdOrText,
    LinkedInApply,
    MultipleChoiceQuestion,
    NumericQuestion,
    Recruiter,
    RecruiterEdit,
)
from ._job_results import DraftCreated, JobClosed, JobEdited, JobPosting, JobScreeningQuestion
from ._lifecycle_enums import AccountSourceStatus, ApplicantRating
from ._search_models import SearchParameter

__all__: list[str] = []

OBJECT_TAGS.update({
    DraftCreated: "LinkedinJobPostingDraftCreated",
    JobEdited: "LinkedinJobPostingEdited",
    JobPosting: "LinkedinJobPosting",
    JobClosed: "LinkedinJobPostingClosed",
    Applicant: "LinkedinJobApplicant",
    SearchParameter: "LinkedinSearchParameter",
    Account: "Account",
})


def _number(value: object, _: object) -> int | float:
    # Kept as sent: a count stays an int, a cost keeps its decimals; a bool or a string
    # is not a number.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return value


def _int(value: object, _: object) -> int:
    # cattrs' default int hook would read "12" or 12.7 as 12.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    if isinstance(value, float) and not value.is_integer():
        raise TypeError(f"expected a whole number, got {value!r}")
    return int(value)


def _bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected a boolean, got {type(value).__name__}")
    return value


def _optional_number(value: object, _: object) -> int | float | None:
    return None if value is None else _number(value, _)


converter.register_structure_hook(int | float, _number)
converter.register_structure_hook(int | float | None, _optional_number)
converter.register_structure_hook(int, _int)
converter.register_structure_hook(bool, _bool)
converter.register_structure_hook(ApplicantRating | str, lenient_enum(ApplicantRating))
converter.register_structure_hook(AccountSourceStatus | str, lenient_enum(AccountSourceStatus))
# A factory: the hook is generated when a job with screening questions is first read.
converter.register_structure_hook_factory(
    lambda cls: cls is JobScreeningQuestion,
    lambda cls: make_dict_structure_fn(
        cls, converter, favorable_answers=override(rename="favorableAnswers")
    ),
)


# Requests.
def _id_or_text(value: IdOrText) -> dict[str, str]:
    return {"id": value.id} if value.id is not None else {"text": value.text or ""}


def _recruiter(value: Recruiter) -> dict[str, Any]:
    body: dict[str, Any] = {
        "project": {"id": value.project_id} if value.project_id is not None
        else {"name": value.project_name},
        "functions": list(value.functions),
        "industries": list(value.industries),
        "seniority": value.seniority.value,
        "apply_method": converter.unstructure(value.apply_method),
    }
    if value.skills is not None:
        body["skills"] = list(value.skills)
    return body


converter.register_unstructure_hook(IdOrText, _id_or_text)
converter.register_unstructure_hook(Recruiter, _recruiter)
# The discriminators (answer_type, type) are init=False constants: always sent.
_always = override(omit_if_default=False)
for _cls, _tag in (
    (NumericQuestion, "answer_type"),
    (MultipleChoiceQuestion, "answer_type"),
    (LinkedInApply, "type"),
    (ExternalApply, "type"),
):
    register_request_body(_cls, _cattrs_include_init_false=True, **{_tag: _always})
register_request_body(RecruiterEdit)
register_request_body(CreateJobRequest)
register_request_body(EditJobRequest, job_id=override(omit=True))
