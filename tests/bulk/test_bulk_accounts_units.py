"""Bulk runs across accounts, against a fake API: stop scopes, per-account limits, 429
scopes and the health check."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from postpress_async import (
    STOP_SCOPES,
    AccountSourceStatus,
    ErrorType,
    InvalidRequestError,
    Outcome,
    OutcomeKind,
    PublishRequest,
    RateLimitError,
    StopScope,
)
from postpress_async._bulk_gate import rate_limit_scope

from .fake_accounts_api import FakeAccountsAPI, drafts, error, interleave


@pytest.fixture
async def api() -> FakeAccountsAPI:
    return FakeAccountsAPI()


# -- the scope table -----------------------------------------------------------------


def test_the_scope_table_sends_key_errors_to_the_run_and_account_errors_to_the_account() -> None:
    assert STOP_SCOPES[ErrorType.MISSING_CREDENTIALS] is StopScope.RUN
    assert STOP_SCOPES[ErrorType.INSUFFICIENT_PRIVILEGES] is StopScope.RUN
    assert STOP_SCOPES[ErrorType.INVALID_CREDENTIALS] is StopScope.RUN
    for account_error in (
        ErrorType.DISCONNECTED_ACCOUNT,
        ErrorType.EXPIRED_CREDENTIALS,
        ErrorType.WRONG_ACCOUNT,
        ErrorType.MULTIPLE_SESSIONS,
        ErrorType.ACCOUNT_RESTRICTED,
        ErrorType.SUBSCRIPTION_REQUIRED,
    ):
        assert STOP_SCOPES[account_error] is StopScope.ACCOUNT
    assert STOP_SCOPES[ErrorType.INSUFFICIENT_CREDITS] is StopScope.CREDITS
    assert STOP_SCOPES[ErrorType.PAYMENT_ERROR] is StopScope.CREDITS


async def test_a_disconnected_account_stops_its_own_drafts_only(api: FakeAccountsAPI) -> None:
    api.answers["bad"] = [error(401, "errors/disconnected_account")] * 100
    seen: list[Outcome] = []
    async with api.client() as client:
        report = await client.jobs.publish_many(
            interleave(drafts("bad", 30), drafts("good", 30)), concurrency=1,
            on_outcome=seen.append,
        )

    assert report.by_account["good"].counts["published"] == 30
    bad = report.by_account["bad"]
    assert bad.counts["failed"] == 1
    assert bad.counts["not_attempted"] == 29
    assert bad.stop is not None
    assert bad.stop.scope is StopScope.ACCOUNT
    assert bad.stop.cause == "401 errors/disconnected_account"
    stopped = [o for o in seen if o.kind is OutcomeKind.NOT_ATTEMPTED]
    assert {o.account_id for o in stopped} == {"bad"}
    assert all(o.reason == "stopped" and o.stop == bad.stop for o in stopped)
    assert api.publishes["bad"] == 1
    assert report.stopped_early
    assert report.stop is None


async def test_an_api_key_error_stops_every_account(api: FakeAccountsAPI) -> None:
    api.answers["a"] = [error(401, "errors/missing_credentials")]
    async with api.client() as client:
        report = await client.jobs.publish_many(
            interleave(drafts("a", 10), drafts("b", 10)), concurrency=1
        )

    assert report.counts["failed"] == 1
    assert report.counts["not_attempted"] == 19
    assert report.stop is not None
    assert report.stop.scope is StopScope.RUN
    assert api.publishes["b"] == 0


async def test_invalid_credentials_can_be_scoped_to_one_account(api: FakeAccountsAPI) -> None:
    api.answers["a"] = [error(401, "errors/invalid_credentials")]
    async with api.client() as client:
        report = await client.jobs.publish_many(
            interleave(drafts("a", 10), drafts("b", 10)),
            concurrency=1,
            stop_scopes={ErrorType.INVALID_CREDENTIALS: "account"},
        )

    assert report.by_account["b"].counts["published"] == 10
    assert report.by_account["a"].counts["not_attempted"] == 9
    assert report.stop is None


async def test_no_credits_stop_that_accounts_promoted_drafts_only(api: FakeAccountsAPI) -> None:
    api.answers["poor"] = [error(422, "errors/insufficient_credits")]
    requests = interleave(
        drafts("poor", 10, mode="PROMOTED"),
        [PublishRequest(f"poor-free-{i}", account_id="poor", mode="FREE") for i in range(10)],
        drafts("rich", 10, mode="PROMOTED"),
    )
    async with api.client() as client:
        report = await client.jobs.publish_many(requests, concurrency=1)

    poor = report.by_account["poor"]
    assert poor.counts == {**poor.counts, "published": 10, "failed": 1, "not_attempted": 9}
    assert poor.stop is not None
    assert poor.stop.scope is StopScope.CREDITS
    assert report.by_account["rich"].counts["published"] == 10


async def test_a_bad_stop_scope_is_refused_with_a_clear_error(api: FakeAccountsAPI) -> None:
    async with api.client() as client:
        with pytest.raises(InvalidRequestError, match="stop_scopes"):
            await client.jobs.publish_many(
                drafts("a", 1), stop_scopes={"errors/invalid_credentials": "galaxy"}
            )


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("per_account_concurrency", 0),
        ("per_account_rate", -1.0),
        ("max_parked", 0),
        ("check_accounts", "yes"),
        ("connecting_timeout", 0),
    ],
)
async def test_bad_per_account_options_are_refused_by_name(
    api: FakeAccountsAPI, option: str, value: object
) -> None:
    async with api.client() as client:
        with pytest.raises(InvalidRequestError, match=option):
            await client.jobs.publish_many(drafts("a", 1), **{option: value})  # type: ignore[arg-type]


# -- per-account limits --------------------------------------------------------------


async def test_per_account_concurrency_caps_each_account_not_the_run(
    api: FakeAccountsAPI,
) -> None:
    accounts = [f"acc_{i}" for i in range(6)]
    async with api.client() as client:
        report = await client.jobs.publish_many(
            interleave(*(drafts(a, 40) for a in accounts)),
            concurrency=12,
            per_account_concurrency=2,
        )

    assert report.counts["published"] == 240
    assert all(api.max_in_flight[a] <= 2 for a in accounts)
    assert api.max_total_in_flight <= 12


async def test_a_stuck_account_does_not_hold_slots_other_accounts_could_use(
    api: FakeAccountsAPI,
) -> None:
    api.gates["stuck"] = asyncio.Event()  # its publishes hang until the others are done
    others_done = 0

    def on_outcome(outcome: Outcome) -> None:
        nonlocal others_done
        if outcome.account_id != "stuck":
            others_done += 1
            if others_done == 60:
                api.gates["stuck"].set()

    # The stuck account's drafts come first: with global slots only, they would fill
    # every slot and nothing else could move.
    requests = [*drafts("stuck", 20), *interleave(drafts("b", 30), drafts("c", 30))]
    async with api.client() as client:
        report = await asyncio.wait_for(
            client.jobs.publish_many(
                requests, concurrency=4, per_account_concurrency=2, on_outcome=on_outcome
            ),
            timeout=30,
        )

    assert report.counts["published"] == 80
    assert api.max_in_flight["stuck"] == 2


async def test_drafts_read_ahead_for_a_busy_account_are_bounded(api: FakeAccountsAPI) -> None:
    api.gates["busy"] = asyncio.Event()
    pulled = 0

    def requests() -> Iterator[PublishRequest]:
        nonlocal pulled
        for request in drafts("busy", 10_000):
            pulled += 1
            yield request

    async def release_when_reading_stops() -> None:
        previous = -1
        while pulled != previous:  # bounded: pulled cannot grow past the input
            previous = pulled
            for _ in range(20):
                await asyncio.sleep(0)
        api.gates["busy"].set()

    async with api.client() as client:
        releaser = asyncio.ensure_future(release_when_reading_stops())
        pulled_while_stuck = None

        def on_outcome(_outcome: Outcome) -> None:
            nonlocal pulled_while_stuck
            if pulled_while_stuck is None:
                pulled_while_stuck = pulled

        await client.jobs.publish_many(
            requests(), concurrency=8, per_account_concurrency=2, max_parked=50,
            on_outcome=on_outcome,
        )
        await releaser

    # Two in flight, 50 parked, and the one being admitted when the bound was reached.
    assert pulled_while_stuck is not None
    assert pulled_while_stuck <= 2 + 50 + 1


def test_a_429_concerns_one_account_when_its_header_or_detail_says_so() -> None:
    def limited(detail: str = "", **headers: str) -> RateLimitError:
        return RateLimitError(
            status=429, type="errors/too_many_requests", title="t", detail=detail,
            request_id=None, headers=headers,
        )

    assert rate_limit_scope(limited(**{"X-RateLimit-Scope": "account"}), "acc_1") == "account"
    assert rate_limit_scope(limited(**{"x-ratelimit-scope": "key"}), "acc_1") == "run"
    assert rate_limit_scope(limited("LinkedIn limit reached for acc_1"), "acc_1") == "account"
    assert rate_limit_scope(limited("LinkedIn limit reached for acc_12"), "acc_1") == "run"
    assert rate_limit_scope(limited("slow down"), "acc_1") == "run"


async def test_an_account_429_is_retried_in_that_accounts_lane(api: FakeAccountsAPI) -> None:
    api.answers["hot"] = [
        error(429, "errors/too_many_requests", "LinkedIn limit for hot", **{"Retry-After": "1"})
    ] * 3
    async with api.client() as client:
        report = await client.jobs.publish_many(
            interleave(drafts("hot", 5), drafts("cool", 5)), concurrency=2
        )

    assert report.counts["published"] == 10
    assert api.publishes["hot"] == 8  # three 429s, then each of the five once


# -- the health check ----------------------------------------------------------------


async def test_an_unhealthy_account_is_not_sent_a_single_draft(api: FakeAccountsAPI) -> None:
    api.statuses["gone"] = "CREDENTIALS"
    async with api.client() as client:
        report = await client.jobs.publish_many(
            interleave(drafts("gone", 50), drafts("fine", 50)), concurrency=8,
            check_accounts=True,
        )

    gone = report.by_account["gone"]
    assert gone.counts["not_attempted"] == 50
    assert gone.stop is not None
    assert gone.stop.account_status is AccountSourceStatus.CREDENTIALS
    assert report.by_account["fine"].counts["published"] == 50
    assert api.publishes["gone"] == 0
    assert api.reads == {"gone": 1, "fine": 1}


async def test_a_connecting_account_is_waited_for_until_it_is_ok(api: FakeAccountsAPI) -> None:
    api.statuses["slow"] = ["CONNECTING", "CONNECTING", "OK"]
    async with api.client() as client:
        report = await client.jobs.publish_many(
            drafts("slow", 10), check_accounts=True, connecting_timeout=30
        )

    assert report.counts["published"] == 10
    assert api.reads["slow"] == 3


async def test_an_account_still_connecting_after_the_bound_is_not_ok(
    api: FakeAccountsAPI,
) -> None:
    api.statuses["never"] = "CONNECTING"
    async with api.client() as client:
        report = await client.jobs.publish_many(
            interleave(drafts("never", 10), drafts("fine", 10)),
            check_accounts=True,
            connecting_timeout=0.2,
        )

    never = report.by_account["never"]
    assert never.counts["not_attempted"] == 10
    assert never.stop is not None
    assert never.stop.account_status is AccountSourceStatus.CONNECTING
    assert report.by_account["fine"].counts["published"] == 10
    assert api.publishes["never"] == 0


async def test_without_check_accounts_no_account_is_read(api: FakeAccountsAPI) -> None:
    async with api.client() as client:
        await client.jobs.publish_many(drafts("a", 5))

    assert not api.reads


async def test_a_per_account_rate_spaces_each_accounts_drafts_and_publishes_them_all(
    api: FakeAccountsAPI,
) -> None:
    async with api.client() as client:
        report = await client.jobs.publish_many(
            interleave(drafts("a", 20), drafts("b", 20), drafts("c", 20)),
            concurrency=6,
            per_account_rate=2000,
        )

    assert report.counts["published"] == 60
    assert {account: r.counts["published"] for account, r in report.by_account.items()} == {
        "a": 20, "b": 20, "c": 20,
    }


def test_the_sync_client_takes_the_per_account_options(api: FakeAccountsAPI) -> None:
    from postpress_async import Postpress

    api.statuses["gone"] = "STOPPED"
    with Postpress(api_key="pp_test_fake", transport=api.transport) as client:
        report = client.jobs.publish_many(
            interleave(drafts("gone", 5), drafts("fine", 5)),
            per_account_concurrency=2,
            check_accounts=True,
        )

    assert report.by_account["fine"].counts["published"] == 5
    assert report.by_account["gone"].counts["not_attempted"] == 5
    assert api.publishes["gone"] == 0
