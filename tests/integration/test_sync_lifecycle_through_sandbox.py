"""The sync facade through the sandbox: the same life of a job posting, without ``await``.

The sandbox serves on the test's event loop; the sync calls run in a worker thread
(``asyncio.to_thread``), as they would in a script, so the loop stays free to answer.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from postpress_async import (
    JobClosed,
    JobState,
    JobStateError,
    Postpress,
    Published,
    UnprocessableEntityError,
)
from postpress_async.sandbox import Faults, Sandbox

ACCOUNT = "acc_1"
MakeSandbox = Callable[..., Awaitable[Sandbox]]


def _whole_life(sandbox: Sandbox, folder: Path) -> None:
    with Postpress(api_key=sandbox.api_key, base_url=sandbox.base_url) as client:
        [berlin] = list(client.search.parameters("LOCATION", keywords="Berlin",
                                                 account_id=ACCOUNT))
        draft = client.jobs.create(
            account_id=ACCOUNT, job_title="Data Engineer", company="Acme GmbH",
            workplace="REMOTE", location=berlin, description="<p>Pipelines.</p>",
        )
        client.jobs.edit(draft.job_id, account_id=ACCOUNT, employment_status="CONTRACT")
        assert isinstance(client.jobs.publish(draft.job_id, account_id=ACCOUNT, mode="FREE"),
                          Published)
        live = client.jobs.wait_for_state(
            draft.job_id, account_id=ACCOUNT, state="active", timeout=30, poll_interval=0.01)
        assert live.state is JobState.ACTIVE
        assert client.jobs.get(draft.job_id, account_id=ACCOUNT).location == berlin.title

        pages = list(client.jobs.list(account_id=ACCOUNT, category="active", limit=1).pages())
        assert [job.id for page in pages for job in page.items] == [draft.job_id]

        applicants = list(client.applicants.list(draft.job_id, account_id=ACCOUNT, limit=2))
        assert len(applicants) == live.applicants_counter == 5
        good = list(client.applicants.list(draft.job_id, account_id=ACCOUNT,
                                           ratings=["GOOD_FIT"]))
        assert good == [a for a in applicants if a.rating == "GOOD_FIT"]
        person = client.applicants.get(applicants[0].id, account_id=ACCOUNT)
        path = client.applicants.download_resume(person.id, account_id=ACCOUNT,
                                                 to=folder / "cv.pdf")
        buffer = client.applicants.download_resume(person.id, account_id=ACCOUNT,
                                                   to=io.BytesIO())
        assert path.read_bytes() == buffer.getvalue()
        assert buffer.getvalue().startswith(b"%PDF-")

        assert client.jobs.close(draft.job_id, account_id=ACCOUNT) == JobClosed(draft.job_id)
        assert client.jobs.get(draft.job_id, account_id=ACCOUNT).state is JobState.CLOSED
        with pytest.raises(JobStateError):
            client.jobs.wait_for_state(draft.job_id, account_id=ACCOUNT, timeout=30,
                                       poll_interval=0.01)


async def test_the_sync_client_lives_the_whole_life_of_a_job(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    sandbox = await make_sandbox(review_delay=0, applicants=5, resume_fraction=1.0)

    await asyncio.to_thread(_whole_life, sandbox, tmp_path)

    assert sandbox.ledger.duplicate_creations() == []
    assert len(sandbox.ledger) == 1


def _create_twice(sandbox: Sandbox) -> tuple[str, str]:
    with Postpress(api_key=sandbox.api_key, base_url=sandbox.base_url) as client:
        arguments: dict[str, Any] = {
            "account_id": ACCOUNT, "job_title": "Data Engineer", "company": "Acme GmbH",
            "workplace": "REMOTE", "location": "106967730", "description": "<p>x</p>",
        }
        first = client.jobs.create(**arguments)  # retried once after commit-then-fail
        other = {**arguments, "job_title": "DevOps Engineer"}
        again = client.jobs.create(**other, idempotency_key="ats-42")
        replay = client.jobs.create(**other, idempotency_key="ats-42")
        assert replay == again
        with pytest.raises(UnprocessableEntityError):
            client.jobs.create(**arguments, idempotency_key="ats-42")
        return first.job_id, again.job_id


async def test_the_sync_client_keeps_idempotency_keys_across_retries(
    make_sandbox: MakeSandbox,
) -> None:
    sandbox = await make_sandbox(faults=Faults(commit_then_fail=1.0, first_attempts=1))

    first, second = await asyncio.to_thread(_create_twice, sandbox)

    assert sorted(c.job_id for c in sandbox.ledger.creations) == sorted([first, second])
    assert sandbox.ledger.duplicate_creations() == []
