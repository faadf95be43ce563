"""However malformed a request, the answer is an error envelope and the server goes on.

Bytes an HTTP client library would refuse to send (non-UTF-8 header values) go over a raw
socket.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap

import pytest

ENVELOPE = {"title", "type", "status", "detail", "instance"}


async def send_raw(sandbox, head: bytes, body: bytes = b"") -> tuple[int, dict]:
    reader, writer = await asyncio.open_connection(sandbox.host, sandbox.port)
    try:
        writer.write(head + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(-1), timeout=10)
    finally:
        writer.close()
    status_line, _, rest = data.partition(b"\r\n")
    _, _, payload = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), json.loads(payload)


async def still_serving(raw) -> bool:
    return (await raw.publish("after-the-storm"))[0] == 200


PUBLISH = b'{"account_id": "acc_1", "mode": "FREE"}'


@pytest.mark.parametrize(
    "key", [b"\xff", b"pp_test_\xc3\x28", b"\x80\x80", b"pp_test_sandbox_key\xfe", b"\xed\xa0\x80"]
)
async def test_a_non_utf8_api_key_is_a_401_envelope(raw, key):
    sandbox = raw.sandbox
    head = (
        b"POST /api/v1/linkedin/jobs/d1/publish HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\nX-API-KEY: " + key + b"\r\n"
    )
    status, error = await send_raw(sandbox, head, PUBLISH)
    assert (status, error["type"]) == (401, "errors/invalid_credentials")
    assert set(error) == ENVELOPE
    assert sandbox.ledger.published_count("d1") == 0
    assert await still_serving(raw)


async def test_a_non_utf8_idempotency_key_is_a_400_envelope(raw):
    head = (
        b"POST /api/v1/linkedin/jobs/d1/publish HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\nX-API-KEY: pp_test_sandbox_key\r\n"
        b"Idempotency-Key: k\xff\r\n"
    )
    status, error = await send_raw(raw.sandbox, head, PUBLISH)
    assert (status, error["type"]) == (400, "errors/invalid_parameters")
    assert await still_serving(raw)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b"[{" * 3000 + b"}]" * 3000,
        b'{"account_id": "acc_1", "mode": "FREE", "budget": ' + b"[" * 20000 + b"]" * 20000 + b"}",
        b"[" * 30000,  # unterminated as well as deep
    ],
)
@pytest.mark.parametrize("endpoint", ["/linkedin/jobs/d1/publish", "/linkedin/jobs"])
async def test_deeply_nested_json_is_a_400_envelope(raw, body, endpoint):
    status, error, _ = await _post_bytes(raw, endpoint, body)
    assert (status, error["type"]) == (400, "errors/malformed_request")
    assert set(error) == ENVELOPE
    assert await still_serving(raw)


async def _post_bytes(raw, path, body, content_type="application/json", method="POST"):
    headers = {"X-API-KEY": raw.sandbox.api_key}
    if content_type is not None:
        headers["Content-Type"] = content_type
    async with raw.session.request(
        method,
        raw.sandbox.base_url + path,
        data=body,
        headers=headers,
        skip_auto_headers=["Content-Type"],
    ) as response:
        return response.status, await response.json(), response.headers


REFUSED_TYPES = [
    "application/x-www-form-urlencoded",
    "text/plain",
    "text/plain; charset=utf-8",
    "application/octet-stream",
    "multipart/form-data; boundary=x",
    "application/json; charset=latin-1",
    "application/jsonp",
    "",
    None,
]


@pytest.mark.parametrize("content_type", REFUSED_TYPES)
async def test_a_publish_body_not_declared_json_is_refused_and_publishes_nothing(raw, content_type):
    status, error, _ = await _post_bytes(raw, "/linkedin/jobs/d1/publish", PUBLISH, content_type)
    assert (status, error["type"]) == (415, "errors/unsupported_media_type")
    assert set(error) == ENVELOPE
    assert raw.sandbox.ledger.published_count("d1") == 0


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/x-www-form-urlencoded"])
async def test_every_body_endpoint_refuses_a_body_not_declared_json(raw, content_type):
    job_id = await raw.live_job()
    draft_id = await raw.new_job()
    calls = [
        ("POST", "/linkedin/jobs", json.dumps(raw.job_body()).encode()),
        ("PATCH", f"/linkedin/jobs/{draft_id}", b'{"account_id": "acc_1", "description": "x"}'),
        ("POST", f"/linkedin/jobs/{draft_id}/checkpoint", b'{"account_id": "acc_1", "input": "1"}'),
        ("POST", f"/linkedin/jobs/{job_id}/close", b'{"account_id": "acc_1"}'),
    ]
    for method, path, body in calls:
        status, error, _ = await _post_bytes(raw, path, body, content_type, method)
        assert (status, error["type"]) == (415, "errors/unsupported_media_type"), path
    assert len(raw.sandbox.ledger.creations) == 2
    assert raw.sandbox.job(draft_id)["edits"] == 0
    assert raw.sandbox.job(job_id)["state"] == "active"


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "Application/JSON", "application/json; charset=utf-8",
     'application/json;charset="UTF-8"', "application/merge-patch+json"],
)  # fmt: skip
async def test_json_content_types_are_accepted(raw, content_type):
    status, payload, _ = await _post_bytes(raw, "/linkedin/jobs/d1/publish", PUBLISH, content_type)
    assert (status, payload["job_id"]) == (200, "d1")


@pytest.mark.parametrize(
    "query",
    [
        "account_id=%FF",
        "account_id=%E2%82",
        "account_id=acc_1&limit=%",
        "account_id=acc_1&limit=1e3",
    ],
)
async def test_a_malformed_query_is_a_400_envelope(raw, query):
    async with raw.session.get(
        f"{raw.sandbox.base_url}/linkedin/jobs?{query}", headers={"X-API-KEY": raw.sandbox.api_key}
    ) as response:
        error = await response.json()
    assert (response.status, error["type"]) == (400, "errors/invalid_parameters")
    assert await still_serving(raw)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/linkedin/jobs/1"),
        ("PUT", "/linkedin/jobs"),
        ("GET", "/linkedin/jobs/1/publish"),
        ("POST", "/linkedin/jobs/1/applicants"),
        ("GET", "/linkedin/jobs/applicants/a/b/c"),
        ("GET", "/linkedin/search"),
        ("GET", "/accounts/a/b"),
    ],
)
async def test_an_unknown_endpoint_is_a_404_envelope(raw, method, path):
    status, error, _ = await raw.request(method, path)
    assert (status, error["type"]) == (404, "errors/resource_not_found")
    assert set(error) == ENVELOPE


STOP_WHILE_PENDING = textwrap.dedent(
    """
    import gc, json, threading, time, urllib.request
    from postpress_async.sandbox import Faults, SandboxThread

    sandbox = SandboxThread(faults=Faults(latency={latency}))
    sandbox.start()

    def call():
        request = urllib.request.Request(
            sandbox.base_url + "/linkedin/jobs/{path}",
            data=json.dumps({body}).encode(),
            headers={{"X-API-KEY": sandbox.api_key, "content-type": "application/json"}},
            method="POST",
        )
        try:
            urllib.request.urlopen(request, timeout=30)
        except Exception:
            pass

    threads = [threading.Thread(target=call, daemon=True) for _ in range({n})]
    for thread in threads:
        thread.start()
    for _ in range(1000):
        if sandbox.stats.in_flight == {n}:
            break
        time.sleep(0.01)
    assert sandbox.stats.in_flight == {n}, sandbox.stats.status_counts
    sandbox.stop()
    gc.collect()
    print("stopped")
    """
)


@pytest.mark.parametrize(
    ("latency", "path", "n"),
    [(30, "d1/publish", 1), (30, "d1/publish", 5), ((20, 40), "d2/checkpoint", 2)],
)
def test_stopping_a_sandbox_thread_with_delayed_requests_pending_is_quiet(latency, path, n):
    body = {"account_id": "acc_1"} | (
        {"input": "123456"} if path.endswith("checkpoint") else {"mode": "FREE"}
    )
    script = STOP_WHILE_PENDING.format(latency=latency, path=path, n=n, body=body)
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "stopped", done.stderr
    assert "Task was destroyed" not in done.stderr
    assert "never awaited" not in done.stderr


async def test_stopping_an_in_process_sandbox_ends_its_pending_requests(make_sandbox, raw_for):
    from postpress_async.sandbox import Faults

    sandbox = await make_sandbox(faults=Faults(latency=30))
    raw = raw_for(sandbox)
    call = asyncio.ensure_future(raw.publish("d1"))
    for _ in range(500):
        if sandbox.stats.in_flight:
            break
        await asyncio.sleep(0.01)
    await sandbox.stop()
    assert sandbox.stats.in_flight == 0
    assert sandbox.ledger.published_count("d1") == 0
    call.cancel()
    await asyncio.gather(call, return_exceptions=True)


NASTY_VALUES = [
    "\ud800",
    "a\x00b",
    "\u202e\u0007",
    10**400,
    -(10**400),
    1e308,
    [[[[[]]]]],
    {"id": {"id": {"id": "1"}}},
    True,
    None,
    "9" * 300,
]
NASTY_BODIES = [
    b'{"account_id": 1' + b"0" * 5000 + b', "mode": "FREE"}',  # beyond int parsing limits
    b'{"account_id": "acc_1", "mode": "FREE"',  # truncated
    b'{"account_id": "\xff\xfe", "mode": "FREE"}',  # not UTF-8
    b'\xef\xbb\xbf{"account_id": "acc_1", "mode": "FREE"}',  # a byte-order mark
    b'{"account_id": "acc_1", "mode": "FREE"} {}',  # two documents
]


@pytest.mark.parametrize("value", NASTY_VALUES)
@pytest.mark.parametrize(
    "field",
    ["account_id", "job_title", "company", "workplace", "location", "description",
     "screening_questions", "recruiter", "apply_method"],
)  # fmt: skip
async def test_any_value_in_any_create_field_gets_a_contract_answer(raw, field, value):
    status, payload, _ = await raw.create(raw.job_body(**{field: value}))
    assert status in (200, 400, 404), payload
    if status != 200:
        assert set(payload) == ENVELOPE


@pytest.mark.parametrize("body", NASTY_BODIES)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/linkedin/jobs/d1/publish"),
        ("POST", "/linkedin/jobs"),
        ("PATCH", "/linkedin/jobs/1"),
        ("POST", "/linkedin/jobs/d1/close"),
        ("POST", "/linkedin/jobs/d1/checkpoint"),
    ],
)
async def test_a_body_that_is_not_one_json_object_is_malformed(raw, body, method, path):
    status, error, _ = await _post_bytes(raw, path, body, method=method)
    assert (status, error["type"]) == (400, "errors/malformed_request")
    assert await still_serving(raw)


@pytest.mark.parametrize("value", [*NASTY_VALUES[:3], "x" * 300])
@pytest.mark.parametrize(
    "path", ["/linkedin/jobs", "/linkedin/jobs/1", "/linkedin/search/parameters", "/accounts"]
)
async def test_any_account_id_in_a_query_gets_a_contract_answer(raw, path, value):
    params = {"account_id": value, "service": "CLASSIC", "type": "LOCATION"}
    if path == "/accounts":
        params = {"cursor": value}
    elif path != "/linkedin/jobs/1":
        params.pop("service")
    if path != "/linkedin/search/parameters":
        params.pop("type", None)
    status, payload, _ = await raw.request("GET", path, params=params)
    assert status in (200, 400, 404), payload
    if status != 200:
        assert set(payload) == ENVELOPE
