"""Create and edit bodies are checked against the contract pages, field by field."""

from __future__ import annotations

import pytest

RECRUITER = {
    "project": {"name": "Backend hiring"},
    "functions": ["eng"],
    "industries": ["4"],
    "seniority": "MID_SENIOR_LEVEL",
    "apply_method": {
        "type": "linkedin",
        "notification_email": "hr@acme.test",
        "resume_required": True,
    },
}

NUMERIC = {"question": "Years of Python?", "answer_type": "numeric", "min_expectation": 3}
CHOICES = {
    "question": "Work permit?",
    "answer_type": "multiple_choices",
    "choices": ["yes", "no"],
    "expected_choices": ["yes"],
    "must_match": True,
}


def without(body, name):
    return {k: v for k, v in body.items() if k != name}


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"job_title": {"id": "30128"}, "company": {"text": "Acme"}},
        {"employment_status": "INTERNSHIP"},
        {"screening_questions": [NUMERIC, CHOICES]},
        {"screening_questions": []},
        {"auto_rejection_template": "Thanks, but no."},
        {"recruiter": RECRUITER},
        {"recruiter": RECRUITER | {"skills": ["1268"] * 10, "functions": ["eng", "it", "prdm"]}},
        {"apply_method": {"type": "external", "url": "https://acme.test/jobs/1"}},
        {"description": "<p>" + "x" * 20_000 + "</p>"},
    ],
)
async def test_valid_create_bodies_are_accepted(raw, fields):
    status, payload, _ = await raw.create(raw.job_body(**fields))
    assert status == 200, payload


async def test_a_recruiter_create_answers_a_project_id(raw):
    _, payload, _ = await raw.create(raw.job_body(recruiter=RECRUITER))
    assert payload["project_id"]


@pytest.mark.parametrize(
    "missing", ["account_id", "job_title", "company", "workplace", "location", "description"]
)
async def test_each_required_create_field_is_named_when_missing(raw, missing):
    status, error, _ = await raw.create(without(raw.job_body(), missing))
    assert (status, error["type"]) == (400, "errors/missing_parameters")
    assert missing in error["detail"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"workplace": "OFFICE"}, "workplace"),
        ({"workplace": "hybrid"}, "workplace"),
        ({"employment_status": "FULLTIME"}, "employment_status"),
        ({"location": "Berlin"}, "location"),
        ({"location": 106967730}, "location"),
        ({"location": "-1"}, "location"),
        ({"job_title": {"id": "abc"}}, "job_title.id"),
        ({"job_title": {"id": "1", "text": "x"}}, "job_title"),
        ({"job_title": {}}, "job_title"),
        ({"job_title": "Engineer"}, "job_title"),
        ({"company": {"text": ""}}, "company.text"),
        ({"company": {"name": "Acme"}}, "company"),
        ({"description": ""}, "description"),
        ({"description": None}, "description"),
        ({"colour": "blue"}, "colour"),
        ({"screening_questions": {}}, "screening_questions"),
        ({"screening_questions": [{"question": "?", "answer_type": "text"}]}, "answer_type"),
        ({"screening_questions": [NUMERIC | {"min_expectation": "3"}]}, "min_expectation"),
        ({"screening_questions": [NUMERIC | {"must_match": "yes"}]}, "must_match"),
        ({"screening_questions": [NUMERIC | {"choices": ["a"]}]}, "choices"),
        ({"screening_questions": [CHOICES | {"choices": "yes"}]}, "choices"),
        ({"recruiter": RECRUITER | {"functions": []}}, "recruiter.functions"),
        (
            {"recruiter": RECRUITER | {"functions": ["eng", "it", "hr", "fin"]}},
            "recruiter.functions",
        ),
        ({"recruiter": RECRUITER | {"functions": ["Eng"]}}, "recruiter.functions[0]"),
        ({"recruiter": RECRUITER | {"industries": []}}, "recruiter.industries"),
        ({"recruiter": RECRUITER | {"industries": ["1", "2", "3", "4"]}}, "recruiter.industries"),
        ({"recruiter": RECRUITER | {"industries": ["software"]}}, "recruiter.industries[0]"),
        ({"recruiter": RECRUITER | {"skills": ["1"] * 11}}, "recruiter.skills"),
        ({"recruiter": RECRUITER | {"seniority": "SENIOR"}}, "recruiter.seniority"),
        ({"recruiter": RECRUITER | {"project": {}}}, "recruiter.project"),
        ({"recruiter": RECRUITER | {"apply_method": {"type": "email"}}}, "apply_method.type"),
        (
            {
                "apply_method": {
                    "type": "linkedin",
                    "notification_email": "a@b",
                    "resume_required": 1,
                }
            },
            "resume_required",
        ),
    ],
)
async def test_invalid_create_fields_are_refused_naming_the_field(raw, fields, field):
    status, error, _ = await raw.create(raw.job_body(**fields))
    assert (status, error["type"]) == (400, "errors/invalid_parameters"), error
    assert field in error["detail"]
    assert raw.sandbox.ledger.creations == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"recruiter": without(RECRUITER, "seniority")}, "recruiter.seniority"),
        ({"recruiter": without(RECRUITER, "apply_method")}, "recruiter.apply_method"),
        ({"screening_questions": [without(NUMERIC, "question")]}, "question"),
        ({"screening_questions": [without(CHOICES, "expected_choices")]}, "expected_choices"),
        ({"apply_method": {"type": "external"}}, "apply_method.url"),
    ],
)
async def test_missing_nested_fields_are_missing_parameters(raw, fields, field):
    status, error, _ = await raw.create(raw.job_body(**fields))
    assert (status, error["type"]) == (400, "errors/missing_parameters")
    assert field in error["detail"]


async def test_an_external_apply_url_must_be_http(raw):
    status, error, _ = await raw.create(
        raw.job_body(apply_method={"type": "external", "url": "javascript:alert(1)"})
    )
    assert (status, error["type"]) == (400, "errors/invalid_url")


async def test_a_too_long_id_string_is_too_many_characters(raw):
    status, error, _ = await raw.create(raw.job_body(account_id="a" * 257))
    assert (status, error["type"]) == (400, "errors/too_many_characters")


async def test_an_edit_needs_only_the_account(raw):
    job_id = await raw.new_job()
    status, _, _ = await raw.request("PATCH", f"/linkedin/jobs/{job_id}", {"account_id": "acc_1"})
    assert status == 200


@pytest.mark.parametrize(
    ("body", "status", "type_"),
    [
        ({}, 400, "errors/missing_parameters"),
        ({"account_id": "acc_1", "workplace": "MOON"}, 400, "errors/invalid_parameters"),
        (
            {"account_id": "acc_1", "recruiter": {"functions": ["eng"]}},
            400,
            "errors/missing_parameters",
        ),
        (
            {"account_id": "acc_1", "recruiter": {"project_id": "p", "skills": []}},
            400,
            "errors/invalid_parameters",
        ),
        (
            {"account_id": "acc_1", "recruiter": {"project_id": "p", "seniority": "DIRECTOR"}},
            400,
            "errors/invalid_parameters",
        ),
        ({"account_id": "acc_1", "location": "Paris"}, 400, "errors/invalid_parameters"),
    ],
)
async def test_invalid_edits_are_refused_and_change_nothing(raw, body, status, type_):
    job_id = await raw.new_job()
    answer, error, _ = await raw.request("PATCH", f"/linkedin/jobs/{job_id}", body)
    assert (answer, error["type"]) == (status, type_)
    assert raw.sandbox.job(job_id)["edits"] == 0


async def test_a_recruiter_edit_keeps_the_fields_not_sent(raw):
    job_id = await raw.new_job(recruiter=RECRUITER)
    await raw.request(
        "PATCH",
        f"/linkedin/jobs/{job_id}",
        {"account_id": "acc_1", "recruiter": {"project_id": "p1", "skills": ["1268"]}},
    )
    _, job, _ = await raw.get_job(job_id)
    assert (job["skills"], job["functions"], job["seniority"]) == (
        ["1268"],
        ["eng"],
        "MID_SENIOR_LEVEL",
    )


async def test_editing_an_unknown_job_is_404(raw):
    status, error, _ = await raw.request("PATCH", "/linkedin/jobs/42", {"account_id": "acc_1"})
    assert (status, error["type"]) == (404, "errors/resource_not_found")
