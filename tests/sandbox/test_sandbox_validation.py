"""Body validation: sizes, JSON, required fields, types, enums and shapes."""

from __future__ import annotations

import pytest

PUBLISH_OK = {"account_id": "acc_1", "mode": "PROMOTED"}


async def test_body_over_the_limit_is_content_too_large(make_sandbox, api_for):
    api = api_for(await make_sandbox(max_body_bytes=100))
    body = {"account_id": "a" * 50, "mode": "FREE", "service": "CLASSIC", "x": "y" * 60}
    status, error, _ = await api.publish("d1", body)
    assert (status, error["type"]) == (400, "errors/content_too_large")


async def test_size_is_checked_before_json(make_sandbox, api_for):
    api = api_for(await make_sandbox(max_body_bytes=10))
    status, error, _ = await api.publish("d1", data=b"{" * 50)
    assert (status, error["type"]) == (400, "errors/content_too_large")


async def test_default_body_limit_is_64_kib(api):
    status, error, _ = await api.publish("d1", data=b" " * (64 * 1024 + 1))
    assert (status, error["type"]) == (400, "errors/content_too_large")


@pytest.mark.parametrize("data", [b"{", b"", b'{"mode": NaN}', b"\xff\xfe", b"{'a': 1}"])
async def test_malformed_json_is_malformed_request(api, data):
    status, error, _ = await api.publish("d1", data=data)
    assert (status, error["type"]) == (400, "errors/malformed_request")


@pytest.mark.parametrize("data", [b"[]", b'"FREE"', b"1", b"null", b"true"])
async def test_json_that_is_not_an_object_is_malformed_request(api, data):
    status, error, _ = await api.publish("d1", data=data)
    assert (status, error["type"]) == (400, "errors/malformed_request")


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"mode": "FREE"}, ["account_id"]),
        ({"account_id": "acc_1"}, ["mode"]),
        ({}, ["account_id", "mode"]),
    ],
)
async def test_missing_publish_fields_are_named_in_missing_parameters(api, body, named):
    status, error, _ = await api.publish("d1", body)
    assert (status, error["type"]) == (400, "errors/missing_parameters")
    assert all(name in error["detail"] for name in named)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"input": "1"}, ["account_id"]),
        ({"account_id": "a"}, ["input"]),
        ({}, ["account_id", "input"]),
    ],
)
async def test_missing_checkpoint_fields_are_named_in_missing_parameters(api, body, named):
    status, error, _ = await api.checkpoint("d1", body)
    assert (status, error["type"]) == (400, "errors/missing_parameters")
    assert all(name in error["detail"] for name in named)


async def test_missing_budget_amount_is_missing_parameters(api):
    body = {**PUBLISH_OK, "budget": {"daily": {"currency": "USD"}}}
    status, error, _ = await api.publish("d1", body)
    assert (status, error["type"]) == (400, "errors/missing_parameters")
    assert "budget.daily.amount" in error["detail"]


INVALID_PUBLISH = [
    ({"account_id": "a", "mode": "BOGUS"}, "mode"),
    ({"account_id": "a", "mode": "free"}, "mode"),
    ({"account_id": "a", "mode": 1}, "mode"),
    ({"account_id": "a", "mode": "FREE", "service": "SALES"}, "service"),
    ({"account_id": "a", "mode": "FREE", "hiring_photo_frame": "yes"}, "hiring_photo_frame"),
    (
        {"account_id": "a", "mode": "FREE", "bypass_email_verification": 1},
        "bypass_email_verification",
    ),
    ({"account_id": 5, "mode": "FREE"}, "account_id"),
    ({"account_id": "", "mode": "FREE"}, "account_id"),
    ({"account_id": None, "mode": "FREE"}, "account_id"),
    ({"account_id": "a", "mode": "FREE", "service": None}, "service"),
    ({"account_id": "a", "mode": "FREE", "colour": "red"}, "colour"),
    (
        {"account_id": "a", "mode": "FREE", "budget": {"daily": {"currency": "USD", "amount": 5}}},
        "budget",
    ),
    ({**PUBLISH_OK, "budget": {}}, "budget"),
    ({**PUBLISH_OK, "budget": []}, "budget"),
    ({**PUBLISH_OK, "budget": {"weekly": {"currency": "USD", "amount": 5}}}, "budget"),
    (
        {
            **PUBLISH_OK,
            "budget": {
                "daily": {"currency": "USD", "amount": 5},
                "monthly": {"currency": "USD", "amount": 5},
            },
        },
        "budget",
    ),
    ({**PUBLISH_OK, "budget": {"daily": 5}}, "budget.daily"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": "US", "amount": 5}}}, "currency"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": "USDX", "amount": 5}}}, "currency"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": "U5D", "amount": 5}}}, "currency"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": "ÉUR", "amount": 5}}}, "currency"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": 840, "amount": 5}}}, "currency"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": "USD", "amount": 0}}}, "amount"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": "USD", "amount": -1.5}}}, "amount"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": "USD", "amount": True}}}, "amount"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": "USD", "amount": "10"}}}, "amount"),
    ({**PUBLISH_OK, "budget": {"daily": {"currency": "USD", "amount": None}}}, "amount"),
    (
        {**PUBLISH_OK, "budget": {"monthly": {"currency": "USD", "amount": 5, "cap": 9}}},
        "cap",
    ),
    ({"account_id": "a", "mode": "PROMOTED_PLUS", "service": "RECRUITER"}, "RECRUITER"),
]


@pytest.mark.parametrize(("body", "named"), INVALID_PUBLISH)
async def test_invalid_publish_fields_are_invalid_parameters_naming_the_field(api, body, named):
    status, error, _ = await api.publish("d1", body)
    assert (status, error["type"]) == (400, "errors/invalid_parameters")
    assert named in error["detail"]


async def test_an_infinite_budget_amount_is_invalid_parameters(api):
    # Python's json reads 1e400 as inf: the sandbox must still refuse it.
    data = (
        b'{"account_id":"a","mode":"PROMOTED","budget":{"daily":{"currency":"USD","amount":1e400}}}'
    )
    status, error, _ = await api.publish("d1", data=data)
    assert (status, error["type"]) == (400, "errors/invalid_parameters")


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"account_id": "a", "input": ""}, "input"),
        ({"account_id": "a", "input": 123456}, "input"),
        ({"account_id": "a", "input": "1", "extra": True}, "extra"),
        ({"account_id": [], "input": "1"}, "account_id"),
    ],
)
async def test_invalid_checkpoint_fields_are_invalid_parameters(api, body, named):
    status, error, _ = await api.checkpoint("d1", body)
    assert (status, error["type"]) == (400, "errors/invalid_parameters")
    assert named in error["detail"]


async def test_promoted_recruiter_is_accepted(api):
    status, _, _ = await api.publish(
        "d1", {"account_id": "a", "mode": "PROMOTED", "service": "RECRUITER"}
    )
    assert status == 200


async def test_a_full_promoted_plus_body_is_accepted_and_ledgered(api, sandbox):
    body = {
        "account_id": "acc_1",
        "mode": "PROMOTED_PLUS",
        "service": "CLASSIC",
        "hiring_photo_frame": True,
        "bypass_email_verification": False,
        "budget": {"monthly": {"currency": "eur", "amount": 99.5}},
    }
    status, payload, _ = await api.publish("d1", body)
    assert status == 200
    assert payload == {
        "object": "LinkedinJobPostingPublished",
        "job_state": "active",
        "job_id": "d1",
    }
    (entry,) = sandbox.ledger.entries
    assert (entry.mode, entry.service, entry.budget) == (
        "PROMOTED_PLUS",
        "CLASSIC",
        {"monthly": {"currency": "eur", "amount": 99.5}},
    )


async def test_an_over_long_account_id_is_too_many_characters(api):
    status, error, _ = await api.publish("d1", {"account_id": "a" * 257, "mode": "FREE"})
    assert (status, error["type"]) == (400, "errors/too_many_characters")
    assert "account_id" in error["detail"]


async def test_an_over_long_checkpoint_input_is_too_many_characters(api):
    status, error, _ = await api.checkpoint("d1", {"account_id": "a", "input": "1" * 257})
    assert (status, error["type"]) == (400, "errors/too_many_characters")


async def test_an_over_long_draft_id_is_too_many_characters(api):
    status, error, _ = await api.publish("d" * 257)
    assert (status, error["type"]) == (400, "errors/too_many_characters")
    assert "draft_id" in error["detail"]


async def test_a_draft_id_at_the_limit_is_accepted(api):
    status, _, _ = await api.publish("d" * 256)
    assert status == 200


async def test_the_string_limit_is_configurable(make_sandbox, api_for):
    api = api_for(await make_sandbox(max_string_length=4))
    status, error, _ = await api.publish("d1", {"account_id": "acc_1", "mode": "FREE"})
    assert (status, error["type"]) == (400, "errors/too_many_characters")


async def test_budget_amount_beyond_a_double_is_invalid_parameters(api):
    body = (
        b'{"account_id": "a", "mode": "PROMOTED", '
        b'"budget": {"daily": {"currency": "USD", "amount": 1'
        + b"0" * 400
        + b"}}}"
    )
    status, error, _ = await api.publish("d1", data=body)
    assert (status, error["type"]) == (400, "errors/invalid_parameters")
    assert "budget.daily.amount" in error["detail"]
