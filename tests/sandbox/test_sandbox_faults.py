"""Seeded fault injection, including dropped connections and commit-then-fail."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from postpress_async.sandbox import Faults

ERROR_FAULTS = [
    (Faults(provider_error=1.0), 500, "errors/provider_error"),
    (Faults(unexpected_error=1.0), 500, "errors/unexpected_error"),
    (Faults(request_timeout=1.0), 504, "errors/request_timeout"),
    *(
        (Faults(service_unavailable={name: 1.0}), 503, f"errors/{name}")
        for name in (
            "no_client_session",
            "no_channel",
            "no_handler",
            "network_down",
            "service_unavailable",
        )
    ),
]


@pytest.mark.parametrize(("faults", "status", "type_"), ERROR_FAULTS)
async def test_an_error_fault_answers_its_status_and_type(
    make_sandbox, api_for, faults, status, type_
):
    sandbox = await make_sandbox(faults=faults)
    got_status, error, _ = await api_for(sandbox).publish("d1")
    assert (got_status, error["type"]) == (status, type_)
    assert len(sandbox.ledger) == 0


async def test_an_error_fault_applies_to_the_checkpoint_endpoint(make_sandbox, api_for):
    api = api_for(await make_sandbox(faults=Faults(provider_error=1.0)))
    status, error, _ = await api.checkpoint("d1", {"account_id": "a", "input": "1"})
    assert (status, error["type"]) == (500, "errors/provider_error")


async def test_one_503_rate_is_spread_over_the_five_types(make_sandbox, api_for):
    api = api_for(await make_sandbox(faults=Faults(service_unavailable=1.0)))
    types = set()
    for i in range(100):
        status, error, _ = await api.publish(f"d{i}")
        assert status == 503
        types.add(error["type"])
    assert len(types) == 5


async def test_rate_limited_is_429_with_retry_after(make_sandbox, api_for):
    api = api_for(await make_sandbox(faults=Faults(rate_limited=1.0, retry_after=3)))
    status, error, headers = await api.publish("d1")
    assert (status, error["type"], headers["Retry-After"]) == (429, "errors/too_many_requests", "3")


async def test_drop_connection_closes_the_socket_without_a_response(make_sandbox, api_for):
    sandbox = await make_sandbox(faults=Faults(drop_connection=1.0))
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api_for(sandbox).publish("d1")
    assert len(sandbox.ledger) == 0
    assert sandbox.stats.dropped_connections == 1


async def test_commit_then_fail_answers_504_but_the_publish_took_effect(make_sandbox, api_for):
    sandbox = await make_sandbox(faults=Faults(commit_then_fail=1.0))
    status, error, _ = await api_for(sandbox).publish("d1")
    assert (status, error["type"]) == (504, "errors/request_timeout")
    assert sandbox.ledger.published_count("d1") == 1


async def test_a_retry_after_commit_then_fail_is_action_already_performed(make_sandbox, api_for):
    sandbox = await make_sandbox(faults=Faults(commit_then_fail=1.0, first_attempts=1))
    api = api_for(sandbox)
    await api.publish("d1")
    status, error, _ = await api.publish("d1")
    assert (status, error["type"]) == (422, "errors/action_already_performed")
    assert sandbox.ledger.published_count("d1") == 1


async def test_commit_then_fail_on_the_last_checkpoint_publishes(make_sandbox, api_for):
    from postpress_async.sandbox import Draft

    sandbox = await make_sandbox(
        drafts=[Draft("d1", checkpoints=(("OTP", "1"),))], faults=Faults(commit_then_fail=1.0)
    )
    api = api_for(sandbox)
    await api.publish("d1")  # 504, but the checkpoint is now pending
    status, _, _ = await api.checkpoint("d1", {"account_id": "acc_1", "input": "1"})
    assert status == 504
    assert sandbox.ledger.published_count("d1") == 1


async def test_first_attempts_limits_faults_to_the_first_attempts(make_sandbox, api_for):
    api = api_for(await make_sandbox(faults=Faults(provider_error=1.0, first_attempts=2)))
    statuses = [(await api.publish("d1"))[0] for _ in range(3)]
    assert statuses == [500, 500, 200]


async def test_faults_come_after_authentication(make_sandbox, api_for):
    api = api_for(await make_sandbox(faults=Faults(provider_error=1.0)))
    status, error, _ = await api.publish("d1", key=None)
    assert (status, error["type"]) == (401, "errors/missing_credentials")


async def test_faults_come_after_validation(make_sandbox, api_for):
    api = api_for(await make_sandbox(faults=Faults(drop_connection=1.0)))
    status, error, _ = await api.publish("d1", {"account_id": "a"})
    assert (status, error["type"]) == (400, "errors/missing_parameters")


async def test_latency_delays_but_still_answers(make_sandbox, api_for):
    api = api_for(await make_sandbox(faults=Faults(latency=(0.001, 0.01))))
    status, _, _ = await api.publish("d1")
    assert status == 200


async def fault_outcomes(api, draft_ids):
    outcomes = {}
    for draft_id in draft_ids:
        outcomes[draft_id] = [(await api.publish(draft_id))[0] for _ in range(3)]
    return outcomes


async def test_same_seed_gives_same_faults_whatever_the_request_order(make_sandbox, api_for):
    faults = Faults(provider_error=0.3, request_timeout=0.3)
    draft_ids = [f"d{i}" for i in range(40)]
    first = await fault_outcomes(api_for(await make_sandbox(faults=faults, seed=11)), draft_ids)
    second = await fault_outcomes(
        api_for(await make_sandbox(faults=faults, seed=11)), list(reversed(draft_ids))
    )
    assert first == second


async def test_same_seed_gives_same_faults_under_concurrency(make_sandbox, api_for):
    faults = Faults(provider_error=0.5)
    draft_ids = [f"d{i}" for i in range(60)]
    sequential = await fault_outcomes(api_for(await make_sandbox(faults=faults, seed=5)), draft_ids)
    api = api_for(await make_sandbox(faults=faults, seed=5))
    results = await asyncio.gather(*(fault_outcomes(api, [d]) for d in reversed(draft_ids)))
    concurrent = {d: outcome for result in results for d, outcome in result.items()}
    assert sequential == concurrent


async def test_different_seeds_give_different_faults(make_sandbox, api_for):
    faults = Faults(provider_error=0.5)
    draft_ids = [f"d{i}" for i in range(40)]
    one = await fault_outcomes(api_for(await make_sandbox(faults=faults, seed=1)), draft_ids)
    two = await fault_outcomes(api_for(await make_sandbox(faults=faults, seed=2)), draft_ids)
    assert one != two


def test_fault_rates_over_one_in_total_are_refused():
    with pytest.raises(ValueError, match=r"more than 1\.0"):
        Faults(provider_error=0.6, request_timeout=0.6)


def test_a_fault_rate_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        Faults(provider_error=-0.1)


def test_an_unknown_503_type_is_refused():
    with pytest.raises(ValueError, match="not a 503"):
        Faults(service_unavailable={"no_coffee": 0.1})


def test_transient_spreads_the_rate_over_retryable_faults_and_commit_then_fail():
    faults = Faults.transient(0.4)
    assert (faults.provider_error, faults.request_timeout, faults.commit_then_fail) == (
        0.1,
        0.1,
        0.1,
    )
    assert faults.service_unavailable == 0.1
    assert (faults.drop_connection, faults.rate_limited, faults.unexpected_error) == (0, 0, 0)


async def test_transient_faults_never_duplicate_a_publish(make_sandbox, api_for):
    sandbox = await make_sandbox(faults=Faults.transient(0.5), seed=3)
    api = api_for(sandbox)
    for i in range(50):
        for _ in range(10):
            status, _, _ = await api.publish(f"d{i}")
            if status in (200, 422):
                break
    assert sandbox.ledger.duplicates() == {}
    assert len(sandbox.ledger) == 50
