"""Email-verification and OTP checkpoints before a publish takes effect."""

from __future__ import annotations

import pytest

from postpress_async.sandbox import Account, Draft

OTP_DRAFT = Draft("d1", checkpoints=(("OTP", "123456"),))
TWO_STEP_DRAFT = Draft("d1", checkpoints=(("EMAIL_VERIFICATION", "token"), ("OTP", "123456")))


def answer(value: str, account_id: str = "acc_1") -> dict[str, str]:
    return {"account_id": account_id, "input": value}


@pytest.fixture
async def otp_api(make_sandbox, api_for):
    return api_for(await make_sandbox(drafts=[OTP_DRAFT]))


async def test_publishing_a_checkpoint_draft_answers_the_checkpoint(otp_api):
    status, payload, _ = await otp_api.publish("d1")
    assert status == 200
    assert payload == {
        "object": "LinkedinJobPostingPublishCheckpoint",
        "type": "OTP",
        "job_id": "d1",
    }


async def test_a_pending_checkpoint_publishes_nothing_yet(otp_api):
    await otp_api.publish("d1")
    assert len(otp_api.sandbox.ledger) == 0


async def test_the_right_input_publishes_and_ledgers(otp_api):
    await otp_api.publish("d1")
    status, payload, _ = await otp_api.checkpoint("d1", answer("123456"))
    assert (status, payload["object"], payload["job_id"]) == (
        200,
        "LinkedinJobPostingPublished",
        "d1",
    )
    assert otp_api.sandbox.ledger.published_count("d1") == 1


async def test_a_wrong_input_is_401_invalid_checkpoint_solution(otp_api):
    await otp_api.publish("d1")
    status, error, _ = await otp_api.checkpoint("d1", answer("000000"))
    assert (status, error["type"]) == (401, "errors/invalid_checkpoint_solution")


async def test_a_wrong_input_can_be_retried_with_the_right_one(otp_api):
    await otp_api.publish("d1")
    await otp_api.checkpoint("d1", answer("000000"))
    status, _, _ = await otp_api.checkpoint("d1", answer("123456"))
    assert status == 200


async def test_a_follow_up_checkpoint_is_answered_after_the_first(make_sandbox, api_for):
    api = api_for(await make_sandbox(drafts=[TWO_STEP_DRAFT]))
    _, first, _ = await api.publish("d1")
    _, second, _ = await api.checkpoint("d1", answer("token"))
    _, done, _ = await api.checkpoint("d1", answer("123456"))
    assert (first["type"], second["type"], done["object"]) == (
        "EMAIL_VERIFICATION",
        "OTP",
        "LinkedinJobPostingPublished",
    )


async def test_republishing_while_a_checkpoint_is_pending_answers_it_again(otp_api):
    await otp_api.publish("d1")
    status, payload, _ = await otp_api.publish("d1")
    assert (status, payload["object"]) == (200, "LinkedinJobPostingPublishCheckpoint")


async def test_a_checkpoint_with_nothing_pending_is_422_unprocessable_entity(otp_api):
    status, error, _ = await otp_api.checkpoint("d1", answer("123456"))
    assert (status, error["type"]) == (422, "errors/unprocessable_entity")


async def test_a_checkpoint_after_publishing_is_422_action_already_performed(otp_api):
    await otp_api.publish("d1")
    await otp_api.checkpoint("d1", answer("123456"))
    status, error, _ = await otp_api.checkpoint("d1", answer("123456"))
    assert (status, error["type"]) == (422, "errors/action_already_performed")


async def test_a_checkpoint_from_another_account_is_403_account_mismatch(otp_api):
    await otp_api.publish("d1")
    status, error, _ = await otp_api.checkpoint("d1", answer("123456", account_id="acc_2"))
    assert (status, error["type"]) == (403, "errors/account_mismatch")


async def test_an_unknown_draft_checkpoint_is_404(otp_api):
    status, error, _ = await otp_api.checkpoint("d2", answer("123456"))
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_credits_are_spent_when_the_checkpoint_completes(make_sandbox, api_for):
    account = Account("acc_1", credits=3)
    api = api_for(await make_sandbox(drafts=[OTP_DRAFT], accounts=[account]))
    await api.publish("d1", {"account_id": "acc_1", "mode": "PROMOTED_PLUS"})
    spent_before = 3 - account.credits
    await api.checkpoint("d1", answer("123456"))
    assert (spent_before, account.credits) == (0, 1)
    assert api.sandbox.ledger.entries[0].credits_spent == 2
