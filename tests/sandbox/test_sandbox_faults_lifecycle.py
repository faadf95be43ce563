"""Fault injection on the new endpoints: create, edit, close, and reads when asked for."""

from __future__ import annotations

import pytest

from postpress_async.sandbox import Faults


async def test_faults_hit_create_by_default(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(faults=Faults(provider_error=1.0)))
    status, error, _ = await raw.create()
    assert (status, error["type"]) == (500, "errors/provider_error")
    assert raw.sandbox.ledger.creations == []


async def test_reads_are_not_faulted_unless_asked(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(faults=Faults(provider_error=1.0)))
    assert (await raw.publish("d1"))[0] == 500
    assert (await raw.get("/linkedin/jobs", account_id="acc_1"))[0] == 200
    assert (await raw.get("/accounts"))[0] == 200


async def test_reads_can_be_faulted(make_sandbox, raw_for):
    faults = Faults(service_unavailable=1.0, endpoints=frozenset({"list_jobs", "get_job"}))
    raw = raw_for(await make_sandbox(faults=faults))
    status, error, _ = await raw.get("/linkedin/jobs", account_id="acc_1")
    assert status == 503
    assert error["type"].startswith("errors/")
    assert (await raw.create())[0] == 200  # create is not in the list this time


def test_an_unknown_endpoint_name_is_refused():
    with pytest.raises(ValueError, match="unknown endpoint"):
        Faults(provider_error=0.1, endpoints=frozenset({"publsh"}))


async def test_a_create_retried_with_its_key_gets_past_first_attempt_faults(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(faults=Faults.transient(1.0, first_attempts=1), seed=4))
    outcomes = []
    for i in range(8):
        key = f"create-{i}"
        first = await raw.create(raw.job_body(job_title={"text": f"Job {i}"}), idempotency_key=key)
        second = await raw.create(raw.job_body(job_title={"text": f"Job {i}"}), idempotency_key=key)
        assert first[0] >= 500
        assert second[0] == 200
        outcomes.append(first[1]["type"])
    ledger = raw.sandbox.ledger
    assert len(ledger.creations) == 8  # commit-then-fail created some on the first attempt
    assert ledger.duplicate_creations() == []
    assert "errors/request_timeout" in outcomes


async def test_create_faults_are_the_same_for_the_same_seed(make_sandbox, raw_for):
    runs = []
    for _ in range(2):
        raw = raw_for(await make_sandbox(faults=Faults.transient(0.5), seed=11))
        runs.append([(await raw.create(idempotency_key=f"k{i}"))[0] for i in range(20)])
    assert runs[0] == runs[1]
    assert len(set(runs[0])) > 1


async def test_commit_then_fail_on_edit_applies_the_edit(make_sandbox, raw_for):
    faults = Faults(commit_then_fail=1.0, endpoints=frozenset({"edit"}))
    raw = raw_for(await make_sandbox(faults=faults))
    job_id = await raw.new_job()
    status, _, _ = await raw.request(
        "PATCH", f"/linkedin/jobs/{job_id}", {"account_id": "acc_1", "description": "v2"}
    )
    assert status == 504
    assert (await raw.get_job(job_id))[1]["description"] == "v2"


async def test_commit_then_fail_on_close_closes_and_a_blind_retry_learns_it(make_sandbox, raw_for):
    faults = Faults(commit_then_fail=1.0, first_attempts=1, endpoints=frozenset({"close"}))
    raw = raw_for(await make_sandbox(faults=faults, review_delay=0))
    job_id = await raw.live_job()
    path = f"/linkedin/jobs/{job_id}/close"
    assert (await raw.request("POST", path, {"account_id": "acc_1"}))[0] == 504
    assert (await raw.get_job(job_id))[1]["state"] == "closed"
    status, error, _ = await raw.request("POST", path, {"account_id": "acc_1"})
    assert (status, error["type"]) == (422, "errors/action_already_performed")


async def test_faults_come_after_validation_on_create(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(faults=Faults(provider_error=1.0)))
    status, error, _ = await raw.create(raw.job_body(workplace="MOON"))
    assert (status, error["type"]) == (400, "errors/invalid_parameters")


async def test_a_dropped_create_leaves_no_draft(make_sandbox, raw_for):
    import aiohttp

    raw = raw_for(await make_sandbox(faults=Faults(drop_connection=1.0)))
    with pytest.raises(aiohttp.ClientError):
        await raw.create()
    assert raw.sandbox.ledger.creations == []
    assert raw.sandbox.stats.dropped_connections == 1
