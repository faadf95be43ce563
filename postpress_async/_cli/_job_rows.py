"""New-job records of ``postpress bulk`` input files: a row with a ``ref`` becomes a
:class:`NewJob` (a job definition plus how to publish it).

CSV rows carry the flat fields; JSON Lines records may also nest ``screening_questions``
(a list of objects with ``answer_type`` ``numeric`` or ``multiple_choices``), a
``recruiter`` block and an ``apply_method`` (``{"type": "linkedin", ...}`` or
``{"type": "external", "url": ...}``), with the API's own field names. Every value is
checked by the SDK's models, so a bad one names its field, as for any SDK call.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from .._bulk_new_job import NewJob
from .._job_models import (
    ApplyMethod,
    CreateJobRequest,
    ExternalApply,
    LinkedInApply,
    MultipleChoiceQuestion,
    NumericQuestion,
    Recruiter,
    ScreeningQuestion,
)
from .._models import DailyBudget, MonthlyBudget

__all__ = ["JOB_COLUMNS", "NESTED_KEYS", "RowError", "new_job"]

# Flat job fields (CSV columns and JSON keys).
JOB_COLUMNS: Final = (
    "ref",
    "job_title",
    "company",
    "workplace",
    "location",
    "description",
    "employment_status",
    "auto_rejection_template",
    "idempotency_key",
)
# JSON Lines only: nested objects.
NESTED_KEYS: Final = ("screening_questions", "recruiter", "apply_method")
_REQUIRED: Final = ("job_title", "company", "workplace", "location", "description")
_RECRUITER_KEYS: Final = frozenset(
    {"functions", "industries", "seniority", "apply_method", "project_id", "project_name",
     "skills"}
)


class RowError(Exception):
    """A record that cannot become a request; the message names the field."""


def _object(field: str, value: object, known: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise RowError(f"{field}: expected a JSON object, got {json.dumps(value)[:60]}")
    unknown = sorted(set(value) - known)
    if unknown:
        raise RowError(f"{field}: unknown key(s) {', '.join(map(repr, unknown))}")
    return value


def _apply_method(field: str, value: object) -> ApplyMethod:
    record = _object(field, value, frozenset({"type", "notification_email", "resume_required",
                                              "url"}))
    kind = record.get("type")
    rest = {k: v for k, v in record.items() if k != "type"}
    try:
        if kind == "linkedin":
            return LinkedInApply(**rest)
        if kind == "external":
            return ExternalApply(**rest)
    except TypeError as exc:  # a missing or misplaced key
        raise RowError(f"{field}: {exc}") from None
    raise RowError(f"{field}.type: expected \"linkedin\" or \"external\", got {json.dumps(kind)}")


def _question(index: int, value: object) -> ScreeningQuestion:
    field = f"screening_questions[{index}]"
    record = _object(field, value, frozenset({
        "answer_type", "question", "min_expectation", "max_expectation", "must_match",
        "position", "choices", "expected_choices",
    }))
    kind = record.get("answer_type")
    rest = {k: v for k, v in record.items() if k != "answer_type"}
    makers: dict[object, Callable[..., ScreeningQuestion]] = {
        "numeric": NumericQuestion,
        "multiple_choices": MultipleChoiceQuestion,
    }
    maker = makers.get(kind)
    if maker is None:
        raise RowError(
            f"{field}.answer_type: expected \"numeric\" or \"multiple_choices\", "
            f"got {json.dumps(kind)}"
        )
    try:
        return maker(**rest)
    except TypeError as exc:
        raise RowError(f"{field}: {exc}") from None


def _questions(value: object) -> list[ScreeningQuestion] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise RowError(f"screening_questions: expected a JSON list, got {json.dumps(value)[:60]}")
    return [_question(index, item) for index, item in enumerate(value)]


def _recruiter(value: object) -> Recruiter | None:
    if value is None:
        return None
    record = dict(_object("recruiter", value, _RECRUITER_KEYS))
    if "apply_method" in record:
        record["apply_method"] = _apply_method("recruiter.apply_method", record["apply_method"])
    try:
        return Recruiter(**record)
    except TypeError as exc:
        raise RowError(f"recruiter: {exc}") from None


def new_job(
    record: Mapping[str, Any],
    cell: Callable[[Mapping[str, Any], str], Any],
    *,
    account_id: str,
    mode: object,
    publish: Mapping[str, Any],
    budget: DailyBudget | MonthlyBudget | None,
) -> NewJob:
    """The :class:`NewJob` of a record with a ``ref`` (``cell`` reads a flat value)."""
    missing = [key for key in _REQUIRED if cell(record, key) is None]
    if missing:
        raise RowError(f"a new job needs {', '.join(missing)}")
    apply_method = record.get("apply_method")
    job = CreateJobRequest(
        account_id,
        cell(record, "job_title"),
        cell(record, "company"),
        cell(record, "workplace"),
        cell(record, "location"),
        cell(record, "description"),
        employment_status=cell(record, "employment_status"),
        auto_rejection_template=cell(record, "auto_rejection_template"),
        screening_questions=_questions(record.get("screening_questions")),
        recruiter=_recruiter(record.get("recruiter")),
        apply_method=None if apply_method is None else _apply_method("apply_method",
                                                                     apply_method),
    )
    return NewJob(
        cell(record, "ref"),
        job=job,
        mode=mode,  # type: ignore[arg-type]  # checked by NewJob, like any SDK call
        budget=budget,
        idempotency_key=cell(record, "idempotency_key"),
        **publish,
    )
