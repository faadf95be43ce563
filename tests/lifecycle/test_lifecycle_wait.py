"""jobs.wait_for_state: reached, impossible (a dead end), timed out. Small intervals."""

from __future__ import annotations

import asyncio

import pytest

from postpress_async import JobPostingState, JobStateError, WaitTimeoutError
from postpress_async.testing import MockResponse

from .lifecycle_support import ACCOUNT_ID, JOB_ID, job, query

FAST = {"poll_interval": 0.001, "max_interval": 0.002}


def states(*sequence: str):
    answers = iter(sequence)
    last = sequence[-1]
    return lambda request: MockResponse(200, json=job(state=next(answers, last)))


async def test_it_returns_the_job_once_it_is_in_the_state(mock_client):
    client, transport = mock_client(states("review", "review", "active"))
    posting = await client.jobs.wait_for_state(
        JOB_ID, account_id=ACCOUNT_ID, state="active", timeout=30, **FAST
    )
    assert posting.state is JobPostingState.ACTIVE
    assert len(transport.requests) == 3
    assert all(("service", "CLASSIC") in query(r) for r in transport.requests)


async def test_unknown_states_are_waited_through(mock_client):
    client, _ = mock_client(states("provisioning", "active"))
    posting = await client.jobs.wait_for_state(JOB_ID, account_id=ACCOUNT_ID, timeout=30, **FAST)
    assert posting.state == "active"


async def test_a_closed_job_can_no_longer_become_active(mock_client):
    client, transport = mock_client(states("review", "closed"))
    with pytest.raises(JobStateError) as caught:
        await client.jobs.wait_for_state(JOB_ID, account_id=ACCOUNT_ID, timeout=30, **FAST)
    assert caught.value.state == "closed"
    assert caught.value.expected == "active"
    assert caught.value.job.id == JOB_ID
    assert len(transport.requests) == 2


async def test_a_published_job_never_becomes_a_draft_again(mock_client):
    client, _ = mock_client(states("review"))
    with pytest.raises(JobStateError):
        await client.jobs.wait_for_state(
            JOB_ID, account_id=ACCOUNT_ID, state="draft", timeout=30, **FAST
        )


async def test_waiting_for_closed_accepts_closed(mock_client):
    client, _ = mock_client(states("active", "closed"))
    posting = await client.jobs.wait_for_state(
        JOB_ID, account_id=ACCOUNT_ID, state=JobPostingState.CLOSED, timeout=30, **FAST
    )
    assert posting.state is JobPostingState.CLOSED


async def test_it_times_out_with_the_last_state_read(mock_client):
    client, _ = mock_client(states("review"))
    with pytest.raises(WaitTimeoutError) as caught:
        await client.jobs.wait_for_state(JOB_ID, account_id=ACCOUNT_ID, timeout=0.05, **FAST)
    assert caught.value.last_state == "review"
    assert caught.value.expected == "active"
    assert isinstance(caught.value, TimeoutError)


async def test_a_read_that_hangs_counts_against_the_timeout(mock_client):
    async def never(request):
        await asyncio.Event().wait()

    client, _ = mock_client(never)
    with pytest.raises(WaitTimeoutError) as caught:
        await client.jobs.wait_for_state(JOB_ID, account_id=ACCOUNT_ID, timeout=0.05, **FAST)
    assert caught.value.last_state is None
