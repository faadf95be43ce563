"""publish_many refuses inputs that are not collections of requests, before sending anything."""

from __future__ import annotations

import pytest

from postpress_async import AsyncPostpress, InvalidRequestError, PublishRequest


@pytest.mark.parametrize(
    "requests",
    [5, None, "d1,d2", b"d1", PublishRequest("d1", account_id="a", mode="FREE")],
    ids=["int", "none", "str", "bytes", "single-request"],
)
async def test_publish_many_rejects_a_non_collection_input(requests: object) -> None:
    # Nothing listens on port 9: any request would fail as a connection error, not this.
    async with AsyncPostpress(api_key="k", base_url="http://127.0.0.1:9/api/v1") as client:
        with pytest.raises(InvalidRequestError) as caught:
            await client.jobs.publish_many(requests)  # type: ignore[arg-type]

    assert caught.value.field == "requests"


@pytest.mark.parametrize(
    ("option", "value"),
    [("max_retries", -1), ("max_retries", "2"), ("timeout", "abc"), ("timeout", -5)],
)
async def test_publish_many_rejects_bad_per_call_options_before_any_draft(
    option: str, value: object
) -> None:
    outcomes: list[object] = []
    async with AsyncPostpress(api_key="k", base_url="http://127.0.0.1:9/api/v1") as client:
        with pytest.raises(InvalidRequestError) as caught:
            await client.jobs.publish_many(
                [PublishRequest("d1", account_id="a", mode="FREE")],
                on_outcome=outcomes.append,
                **{option: value},  # type: ignore[arg-type]
            )

    assert caught.value.field.startswith(option)
    assert outcomes == []
