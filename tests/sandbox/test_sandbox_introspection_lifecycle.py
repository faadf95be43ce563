"""The /_sandbox/ routes for the lifecycle: jobs, accounts, the clock."""

from __future__ import annotations


async def sandbox_get(http, sandbox, path):
    async with http.get(sandbox.root_url + path) as response:
        return response.status, await response.json()


async def test_jobs_are_listed_with_their_state_and_owner(raw, http):
    draft = await raw.new_job("acc_1")
    live = await raw.live_job("acc_2")
    status, body = await sandbox_get(http, raw.sandbox, "/_sandbox/jobs")
    assert (status, body["total"]) == (200, 2)
    states = {
        job["job_id"]: (job["owner"], job["state"], job["published_count"]) for job in body["jobs"]
    }
    assert states == {draft: ("acc_1", "draft", 0), live: ("acc_2", "active", 1)}


async def test_the_python_job_view_matches_the_http_one(raw, http):
    job_id = await raw.live_job()
    _, body = await sandbox_get(http, raw.sandbox, "/_sandbox/jobs")
    assert body["jobs"] == [raw.sandbox.job(job_id)] == raw.sandbox.jobs()


async def test_accounts_are_listed_with_their_health(make_sandbox, http):
    sandbox = await make_sandbox(accounts=2)
    sandbox.set_account_status("acc_2", "CONNECTING")
    _, body = await sandbox_get(http, sandbox, "/_sandbox/accounts")
    assert [(a["account_id"], a["status"]) for a in body["accounts"]] == [
        ("acc_1", "OK"),
        ("acc_2", "CONNECTING"),
    ]
    assert body["accounts"] == sandbox.account_info()


async def test_the_clock_is_readable_and_only_moves_forward(raw, http):
    _, before = await sandbox_get(http, raw.sandbox, "/_sandbox/clock")
    async with http.post(raw.sandbox.root_url + "/_sandbox/clock", json={"advance": 3600}) as r:
        after = await r.json()
    assert after["offset"] - before["offset"] == 3600
    async with http.post(raw.sandbox.root_url + "/_sandbox/clock", json={"advance": -1}) as r:
        assert (r.status, (await r.json())["type"]) == (400, "errors/invalid_parameters")


async def test_sandbox_routes_are_not_counted_as_api_requests(raw, http):
    await sandbox_get(http, raw.sandbox, "/_sandbox/jobs")
    await sandbox_get(http, raw.sandbox, "/_sandbox/clock")
    assert raw.sandbox.stats.total_requests == 0


async def test_endpoint_counts_name_each_endpoint(raw):
    job_id = await raw.live_job()
    await raw.get_job(job_id)
    await raw.get(f"/linkedin/jobs/{job_id}/applicants", account_id="acc_1")
    assert raw.sandbox.stats.endpoint_counts == {
        "create": 1,
        "publish": 1,
        "get_job": 1,
        "list_applicants": 1,
    }
