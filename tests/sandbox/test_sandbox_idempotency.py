"""Idempotency-Key on POST and PATCH: replays, refusals, expiry, and commit-then-fail."""

from __future__ import annotations

import asyncio

import pytest

from postpress_async.sandbox import Faults


async def test_the_same_key_and_body_replay_the_first_create(raw):
    first = await raw.create(idempotency_key="k-1")
    second = await raw.create(idempotency_key="k-1")
    assert (second[0], second[1]) == (first[0], first[1])
    assert second[2]["Idempotent-Replayed"] == "true"
    assert len(raw.sandbox.ledger.creations) == 1
    assert raw.sandbox.stats.idempotent_replays == 1


async def test_key_order_and_spacing_of_the_body_do_not_make_another_request(raw):
    body = raw.job_body()
    await raw.create(body, idempotency_key="k-1")
    status, _, headers = await raw.create(dict(reversed(list(body.items()))), idempotency_key="k-1")
    assert (status, headers.get("Idempotent-Replayed")) == (200, "true")


async def test_different_keys_create_different_drafts(raw):
    first = (await raw.create(idempotency_key="k-1"))[1]["job_id"]
    second = (await raw.create(idempotency_key="k-2"))[1]["job_id"]
    assert first != second


@pytest.mark.parametrize(
    "change",
    [
        {"description": "<p>Another text</p>"},
        {"account_id": "acc_2"},
        {"workplace": "REMOTE"},
    ],
)
async def test_the_same_key_with_another_body_is_refused(raw, change):
    await raw.create(idempotency_key="k-1")
    status, error, _ = await raw.create(raw.job_body(**change), idempotency_key="k-1")
    assert (status, error["type"]) == (422, "errors/unprocessable_entity")
    assert "Idempotency-Key" in error["detail"]
    assert set(error) == {"title", "type", "status", "detail", "instance"}
    assert len(raw.sandbox.ledger.creations) == 1


async def test_the_same_key_on_another_endpoint_is_refused(raw):
    job_id = await raw.new_job()
    await raw.create(idempotency_key="k-1")
    status, error, _ = await raw.request(
        "POST",
        f"/linkedin/jobs/{job_id}/publish",
        {"account_id": "acc_1", "mode": "FREE"},
        idempotency_key="k-1",
    )
    assert (status, error["type"]) == (422, "errors/unprocessable_entity")
    assert raw.sandbox.ledger.published_count(job_id) == 0


async def test_a_replayed_publish_is_not_a_second_publish(raw):
    job_id = await raw.new_job()
    body = {"account_id": "acc_1", "mode": "FREE"}
    path = f"/linkedin/jobs/{job_id}/publish"
    first = await raw.request("POST", path, body, idempotency_key="p-1")
    again = await raw.request("POST", path, body, idempotency_key="p-1")
    assert (again[0], again[1]) == (first[0], first[1]) == (200, first[1])
    assert raw.sandbox.ledger.published_count(job_id) == 1
    other = await raw.request("POST", path, body, idempotency_key="p-2")
    assert (other[0], other[1]["type"]) == (422, "errors/action_already_performed")


async def test_an_edit_replays_too(raw):
    job_id = await raw.new_job()
    body = {"account_id": "acc_1", "description": "v2"}
    await raw.request("PATCH", f"/linkedin/jobs/{job_id}", body, idempotency_key="e-1")
    status, _, headers = await raw.request(
        "PATCH", f"/linkedin/jobs/{job_id}", body, idempotency_key="e-1"
    )
    assert (status, headers.get("Idempotent-Replayed")) == (200, "true")
    assert raw.sandbox.job(job_id)["edits"] == 1


async def test_a_close_with_the_account_in_the_query_replays(raw):
    job_id = await raw.live_job()
    path = f"/linkedin/jobs/{job_id}/close"
    for _ in range(2):
        status, payload, _ = await raw.request(
            "POST", path, params={"account_id": "acc_1"}, idempotency_key="c-1"
        )
        assert (status, payload["object"]) == (200, "LinkedinJobPostingClosed")


async def test_errors_are_not_stored_so_a_retry_runs_again(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(accounts=1))
    raw.sandbox.set_account_status("acc_1", "STOPPED")
    assert (await raw.create(idempotency_key="k-1"))[0] == 401
    raw.sandbox.set_account_status("acc_1", "OK")
    status, payload, headers = await raw.create(idempotency_key="k-1")
    assert (status, "Idempotent-Replayed" in headers) == (200, False)
    assert payload["object"] == "LinkedinJobPostingDraftCreated"


async def test_keys_expire_after_24_hours_of_sandbox_time(raw):
    first = (await raw.create(idempotency_key="k-1"))[1]["job_id"]
    raw.sandbox.advance_clock(24 * 3600 - 60)
    assert (await raw.create(idempotency_key="k-1"))[1]["job_id"] == first
    raw.sandbox.advance_clock(120)
    assert (await raw.create(idempotency_key="k-1"))[1]["job_id"] != first


async def test_the_clock_can_be_advanced_over_http(raw, http):
    first = (await raw.create(idempotency_key="k-1"))[1]["job_id"]
    async with http.post(raw.sandbox.root_url + "/_sandbox/clock", json={"advance": 86401}) as r:
        assert r.status == 200
    assert (await raw.create(idempotency_key="k-1"))[1]["job_id"] != first


async def test_commit_then_fail_on_create_leaves_the_draft_and_answers_504(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(faults=Faults(commit_then_fail=1.0, first_attempts=1)))
    status, error, _ = await raw.create(idempotency_key="k-1")
    assert (status, error["type"]) == (504, "errors/request_timeout")
    (created,) = raw.sandbox.ledger.creations
    assert raw.sandbox.job(created.job_id)["state"] == "draft"
    # The retry with the same key learns the id of the draft that was made.
    status, payload, headers = await raw.create(idempotency_key="k-1")
    assert (status, payload["job_id"], headers["Idempotent-Replayed"]) == (
        200,
        created.job_id,
        "true",
    )
    assert len(raw.sandbox.ledger.creations) == 1


async def test_commit_then_fail_on_create_without_a_key_makes_a_second_draft(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(faults=Faults(commit_then_fail=1.0, first_attempts=1)))
    assert (await raw.create())[0] == 504
    assert (await raw.create())[0] == 200
    assert len(raw.sandbox.ledger.duplicate_creations()) == 1


async def test_commit_then_fail_on_publish_stores_the_published_answer(make_sandbox, raw_for):
    raw = raw_for(
        await make_sandbox(review_delay=0, faults=Faults(commit_then_fail=1.0, first_attempts=1))
    )
    assert (await raw.create(idempotency_key="c"))[0] == 504  # the first attempt faults
    job_id = (await raw.create(idempotency_key="c"))[1]["job_id"]
    path = f"/linkedin/jobs/{job_id}/publish"
    body = {"account_id": "acc_1", "mode": "FREE"}
    assert (await raw.request("POST", path, body, idempotency_key="p"))[0] == 504
    status, payload, _ = await raw.request("POST", path, body, idempotency_key="p")
    assert (status, payload["object"], payload["job_id"]) == (
        200,
        "LinkedinJobPostingPublished",
        job_id,
    )
    assert raw.sandbox.ledger.published_count(job_id) == 1


async def test_a_request_racing_its_own_key_waits_and_replays(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(faults=Faults(latency=0.3)))
    answers = await asyncio.gather(*(raw.create(idempotency_key="k-1") for _ in range(4)))
    assert {a[1]["job_id"] for a in answers} == {answers[0][1]["job_id"]}
    assert len(raw.sandbox.ledger.creations) == 1
    assert raw.sandbox.stats.idempotent_replays == 3


@pytest.mark.parametrize("key", ["", " ", "a" * 256, "k\u00e9y"])
async def test_an_unusable_key_is_refused(raw, key):
    status, error, _ = await raw.request(
        "POST", "/linkedin/jobs", raw.job_body(), headers={"Idempotency-Key": key}
    )
    assert (status, error["type"]) == (400, "errors/invalid_parameters")
    assert raw.sandbox.ledger.creations == []


async def test_replays_are_counted_in_the_stats_served_over_http(raw, http):
    await raw.create(idempotency_key="k-1")
    await raw.create(idempotency_key="k-1")
    async with http.get(raw.sandbox.root_url + "/_sandbox/stats") as response:
        stats = await response.json()
    assert stats["idempotent_replays"] == 1
    assert stats["endpoint_counts"] == {"create": 2}


async def test_a_sandbox_without_idempotency_ignores_the_key(make_sandbox, raw_for):
    faults = Faults(commit_then_fail=1.0, first_attempts=1)
    raw = raw_for(await make_sandbox(idempotency=False, faults=faults))
    assert (await raw.create(idempotency_key="k-1"))[0] == 504
    status, _, headers = await raw.create(idempotency_key="k-1")
    assert (status, "Idempotent-Replayed" in headers) == (200, False)
    assert len(raw.sandbox.ledger.duplicate_creations()) == 1
    assert raw.sandbox.stats.idempotent_replays == 0


async def test_without_idempotency_a_retried_publish_learns_already_published(
    make_sandbox, raw_for
):
    faults = Faults(commit_then_fail=1.0, first_attempts=1)
    raw = raw_for(await make_sandbox(idempotency=False, faults=faults))
    body = {"account_id": "acc_1", "mode": "FREE"}
    path = "/linkedin/jobs/d1/publish"
    assert (await raw.request("POST", path, body, idempotency_key="p"))[0] == 504
    status, error, _ = await raw.request("POST", path, body, idempotency_key="p")
    assert (status, error["type"]) == (422, "errors/action_already_performed")
    assert raw.sandbox.ledger.published_count("d1") == 1
