"""Draft ids travel percent-encoded in the path and come back exactly."""

from __future__ import annotations

from urllib.parse import quote

import pytest


def encode(draft_id: str) -> str:
    # "." and ".." are dot-segments (RFC 3986 5.2.4) even when quote() leaves them alone:
    # a client must send them as %2E.
    encoded = quote(draft_id, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


TRICKY_IDS = [
    "a/b",
    "../accounts",
    "?x",
    "#frag",
    "with space",
    "%41",
    "é",
    "🚀 rocket",
    "a%2Fb",
    "..",
    ".",
]


@pytest.mark.parametrize("draft_id", TRICKY_IDS)
async def test_a_percent_encoded_draft_id_is_recovered_exactly(api, sandbox, draft_id):
    status, payload, _ = await api.publish(encode(draft_id))
    assert (status, payload["job_id"]) == (200, draft_id)
    assert sandbox.ledger.published_count(draft_id) == 1


async def test_an_unencoded_slash_does_not_reach_a_draft(api):
    status, error, _ = await api.publish("a/b")
    assert (status, error["type"]) == (404, "errors/resource_not_found")


@pytest.mark.parametrize("segment", [".", ".."])
async def test_a_literal_dot_segment_is_not_a_draft_id(api, segment):
    status, error, _ = await api.publish(segment)
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_an_empty_draft_id_segment_is_404(api):
    status, error, _ = await api.publish("")
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_percent_encoded_bytes_that_are_not_utf8_are_invalid_resource_identifier(api):
    status, error, _ = await api.publish("%FF%FE")
    assert (status, error["type"]) == (404, "errors/invalid_resource_identifier")


async def test_a_raw_character_that_needs_encoding_is_unescaped_characters(api):
    status, error, _ = await api.publish('a"b')
    assert (status, error["type"]) == (400, "errors/unescaped_characters")


async def test_a_query_string_is_not_part_of_the_draft_id(http, sandbox):
    async with http.post(
        sandbox.base_url + "/linkedin/jobs/d1/publish?x=1",
        json={"account_id": "acc_1", "mode": "FREE"},
        headers={"X-API-KEY": sandbox.api_key},
    ) as response:
        payload = await response.json()
    assert (response.status, payload["job_id"]) == (200, "d1")


async def test_the_checkpoint_endpoint_decodes_the_same_way(make_sandbox, api_for):
    from postpress_async.sandbox import Draft

    api = api_for(await make_sandbox(drafts=[Draft("a/b?c", checkpoints=(("OTP", "1"),))]))
    await api.publish(quote("a/b?c", safe=""))
    status, payload, _ = await api.checkpoint(
        quote("a/b?c", safe=""), {"account_id": "acc_1", "input": "1"}
    )
    assert (status, payload["job_id"]) == (200, "a/b?c")
