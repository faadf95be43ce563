"""A job definition from a JSON file (``postpress jobs create|edit --file PATH``).

The file holds one JSON object in the shape of the API's request body (see
``docs/cli.md``): ``job_title`` and ``company`` as ``{"id": ...}``, ``{"text": ...}`` or
a plain string, ``screening_questions`` with their ``answer_type``, the ``recruiter``
block with its ``project``, ``apply_method`` with its ``type``. It becomes the keyword
arguments of ``client.jobs.create`` / ``edit``, whose models then validate every value
(:class:`InvalidRequestError` names the field). What this module refuses itself (a key
the body does not have, a variant it cannot tell) is a :class:`UsageError` naming the
file and the field, so a misspelt key never silently drops a screening question.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from .._job_models import (
    ExternalApply,
    IdOrText,
    LinkedInApply,
    MultipleChoiceQuestion,
    NumericQuestion,
    Recruiter,
    RecruiterEdit,
)
from ._common import UsageError

__all__ = ["CREATE_FIELDS", "EDIT_FIELDS", "read_definition"]

# Top-level keys of the create and edit bodies (account_id may come from the file too).
CREATE_FIELDS: Final = (
    "account_id", "job_title", "company", "workplace", "location", "description",
    "employment_status", "auto_rejection_template", "screening_questions", "recruiter",
    "apply_method",
)
EDIT_FIELDS: Final = CREATE_FIELDS
_NUMERIC: Final = ("question", "answer_type", "position", "must_match", "min_expectation",
                   "max_expectation")
_CHOICES: Final = ("question", "answer_type", "position", "must_match", "choices",
                   "expected_choices")
_RECRUITER: Final = ("project", "functions", "industries", "seniority", "apply_method",
                     "skills")
_RECRUITER_EDIT: Final = ("project_id", "functions", "industries", "skills")


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, field: str, message: str) -> UsageError:
        return UsageError(f"{self.path}: {field}: {message}")

    def mapping(self, field: str, value: object, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(field, f"must be a JSON object, got {_kind(value)}")
        unknown = [str(key) for key in value if key not in allowed]
        if unknown:
            raise self.fail(
                field, f"unknown key {', '.join(map(repr, unknown))}; expected "
                + ", ".join(allowed)
            )
        return dict(value)

    def require(self, field: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> None:
        missing = [key for key in keys if key not in data]
        if missing:
            raise self.fail(field, "missing " + ", ".join(missing))

    def id_or_text(self, field: str, value: object) -> object:
        if isinstance(value, Mapping):
            data = self.mapping(field, value, ("id", "text"))
            if len(data) != 1:
                raise self.fail(field, 'must be {"id": ...} or {"text": ...}, exactly one')
            return IdOrText(id=data.get("id"), text=data.get("text"))
        return value  # a string: the SDK reads digits as an id, other text as text

    def question(self, field: str, value: object) -> object:
        if not isinstance(value, Mapping):
            raise self.fail(field, f"must be a JSON object, got {_kind(value)}")
        kind = value.get("answer_type")
        if kind == "numeric":
            data = self.mapping(field, value, _NUMERIC)
            self.require(field, data, ("question",))
            del data["answer_type"]
            return NumericQuestion(**data)
        if kind == "multiple_choices":
            data = self.mapping(field, value, _CHOICES)
            self.require(field, data, ("question", "choices", "expected_choices"))
            del data["answer_type"]
            return MultipleChoiceQuestion(**data)
        raise self.fail(f"{field}.answer_type", 'must be "numeric" or "multiple_choices"')

    def apply_method(self, field: str, value: object) -> object:
        if not isinstance(value, Mapping):
            raise self.fail(field, f"must be a JSON object, got {_kind(value)}")
        kind = value.get("type")
        if kind == "linkedin":
            data = self.mapping(field, value, ("type", "notification_email", "resume_required"))
            self.require(field, data, ("notification_email", "resume_required"))
            return LinkedInApply(data["notification_email"],
                                 resume_required=data["resume_required"])
        if kind == "external":
            data = self.mapping(field, value, ("type", "url"))
            self.require(field, data, ("url",))
            return ExternalApply(data["url"])
        raise self.fail(f"{field}.type", 'must be "linkedin" or "external"')

    def recruiter(self, value: object) -> Recruiter:
        data = self.mapping("recruiter", value, _RECRUITER)
        project = self.mapping("recruiter.project", data.pop("project", None), ("id", "name"))
        if len(project) != 1:
            raise self.fail("recruiter.project", 'must be {"id": ...} or {"name": ...}')
        self.require("recruiter", data, ("functions", "industries", "seniority", "apply_method"))
        data["apply_method"] = self.apply_method("recruiter.apply_method", data["apply_method"])
        return Recruiter(project_id=project.get("id"), project_name=project.get("name"), **data)

    def recruiter_edit(self, value: object) -> RecruiterEdit:
        data = self.mapping("recruiter", value, _RECRUITER_EDIT)
        self.require("recruiter", data, ("project_id",))
        return RecruiterEdit(**data)


def _kind(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             type(None): "null", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def read_definition(path: str, *, edit: bool = False) -> dict[str, Any]:
    """The keyword arguments of ``jobs.create`` (or ``jobs.edit``) that the file holds."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            payload = json.load(handle)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    reader = _Reader(path)
    data = reader.mapping("the file", payload, EDIT_FIELDS if edit else CREATE_FIELDS)
    for field in ("job_title", "company"):
        if field in data:
            data[field] = reader.id_or_text(field, data[field])
    if "screening_questions" in data:
        questions = data["screening_questions"]
        if not isinstance(questions, list):
            raise reader.fail("screening_questions", f"must be an array, got {_kind(questions)}")
        data["screening_questions"] = [
            reader.question(f"screening_questions[{i}]", q) for i, q in enumerate(questions)
        ]
    if "apply_method" in data:
        data["apply_method"] = reader.apply_method("apply_method", data["apply_method"])
    if "recruiter" in data:
        block = data["recruiter"]
        data["recruiter"] = reader.recruiter_edit(block) if edit else reader.recruiter(block)
    return data
