"""jobs.create / edit / get / close and idempotency keys, at the HTTP level (MockTransport)."""

from __future__ import annotations

import re

import pytest

from postpress_async import (
    DraftCreated,
    EmploymentStatus,
    ExternalApply,
    GatewayTimeoutError,
    InvalidRequestError,
    JobClosed,
    JobEdited,
    JobPosting,
    JobState,
    LinkedInApply,
    MultipleChoiceQuestion,
    NumericQuestion,
    Recruiter,
    RecruiterEdit,
    SearchParameter,
    Workplace,
)
from postpress_async.testing import MockResponse

from .lifecycle_support import ACCOUNT_ID, DRAFT_CREATED, JOB_ID, Routes, job, path, query

CREATE = {
    "account_id": ACCOUNT_ID, "job_title": "Senior Python Engineer", "company": "Acme GmbH",
    "workplace": "HYBRID", "location": "106967730", "description": "<p>We build</p>",
}


def _created(request: object) -> MockResponse:
    return MockResponse(200, json=DRAFT_CREATED)


async def test_create_sends_the_documented_body_and_reads_the_publish_options(mock_client):
    client, transport = mock_client(Routes().add("POST", "/linkedin/jobs", _created))
    draft = await client.jobs.create(
        **{**CREATE, "employment_status": EmploymentStatus.FULL_TIME},
        screening_questions=[
            NumericQuestion("Years of Python?", min_expectation=3, must_match=True),
            MultipleChoiceQuestion("German?", choices=["yes", "no"], expected_choices=["yes"]),
        ],
    )
    assert isinstance(draft, DraftCreated)
    assert draft.job_id == JOB_ID
    assert draft.publish_options.free.eligible is True
    assert draft.publish_options.promoted.daily_budget.min == 5
    assert draft.publish_options.promoted.monthly_budget.recommended == 750.5
    assert draft.publish_options.promoted.daily_budget.contains(25)
    (request,) = transport.requests
    assert request.method == "POST"
    assert path(request) == "/linkedin/jobs"
    assert request.json() == {
        "account_id": ACCOUNT_ID,
        "job_title": {"text": "Senior Python Engineer"},
        "company": {"text": "Acme GmbH"},
        "workplace": "HYBRID",
        "location": "106967730",
        "description": "<p>We build</p>",
        "employment_status": "FULL_TIME",
        "screening_questions": [
            {"question": "Years of Python?", "answer_type": "numeric", "min_expectation": 3,
             "must_match": True},
            {"question": "German?", "answer_type": "multiple_choices", "choices": ["yes", "no"],
             "expected_choices": ["yes"]},
        ],
    }


async def test_create_takes_ids_from_search_parameters_and_digit_strings(mock_client):
    client, transport = mock_client(Routes().add("POST", "/linkedin/jobs", _created))
    berlin = SearchParameter(id="106967730", title="Berlin, Germany")
    await client.jobs.create(**{
        **CREATE, "job_title": SearchParameter(id="25170", title="Python Engineer"),
        "company": "1035", "location": berlin, "workplace": Workplace.REMOTE,
    })
    body = transport.requests[0].json()
    assert body["job_title"] == {"id": "25170"}
    assert body["company"] == {"id": "1035"}
    assert body["location"] == "106967730"
    assert body["workplace"] == "REMOTE"


async def test_create_sends_the_recruiter_block_with_its_project_and_apply_method(mock_client):
    client, transport = mock_client(Routes().add("POST", "/linkedin/jobs", _created))
    await client.jobs.create(**CREATE, recruiter=Recruiter(
        project_name="Backend 2027", functions=["eng"], industries=["4"],
        seniority="MID_SENIOR_LEVEL",
        apply_method=LinkedInApply("jobs@acme.example", resume_required=True),
    ), apply_method=ExternalApply("https://acme.example/apply"))
    body = transport.requests[0].json()
    assert body["recruiter"] == {
        "project": {"name": "Backend 2027"}, "functions": ["eng"], "industries": ["4"],
        "seniority": "MID_SENIOR_LEVEL",
        "apply_method": {"type": "linkedin", "notification_email": "jobs@acme.example",
                         "resume_required": True},
    }
    assert body["apply_method"] == {"type": "external", "url": "https://acme.example/apply"}


async def test_every_post_and_patch_carries_a_fresh_random_idempotency_key(mock_client):
    routes = (Routes().add("POST", "/linkedin/jobs", _created)
              .add("PATCH", f"/linkedin/jobs/{JOB_ID}",
                   {"object": "LinkedinJobPostingEdited", "job_id": JOB_ID})
              .add("POST", f"/linkedin/jobs/{JOB_ID}/close",
                   {"object": "LinkedinJobPostingClosed", "job_id": JOB_ID}))
    client, transport = mock_client(routes)
    await client.jobs.create(**CREATE)
    await client.jobs.create(**CREATE)
    await client.jobs.edit(JOB_ID, account_id=ACCOUNT_ID, description="new")
    await client.jobs.close(JOB_ID, account_id=ACCOUNT_ID)
    keys = [request.headers["Idempotency-Key"] for request in transport.requests]
    assert len(set(keys)) == 4
    # 128 random bits as hex (what os.urandom(16).hex() gives; as unique as a UUID4).
    assert all(re.fullmatch(r"[0-9a-f]{32}", key) for key in keys)


async def test_the_retries_of_one_create_reuse_its_key(mock_client):
    answers = iter([MockResponse(504), MockResponse(503), MockResponse(200, json=DRAFT_CREATED)])
    client, transport = mock_client(lambda request: next(answers))
    await client.jobs.create(**CREATE)
    keys = {request.headers["Idempotency-Key"] for request in transport.requests}
    assert len(transport.requests) == 3
    assert len(keys) == 1


async def test_a_given_idempotency_key_is_sent_on_every_attempt(mock_client):
    answers = iter([MockResponse(504), MockResponse(200, json=DRAFT_CREATED)])
    client, transport = mock_client(lambda request: next(answers))
    await client.jobs.create(**CREATE, idempotency_key="req-42-create")
    assert [r.headers["Idempotency-Key"] for r in transport.requests] == ["req-42-create"] * 2


@pytest.mark.parametrize("method", ["publish", "solve_checkpoint"])
async def test_publish_and_checkpoint_accept_an_idempotency_key(mock_client, method):
    published = {"object": "LinkedinJobPostingPublished", "job_id": JOB_ID, "job_state": "review"}
    client, transport = mock_client(lambda request: MockResponse(200, json=published))
    extra = {"mode": "FREE"} if method == "publish" else {"input": "123456"}
    await getattr(client.jobs, method)(
        JOB_ID, account_id=ACCOUNT_ID, idempotency_key="ats-req-7", **extra
    )
    assert transport.requests[0].headers["Idempotency-Key"] == "ats-req-7"


@pytest.mark.parametrize("key", ["", "has space", "new\nline", "é", 42, "x" * 256])
async def test_a_bad_idempotency_key_is_refused_before_sending(mock_client, key):
    client, transport = mock_client(_created)
    with pytest.raises(InvalidRequestError) as caught:
        await client.jobs.create(**CREATE, idempotency_key=key)
    assert caught.value.field == "idempotency_key"
    assert transport.requests == []


async def test_a_create_that_keeps_failing_raises_the_last_error_with_one_key(mock_client):
    client, transport = mock_client(lambda request: MockResponse(504))
    with pytest.raises(GatewayTimeoutError):
        await client.jobs.create(**CREATE)
    assert len({r.headers["Idempotency-Key"] for r in transport.requests}) == 1


async def test_edit_patches_only_the_fields_given(mock_client):
    edited = {"object": "LinkedinJobPostingEdited", "job_id": JOB_ID}
    client, transport = mock_client(Routes().add("PATCH", f"/linkedin/jobs/{JOB_ID}", edited))
    result = await client.jobs.edit(
        JOB_ID, account_id=ACCOUNT_ID, description="<p>v2</p>", job_title="25170",
        recruiter=RecruiterEdit("proj_9", skills=["python"]),
    )
    assert result == JobEdited(job_id=JOB_ID)
    assert transport.requests[0].json() == {
        "account_id": ACCOUNT_ID, "job_title": {"id": "25170"}, "description": "<p>v2</p>",
        "recruiter": {"project_id": "proj_9", "skills": ["python"]},
    }


async def test_get_sends_account_and_the_required_service(mock_client):
    client, transport = mock_client(Routes().add("GET", f"/linkedin/jobs/{JOB_ID}", job()))
    posting = await client.jobs.get(JOB_ID, account_id=ACCOUNT_ID)
    assert isinstance(posting, JobPosting)
    assert posting.state is JobState.ACTIVE
    assert posting.applicants_counter == 3
    assert query(transport.requests[0]) == [("account_id", ACCOUNT_ID), ("service", "CLASSIC")]
    assert "Idempotency-Key" not in transport.requests[0].headers


async def test_get_percent_encodes_the_job_id(mock_client):
    client, transport = mock_client(lambda request: MockResponse(200, json=job()))
    await client.jobs.get("a/b?c", account_id=ACCOUNT_ID, service="RECRUITER")
    assert path(transport.requests[0]) == "/linkedin/jobs/a%2Fb%3Fc"
    assert ("service", "RECRUITER") in query(transport.requests[0])


async def test_close_posts_the_account_in_the_body(mock_client):
    closed = {"object": "LinkedinJobPostingClosed", "job_id": JOB_ID}
    client, transport = mock_client(Routes().add("POST", f"/linkedin/jobs/{JOB_ID}/close", closed))
    assert await client.jobs.close(JOB_ID, account_id=ACCOUNT_ID, service="CLASSIC") == JobClosed(
        job_id=JOB_ID
    )
    assert transport.requests[0].json() == {"account_id": ACCOUNT_ID, "service": "CLASSIC"}


async def test_a_job_posting_is_read_leniently(mock_client):
    payload = job(
        state="archived", cost=12.5, created_at=1710000000, mystery_field={"a": 1},
        description=None, views_counter=None,
        screening_questions=[{"question": "Remote?", "favorableAnswers": ["yes"]}],
        hiring_team=[{"name": "Grace", "provider_id": None, "public_identifier": None,
                      "profile_url": "https://linkedin.com/in/grace",
                      "can_send_free_inmail": False}],
    )
    client, _ = mock_client(lambda request: MockResponse(200, json=payload))
    posting = await client.jobs.get(JOB_ID, account_id=ACCOUNT_ID)
    assert posting.state == "archived"  # unknown state kept as the raw string
    assert posting.cost == 12.5
    assert posting.created_at == 1710000000
    assert posting.description is None
    assert posting.screening_questions[0].favorable_answers == ("yes",)
    assert posting.hiring_team[0].provider_id is None
