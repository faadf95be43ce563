"""The sync facade: the same lifecycle methods without await; pagers are plain iterables."""

from __future__ import annotations

import io

import pytest

from postpress_async import Pager, Postpress, RepeatedCursorError
from postpress_async.testing import MockResponse, MockTransport

from .lifecycle_support import (
    ACCOUNT_ID,
    API_KEY,
    BASE_URL,
    DRAFT_CREATED,
    JOB_ID,
    Routes,
    account,
    applicant,
    job,
    pages_of,
    query,
)

APPLICANTS = [applicant(f"appl_{n}") for n in range(5)]


@pytest.fixture
def sync_client():
    closed = {"object": "LinkedinJobPostingClosed", "job_id": JOB_ID}
    edited = {"object": "LinkedinJobPostingEdited", "job_id": JOB_ID}
    search = {"object": "LinkedinSearchParametersList",
              "items": [{"object": "LinkedinSearchParameter", "id": "1", "title": "Berlin"}],
              "paging": {"page_count": 1}}
    routes = (
        Routes()
        .add("POST", "/linkedin/jobs", lambda r: MockResponse(200, json=DRAFT_CREATED))
        .add("PATCH", f"/linkedin/jobs/{JOB_ID}", edited)
        .add("GET", f"/linkedin/jobs/{JOB_ID}", job())
        .add("GET", "/linkedin/jobs", pages_of([job(job_id=str(n)) for n in range(3)], 2,
                                               tag="LinkedinJobPostingList"))
        .add("POST", f"/linkedin/jobs/{JOB_ID}/close", closed)
        .add("GET", f"/linkedin/jobs/{JOB_ID}/applicants",
             pages_of(APPLICANTS, 2, tag="LinkedinJobApplicantList"))
        .add("GET", "/linkedin/jobs/applicants/appl_1", applicant())
        .add("GET", "/linkedin/jobs/applicants/appl_1/resume",
             lambda r: MockResponse(200, body=b"%PDF"))
        .add("GET", "/linkedin/search/parameters", search)
        .add("GET", "/accounts", pages_of([account()], 10, tag="AccountList"))
        .add("GET", f"/accounts/{ACCOUNT_ID}", account())
    )
    transport = MockTransport(routes)
    with Postpress(api_key=API_KEY, base_url=BASE_URL, transport=transport) as client:
        yield client, transport


def test_the_whole_lifecycle_without_await(sync_client, tmp_path):
    client, transport = sync_client
    location = next(iter(client.search.parameters("LOCATION", keywords="Berlin",
                                                  account_id=ACCOUNT_ID)))
    draft = client.jobs.create(account_id=ACCOUNT_ID, job_title="Engineer", company="Acme",
                               workplace="HYBRID", location=location, description="x",
                               idempotency_key="sync-1")
    assert transport.requests[-1].headers["Idempotency-Key"] == "sync-1"
    assert client.jobs.edit(draft.job_id, account_id=ACCOUNT_ID, description="y").job_id == JOB_ID
    assert client.jobs.get(JOB_ID, account_id=ACCOUNT_ID).state == "active"
    assert client.jobs.wait_for_state(JOB_ID, account_id=ACCOUNT_ID, timeout=5,
                                      poll_interval=0.001).id == JOB_ID
    assert [j.id for j in client.jobs.list(account_id=ACCOUNT_ID, limit=2)] == ["0", "1", "2"]
    applicants = client.applicants.list(JOB_ID, account_id=ACCOUNT_ID)
    assert isinstance(applicants, Pager)
    assert len(list(applicants)) == 5
    assert [len(page.items) for page in applicants.pages()] == [2, 2, 1]
    assert client.applicants.get("appl_1", account_id=ACCOUNT_ID).name == "Ada Lovelace"
    target = client.applicants.download_resume("appl_1", account_id=ACCOUNT_ID,
                                               to=tmp_path / "cv.pdf")
    assert target.read_bytes() == b"%PDF"
    buffer = client.applicants.download_resume("appl_1", account_id=ACCOUNT_ID, to=io.BytesIO())
    assert buffer.getvalue() == b"%PDF"
    assert client.jobs.close(JOB_ID, account_id=ACCOUNT_ID).job_id == JOB_ID
    assert [a.id for a in client.accounts.list()] == [ACCOUNT_ID]
    assert client.accounts.get(ACCOUNT_ID).healthy


def test_a_sync_pager_fetches_one_page_per_step(sync_client):
    client, transport = sync_client
    before = len(transport.requests)
    walk = iter(client.applicants.list(JOB_ID, account_id=ACCOUNT_ID, limit=2))
    next(walk)
    next(walk)
    assert len(transport.requests) == before + 1
    next(walk)
    assert len(transport.requests) == before + 2
    assert dict(query(transport.requests[-1]))["cursor"] == "2"


def test_a_sync_pager_stops_on_a_repeated_cursor():
    def handler(request):
        return MockResponse(200, json={"data": [account()], "next_cursor": "again"})

    transport = MockTransport(handler)
    with Postpress(api_key=API_KEY, base_url=BASE_URL, transport=transport) as client:
        pager = client.accounts.list()
        with pytest.raises(RepeatedCursorError):
            list(pager)
