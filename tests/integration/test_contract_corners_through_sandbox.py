"""The corners of the contract, SDK through the sandbox: Recruiter jobs and their filters,
promoted budgets from the create answer, résumés that are missing or too large.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from postpress_async import (
    AsyncPostpress,
    DailyBudget,
    ExternalApply,
    IdOrText,
    JobState,
    LinkedInApply,
    MultipleChoiceQuestion,
    NotFoundError,
    Recruiter,
    RecruiterEdit,
    UnexpectedResponseError,
    UnprocessableEntityError,
)
from postpress_async.sandbox import Sandbox

ACCOUNT = "acc_1"
Connect = Callable[..., Awaitable[tuple[Sandbox, AsyncPostpress]]]


def _file_names(folder: Path) -> list[str]:
    """What a download left in ``folder`` (a partial file would show here)."""
    return sorted(path.name for path in folder.iterdir())


async def _live_recruiter_job(client: AsyncPostpress) -> str:
    draft = await client.jobs.create(
        account_id=ACCOUNT, job_title=IdOrText(id="30128"), company=IdOrText(text="Acme"),
        workplace="ON_SITE", location="106967730", description="<p>Hiring.</p>",
        screening_questions=[MultipleChoiceQuestion(
            "Do you speak German?", choices=["yes", "no"], expected_choices=["yes"])],
        recruiter=Recruiter(
            project_name="Backend 2026", functions=["eng"], industries=["4"],
            seniority="MID_SENIOR_LEVEL",
            apply_method=LinkedInApply("jobs@acme.example", resume_required=True),
        ),
    )
    assert draft.project_id
    await client.jobs.edit(
        draft.job_id, account_id=ACCOUNT,
        recruiter=RecruiterEdit(draft.project_id, skills=["12345"]),
        apply_method=ExternalApply("https://acme.example/jobs/1"),
    )
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="PROMOTED",
                              service="RECRUITER")
    await client.jobs.wait_for_state(
        draft.job_id, account_id=ACCOUNT, service="RECRUITER", poll_interval=0.01)
    return draft.job_id


async def test_a_recruiter_job_lives_and_closes_through_its_own_service(
    connect: Connect,
) -> None:
    _, client = await connect(review_delay=0, applicants=6)
    job_id = await _live_recruiter_job(client)

    job = await client.jobs.get(job_id, account_id=ACCOUNT, service="RECRUITER")
    assert job.state is JobState.ACTIVE
    with pytest.raises(NotFoundError):  # read through the wrong service
        await client.jobs.get(job_id, account_id=ACCOUNT)

    await client.jobs.close(job_id, account_id=ACCOUNT, service="RECRUITER")
    job = await client.jobs.get(job_id, account_id=ACCOUNT, service="RECRUITER")
    assert job.state is JobState.CLOSED


async def test_recruiter_filters_reach_the_sandbox_as_the_contract_encodes_them(
    connect: Connect,
) -> None:
    _, client = await connect(review_delay=0, applicants=12)
    job_id = await _live_recruiter_job(client)
    everyone = await client.applicants.list(
        job_id, account_id=ACCOUNT, service="RECRUITER").to_list()

    by_name = await client.applicants.list(
        job_id, account_id=ACCOUNT, service="RECRUITER", sort_by="alphabetical",
        limit=5).to_list()
    narrowed = await client.applicants.list(
        job_id, account_id=ACCOUNT, service="RECRUITER", min_years_of_experience=0,
        max_years_of_experience=60, min_years_in_company=0, max_years_in_position=60,
        include_degree=["a", "e"], exclude_degree=["zzz-no-such-degree"], limit=3,
    ).to_list()

    assert [a.name for a in by_name] == sorted(a.name for a in everyone)
    assert all(a in everyone for a in narrowed)


async def test_get_applicant_of_a_recruiter_job_is_refused(connect: Connect) -> None:
    # get-applicant is documented for Classic postings only.
    _, client = await connect(review_delay=0, applicants=2)
    job_id = await _live_recruiter_job(client)
    [first, *_] = await client.applicants.list(
        job_id, account_id=ACCOUNT, service="RECRUITER").to_list()

    with pytest.raises(UnprocessableEntityError):
        await client.applicants.get(first.id, account_id=ACCOUNT)
    resume = await client.applicants.download_resume(
        first.id, account_id=ACCOUNT, service="RECRUITER", to=io.BytesIO())
    assert resume.getvalue().startswith(b"%PDF-")


async def test_a_promoted_publish_within_the_offered_budget_costs_that_budget(
    connect: Connect,
) -> None:
    sandbox, client = await connect(review_delay=0)
    draft = await client.jobs.create(
        account_id=ACCOUNT, job_title="Data Engineer", company="Acme", workplace="REMOTE",
        location="106967730", description="<p>x</p>",
    )
    daily = draft.publish_options.promoted.daily_budget
    currency = draft.publish_options.promoted.currency

    await client.jobs.publish(
        draft.job_id, account_id=ACCOUNT, mode="PROMOTED",
        budget=DailyBudget(currency=currency, amount=daily.recommended),
    )

    job = await client.jobs.wait_for_state(draft.job_id, account_id=ACCOUNT, poll_interval=0.01)
    assert job.cost == daily.recommended
    assert sandbox.ledger.entries[0].budget == {
        "daily": {"currency": currency, "amount": daily.recommended}}


async def _live_job(client: AsyncPostpress) -> str:
    draft = await client.jobs.create(
        account_id=ACCOUNT, job_title="Data Engineer", company="Acme", workplace="REMOTE",
        location="106967730", description="<p>x</p>",
    )
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")
    await client.jobs.wait_for_state(draft.job_id, account_id=ACCOUNT, poll_interval=0.01)
    return draft.job_id


async def test_a_missing_resume_is_not_found_and_leaves_no_file(
    connect: Connect, tmp_path: Path
) -> None:
    _, client = await connect(review_delay=0, applicants=3, resume_fraction=0.0)
    job_id = await _live_job(client)
    [applicant, *_] = await client.applicants.list(job_id, account_id=ACCOUNT).to_list()

    with pytest.raises(NotFoundError):
        await client.applicants.download_resume(
            applicant.id, account_id=ACCOUNT, to=tmp_path / "cv.pdf")

    assert _file_names(tmp_path) == []


async def test_a_resume_over_max_bytes_leaves_no_file_and_keeps_an_older_one(
    connect: Connect, tmp_path: Path
) -> None:
    _, client = await connect(
        review_delay=0, applicants=1, resume_fraction=1.0, resume_size=256 * 1024)
    job_id = await _live_job(client)
    [applicant] = await client.applicants.list(job_id, account_id=ACCOUNT).to_list()
    target = tmp_path / "cv.pdf"
    target.write_bytes(b"the older file")

    with pytest.raises(UnexpectedResponseError):
        await client.applicants.download_resume(
            applicant.id, account_id=ACCOUNT, to=target, max_bytes=64 * 1024)

    assert target.read_bytes() == b"the older file"
    assert _file_names(tmp_path) == ["cv.pdf"]
    whole = await client.applicants.download_resume(applicant.id, account_id=ACCOUNT, to=target)
    assert whole.stat().st_size >= 256 * 1024
    assert whole.read_bytes().startswith(b"%PDF-")
