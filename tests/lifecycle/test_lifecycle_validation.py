"""Every bad argument is refused before anything is sent, naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from postpress_async import (
    ExternalApply,
    InvalidRequestError,
    LinkedInApply,
    MultipleChoiceQuestion,
    NumericQuestion,
    Recruiter,
    RecruiterEdit,
)
from postpress_async.testing import MockResponse

from .lifecycle_support import ACCOUNT_ID, JOB_ID

CREATE: dict[str, Any] = {
    "account_id": ACCOUNT_ID, "job_title": "Engineer", "company": "Acme",
    "workplace": "HYBRID", "location": "106967730", "description": "<p>x</p>",
}
RECRUITER: dict[str, Any] = {
    "project_id": "p1", "functions": ["eng"], "industries": ["4"], "seniority": "DIRECTOR",
    "apply_method": ExternalApply("https://acme.example/apply"),
}


@pytest.fixture
def client(mock_client):
    client, transport = mock_client(lambda request: MockResponse(500))
    yield client
    assert transport.requests == []  # nothing was ever sent


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"account_id": ""}, "account_id"),
        ({"account_id": None}, "account_id"),
        ({"job_title": ""}, "job_title"),
        ({"company": 12}, "company"),
        ({"workplace": "OFFICE"}, "workplace"),
        ({"location": "Berlin"}, "location"),
        ({"location": "12a"}, "location"),
        ({"description": ""}, "description"),
        ({"employment_status": "GIG"}, "employment_status"),
        ({"auto_rejection_template": ""}, "auto_rejection_template"),
        ({"screening_questions": "Years?"}, "screening_questions"),
        ({"screening_questions": [{"question": "Years?"}]}, "screening_questions[0]"),
        ({"recruiter": {"project_id": "p"}}, "recruiter"),
        ({"apply_method": "https://acme.example"}, "apply_method"),
    ],
)
async def test_create_names_the_bad_field(client, change, field):
    with pytest.raises(InvalidRequestError) as caught:
        await client.jobs.create(**{**CREATE, **change})
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: NumericQuestion(""), "screening_questions[].question"),
        (lambda: NumericQuestion("q", min_expectation="3"),
         "screening_questions[].min_expectation"),
        (lambda: NumericQuestion("q", max_expectation=float("nan")),
         "screening_questions[].max_expectation"),
        (lambda: NumericQuestion("q", min_expectation=5, max_expectation=2),
         "screening_questions[].min_expectation"),
        (lambda: NumericQuestion("q", must_match="yes"), "screening_questions[].must_match"),
        (lambda: NumericQuestion("q", position=-1), "screening_questions[].position"),
        (lambda: MultipleChoiceQuestion("q", choices=[], expected_choices=["a"]),
         "screening_questions[].choices"),
        (lambda: MultipleChoiceQuestion("q", choices="ab", expected_choices=["a"]),
         "screening_questions[].choices"),
        (lambda: MultipleChoiceQuestion("q", choices=["a"], expected_choices=["b"]),
         "screening_questions[].expected_choices"),
        (lambda: LinkedInApply("not-an-address", resume_required=True),
         "apply_method.notification_email"),
        (lambda: LinkedInApply("a@b.example", resume_required="yes"),
         "apply_method.resume_required"),
        (lambda: ExternalApply("ftp://acme.example"), "apply_method.url"),
        (lambda: Recruiter(**{**RECRUITER, "functions": []}), "recruiter.functions"),
        (lambda: Recruiter(**{**RECRUITER, "functions": ["a", "b", "c", "d"]}),
         "recruiter.functions"),
        (lambda: Recruiter(**{**RECRUITER, "functions": ["Engineering"]}),
         "recruiter.functions[0]"),
        (lambda: Recruiter(**{**RECRUITER, "industries": ["tech"]}), "recruiter.industries[0]"),
        (lambda: Recruiter(**{**RECRUITER, "seniority": "JUNIOR"}), "recruiter.seniority"),
        (lambda: Recruiter(**{**RECRUITER, "apply_method": None}), "recruiter.apply_method"),
        (lambda: Recruiter(**{**RECRUITER, "project_name": "also"}), "recruiter.project"),
        (lambda: Recruiter(**{**RECRUITER, "project_id": None}), "recruiter.project"),
        (lambda: Recruiter(**{**RECRUITER, "skills": ["s"] * 11}), "recruiter.skills"),
        (lambda: RecruiterEdit(""), "recruiter.project_id"),
        (lambda: RecruiterEdit("p", industries=["1", "2", "3", "4"]), "recruiter.industries"),
    ],
)
def test_nested_request_parts_name_the_bad_field(build, field):
    with pytest.raises(InvalidRequestError) as caught:
        build()
    assert caught.value.field == field


async def test_an_edit_must_change_something(client):
    with pytest.raises(InvalidRequestError) as caught:
        await client.jobs.edit(JOB_ID, account_id=ACCOUNT_ID)
    assert caught.value.field == "job"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.jobs.edit("", account_id=ACCOUNT_ID, description="x"), "job_id"),
        (lambda c: c.jobs.edit(JOB_ID, account_id=ACCOUNT_ID, location="Paris"), "location"),
        (lambda c: c.jobs.get(JOB_ID, account_id=ACCOUNT_ID, service="SALES"), "service"),
        (lambda c: c.jobs.get("..", account_id=ACCOUNT_ID), "job_id"),
        (lambda c: c.jobs.get(JOB_ID, account_id=""), "account_id"),
        (lambda c: c.jobs.close("", account_id=ACCOUNT_ID), "job_id"),
        (lambda c: c.jobs.close(JOB_ID, account_id=ACCOUNT_ID, idempotency_key=""),
         "idempotency_key"),
        (lambda c: c.jobs.wait_for_state(JOB_ID, account_id=ACCOUNT_ID, state="live"), "state"),
        (lambda c: c.jobs.wait_for_state(JOB_ID, account_id=ACCOUNT_ID, timeout=0), "timeout"),
        (lambda c: c.jobs.wait_for_state(JOB_ID, account_id=ACCOUNT_ID, poll_interval=-1),
         "poll_interval"),
        (lambda c: c.jobs.wait_for_state(JOB_ID, account_id=ACCOUNT_ID, max_interval=True),
         "max_interval"),
        (lambda c: c.applicants.get("", account_id=ACCOUNT_ID), "applicant_id"),
        (lambda c: c.applicants.download_resume("a1", account_id=ACCOUNT_ID, to=42), "to"),
        (lambda c: c.applicants.download_resume("a1", account_id=ACCOUNT_ID, to="x",
                                                max_bytes=0), "max_bytes"),
        (lambda c: c.applicants.download_resume("a1", account_id=ACCOUNT_ID, to="/nope/x.pdf"),
         "to"),
        (lambda c: c.accounts.get(""), "account_id"),
        (lambda c: c.jobs.publish(JOB_ID, account_id=ACCOUNT_ID, mode="FREE",
                                  idempotency_key="a b"), "idempotency_key"),
        (lambda c: c.jobs.solve_checkpoint(JOB_ID, account_id=ACCOUNT_ID, input="1",
                                           idempotency_key=""), "idempotency_key"),
    ],
)
async def test_calls_name_the_bad_argument(client, call, field):
    with pytest.raises(InvalidRequestError) as caught:
        await call(client)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.jobs.list(account_id=ACCOUNT_ID, limit=0), "limit"),
        (lambda c: c.jobs.list(account_id=ACCOUNT_ID, limit=251), "limit"),
        (lambda c: c.jobs.list(account_id=ACCOUNT_ID, limit=True), "limit"),
        (lambda c: c.jobs.list(account_id=ACCOUNT_ID, category="review"), "category"),
        (lambda c: c.jobs.list(account_id=""), "account_id"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, limit=251), "limit"),
        (lambda c: c.applicants.list("", account_id=ACCOUNT_ID), "job_id"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, ratings=["GREAT"]),
         "ratings"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, ratings="GOOD_FIT"),
         "ratings"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, ratings=[]), "ratings"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, sort_by="oldest"),
         "sort_by"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, keywords=" "), "keywords"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, service="SALES"), "service"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, min_years_in_company=-1),
         "min_years_in_company"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, min_years_of_experience=5,
                                     max_years_of_experience=2), "min_years_of_experience"),
        (lambda c: c.applicants.list(JOB_ID, account_id=ACCOUNT_ID, include_degree="BSc"),
         "include_degree"),
        (lambda c: c.search.parameters("LOCATION", account_id=ACCOUNT_ID, limit=101), "limit"),
        (lambda c: c.search.parameters("location", account_id=ACCOUNT_ID), "type"),
        (lambda c: c.search.parameters(3, account_id=ACCOUNT_ID), "type"),
        (lambda c: c.search.parameters("EMPLOYMENT_TYPE", account_id=ACCOUNT_ID,
                                       keywords="full"), "keywords"),
        (lambda c: c.search.parameters("LOCATION", account_id=ACCOUNT_ID, service="PREMIUM"),
         "service"),
        (lambda c: c.accounts.list(limit=1000), "limit"),
    ],
)
def test_list_methods_check_their_arguments_when_called(client, call, field):
    # Before any iteration: the pager is never built.
    with pytest.raises(InvalidRequestError) as caught:
        call(client)
    assert caught.value.field == field
