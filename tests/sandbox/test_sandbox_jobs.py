"""The job lifecycle over raw HTTP: create, get, edit, publish, review -> active, list, close."""

from __future__ import annotations

import re

import pytest


async def test_create_answers_a_draft_id_and_publish_options(raw):
    status, payload, _ = await raw.create()
    assert status == 200
    assert payload["object"] == "LinkedinJobPostingDraftCreated"
    assert re.fullmatch(r"\d+", payload["job_id"])
    free, promoted = payload["publish_options"]["free"], payload["publish_options"]["promoted"]
    assert (free["eligible"], free["ineligible_reason"]) == (True, None)
    assert isinstance(free["estimated_monthly_applicants"], int)
    assert set(promoted["daily_budget"]) == {"min", "max", "recommended"}
    assert set(promoted["monthly_budget"]) == {"min", "max", "recommended"}
    assert promoted["currency"] == "USD"


async def test_a_created_draft_is_readable_in_state_draft(raw):
    job_id = await raw.new_job()
    status, job, _ = await raw.get_job(job_id)
    assert status == 200
    assert (job["object"], job["id"], job["state"]) == ("LinkedinJobPosting", job_id, "draft")
    assert job["title"] == "Senior Python Engineer"
    assert job["company"] == "Acme GmbH"
    assert job["location"] == "Berlin, Germany"
    assert (job["applicants_counter"], job["cost"]) == (0, 0)


async def test_each_create_makes_a_new_draft(raw):
    first, second = await raw.new_job(), await raw.new_job()
    assert first != second


async def test_get_needs_the_service_query_parameter(raw):
    job_id = await raw.new_job()
    status, error, _ = await raw.get(f"/linkedin/jobs/{job_id}", account_id="acc_1")
    assert (status, error["type"]) == (400, "errors/missing_parameters")
    assert "service" in error["detail"]


async def test_get_refuses_an_unknown_service(raw):
    job_id = await raw.new_job()
    status, error, _ = await raw.get(
        f"/linkedin/jobs/{job_id}", account_id="acc_1", service="SALES_NAVIGATOR"
    )
    assert (status, error["type"]) == (400, "errors/invalid_parameters")


async def test_get_of_an_unknown_job_is_404(raw):
    status, error, _ = await raw.get_job("999")
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_another_account_cannot_see_a_draft(raw):
    job_id = await raw.new_job("acc_1")
    status, error, _ = await raw.get_job(job_id, "acc_2")
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_edit_changes_only_the_fields_sent(raw):
    job_id = await raw.new_job()
    status, payload, _ = await raw.request(
        "PATCH",
        f"/linkedin/jobs/{job_id}",
        {"account_id": "acc_1", "description": "<p>New text</p>", "location": "105015875"},
    )
    assert (status, payload) == (200, {"object": "LinkedinJobPostingEdited", "job_id": job_id})
    _, job, _ = await raw.get_job(job_id)
    assert (job["description"], job["location"]) == (
        "<p>New text</p>",
        "Paris, Île-de-France, France",
    )
    assert job["title"] == "Senior Python Engineer"


async def test_edit_replaces_the_screening_questions(raw):
    question = {"question": "Years of Python?", "answer_type": "numeric", "min_expectation": 3}
    job_id = await raw.new_job(screening_questions=[question, question])
    await raw.request(
        "PATCH",
        f"/linkedin/jobs/{job_id}",
        {"account_id": "acc_1", "screening_questions": [question]},
    )
    _, job, _ = await raw.get_job(job_id)
    assert job["screening_questions"] == [
        {"question": "Years of Python?", "favorableAnswers": ["3"]}
    ]


async def test_publishing_a_created_draft_answers_review_then_goes_active(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=30.0))
    job_id = await raw.new_job()
    status, payload, _ = await raw.publish(job_id)
    assert (status, payload["job_state"]) == (200, "review")
    assert (await raw.get_job(job_id))[1]["state"] == "review"
    raw.sandbox.advance_clock(30.0)
    _, job, _ = await raw.get_job(job_id)
    assert job["state"] == "active"
    assert job["applicants_counter"] > 0


async def test_the_review_delay_is_seeded_and_within_the_configured_range(make_sandbox, raw_for):
    delays = []
    for _ in range(2):
        raw = raw_for(await make_sandbox(review_delay=(1.0, 3.0), seed=5))
        job_id = await raw.new_job()
        delays.append(raw.sandbox.job(job_id)["review_delay"])
    assert delays[0] == delays[1]
    assert 1.0 <= delays[0] <= 3.0


async def test_with_review_delay_zero_a_job_is_active_on_the_next_read(raw):
    job_id = await raw.live_job()
    assert (await raw.get_job(job_id))[1]["state"] == "active"


async def test_created_drafts_publish_without_a_checkpoint_by_default(raw):
    job_id = await raw.new_job()
    _, payload, _ = await raw.publish(job_id)
    assert payload["object"] == "LinkedinJobPostingPublished"


async def test_created_drafts_can_be_configured_to_demand_a_checkpoint(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(created_checkpoint_fraction=1.0, review_delay=0))
    job_id = await raw.new_job()
    _, payload, _ = await raw.publish(job_id)
    assert payload["object"] == "LinkedinJobPostingPublishCheckpoint"
    ((_, code),) = raw.sandbox.job(job_id)["checkpoints"]
    status, done, _ = await raw.request(
        "POST", f"/linkedin/jobs/{job_id}/checkpoint", {"account_id": "acc_1", "input": code}
    )
    assert (status, done["object"]) == (200, "LinkedinJobPostingPublished")


async def test_a_created_draft_not_eligible_to_free_posting_says_so(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(created_not_free_fraction=1.0))
    _, payload, _ = await raw.create()
    assert payload["publish_options"]["free"]["eligible"] is False
    assert payload["publish_options"]["free"]["ineligible_reason"]
    status, error, _ = await raw.publish(payload["job_id"])
    assert (status, error["type"]) == (400, "errors/invalid_parameters")


@pytest.mark.parametrize(
    "budget",
    [
        {"daily": {"currency": "USD", "amount": 1}},
        {"daily": {"currency": "USD", "amount": 10_000}},
        {"monthly": {"currency": "EUR", "amount": 600}},
    ],
)
async def test_a_promoted_budget_outside_the_publish_options_is_refused(raw, budget):
    job_id = await raw.new_job()
    status, error, _ = await raw.publish(job_id, mode="PROMOTED", budget=budget)
    assert (status, error["type"]) == (400, "errors/invalid_parameters")
    assert raw.sandbox.ledger.published_count(job_id) == 0


async def test_a_promoted_publish_costs_its_budget(raw):
    job_id = await raw.new_job()
    budget = {"daily": {"currency": "USD", "amount": 40}}
    await raw.publish(job_id, mode="PROMOTED", budget=budget)
    assert (await raw.get_job(job_id))[1]["cost"] == 40


async def test_another_account_cannot_publish_a_draft(raw):
    job_id = await raw.new_job("acc_1")
    status, error, _ = await raw.publish(job_id, "acc_2")
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_a_recruiter_job_is_read_through_the_recruiter_service(raw):
    job_id = await raw.new_job()
    await raw.publish(job_id, mode="PROMOTED", service="RECRUITER")
    path = f"/linkedin/jobs/{job_id}"
    assert (await raw.get(path, account_id="acc_1", service="RECRUITER"))[0] == 200
    status, error, _ = await raw.get(path, account_id="acc_1", service="CLASSIC")
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_close_ends_a_posted_job(raw):
    job_id = await raw.live_job()
    status, payload, _ = await raw.request(
        "POST", f"/linkedin/jobs/{job_id}/close", {"account_id": "acc_1"}
    )
    assert (status, payload) == (200, {"object": "LinkedinJobPostingClosed", "job_id": job_id})
    _, job, _ = await raw.get_job(job_id)
    assert job["state"] == "closed"
    assert isinstance(job["closed_at"], int)


async def test_close_takes_the_account_in_the_query_too(raw):
    job_id = await raw.live_job()
    status, _, _ = await raw.request(
        "POST", f"/linkedin/jobs/{job_id}/close", params={"account_id": "acc_1"}
    )
    assert status == 200


async def test_close_needs_an_account(raw):
    job_id = await raw.live_job()
    status, error, _ = await raw.request("POST", f"/linkedin/jobs/{job_id}/close", {})
    assert (status, error["type"]) == (400, "errors/missing_parameters")


async def test_closing_twice_is_action_already_performed(raw):
    job_id = await raw.live_job()
    body = {"account_id": "acc_1"}
    await raw.request("POST", f"/linkedin/jobs/{job_id}/close", body)
    status, error, _ = await raw.request("POST", f"/linkedin/jobs/{job_id}/close", body)
    assert (status, error["type"]) == (422, "errors/action_already_performed")


async def test_a_draft_cannot_be_closed(raw):
    job_id = await raw.new_job()
    status, error, _ = await raw.request(
        "POST", f"/linkedin/jobs/{job_id}/close", {"account_id": "acc_1"}
    )
    assert (status, error["type"]) == (422, "errors/unprocessable_entity")


async def test_a_closed_job_cannot_be_edited_or_published(raw):
    job_id = await raw.live_job()
    await raw.request("POST", f"/linkedin/jobs/{job_id}/close", {"account_id": "acc_1"})
    status, error, _ = await raw.request(
        "PATCH", f"/linkedin/jobs/{job_id}", {"account_id": "acc_1", "description": "x"}
    )
    assert (status, error["type"]) == (422, "errors/unprocessable_entity")
    status, error, _ = await raw.publish(job_id)
    assert (status, error["type"]) == (422, "errors/action_already_performed")


async def test_seeded_drafts_keep_their_configured_publish_answer_and_are_readable(raw):
    status, payload, _ = await raw.publish("draft-legacy")
    assert (status, payload["job_state"]) == (200, "active")
    _, job, _ = await raw.get_job("draft-legacy")
    assert (job["id"], job["state"]) == ("draft-legacy", "active")


async def test_list_jobs_shows_one_category_newest_first(raw):
    drafts = [await raw.new_job() for _ in range(3)]
    live = await raw.live_job()
    status, page, _ = await raw.get("/linkedin/jobs", account_id="acc_1", category="draft")
    assert status == 200
    assert page["object"] == "LinkedinJobPostingList"
    assert [job["id"] for job in page["items"]] == drafts[::-1]
    assert (page["cursor"], page["paging"]) == (None, {"page_count": 3, "total_count": 3})
    _, active, _ = await raw.get(
        "/linkedin/jobs", account_id="acc_1"
    )  # category defaults to active
    assert [job["id"] for job in active["items"]] == [live]


async def test_list_jobs_lists_only_the_accounts_own_jobs(raw):
    await raw.new_job("acc_1")
    _, page, _ = await raw.get("/linkedin/jobs", account_id="acc_2", category="draft")
    assert page["items"] == []


async def walk(raw, **params):
    ids, cursor, pages = [], None, 0
    while pages < 100:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        status, page, _ = await raw.get("/linkedin/jobs", **query)
        assert status == 200, page
        ids += [job["id"] for job in page["items"]]
        pages += 1
        cursor = page["cursor"]
        if cursor is None:
            return ids, pages
    raise AssertionError("the cursor never ended")


async def test_list_jobs_pages_with_a_cursor(raw):
    created = [await raw.new_job() for _ in range(7)]
    ids, pages = await walk(raw, account_id="acc_1", category="draft", limit="3")
    assert (ids, pages) == (created[::-1], 3)


async def test_job_pages_stay_consistent_while_jobs_are_added(raw):
    created = [await raw.new_job() for _ in range(6)]
    _, first, _ = await raw.get("/linkedin/jobs", account_id="acc_1", category="draft", limit="2")
    added = [await raw.new_job() for _ in range(5)]  # newer: before the walk's start
    ids = [job["id"] for job in first["items"]]
    cursor = first["cursor"]
    while cursor:
        _, page, _ = await raw.get(
            "/linkedin/jobs", account_id="acc_1", category="draft", limit="2", cursor=cursor
        )
        ids += [job["id"] for job in page["items"]]
        cursor = page["cursor"]
    assert ids == created[::-1]
    assert not set(ids) & set(added)


@pytest.mark.parametrize(
    ("params", "type_"),
    [
        ({"limit": "0"}, "errors/invalid_parameters"),
        ({"limit": "251"}, "errors/limit_too_high"),
        ({"limit": "ten"}, "errors/invalid_parameters"),
        ({"limit": "-1"}, "errors/invalid_parameters"),
        ({"category": "review"}, "errors/invalid_parameters"),
        ({"cursor": "not-a-cursor"}, "errors/invalid_parameters"),
        ({"cursor": ""}, "errors/invalid_parameters"),
        ({"service": "CLASSIC"}, "errors/invalid_parameters"),
    ],
)
async def test_list_jobs_refuses_bad_parameters(raw, params, type_):
    status, error, _ = await raw.get("/linkedin/jobs", account_id="acc_1", **params)
    assert (status, error["type"]) == (400, type_)


async def test_list_jobs_needs_an_account(raw):
    status, error, _ = await raw.get("/linkedin/jobs")
    assert (status, error["type"]) == (400, "errors/missing_parameters")


async def test_a_cursor_from_another_category_is_refused(raw):
    for _ in range(3):
        await raw.new_job()
    _, page, _ = await raw.get("/linkedin/jobs", account_id="acc_1", category="draft", limit="1")
    status, error, _ = await raw.get(
        "/linkedin/jobs", account_id="acc_1", category="closed", cursor=page["cursor"]
    )
    assert (status, error["type"]) == (400, "errors/invalid_parameters")


async def test_the_ledger_shows_each_draft_created_once_and_published_once(raw, http):
    ids = [await raw.live_job(job_title={"text": f"Job {i}"}) for i in range(3)]
    ledger = raw.sandbox.ledger
    assert [entry.job_id for entry in ledger.creations] == ids
    assert ledger.duplicate_creations() == []
    assert all(ledger.published_count(job_id) == 1 for job_id in ids)
    async with http.get(raw.sandbox.root_url + "/_sandbox/ledger") as response:
        body = await response.json()
    assert (body["total_creations"], body["total"], body["duplicate_creations"]) == (3, 3, [])


async def test_the_ledger_reports_drafts_created_twice_from_one_definition(raw):
    body = raw.job_body(job_title={"text": "Same"})
    first = (await raw.create(body))[1]["job_id"]
    second = (await raw.create(dict(reversed(list(body.items())))))[1]["job_id"]
    assert raw.sandbox.ledger.duplicate_creations() == [[first, second]]
