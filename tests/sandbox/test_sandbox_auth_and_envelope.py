"""Authentication, routing and the error envelope, as the API page describes them."""

from __future__ import annotations

import aiohttp


async def test_missing_api_key_is_401_missing_credentials(api):
    status, body, _ = await api.publish("d1", key=None)
    assert (status, body["type"]) == (401, "errors/missing_credentials")


async def test_wrong_api_key_is_401_invalid_credentials(api):
    status, body, _ = await api.publish("d1", key="pp_test_wrong")
    assert (status, body["type"]) == (401, "errors/invalid_credentials")


async def test_auth_is_checked_before_the_body(api):
    status, body, _ = await api.publish("d1", data=b"{not json", key=None)
    assert (status, body["type"]) == (401, "errors/missing_credentials")


async def test_a_configured_api_key_is_the_one_accepted(make_sandbox, api_for):
    api = api_for(await make_sandbox(api_key="pp_test_custom"))
    status, _, _ = await api.publish("d1", key="pp_test_custom")
    assert status == 200


async def test_error_envelope_has_the_documented_fields(api):
    status, body, headers = await api.publish("d1", key=None)
    assert set(body) == {"title", "detail", "type", "status", "instance"}
    assert body["status"] == status
    assert body["title"] == "Missing credentials"
    assert headers["Content-Type"].startswith("application/json")


async def test_error_instance_is_unique_and_echoed_as_x_request_id(api):
    instances = set()
    for _ in range(3):
        _, body, headers = await api.publish("d1", key=None)
        assert headers["X-Request-Id"] == body["instance"]
        instances.add(body["instance"])
    assert len(instances) == 3


async def test_success_carries_an_x_request_id(api):
    _, _, headers = await api.publish("d1")
    assert headers["X-Request-Id"].startswith("req_")


async def test_unknown_path_is_404_resource_not_found(http, sandbox):
    async with http.post(sandbox.base_url + "/linkedin/accounts", json={}) as response:
        body = await response.json()
    assert (response.status, body["type"]) == (404, "errors/resource_not_found")


async def test_get_on_an_endpoint_is_404_resource_not_found(http, sandbox):
    url = sandbox.base_url + "/linkedin/jobs/d1/publish"
    async with http.get(url, headers={"X-API-KEY": sandbox.api_key}) as response:
        body = await response.json()
    assert (response.status, body["type"]) == (404, "errors/resource_not_found")


async def test_a_configured_prefix_moves_the_endpoints(make_sandbox, http):
    sandbox = await make_sandbox(prefix="/v1/")
    assert sandbox.base_url.endswith(f":{sandbox.port}/v1")
    async with http.post(
        sandbox.base_url + "/linkedin/jobs/d1/publish",
        json={"account_id": "a", "mode": "FREE"},
        headers={"X-API-KEY": sandbox.api_key},
    ) as response:
        assert response.status == 200


async def test_the_default_prefix_is_api_v1(sandbox):
    assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}/api/v1"


async def test_repr_does_not_show_the_api_key(sandbox):
    assert sandbox.api_key not in repr(sandbox)


async def test_keep_alive_connection_survives_error_responses(sandbox):
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(connector=connector) as session:
        for _ in range(3):
            async with session.post(sandbox.base_url + "/linkedin/jobs/d/publish") as response:
                assert response.status == 401
    assert sandbox.stats.connections == 1
