"""Request building: the JSON bodies, the headers, and validation before any byte is sent."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from aioresponses import aioresponses
from core_support import (
    ACCOUNT_ID,
    API_KEY,
    CHECKPOINT_URL,
    DRAFT_ID,
    MOCK_BASE_URL,
    PUBLISH_URL,
    PUBLISHED,
    sent,
)

from postpress_async import (
    AsyncPostpress,
    DailyBudget,
    InvalidRequestError,
    Mode,
    MonthlyBudget,
    PublishRequest,
    Service,
)


async def _publish_body(
    client: AsyncPostpress, mock_api: aioresponses, **kwargs: Any
) -> dict[str, Any]:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, **kwargs)
    (request,) = sent(mock_api)
    body: dict[str, Any] = request["json"]
    return body


async def test_free_body_carries_only_what_was_given(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    body = await _publish_body(client, mock_api, mode="FREE")
    assert body == {"account_id": ACCOUNT_ID, "mode": "FREE"}


async def test_free_body_with_every_option(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    body = await _publish_body(
        client, mock_api, mode="FREE", service="CLASSIC",
        hiring_photo_frame=True, bypass_email_verification=False,
    )
    assert body == {
        "account_id": ACCOUNT_ID,
        "mode": "FREE",
        "service": "CLASSIC",
        "hiring_photo_frame": True,
        "bypass_email_verification": False,
    }


async def test_unset_optionals_are_omitted_not_null(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="PROMOTED")
    (request,) = sent(mock_api)
    assert request["json"] == {"account_id": ACCOUNT_ID, "mode": "PROMOTED"}
    assert None not in request["json"].values()


@pytest.mark.parametrize("mode", ["PROMOTED", "PROMOTED_PLUS"])
async def test_promoted_body_with_daily_budget(
    client: AsyncPostpress, mock_api: aioresponses, mode: str
) -> None:
    body = await _publish_body(
        client, mock_api, mode=mode, budget=DailyBudget(currency="USD", amount=25)
    )
    assert body == {
        "account_id": ACCOUNT_ID,
        "mode": mode,
        "budget": {"daily": {"currency": "USD", "amount": 25}},
    }


@pytest.mark.parametrize("mode", ["PROMOTED", "PROMOTED_PLUS"])
async def test_promoted_body_with_monthly_budget(
    client: AsyncPostpress, mock_api: aioresponses, mode: str
) -> None:
    body = await _publish_body(
        client, mock_api, mode=mode, budget=MonthlyBudget(currency="EUR", amount=499.5)
    )
    assert body["budget"] == {"monthly": {"currency": "EUR", "amount": 499.5}}


async def test_promoted_recruiter_body(client: AsyncPostpress, mock_api: aioresponses) -> None:
    body = await _publish_body(client, mock_api, mode="PROMOTED", service="RECRUITER")
    assert body == {"account_id": ACCOUNT_ID, "mode": "PROMOTED", "service": "RECRUITER"}


async def test_enum_members_and_strings_send_the_same_body(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED, repeat=True)
    await client.jobs.publish(
        DRAFT_ID, account_id=ACCOUNT_ID, mode=Mode.PROMOTED, service=Service.CLASSIC
    )
    await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="PROMOTED", service="CLASSIC")
    first, second = sent(mock_api)
    assert first["json"] == second["json"] == {
        "account_id": ACCOUNT_ID, "mode": "PROMOTED", "service": "CLASSIC",
    }


async def test_mode_and_service_are_read_in_any_case_and_sent_upper_case(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED, repeat=True)
    await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="promoted", service="Classic")
    await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="Promoted_Plus")
    first, second = sent(mock_api)
    assert first["json"] == {"account_id": ACCOUNT_ID, "mode": "PROMOTED", "service": "CLASSIC"}
    assert second["json"] == {"account_id": ACCOUNT_ID, "mode": "PROMOTED_PLUS"}


def test_currency_is_sent_upper_case() -> None:
    assert DailyBudget(currency="usd", amount=1).currency == "USD"
    assert MonthlyBudget(currency="eUr", amount=1).currency == "EUR"


def test_decimal_amount_becomes_a_json_number() -> None:
    assert DailyBudget(currency="USD", amount=Decimal("25")).amount == 25
    assert DailyBudget(currency="USD", amount=Decimal("25.5")).amount == 25.5


async def test_publish_request_sends_the_same_body_as_publish(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    request = PublishRequest(
        DRAFT_ID, account_id=ACCOUNT_ID, mode="PROMOTED",
        budget=DailyBudget(currency="usd", amount=10),
    )
    await client.jobs.publish_request(request)
    (call,) = sent(mock_api)
    assert call["json"] == {
        "account_id": ACCOUNT_ID, "mode": "PROMOTED",
        "budget": {"daily": {"currency": "USD", "amount": 10}},
    }


async def test_a_publish_request_subclass_sends_the_documented_body(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    class TaggedRequest(PublishRequest):
        pass

    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    await client.jobs.publish_request(TaggedRequest(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE"))
    (call,) = sent(mock_api)
    assert call["json"] == {"account_id": ACCOUNT_ID, "mode": "FREE"}


async def test_solve_checkpoint_body_and_url(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(CHECKPOINT_URL, payload=PUBLISHED)
    await client.jobs.solve_checkpoint(DRAFT_ID, account_id=ACCOUNT_ID, input="123456")
    (call,) = sent(mock_api)
    assert call["url"] == f"{MOCK_BASE_URL}/linkedin/jobs/{DRAFT_ID}/checkpoint"
    assert call["json"] == {"account_id": ACCOUNT_ID, "input": "123456"}


async def test_publish_hits_the_publish_url(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    (call,) = sent(mock_api)
    assert call["method"] == "POST"
    assert call["url"] == f"{MOCK_BASE_URL}/linkedin/jobs/{DRAFT_ID}/publish"


async def test_request_headers(client: AsyncPostpress, mock_api: aioresponses) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED)
    await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE")
    (call,) = sent(mock_api)
    headers = call["headers"]
    assert headers["X-API-KEY"] == API_KEY
    assert headers["Content-Type"] == "application/json"
    assert headers["Accept"] == "application/json"


# --- validation: InvalidRequestError naming the field, and nothing sent -------------------

GOOD: dict[str, Any] = {"account_id": ACCOUNT_ID, "mode": "PROMOTED"}

PUBLISH_INVALID: list[tuple[str, str, dict[str, Any]]] = [
    ("empty draft_id", "draft_id", {"draft_id": ""}),
    ("non-string draft_id", "draft_id", {"draft_id": 3984512098}),
    ("dot draft_id", "draft_id", {"draft_id": "."}),
    ("dot-dot draft_id", "draft_id", {"draft_id": ".."}),
    ("lone surrogate draft_id", "draft_id", {"draft_id": "a\udc80"}),
    ("empty account_id", "account_id", {"account_id": ""}),
    ("non-string account_id", "account_id", {"account_id": None}),
    ("unknown mode", "mode", {"mode": "FREEE"}),
    ("look-alike mode (long s)", "service", {"mode": "FREE", "service": "cla\u017f\u017fic"}),
    ("non-string mode", "mode", {"mode": 1}),
    ("unknown service", "service", {"service": "SALES"}),
    ("non-bool photo frame", "hiring_photo_frame", {"hiring_photo_frame": "yes"}),
    ("non-bool bypass", "bypass_email_verification", {"bypass_email_verification": 1}),
    ("budget with FREE", "budget",
     {"mode": "FREE", "budget": DailyBudget(currency="USD", amount=5)}),
    ("budget as a dict", "budget", {"budget": {"daily": {"currency": "USD", "amount": 5}}}),
    ("budget as a number", "budget", {"budget": 25}),
    ("PROMOTED_PLUS with RECRUITER", "service",
     {"mode": "PROMOTED_PLUS", "service": "RECRUITER"}),
    ("PROMOTED_PLUS with RECRUITER member", "service",
     {"mode": Mode.PROMOTED_PLUS, "service": Service.RECRUITER}),
]


@pytest.mark.parametrize(
    ("field", "overrides"),
    [pytest.param(field, overrides, id=name) for name, field, overrides in PUBLISH_INVALID],
)
async def test_invalid_publish_raises_naming_field_and_sends_nothing(
    client: AsyncPostpress, mock_api: aioresponses, field: str, overrides: dict[str, Any]
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED, repeat=True)
    kwargs = {**GOOD, **overrides}
    draft_id = kwargs.pop("draft_id", DRAFT_ID)
    with pytest.raises(InvalidRequestError) as caught:
        await client.jobs.publish(draft_id, **kwargs)
    assert caught.value.field == field
    assert field in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert sent(mock_api) == []


BUDGET_INVALID: list[tuple[str, str, dict[str, Any]]] = [
    ("zero amount", "budget.amount", {"amount": 0}),
    ("negative amount", "budget.amount", {"amount": -5}),
    ("nan amount", "budget.amount", {"amount": math.nan}),
    ("infinite amount", "budget.amount", {"amount": math.inf}),
    ("decimal nan amount", "budget.amount", {"amount": Decimal("NaN")}),
    ("decimal signalling nan amount", "budget.amount", {"amount": Decimal("sNaN")}),
    ("decimal infinite amount", "budget.amount", {"amount": Decimal("Infinity")}),
    ("int beyond a double", "budget.amount", {"amount": 10**400}),
    ("underflowing decimal", "budget.amount", {"amount": Decimal("1e-400")}),
    ("string amount", "budget.amount", {"amount": "25"}),
    ("bool amount", "budget.amount", {"amount": True}),
    ("two-letter currency", "budget.currency", {"currency": "US"}),
    ("four-letter currency", "budget.currency", {"currency": "USDD"}),
    ("digit currency", "budget.currency", {"currency": "U5D"}),
    ("non-ASCII currency", "budget.currency", {"currency": "ÜSD"}),
    ("empty currency", "budget.currency", {"currency": ""}),
    ("non-string currency", "budget.currency", {"currency": 840}),
]


@pytest.mark.parametrize("budget_cls", [DailyBudget, MonthlyBudget])
@pytest.mark.parametrize(
    ("field", "overrides"),
    [pytest.param(field, overrides, id=name) for name, field, overrides in BUDGET_INVALID],
)
def test_invalid_budget_raises_naming_field(
    budget_cls: type[DailyBudget] | type[MonthlyBudget], field: str, overrides: dict[str, Any]
) -> None:
    kwargs: dict[str, Any] = {"currency": "USD", "amount": 25, **overrides}
    with pytest.raises(InvalidRequestError) as caught:
        budget_cls(**kwargs)
    assert caught.value.field == field
    assert field in str(caught.value)


@pytest.mark.parametrize(
    ("field", "draft_id", "account_id", "input"),
    [
        pytest.param("draft_id", "", ACCOUNT_ID, "123456", id="empty draft_id"),
        pytest.param("draft_id", "..", ACCOUNT_ID, "123456", id="dot-dot draft_id"),
        pytest.param("account_id", DRAFT_ID, "", "123456", id="empty account_id"),
        pytest.param("input", DRAFT_ID, ACCOUNT_ID, "", id="empty input"),
        pytest.param("input", DRAFT_ID, ACCOUNT_ID, 123456, id="non-string input"),
    ],
)
async def test_invalid_checkpoint_raises_naming_field_and_sends_nothing(
    client: AsyncPostpress,
    mock_api: aioresponses,
    field: str,
    draft_id: Any,
    account_id: Any,
    input: Any,
) -> None:
    mock_api.post(CHECKPOINT_URL, payload=PUBLISHED, repeat=True)
    with pytest.raises(InvalidRequestError) as caught:
        await client.jobs.solve_checkpoint(draft_id, account_id=account_id, input=input)
    assert caught.value.field == field
    assert sent(mock_api) == []


async def test_publish_request_rejects_other_objects(
    client: AsyncPostpress, mock_api: aioresponses
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED, repeat=True)
    with pytest.raises(InvalidRequestError, match="request"):
        await client.jobs.publish_request({"draft_id": DRAFT_ID})  # type: ignore[arg-type]
    assert sent(mock_api) == []


@pytest.mark.parametrize(
    ("field", "options"),
    [
        pytest.param("timeout", {"timeout": "fast"}, id="string timeout"),
        pytest.param("timeout.total", {"timeout": -1}, id="negative timeout"),
        pytest.param("timeout.total", {"timeout": 0}, id="zero timeout"),
        pytest.param("max_retries", {"max_retries": -1}, id="negative max_retries"),
        pytest.param("max_retries", {"max_retries": 1.5}, id="float max_retries"),
    ],
)
async def test_invalid_per_call_options_send_nothing(
    client: AsyncPostpress, mock_api: aioresponses, field: str, options: dict[str, Any]
) -> None:
    mock_api.post(PUBLISH_URL, payload=PUBLISHED, repeat=True)
    with pytest.raises(InvalidRequestError) as caught:
        await client.jobs.publish(DRAFT_ID, account_id=ACCOUNT_ID, mode="FREE", **options)
    assert caught.value.field == field
    assert sent(mock_api) == []
