"""Search parameters and accounts over raw HTTP, and accounts whose health fails calls."""

from __future__ import annotations

import pytest

from postpress_async.sandbox import Account


async def search(raw, **params):
    params.setdefault("account_id", "acc_1")
    return await raw.get("/linkedin/search/parameters", **params)


@pytest.mark.parametrize(
    ("keywords", "title"),
    [
        ("Berlin", "Berlin, Germany"),
        ("paris", "Paris, Île-de-France, France"),
        ("London", "London, England, United Kingdom"),
        ("new york", "New York, New York, United States"),
    ],
)
async def test_common_cities_resolve_to_location_ids(raw, keywords, title):
    status, page, _ = await search(raw, type="LOCATION", keywords=keywords)
    assert status == 200
    assert page["object"] == "LinkedinSearchParametersList"
    first = page["items"][0]
    assert (first["object"], first["title"]) == ("LinkedinSearchParameter", title)
    assert first["id"].isdigit()
    assert page["paging"] == {"page_count": len(page["items"])}


@pytest.mark.parametrize(
    ("kind", "keywords", "pattern"),
    [
        ("JOB_TITLE", "python", str.isdigit),
        ("COMPANY", "acme", str.isdigit),
        ("INDUSTRY", "software", str.isdigit),
        ("JOB_FUNCTION", "engineering", str.islower),
        ("SKILL", "python", str.isdigit),
    ],
)
async def test_each_job_field_type_resolves_in_its_id_format(raw, kind, keywords, pattern):
    _, page, _ = await search(raw, type=kind, keywords=keywords)
    assert page["items"]
    assert all(pattern(item["id"]) for item in page["items"])


async def test_a_resolved_location_names_the_created_job(raw):
    _, page, _ = await search(raw, type="LOCATION", keywords="London")
    job_id = await raw.new_job(location=page["items"][0]["id"])
    assert (await raw.get_job(job_id))[1]["location"] == "London, England, United Kingdom"


async def test_no_match_is_an_empty_list(raw):
    _, page, _ = await search(raw, type="LOCATION", keywords="Atlantis")
    assert page["items"] == []


async def test_limit_bounds_the_candidates(raw):
    _, page, _ = await search(raw, type="LOCATION", limit="2")
    assert len(page["items"]) == 2
    _, page, _ = await search(raw, type="LOCATION")
    assert len(page["items"]) == 10  # the documented default


@pytest.mark.parametrize(
    ("params", "status", "type_"),
    [
        ({}, 400, "errors/missing_parameters"),
        ({"type": "PLANET"}, 400, "errors/invalid_parameters"),
        ({"type": "location"}, 400, "errors/invalid_parameters"),
        ({"type": "LOCATION", "limit": "101"}, 400, "errors/limit_too_high"),
        ({"type": "LOCATION", "limit": "0"}, 400, "errors/invalid_parameters"),
        ({"type": "LOCATION", "service": "PREMIUM"}, 400, "errors/invalid_parameters"),
        ({"type": "EMPLOYMENT_TYPE", "keywords": "full"}, 400, "errors/invalid_parameters"),
        ({"type": "LOCATION", "cursor": "x"}, 400, "errors/invalid_parameters"),
    ],
)
async def test_bad_search_parameters_are_refused(raw, params, status, type_):
    answer, error, _ = await search(raw, **params)
    assert (answer, error["type"]) == (status, type_)


async def test_search_needs_an_account(raw):
    status, error, _ = await raw.get("/linkedin/search/parameters", type="LOCATION")
    assert (status, error["type"]) == (400, "errors/missing_parameters")


async def test_accounts_are_listed_with_their_health(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(accounts=3))
    status, page, _ = await raw.get("/accounts")
    assert status == 200
    assert page["object"] == "AccountList"
    assert [a["id"] for a in page["items"]] == ["acc_1", "acc_2", "acc_3"]
    assert page["cursor"] is None
    account = page["items"][0]
    assert account["object"] == "Account"
    assert account["type"] == "LINKEDIN"
    assert account["sources"][0]["status"] == "OK"
    assert account["created_at"].endswith("Z")
    assert {"name", "connection_params", "groups"} <= set(account)


async def test_twenty_accounts_page_with_a_cursor(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(accounts=20))
    ids, cursor = [], None
    for _ in range(10):
        status, page, _ = await raw.get(
            "/accounts", limit="6", **({"cursor": cursor} if cursor else {})
        )
        assert status == 200
        ids += [a["id"] for a in page["items"]]
        cursor = page["cursor"]
        if cursor is None:
            break
    assert ids == [f"acc_{i}" for i in range(1, 21)]


async def test_get_account_answers_one_account(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(accounts=[Account("acc_7", status="CREDENTIALS")]))
    status, account, _ = await raw.get("/accounts/acc_7")
    assert (status, account["id"], account["sources"][0]["status"]) == (200, "acc_7", "CREDENTIALS")
    status, error, _ = await raw.get("/accounts/acc_8")
    assert (status, error["type"]) == (404, "errors/resource_not_found")


@pytest.mark.parametrize(
    ("health", "status", "type_"),
    [
        ("STOPPED", 401, "errors/disconnected_account"),
        ("ERROR", 401, "errors/disconnected_account"),
        ("CREDENTIALS", 401, "errors/expired_credentials"),
        ("PERMISSIONS", 403, "errors/account_restricted"),
        ("CONNECTING", 503, "errors/no_client_session"),
    ],
)
async def test_an_unhealthy_account_fails_every_job_call(
    make_sandbox, raw_for, health, status, type_
):
    raw = raw_for(await make_sandbox(review_delay=0, accounts=[Account("acc_1", status=health)]))
    answers = [
        await raw.create(),
        await raw.publish("any-draft"),
        await raw.get("/linkedin/jobs", account_id="acc_1"),
        await search(raw, type="LOCATION"),
    ]
    assert [(s, e["type"]) for s, e, _ in answers] == [(status, type_)] * 4
    assert raw.sandbox.ledger.creations == []
    assert len(raw.sandbox.ledger) == 0


async def test_health_can_change_mid_run_from_python(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, accounts=2))
    job_id = await raw.new_job("acc_2")
    raw.sandbox.set_account_status("acc_2", "PERMISSIONS")
    status, error, _ = await raw.publish(job_id, "acc_2")
    assert (status, error["type"]) == (403, "errors/account_restricted")
    assert await raw.new_job("acc_1")  # other accounts go on
    raw.sandbox.set_account_status("acc_2", "OK")
    assert (await raw.publish(job_id, "acc_2"))[0] == 200


async def test_health_can_change_mid_run_over_http(make_sandbox, raw_for, http):
    raw = raw_for(await make_sandbox(accounts=1))
    url = raw.sandbox.root_url + "/_sandbox/accounts/acc_1"
    async with http.post(url, json={"status": "STOPPED"}) as response:
        assert (response.status, (await response.json())["status"]) == (200, "STOPPED")
    status, error, _ = await raw.create()
    assert (status, error["type"]) == (401, "errors/disconnected_account")
    _, account, _ = await raw.get("/accounts/acc_1")
    assert account["sources"][0]["status"] == "STOPPED"


async def test_the_failure_of_an_unhealthy_account_can_be_chosen(make_sandbox, raw_for):
    account = Account("acc_1", status="PERMISSIONS", failure="errors/subscription_required")
    raw = raw_for(await make_sandbox(accounts=[account]))
    status, error, _ = await raw.create()
    assert (status, error["type"]) == (403, "errors/subscription_required")


async def test_a_rate_limited_account_answers_a_429_that_concerns_it_only(
    make_sandbox, raw_for
):
    raw = raw_for(await make_sandbox(review_delay=0, accounts=2))
    job_id = await raw.new_job("acc_1")
    raw.sandbox.set_account_rate_limited("acc_1", retry_after=7)

    status, error, headers = await raw.publish(job_id, "acc_1")
    assert (status, error["type"]) == (429, "errors/too_many_requests")
    assert "acc_1" in error["detail"]
    assert headers["X-RateLimit-Scope"] == "account"
    assert headers["Retry-After"] == "7"
    assert (await raw.create(raw.job_body("acc_1")))[0] == 429
    assert await raw.new_job("acc_2")  # other accounts go on
    assert len(raw.sandbox.ledger) == 0

    raw.sandbox.set_account_rate_limited("acc_1", False)
    assert (await raw.publish(job_id, "acc_1"))[0] == 200


async def test_an_account_rate_limit_can_be_set_over_http(make_sandbox, raw_for, http):
    raw = raw_for(await make_sandbox(accounts=[Account("acc_1", rate_limited=True)]))
    status, _, headers = await raw.create()
    assert (status, headers["Retry-After"]) == (429, "1")
    url = raw.sandbox.root_url + "/_sandbox/accounts/acc_1"
    async with http.post(url, json={"rate_limited": False}) as response:
        info = await response.json()
    assert (response.status, info["rate_limited"], info["retry_after"]) == (200, False, 1)
    assert (await raw.create())[0] == 200


@pytest.mark.parametrize(
    "change",
    [
        {"status": "BROKEN"},
        {"credits": -1},
        {"colour": "red"},
        {"rate_limited": "yes"},
        {"retry_after": -1},
        {"retry_after": 1.5},
    ],
)
async def test_bad_account_changes_are_refused(make_sandbox, http, change):
    sandbox = await make_sandbox(accounts=1)
    async with http.post(sandbox.root_url + "/_sandbox/accounts/acc_1", json=change) as response:
        assert (response.status, (await response.json())["type"]) == (
            400,
            "errors/invalid_parameters",
        )


def test_an_account_status_must_be_a_source_status():
    with pytest.raises(ValueError, match="status must be one of"):
        Account("acc_1", status="FINE")


def test_an_account_rate_limit_is_checked_when_the_account_is_made():
    with pytest.raises(ValueError, match="retry_after must be a whole number"):
        Account("acc_1", rate_limited=True, retry_after=-5)


async def test_an_account_out_of_credits_cannot_promote_but_can_post_free(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, accounts=[Account("acc_1", credits=0)]))
    promoted, free = await raw.new_job(), await raw.new_job()
    status, error, _ = await raw.publish(promoted, mode="PROMOTED")
    assert (status, error["type"]) == (422, "errors/insufficient_credits")
    assert (await raw.publish(free))[0] == 200


async def test_unknown_accounts_are_404_when_accounts_are_configured(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(accounts=20))
    status, error, _ = await raw.create(raw.job_body("acc_21"))
    assert (status, error["type"]) == (404, "errors/resource_not_found")
