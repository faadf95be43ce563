"""Drafts, accounts, credits and job slots."""

from __future__ import annotations

from postpress_async.sandbox import Account, Draft, generate_drafts

FREE = {"account_id": "acc_1", "mode": "FREE"}
PROMOTED = {"account_id": "acc_1", "mode": "PROMOTED"}
PROMOTED_PLUS = {"account_id": "acc_1", "mode": "PROMOTED_PLUS"}


async def test_an_unknown_draft_is_404_when_drafts_are_configured(make_sandbox, api_for):
    api = api_for(await make_sandbox(drafts=[Draft("d1")]))
    status, error, _ = await api.publish("d2")
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_any_draft_is_accepted_by_default(api):
    status, _, _ = await api.publish("never-configured")
    assert status == 200


async def test_accept_any_draft_adds_fresh_drafts_to_configured_ones(make_sandbox, api_for):
    api = api_for(
        await make_sandbox(drafts=[Draft("d1", free_eligible=False)], accept_any_draft=True)
    )
    status, _, _ = await api.publish("other")
    assert status == 200


async def test_publishing_a_published_draft_is_422_action_already_performed(api, sandbox):
    await api.publish("d1")
    status, error, _ = await api.publish("d1")
    assert (status, error["type"]) == (422, "errors/action_already_performed")
    assert sandbox.ledger.published_count("d1") == 1


async def test_free_on_a_draft_not_eligible_is_invalid_parameters(make_sandbox, api_for):
    api = api_for(await make_sandbox(drafts=[Draft("d1", free_eligible=False)]))
    status, error, _ = await api.publish("d1", FREE)
    assert (status, error["type"]) == (400, "errors/invalid_parameters")


async def test_promoted_on_a_draft_not_eligible_to_free_is_accepted(make_sandbox, api_for):
    api = api_for(await make_sandbox(drafts=[Draft("d1", free_eligible=False)]))
    status, _, _ = await api.publish("d1", PROMOTED)
    assert status == 200


async def test_the_drafts_job_state_is_answered(make_sandbox, api_for):
    api = api_for(await make_sandbox(drafts=[Draft("d1", job_state="review")]))
    _, payload, _ = await api.publish("d1")
    assert payload["job_state"] == "review"


async def test_promoted_spends_one_credit_and_promoted_plus_two(make_sandbox, api_for):
    account = Account("acc_1", credits=5)
    api = api_for(await make_sandbox(accounts=[account]))
    await api.publish("d1", PROMOTED)
    await api.publish("d2", PROMOTED_PLUS)
    assert account.credits == 2


async def test_free_spends_no_credit(make_sandbox, api_for):
    account = Account("acc_1", credits=0)
    api = api_for(await make_sandbox(accounts=[account]))
    status, _, _ = await api.publish("d1", FREE)
    assert (status, account.credits) == (200, 0)


async def test_running_out_of_credits_is_422_insufficient_credits(make_sandbox, api_for):
    api = api_for(await make_sandbox(accounts=[Account("acc_1", credits=1)]))
    await api.publish("d1", PROMOTED)
    status, error, _ = await api.publish("d2", PROMOTED)
    assert (status, error["type"]) == (422, "errors/insufficient_credits")


async def test_a_refused_publish_spends_nothing_and_is_not_ledgered(make_sandbox, api_for):
    account = Account("acc_1", credits=1)
    sandbox = await make_sandbox(accounts=[account])
    await api_for(sandbox).publish("d1", PROMOTED_PLUS)
    assert (account.credits, len(sandbox.ledger)) == (1, 0)


async def test_credit_costs_are_configurable(make_sandbox, api_for):
    account = Account("acc_1", credits=10)
    api = api_for(await make_sandbox(accounts=[account], credit_costs={"PROMOTED": 7}))
    await api.publish("d1", PROMOTED)
    assert account.credits == 3


async def test_running_out_of_job_slots_is_422_insufficient_job_slot(make_sandbox, api_for):
    api = api_for(await make_sandbox(accounts=[Account("acc_1", job_slots=1)]))
    await api.publish("d1", FREE)
    status, error, _ = await api.publish("d2", FREE)
    assert (status, error["type"]) == (422, "errors/insufficient_job_slot")


async def test_an_unknown_account_is_404_when_accounts_are_configured(make_sandbox, api_for):
    api = api_for(await make_sandbox(accounts=[Account("acc_1")]))
    status, error, _ = await api.publish("d1", {"account_id": "acc_2", "mode": "FREE"})
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_generated_drafts_are_the_only_drafts(make_sandbox, api_for):
    api = api_for(await make_sandbox(generate=3))
    assert (await api.publish("draft-00003"))[0] == 200
    assert (await api.publish("draft-00004"))[0] == 404


def test_generated_drafts_are_simple_by_default():
    drafts = generate_drafts(50, seed=1)
    assert all(d.free_eligible and not d.checkpoints for d in drafts)


def test_generated_drafts_are_a_function_of_the_seed():
    config = {"checkpoint_fraction": 0.5, "not_free_fraction": 0.5}
    assert generate_drafts(100, seed=4, **config) == generate_drafts(100, seed=4, **config)
    assert generate_drafts(100, seed=4, **config) != generate_drafts(100, seed=5, **config)


def test_generated_draft_fractions_give_checkpoints_and_ineligible_drafts():
    drafts = generate_drafts(1000, seed=0, checkpoint_fraction=0.3, not_free_fraction=0.2)
    with_checkpoints = sum(1 for d in drafts if d.checkpoints)
    not_free = sum(1 for d in drafts if not d.free_eligible)
    assert 200 < with_checkpoints < 400
    assert 100 < not_free < 300


async def test_allow_republish_accepts_a_second_publish_and_the_ledger_shows_it(
    make_sandbox, api_for
):
    sandbox = await make_sandbox(allow_republish=True)
    api = api_for(sandbox)
    await api.publish("d1")
    status, _, _ = await api.publish("d1")
    assert status == 200
    assert sandbox.ledger.duplicates() == {"d1": 2}
