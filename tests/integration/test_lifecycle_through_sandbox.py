"""The whole life of a job posting, the SDK through the sandbox over real sockets.

search parameters → create → edit → publish → wait for "active" → get → list every page
→ applicants (filtered) → one applicant → résumé → close. The sandbox reads the contract
with its own code, so each step passing means both sides read the contract alike.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from postpress_async import (
    Applicant,
    ApplicantRating,
    AsyncPostpress,
    DraftCreated,
    JobClosed,
    JobEdited,
    JobPosting,
    JobState,
    JobStateError,
    NumericQuestion,
    Published,
    SearchParameter,
)
from postpress_async.sandbox import Faults, Sandbox

ACCOUNT = "acc_1"
Connect = Callable[..., Awaitable[tuple[Sandbox, AsyncPostpress]]]


def _file_names(folder: Path) -> list[str]:
    """What a download left in ``folder`` (a partial file would show here)."""
    return sorted(path.name for path in folder.iterdir())


async def _create(client: AsyncPostpress, title: str = "Senior Python Engineer") -> DraftCreated:
    return await client.jobs.create(
        account_id=ACCOUNT, job_title=title, company="Acme GmbH", workplace="HYBRID",
        location="106967730", description="<p>We build things.</p>",
    )


async def test_the_whole_life_of_a_job_posting(connect: Connect, tmp_path: Path) -> None:
    sandbox, client = await connect(review_delay=0, applicants=6, resume_fraction=1.0)

    berlin = [p async for p in client.search.parameters(
        "LOCATION", keywords="Berlin", account_id=ACCOUNT)]
    titles = [p async for p in client.search.parameters(
        "JOB_TITLE", keywords="python engineer", account_id=ACCOUNT)]
    assert [p.title for p in berlin] == ["Berlin, Germany"]
    assert all(isinstance(p, SearchParameter) for p in berlin + titles)

    draft = await client.jobs.create(
        account_id=ACCOUNT, job_title=titles[0], company="Acme GmbH", workplace="HYBRID",
        location=berlin[0], description="<p>We build things.</p>",
        employment_status="FULL_TIME",
        screening_questions=[NumericQuestion("Years of Python?", min_expectation=3)],
    )
    assert isinstance(draft, DraftCreated)
    assert draft.publish_options.free.eligible is True
    promoted = draft.publish_options.promoted
    assert promoted.daily_budget.min <= promoted.daily_budget.recommended
    assert (await client.jobs.get(draft.job_id, account_id=ACCOUNT)).state is JobState.DRAFT

    edited = await client.jobs.edit(
        draft.job_id, account_id=ACCOUNT, description="<p>We build better things.</p>")
    assert edited == JobEdited(job_id=draft.job_id)

    published = await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")
    assert isinstance(published, Published)
    assert published.job_state is JobState.REVIEW

    live = await client.jobs.wait_for_state(
        draft.job_id, account_id=ACCOUNT, state="active", timeout=30, poll_interval=0.01)
    assert live.state is JobState.ACTIVE

    job = await client.jobs.get(draft.job_id, account_id=ACCOUNT)
    assert isinstance(job, JobPosting)
    assert job.id == draft.job_id
    assert job.title == titles[0].title
    assert job.description == "<p>We build better things.</p>"
    assert job.location == "Berlin, Germany"
    assert job.applicants_counter == 6

    listed = [posting.id async for posting in client.jobs.list(
        account_id=ACCOUNT, category="active")]
    assert listed == [draft.job_id]

    applicants = [a async for a in client.applicants.list(
        draft.job_id, account_id=ACCOUNT, limit=2)]
    assert len(applicants) == 6
    assert len({a.id for a in applicants}) == 6
    good = [a async for a in client.applicants.list(
        draft.job_id, account_id=ACCOUNT, ratings=["GOOD_FIT", ApplicantRating.MAYBE])]
    assert good == [a for a in applicants if a.rating in ("GOOD_FIT", "MAYBE")]

    one = await client.applicants.get(applicants[0].id, account_id=ACCOUNT)
    assert isinstance(one, Applicant)
    assert (one.id, one.name) == (applicants[0].id, applicants[0].name)

    saved = await client.applicants.download_resume(
        one.id, account_id=ACCOUNT, to=tmp_path / "cv.pdf")
    assert saved == tmp_path / "cv.pdf"
    assert saved.read_bytes().startswith(b"%PDF-")
    buffer = io.BytesIO()
    assert await client.applicants.download_resume(
        one.id, account_id=ACCOUNT, to=buffer) is buffer
    assert buffer.getvalue() == saved.read_bytes()
    assert _file_names(tmp_path) == ["cv.pdf"]  # no partial file left

    closed = await client.jobs.close(draft.job_id, account_id=ACCOUNT)
    assert closed == JobClosed(job_id=draft.job_id)
    assert (await client.jobs.get(draft.job_id, account_id=ACCOUNT)).state is JobState.CLOSED
    with pytest.raises(JobStateError) as caught:
        await client.jobs.wait_for_state(
            draft.job_id, account_id=ACCOUNT, state="active", timeout=30, poll_interval=0.01)
    assert caught.value.state == "closed"

    assert sandbox.ledger.duplicate_creations() == []
    assert sandbox.ledger.published_count(draft.job_id) == 1


async def test_a_published_job_waits_through_review_until_active(connect: Connect) -> None:
    sandbox, client = await connect(review_delay=0.2)
    draft = await _create(client)
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")

    job = await client.jobs.wait_for_state(
        draft.job_id, account_id=ACCOUNT, state="active", timeout=30, poll_interval=0.05)

    assert job.state is JobState.ACTIVE
    assert sandbox.stats.endpoint_counts["get_job"] >= 1


async def test_jobs_list_walks_every_page_of_a_category(connect: Connect) -> None:
    _, client = await connect(review_delay=0)
    created = [(await _create(client, f"Engineer {n}")).job_id for n in range(7)]

    pages = [page async for page in client.jobs.list(
        account_id=ACCOUNT, category="draft", limit=3).pages()]

    assert [len(page.items) for page in pages] == [3, 3, 1]
    assert [page.cursor is None for page in pages] == [False, False, True]
    assert {page.total_count for page in pages} == {7}
    walked = [job.id for page in pages for job in page.items]
    assert sorted(walked) == sorted(created)
    assert all(job.state is JobState.DRAFT for page in pages for job in page.items)


async def test_jobs_created_while_walking_the_list_are_neither_repeated_nor_skipped(
    connect: Connect,
) -> None:
    _, client = await connect(review_delay=0)
    before = [(await _create(client, f"Engineer {n}")).job_id for n in range(6)]

    walked: list[str] = []
    added: list[str] = []
    async for job in client.jobs.list(account_id=ACCOUNT, category="draft", limit=2):
        walked.append(job.id)
        added.append((await _create(client, f"Added {len(added)}")).job_id)

    assert sorted(walked) == sorted(before)
    assert len(walked) == len(set(walked))
    every = [job.id async for job in client.jobs.list(account_id=ACCOUNT, category="draft")]
    assert sorted(every) == sorted(before + added)


async def test_list_categories_follow_the_job_through_its_life(connect: Connect) -> None:
    _, client = await connect(review_delay=0)
    draft = await _create(client)

    async def ids(category: str) -> list[str]:
        return [job.id async for job in client.jobs.list(account_id=ACCOUNT, category=category)]

    assert await ids("draft") == [draft.job_id]
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")
    assert (await ids("draft"), await ids("active")) == ([], [draft.job_id])
    await client.jobs.close(draft.job_id, account_id=ACCOUNT)
    assert (await ids("active"), await ids("closed")) == ([], [draft.job_id])


async def test_applicants_pages_carry_the_total_count(connect: Connect) -> None:
    _, client = await connect(review_delay=0, applicants=5)
    draft = await _create(client)
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")
    await client.jobs.wait_for_state(draft.job_id, account_id=ACCOUNT, poll_interval=0.01)

    pages = [page async for page in client.applicants.list(
        draft.job_id, account_id=ACCOUNT, limit=2).pages()]

    assert [len(page.items) for page in pages] == [2, 2, 1]
    assert {page.total_count for page in pages} == {5}


async def test_applicants_filtered_by_keywords_match_the_sandbox(connect: Connect) -> None:
    _, client = await connect(review_delay=0, applicants=8)
    draft = await _create(client)
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")
    await client.jobs.wait_for_state(draft.job_id, account_id=ACCOUNT, poll_interval=0.01)
    everyone = await client.applicants.list(draft.job_id, account_id=ACCOUNT).to_list()
    name = everyone[-1].name.split()[0]

    found = await client.applicants.list(
        draft.job_id, account_id=ACCOUNT, keywords=name, limit=1).to_list()

    assert everyone[-1] in found
    assert all(a in everyone for a in found)


async def test_a_job_still_in_review_has_no_applicants_yet(connect: Connect) -> None:
    _, client = await connect(review_delay=3600)
    draft = await _create(client)
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")

    assert await client.applicants.list(draft.job_id, account_id=ACCOUNT).to_list() == []
    assert (await client.jobs.get(draft.job_id, account_id=ACCOUNT)).state is JobState.REVIEW


async def test_reads_retried_through_transient_faults_walk_every_item_once(
    connect: Connect,
) -> None:
    # Every id's first two reads answer 503/504/500 provider_error: the retry policy
    # absorbs them, page by page, and the walk neither repeats nor skips an applicant.
    faults = Faults(
        service_unavailable=0.4, request_timeout=0.3, provider_error=0.3, first_attempts=2,
        endpoints=frozenset({"get_job", "list_jobs", "list_applicants", "get_applicant"}),
    )
    sandbox, client = await connect(review_delay=0, applicants=9, faults=faults, seed=3)
    draft = await _create(client)
    await client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE")

    job = await client.jobs.wait_for_state(draft.job_id, account_id=ACCOUNT, poll_interval=0.01)
    applicants = await client.applicants.list(draft.job_id, account_id=ACCOUNT, limit=4).to_list()
    listed = await client.jobs.list(account_id=ACCOUNT, limit=1).to_list()

    assert job.state is JobState.ACTIVE
    assert len({a.id for a in applicants}) == len(applicants) == 9
    assert [j.id for j in listed] == [draft.job_id]
    assert sum(n for status, n in sandbox.stats.status_counts.items() if status >= 500) > 0
