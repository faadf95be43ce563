"""The journal: one JSON line per event, resumable, robust to a torn last line."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from postpress_async import InvalidRequestError, Outcome, OutcomeKind, _journal
from postpress_async._journal import Journal
from postpress_async.sandbox import Draft
from tests.conftest import MakeClient

from .bulk_helpers import MakeSandbox, read_lines, requests_for


async def test_each_draft_gets_an_in_flight_line_then_its_outcome_line(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    client = make_client(await make_sandbox())

    await client.jobs.publish_many(requests_for(["d1", "d2"]), journal=journal)

    lines = read_lines(journal)
    for draft_id in ("d1", "d2"):
        mine = [line["outcome"] for line in lines if line["draft_id"] == draft_id]
        assert mine == ["in_flight", "published"]
    published = next(line for line in lines if line["outcome"] == "published")
    assert published["mode"] == "FREE"
    assert published["job_state"] == "active"


async def test_a_failure_line_carries_status_type_and_request_id(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    client = make_client(await make_sandbox(drafts=[Draft("d1", free_eligible=False)]))

    await client.jobs.publish_many(requests_for(["d1"]), journal=journal)

    failed = read_lines(journal)[-1]
    assert failed["outcome"] == "failed"
    assert failed["status"] == 400
    assert failed["type"] == "errors/invalid_parameters"
    assert failed["request_id"]


async def test_a_checkpoint_line_carries_the_checkpoint_type(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    sandbox = await make_sandbox(drafts=[Draft("d1", checkpoints=(("EMAIL_VERIFICATION", "t"),))])
    client = make_client(sandbox)

    await client.jobs.publish_many(requests_for(["d1"]), journal=journal)

    assert read_lines(journal)[-1] | {"at": None} == {
        "draft_id": "d1",
        "mode": "FREE",
        "account_id": "acc_1",
        "outcome": "checkpoint",
        "job_id": "d1",
        "type": "EMAIL_VERIFICATION",
        "at": None,
    }


async def test_a_rerun_skips_settled_drafts_and_retries_the_rest(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    sandbox = await make_sandbox(
        drafts=[
            Draft("d1"),
            Draft("d2", free_eligible=False),
            Draft("d3", checkpoints=(("OTP", "1"),)),
        ]
    )
    client = make_client(sandbox)
    requests = requests_for(["d1", "d2", "d3"])
    await client.jobs.publish_many(requests, journal=journal)
    sent_before = sandbox.stats.total_requests
    seen: list[Outcome] = []

    report = await client.jobs.publish_many(requests, journal=journal, on_outcome=seen.append)

    assert report.counts["skipped"] == 2
    assert report.counts["failed"] == 1
    assert {o.draft_id: o.reason for o in seen if o.kind is OutcomeKind.SKIPPED} == {
        "d1": "journal",
        "d3": "journal",
    }
    assert sandbox.stats.total_requests == sent_before + 1


async def test_a_torn_last_line_is_ignored_and_never_corrupts_the_next_record(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    journal.write_text(
        json.dumps({"draft_id": "d1", "mode": "FREE", "outcome": "published"})
        + "\n"
        + '{"draft_id": "d2", "mode": "FR'
    )
    sandbox = await make_sandbox()
    client = make_client(sandbox)

    report = await client.jobs.publish_many(requests_for(["d1", "d2"]), journal=journal)

    assert report.journal_ignored_lines == 1
    assert report.counts["skipped"] == 1
    assert report.counts["published"] == 1
    raw_lines = journal.read_text().splitlines()
    assert raw_lines[1] == '{"draft_id": "d2", "mode": "FR'
    assert [json.loads(line)["outcome"] for line in raw_lines[2:]] == ["in_flight", "published"]


async def test_drafts_in_flight_at_a_crash_are_sent_again_and_marked_resumed(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    sandbox = await make_sandbox()
    client = make_client(sandbox)
    # The crashed run: d1 went through upstream, d2 never reached the API.
    await client.jobs.publish("d1", account_id="acc_1", mode="FREE")
    journal.write_text(
        "".join(
            json.dumps({"draft_id": d, "mode": "FREE", "outcome": "in_flight"}) + "\n"
            for d in ("d1", "d2")
        )
    )
    seen: list[Outcome] = []

    await client.jobs.publish_many(
        requests_for(["d1", "d2", "d3"]), journal=journal, on_outcome=seen.append
    )

    assert {(o.draft_id, o.kind, o.resumed) for o in seen} == {
        ("d1", OutcomeKind.ALREADY_PUBLISHED, True),
        ("d2", OutcomeKind.PUBLISHED, True),
        ("d3", OutcomeKind.PUBLISHED, False),
    }
    resumed = {line["draft_id"] for line in read_lines(journal) if line.get("resumed")}
    assert resumed == {"d1", "d2"}
    assert not sandbox.ledger.duplicates()


async def test_the_api_key_is_never_written(
    make_sandbox: MakeSandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    sandbox = await make_sandbox()
    client = make_client(sandbox)

    await client.jobs.publish_many(requests_for(["d1"]), journal=journal)
    bad = make_client(sandbox, api_key="pp_live_secret_123")
    await bad.jobs.publish_many(requests_for(["d2"]), journal=journal)

    text = journal.read_text()
    assert sandbox.api_key not in text
    assert "pp_live_secret_123" not in text
    assert "invalid_credentials" in text


def test_a_journal_in_use_by_another_run_is_refused(tmp_path: Path) -> None:
    with Journal(tmp_path / "run.jsonl"), pytest.raises(InvalidRequestError, match="in use"):
        Journal(tmp_path / "run.jsonl")


def test_a_journal_path_that_is_a_directory_is_an_invalid_request(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequestError, match=r"journal: cannot read .*Is a directory"):
        Journal(tmp_path)


def test_each_line_is_stamped_with_its_own_utc_millisecond_across_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clock formats the date once a second and looks the milliseconds up: the stamps
    # must still be exactly what datetime would write, on both sides of a second boundary.
    moments_ns = [
        1_764_619_199_998_000_000,
        1_764_619_199_999_999_999,
        1_764_619_200_000_000_000,
        1_764_619_200_007_500_000,
        1_764_619_201_123_000_000,
    ]
    clock = iter(moments_ns)
    monkeypatch.setattr(_journal, "time", SimpleNamespace(time_ns=lambda: next(clock)))
    path = tmp_path / "run.jsonl"
    with Journal(path) as journal:
        for index in range(len(moments_ns)):
            journal.write({"draft_id": f"d{index}", "outcome": "in_flight"})

    stamps = [line["at"] for line in read_lines(path)]
    assert stamps == [
        datetime.datetime.fromtimestamp(ns // 1_000_000 / 1000, datetime.timezone.utc)
        .isoformat(timespec="milliseconds")
        for ns in moments_ns
    ]
    assert stamps[2] == "2025-12-01T20:00:00.000+00:00"
