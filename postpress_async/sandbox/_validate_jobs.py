"""Validation of the create, edit and close bodies, from the contract pages (never the SDK).

Checks follow the pages' tables: required fields, then each field's type, enum, pattern and
item counts (``^\\d+$`` ids, 1-3 functions and industries, 1-10 skills, the screening
question variants). Every failure names the field, as a path (``recruiter.functions[1]``).
The validated body is returned as plain JSON values: the job store keeps what was sent.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

from ._errors import SandboxError
from ._validate import SERVICES, _check_fields, _enum, _invalid, _string

__all__ = [
    "EMPLOYMENT_STATUSES",
    "SENIORITIES",
    "WORKPLACES",
    "validate_close",
    "validate_create",
    "validate_edit",
]

WORKPLACES: Final = frozenset({"ON_SITE", "HYBRID", "REMOTE"})
EMPLOYMENT_STATUSES: Final = frozenset(
    {"FULL_TIME", "PART_TIME", "CONTRACT", "TEMPORARY", "OTHER", "VOLUNTEER", "INTERNSHIP"}
)
SENIORITIES: Final = frozenset(
    {
        "INTERNSHIP",
        "ENTRY_LEVEL",
        "ASSOCIATE",
        "MID_SENIOR_LEVEL",
        "DIRECTOR",
        "EXECUTIVE",
        "NOT_APPLICABLE",
    }
)
_DIGITS: Final = re.compile(r"[0-9]+")
_LOWER: Final = re.compile(r"[a-z]+")

_CREATE_FIELDS: Final = frozenset(
    {
        "account_id",
        "job_title",
        "company",
        "workplace",
        "location",
        "employment_status",
        "description",
        "auto_rejection_template",
        "screening_questions",
        "recruiter",
        "apply_method",
    }
)
# Edit takes the same top-level fields; its recruiter block differs (project_id).
_EDIT_FIELDS: Final = _CREATE_FIELDS
_REQUIRED_CREATE: Final = (
    "account_id",
    "job_title",
    "company",
    "workplace",
    "location",
    "description",
)
# Long texts (descriptions are HTML) are bounded by the body size, not the string cap.
_TEXT_LIMIT: Final = 1 << 20


def _missing(path: str) -> SandboxError:
    return SandboxError(400, "errors/missing_parameters", f"missing required field(s): {path}")


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(f"{path}: expected an object, got {type(value).__name__}")
    return value


def _text(value: Any, path: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise _invalid(f"{path}: expected a string, got {type(value).__name__}")
    if not value:
        raise _invalid(f"{path}: must not be empty")
    if len(value) > max_length:
        raise SandboxError(
            400,
            "errors/too_many_characters",
            f"{path}: {len(value)} characters, at most {max_length} allowed",
        )
    return value


def _pattern(value: Any, path: str, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise _invalid(f"{path}: expected {what}, got {value!r}")
    return value


def _id_or_text(value: Any, path: str, max_length: int) -> dict[str, str]:
    obj = _object(value, path)
    if set(obj) == {"id"}:
        return {"id": _pattern(obj["id"], f"{path}.id", _DIGITS, "digits (^\\d+$)")}
    if set(obj) == {"text"}:
        return {"text": _text(obj["text"], f"{path}.text", max_length)}
    raise _invalid(f"{path}: expected exactly one of id or text, got {sorted(obj) or 'nothing'}")


def _number(value: Any, path: str) -> float | int:
    # bool is an int subclass in Python, but true is not a number in JSON.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _invalid(f"{path}: expected a number, got {type(value).__name__}")
    try:
        finite = math.isfinite(value)
    except OverflowError:
        finite = False
    if not finite:
        raise _invalid(f"{path}: expected a finite number")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _invalid(f"{path}: expected a boolean, got {type(value).__name__}")
    return value


def _id_list(
    value: Any, path: str, low: int, high: int, pattern: re.Pattern[str] | None, what: str
) -> list[str]:
    if not isinstance(value, list):
        raise _invalid(f"{path}: expected an array, got {type(value).__name__}")
    if not low <= len(value) <= high:
        raise _invalid(f"{path}: expected {low} to {high} items, got {len(value)}")
    items = []
    for i, item in enumerate(value):
        item_path = f"{path}[{i}]"
        if pattern is None:
            items.append(_text(item, item_path, 256))
        else:
            items.append(_pattern(item, item_path, pattern, what))
    return items


def _fields(obj: dict[str, Any], path: str, allowed: set[str], required: tuple[str, ...]) -> None:
    missing = [f"{path}.{name}" for name in required if name not in obj]
    if missing:
        raise _missing(", ".join(missing))
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise _invalid(f"{path}: unknown field(s): " + ", ".join(unknown))


def _question(value: Any, path: str, max_length: int) -> dict[str, Any]:
    obj = _object(value, path)
    kind = obj.get("answer_type")
    common = {"question", "answer_type", "position", "must_match"}
    if kind == "numeric":
        _fields(obj, path, common | {"min_expectation", "max_expectation"}, ("question",))
    elif kind == "multiple_choices":
        _fields(obj, path, common | {"choices", "expected_choices"}, ("question",))
        for name in ("choices", "expected_choices"):
            if name not in obj:
                raise _missing(f"{path}.{name}")
            _id_list(obj[name], f"{path}.{name}", 0, 1000, None, "strings")
    else:
        if "answer_type" not in obj:
            raise _missing(f"{path}.answer_type")
        raise _invalid(f"{path}.answer_type: expected numeric or multiple_choices, got {kind!r}")
    _text(obj["question"], f"{path}.question", max_length * 4)
    for name in ("position", "min_expectation", "max_expectation"):
        if name in obj:
            _number(obj[name], f"{path}.{name}")
    if "must_match" in obj:
        _bool(obj["must_match"], f"{path}.must_match")
    return obj


def _questions(value: Any, max_length: int) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise _invalid(f"screening_questions: expected an array, got {type(value).__name__}")
    return [_question(q, f"screening_questions[{i}]", max_length) for i, q in enumerate(value)]


def _apply_method(value: Any, path: str, max_length: int) -> dict[str, Any]:
    obj = _object(value, path)
    kind = obj.get("type")
    if kind == "linkedin":
        _fields(
            obj,
            path,
            {"type", "notification_email", "resume_required"},
            ("notification_email", "resume_required"),
        )
        _text(obj["notification_email"], f"{path}.notification_email", max_length)
        _bool(obj["resume_required"], f"{path}.resume_required")
    elif kind == "external":
        _fields(obj, path, {"type", "url"}, ("url",))
        url = _text(obj["url"], f"{path}.url", max_length * 8)
        if not url.startswith(("http://", "https://")):
            raise SandboxError(400, "errors/invalid_url", f"{path}.url: not an http(s) URL")
    elif "type" not in obj:
        raise _missing(f"{path}.type")
    else:
        raise _invalid(f"{path}.type: expected linkedin or external, got {kind!r}")
    return obj


def _recruiter_lists(obj: dict[str, Any], path: str) -> None:
    if "functions" in obj:
        _id_list(obj["functions"], f"{path}.functions", 1, 3, _LOWER, "lowercase letters")
    if "industries" in obj:
        _id_list(obj["industries"], f"{path}.industries", 1, 3, _DIGITS, "digits (^\\d+$)")
    if "skills" in obj:
        _id_list(obj["skills"], f"{path}.skills", 1, 10, None, "skill ids")


def _create_recruiter(value: Any, max_length: int) -> dict[str, Any]:
    path = "recruiter"
    obj = _object(value, path)
    _fields(
        obj,
        path,
        {"project", "functions", "industries", "seniority", "apply_method", "skills"},
        ("project", "functions", "industries", "seniority", "apply_method"),
    )
    project = _object(obj["project"], f"{path}.project")
    if set(project) == {"id"}:
        _text(project["id"], f"{path}.project.id", max_length)
    elif set(project) == {"name"}:
        _text(project["name"], f"{path}.project.name", max_length)
    else:
        raise _invalid(f"{path}.project: expected exactly one of id or name")
    _recruiter_lists(obj, path)
    if not isinstance(obj["seniority"], str) or obj["seniority"] not in SENIORITIES:
        raise _invalid(
            f"{path}.seniority: expected one of {', '.join(sorted(SENIORITIES))}, "
            f"got {obj['seniority']!r}"
        )
    _apply_method(obj["apply_method"], f"{path}.apply_method", max_length)
    return obj


def _edit_recruiter(value: Any, max_length: int) -> dict[str, Any]:
    path = "recruiter"
    obj = _object(value, path)
    _fields(obj, path, {"project_id", "functions", "industries", "skills"}, ("project_id",))
    _text(obj["project_id"], f"{path}.project_id", max_length)
    _recruiter_lists(obj, path)
    return obj


def _job_fields(body: dict[str, Any], max_length: int) -> None:
    for name in ("job_title", "company"):
        if name in body:
            body[name] = _id_or_text(body[name], name, max_length)
    if "workplace" in body:
        _enum(body, "workplace", WORKPLACES)
    if "location" in body:
        _pattern(body["location"], "location", _DIGITS, "a LOCATION id (^\\d+$)")
    if "employment_status" in body:
        _enum(body, "employment_status", EMPLOYMENT_STATUSES)
    for name in ("description", "auto_rejection_template"):
        if name in body:
            _text(body[name], name, _TEXT_LIMIT)
    if "screening_questions" in body:
        _questions(body["screening_questions"], max_length)
    if "apply_method" in body:
        _apply_method(body["apply_method"], "apply_method", max_length)


def validate_create(body: dict[str, Any], max_length: int) -> dict[str, Any]:
    """Validate a create body; returns it (ids kept as strings, as sent)."""
    _check_fields(body, _CREATE_FIELDS, _REQUIRED_CREATE)
    _string(body, "account_id", max_length)
    _job_fields(body, max_length)
    if "recruiter" in body:
        _create_recruiter(body["recruiter"], max_length)
    return body


def validate_edit(body: dict[str, Any], max_length: int) -> dict[str, Any]:
    """Validate an edit body: ``account_id`` plus any job field to change."""
    _check_fields(body, _EDIT_FIELDS, ("account_id",))
    _string(body, "account_id", max_length)
    _job_fields(body, max_length)
    if "recruiter" in body:
        _edit_recruiter(body["recruiter"], max_length)
    return body


def validate_close(body: dict[str, Any], max_length: int) -> tuple[str | None, str | None]:
    """The optional close body: ``account_id`` and ``service`` (either may be in the query)."""
    _check_fields(body, frozenset({"account_id", "service"}), ())
    account_id = _string(body, "account_id", max_length) if "account_id" in body else None
    service = _enum(body, "service", SERVICES) if "service" in body else None
    return account_id, service
