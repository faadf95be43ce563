"""applicants.list filters, applicants.get, and résumé downloads (MockTransport and a real
aiohttp server on 127.0.0.1 for the streaming)."""

from __future__ import annotations

import asyncio
import io

import pytest
from aiohttp import web

from postpress_async import (
    APIConnectionError,
    ApplicantRating,
    AsyncPostpress,
    NotFoundError,
    UnexpectedResponseError,
)
from postpress_async.testing import MockResponse

from .lifecycle_support import ACCOUNT_ID, API_KEY, JOB_ID, applicant, pages_of, path, query

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64


async def test_list_sends_the_documented_filters(mock_client):
    client, transport = mock_client(pages_of([], 10, tag="LinkedinJobApplicantList"))
    pager = client.applicants.list(
        JOB_ID, account_id=ACCOUNT_ID, service="RECRUITER", limit=250,
        ratings=[ApplicantRating.GOOD_FIT, "MAYBE", "GOOD_FIT"], keywords="python",
        sort_by="newest_first", min_years_of_experience=2, max_years_of_experience=10.5,
        include_degree=["BSc", "MSc"], exclude_degree=["PhD"],
    )
    assert [a async for a in pager] == []
    (request,) = transport.requests
    assert path(request) == f"/linkedin/jobs/{JOB_ID}/applicants"
    assert query(request) == [
        ("account_id", ACCOUNT_ID), ("service", "RECRUITER"), ("limit", "250"),
        ("ratings", "GOOD_FIT,MAYBE"), ("keywords", "python"), ("sort_by", "newest_first"),
        ("min_years_of_experience", "2"), ("max_years_of_experience", "10.5"),
        ("include_degree", "BSc"), ("include_degree", "MSc"), ("exclude_degree", "PhD"),
    ]


async def test_get_reads_an_applicant_leniently(mock_client):
    payload = applicant(rating="SUPERSTAR", contact_info=None, new_field=[1, 2],
                        education=[{"school": "KCL", "start": None, "end": None}])
    client, transport = mock_client(lambda request: MockResponse(200, json=payload))
    person = await client.applicants.get("appl_1", account_id=ACCOUNT_ID)
    assert person.rating == "SUPERSTAR"
    assert person.contact_info is None
    assert person.applied_at == 1_710_000_000_123
    assert person.work_experience[0].end is None
    assert person.work_experience[0].start.year == 2020
    assert person.screening_questions[0].success is True
    assert path(transport.requests[0]) == "/linkedin/jobs/applicants/appl_1"
    assert query(transport.requests[0]) == [("account_id", ACCOUNT_ID)]


async def test_resume_is_written_to_the_path_and_returned(mock_client, tmp_path):
    client, transport = mock_client(lambda request: MockResponse(200, body=PDF))
    target = tmp_path / "cv.pdf"
    result = await client.applicants.download_resume(
        "appl_1", account_id=ACCOUNT_ID, to=str(target), service="CLASSIC"
    )
    assert result == target
    assert target.read_bytes() == PDF
    assert list(tmp_path.iterdir()) == [target]
    assert path(transport.requests[0]) == "/linkedin/jobs/applicants/appl_1/resume"
    assert ("service", "CLASSIC") in query(transport.requests[0])


async def test_resume_goes_to_a_binary_file_object(mock_client):
    client, _ = mock_client(lambda request: MockResponse(200, body=PDF))
    buffer = io.BytesIO()
    assert await client.applicants.download_resume(
        "appl_1", account_id=ACCOUNT_ID, to=buffer
    ) is buffer
    assert buffer.getvalue() == PDF


async def test_an_error_answer_leaves_no_file_and_keeps_an_existing_one(mock_client, tmp_path):
    not_found = {"status": 404, "type": "errors/resource_not_found", "title": "No resume"}
    client, _ = mock_client(lambda request: MockResponse(404, json=not_found))
    target = tmp_path / "cv.pdf"
    target.write_bytes(b"previous")
    with pytest.raises(NotFoundError):
        await client.applicants.download_resume("appl_1", account_id=ACCOUNT_ID, to=target)
    assert list(tmp_path.iterdir()) == [target]
    assert target.read_bytes() == b"previous"


async def test_a_resume_over_the_cap_is_refused_and_leaves_nothing(mock_client, tmp_path):
    client, _ = mock_client(lambda request: MockResponse(200, body=PDF))
    with pytest.raises(UnexpectedResponseError, match="size limit"):
        await client.applicants.download_resume(
            "appl_1", account_id=ACCOUNT_ID, to=tmp_path / "cv.pdf", max_bytes=len(PDF) - 1
        )
    assert list(tmp_path.iterdir()) == []


async def test_a_failed_download_truncates_a_seekable_file_object_back(mock_client):
    client, _ = mock_client(lambda request: MockResponse(200, body=PDF))
    buffer = io.BytesIO()
    buffer.write(b"header:")
    with pytest.raises(UnexpectedResponseError):
        await client.applicants.download_resume(
            "appl_1", account_id=ACCOUNT_ID, to=buffer, max_bytes=10
        )
    assert buffer.getvalue() == b"header:"


@pytest.fixture
async def resume_server():
    """A real server on 127.0.0.1: /ok streams the PDF in chunks, /drop cuts it short."""

    async def ok(request: web.Request) -> web.StreamResponse:
        assert request.headers["X-API-KEY"] == API_KEY
        response = web.StreamResponse(headers={"Content-Type": "application/pdf"})
        await response.prepare(request)
        for start in range(0, len(PDF), 4096):
            await response.write(PDF[start:start + 4096])
        return response

    async def drop(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(len(PDF))})
        await response.prepare(request)
        await response.write(PDF[:5000])
        request.transport.close()  # the connection drops mid-body
        return response

    app = web.Application()
    app.router.add_get("/api/v1/linkedin/jobs/applicants/ok/resume", ok)
    app.router.add_get("/api/v1/linkedin/jobs/applicants/drop/resume", drop)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/api/v1"
    await runner.cleanup()


async def test_a_resume_streams_over_a_real_socket(resume_server, tmp_path):
    async with AsyncPostpress(api_key=API_KEY, base_url=resume_server) as client:
        target = await client.applicants.download_resume(
            "ok", account_id=ACCOUNT_ID, to=tmp_path / "cv.pdf"
        )
        assert target.stat().st_size == len(PDF)
        with pytest.raises(UnexpectedResponseError):
            await client.applicants.download_resume(
                "ok", account_id=ACCOUNT_ID, to=tmp_path / "small.pdf", max_bytes=4096
            )
    assert [p.name for p in tmp_path.iterdir()] == ["cv.pdf"]
    assert (tmp_path / "cv.pdf").read_bytes() == PDF


async def test_a_dropped_connection_leaves_no_partial_file(resume_server, tmp_path):
    async with AsyncPostpress(api_key=API_KEY, base_url=resume_server, max_retries=0) as client:
        with pytest.raises(APIConnectionError):
            await client.applicants.download_resume(
                "drop", account_id=ACCOUNT_ID, to=tmp_path / "cv.pdf"
            )
    assert list(tmp_path.iterdir()) == []


async def test_a_cancelled_download_leaves_no_partial_file(mock_client, tmp_path):
    started = asyncio.Event()

    async def handler(request):
        request.sink.write(PDF[:100])  # part of the body arrived
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    client, _ = mock_client(handler)
    download = asyncio.ensure_future(client.applicants.download_resume(
        "appl_1", account_id=ACCOUNT_ID, to=tmp_path / "cv.pdf"
    ))
    await asyncio.wait_for(started.wait(), 5)
    download.cancel()
    with pytest.raises(asyncio.CancelledError):
        await download
    assert list(tmp_path.iterdir()) == []
