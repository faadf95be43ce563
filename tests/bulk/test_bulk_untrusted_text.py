"""Any text the API returns is journaled, and one draft's answer never aborts a batch.

Lone surrogates are valid in JSON text (``"\\ud800"``) but cannot be encoded as UTF-8: the
journal must still store them (and read them back), the batch must go on, and a draft that
was published must never be left ``in_flight``. Served by a real HTTP server on 127.0.0.1,
for the async client and the sync facade alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from postpress_async import AsyncPostpress, OutcomeKind, Postpress, Published, PublishRequest
from postpress_async._bulk import BulkOptions, publish_many
from postpress_async._journal import read_journal
from postpress_async.testing import no_retry_waits

from .bulk_helpers import read_lines, requests_for

API_KEY = "pp_test_untrusted_text"

# Draft id -> (status, raw JSON body). The backslash escapes are JSON's, not Python's:
# the server sends the six characters \ud800, which decode to a lone surrogate.
ANSWERS: dict[str, tuple[int, bytes]] = {
    "plain": (200, b'{"object":"LinkedinJobPostingPublished","job_state":"active","job_id":"j1"}'),
    "job_id": (200, b'{"object":"LinkedinJobPostingPublished","job_state":"active",'
                    b'"job_id":"j-\\ud800"}'),
    "job_state": (200, b'{"object":"LinkedinJobPostingPublished","job_state":"\\udfff",'
                       b'"job_id":"j3"}'),
    "checkpoint": (200, b'{"object":"LinkedinJobPostingPublishCheckpoint","job_id":"j4",'
                        b'"type":"OTP\\udc00"}'),
    "detail": (400, b'{"status":400,"type":"errors/invalid_parameters","title":"Bad",'
                    b'"detail":"bad \\ud800 value"}'),
    "instance": (400, b'{"status":400,"type":"errors/invalid_parameters","title":"Bad",'
                      b'"detail":"bad","instance":"/x/\\udbff"}'),
    "type": (422, b'{"status":422,"type":"errors/\\ud800","title":"Odd","detail":"odd"}'),
}
PUBLISHED_IDS = {"plain": "j1", "job_id": "j-\ud800", "job_state": "j3"}


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        draft_id = self.path.split("/")[-2]
        status, body = ANSWERS[draft_id]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def base_url() -> Iterator[str]:
    """A server on 127.0.0.1 that answers each draft with its entry in ANSWERS."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _assert_every_answer_is_journaled(path: Path) -> None:
    lines = read_lines(path)  # every line parses
    last = {line["draft_id"]: line for line in lines}
    assert set(last) == set(ANSWERS)
    assert {draft: line["outcome"] for draft, line in last.items()} == {
        "plain": "published",
        "job_id": "published",
        "job_state": "published",
        "checkpoint": "checkpoint",
        "detail": "failed",
        "instance": "failed",
        "type": "failed",
    }
    # The text reads back as the server sent it.
    assert {d: last[d]["job_id"] for d in PUBLISHED_IDS} == PUBLISHED_IDS
    assert last["job_state"]["job_state"] == "\udfff"
    assert last["checkpoint"]["type"] == "OTP\udc00"
    assert last["type"]["type"] == "errors/\ud800"
    state = read_journal(path)
    assert state.in_flight == set()
    assert state.ignored_lines == 0
    assert set(state.settled) == {"plain", "job_id", "job_state", "checkpoint"}


async def test_lone_surrogates_in_answers_are_journaled_and_the_batch_goes_on(
    base_url: str, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    async with AsyncPostpress(API_KEY, base_url=base_url, max_retries=0) as client:
        report = await client.jobs.publish_many(
            requests_for(ANSWERS), concurrency=3, journal=journal
        )
        again = await client.jobs.publish_many(requests_for(ANSWERS), journal=journal)

    assert report.counts["published"] == 3
    assert report.counts["checkpoint"] == 1
    assert report.counts["failed"] == 3
    _assert_every_answer_is_journaled(journal)
    # The re-run reads those lines back: settled drafts are skipped, not sent again.
    assert again.counts["skipped"] == 4
    assert again.counts["failed"] == 3


def test_the_sync_facade_journals_lone_surrogates_too(base_url: str, tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    with Postpress(API_KEY, base_url=base_url, max_retries=0) as client:
        report = client.jobs.publish_many(requests_for(ANSWERS), concurrency=2, journal=journal)

    assert report.counts["published"] == 3
    assert report.total == len(ANSWERS)
    _assert_every_answer_is_journaled(journal)


async def test_an_exception_from_one_drafts_send_is_that_drafts_failure(
    tmp_path: Path,
) -> None:
    # Not an answer from the API: a bug anywhere below the engine. The batch goes on.
    async def send(request: PublishRequest, **_: object) -> Published:
        if request.draft_id == "d2":
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return Published(job_id=request.draft_id, job_state="active")

    journal = tmp_path / "run.jsonl"
    with no_retry_waits():
        report = await publish_many(
            send,
            requests_for(f"d{i}" for i in range(5)),
            BulkOptions(concurrency=2, journal=journal),
        )

    assert report.counts["published"] == 4
    assert report.counts["failed"] == 1
    (failure,) = report.failures
    assert failure.draft_id == "d2"
    assert "UnicodeEncodeError" in str(failure.error)
    assert isinstance(failure.error.__cause__, UnicodeEncodeError)  # type: ignore[union-attr]
    assert read_journal(journal).in_flight == set()
    assert [o.kind for o in report.failures] == [OutcomeKind.FAILED]
