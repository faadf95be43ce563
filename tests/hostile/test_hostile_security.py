"""The security promises, tested: the API key never leaks; TLS is verified unless the caller
explicitly trusts a certificate; the sandbox command binds to loopback by default.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import ssl
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import trustme
from aiohttp import web

from postpress_async import (
    AlreadyPublishedError,
    APIConnectionError,
    AsyncPostpress,
    InvalidRequestError,
    PostpressError,
    Published,
    PublishRequest,
)
from postpress_async.testing import no_retry_waits

from .conftest import API_KEY, MakeClient, MakeWebServer, bounded, published_response

HERE = Path(__file__).parent
LOGGERS = (
    "",
    "aiohttp",
    "aiohttp.client",
    "aiohttp.internal",
    "aiohttp.server",
    "aiohttp.access",
    "aiohttp.web",
    "asyncio",
    "tenacity",
    "postpress_async",
)


class EverythingHandler(logging.Handler):
    """Keeps every record fully formatted, exception tracebacks and raw args included."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))
        self.texts.append(repr(record.args))
        self.texts.append(repr(record.__dict__))


@pytest.fixture
def debug_logs() -> Iterator[EverythingHandler]:
    """Every logger that could see a request at DEBUG, captured."""
    handler = EverythingHandler()
    previous = {name: logging.getLogger(name).level for name in LOGGERS}
    root = logging.getLogger()
    root.addHandler(handler)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for name, level in previous.items():
            logging.getLogger(name).setLevel(level)


def exception_texts(exc: BaseException, *, with_locals: bool = True) -> list[str]:
    """What a user or a tool could print of an error: str, repr, the whole chain, locals."""
    texts = [str(exc), repr(exc)]
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(vars(current))]
        current = current.__cause__ or current.__context__
    texts.append("".join(traceback.format_exception(exc)))
    if with_locals:
        # What pytest --showlocals, rich(show_locals=True) or an error tracker would print
        # of the frames below the caller's (this test's own locals hold the key, of course).
        pending: list[traceback.TracebackException | None] = [
            traceback.TracebackException.from_exception(exc, capture_locals=True)
        ]
        while pending:
            formatted = pending.pop()
            if formatted is None:
                continue
            for frame in formatted.stack:
                if Path(frame.filename).parent != HERE:
                    texts.append(f"{frame.filename}:{frame.name} {frame.locals!r}")
            pending += [formatted.__cause__, formatted.__context__]
    return texts


def assert_no_key(texts: list[str]) -> None:
    leaks = [text for text in texts if API_KEY in text]
    assert not leaks, leaks[0][:2000]
    # Each list must really contain something, or this check proves nothing.
    assert texts


async def test_api_key_never_appears_in_debug_logs_errors_or_reprs(
    web_server: MakeWebServer, make_client: MakeClient, debug_logs: EverythingHandler
) -> None:
    asyncio.get_running_loop().set_debug(True)
    attempts: dict[str, int] = {}

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        await request.read()
        draft = request.path.split("/")[-2]
        attempts[draft] = attempts.get(draft, 0) + 1
        n = attempts[draft]
        envelope = {"status": 0, "type": "", "title": "t", "detail": "d", "instance": "req-1"}

        def error(status: int, type_: str) -> web.Response:
            body = {**envelope, "status": status, "type": type_}
            return web.Response(
                status=status, text=json.dumps(body), content_type="application/json"
            )

        if draft == "ok":
            return published_response()
        if draft == "flaky" and n <= 2:
            return error(503, "errors/network_down")
        if draft == "flaky":
            return published_response()
        if draft == "down":
            return error(500, "errors/provider_error")
        if draft == "denied":
            return error(401, "errors/invalid_credentials")
        if draft == "twice":
            return (
                error(504, "errors/request_timeout")
                if n == 1
                else error(422, "errors/action_already_performed")
            )
        if draft == "redirect":
            return web.Response(status=307, headers={"Location": "http://127.0.0.2:9/x"})
        if draft == "slow":
            await asyncio.sleep(1.0)
            return published_response()
        if draft == "garbage":
            assert request.transport is not None
            request.transport.write(b"NOT HTTP AT ALL\r\n\r\n")
            request.transport.close()
            return web.Response()
        assert request.transport is not None
        request.transport.close()  # "dropped": closed before any header
        return web.Response()

    client = make_client(await web_server(handler), max_retries=2, timeout=0.5)
    texts: list[str] = []
    outcomes: list[object] = []
    with no_retry_waits():
        for draft in (
            "ok",
            "flaky",
            "down",
            "denied",
            "twice",
            "redirect",
            "slow",
            "garbage",
            "dropped",
        ):
            try:
                outcomes.append(
                    await bounded(client.jobs.publish(draft, account_id="acc", mode="FREE"))
                )
            except PostpressError as exc:
                outcomes.append(exc)
                texts += exception_texts(exc)
    assert isinstance(outcomes[0], Published)
    assert isinstance(outcomes[1], Published)
    assert isinstance(outcomes[4], AlreadyPublishedError)
    assert isinstance(outcomes[-1], APIConnectionError)
    # Errors about a malformed key do not echo it (the raw argument is, unavoidably, a
    # local of the frame that checks it, so locals are not inspected for these).
    for bad_key in (API_KEY + "\n", " " + API_KEY, API_KEY + "é"):
        with pytest.raises(InvalidRequestError) as info:
            AsyncPostpress(bad_key)
        texts += exception_texts(info.value, with_locals=False)
    # Any other construction error, with a good key: not even in traceback locals.
    for bad in ({"base_url": "ftp://x"}, {"timeout": -1}, {"ssl": False}, {"max_retries": -1}):
        with pytest.raises(InvalidRequestError) as info:
            AsyncPostpress(API_KEY, **bad)  # type: ignore[arg-type]
        texts += exception_texts(info.value)
    texts += [repr(client), repr(client.with_options(timeout=1.0)), repr(client.jobs)]
    texts += [repr(vars(client)), repr(client._core._headers), str(client._core._headers)]
    texts += [repr(o) for o in outcomes]
    texts.append(repr(PublishRequest("d", account_id="a", mode="FREE")))
    assert_no_key(texts)
    # The SDK frames holding the key were inspected, and showed it masked.
    assert any("X-API-KEY': '***'" in text for text in texts)
    assert_no_key(debug_logs.texts)
    # The retries did log (so the logging check above saw something real).
    assert any("retrying" in text for text in debug_logs.texts)


# --- TLS -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
async def tls_server(ca: trustme.CA, web_server: MakeWebServer) -> tuple[str, list[int]]:
    """An HTTPS server whose certificate is signed by a CA nobody trusts by default."""
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    calls: list[int] = []

    async def handler(request: web.BaseRequest) -> web.Response:
        calls.append(1)
        await request.read()
        return published_response()

    return await web_server(handler, ssl_context=server_context), calls


async def test_self_signed_certificate_is_refused_by_default(
    tls_server: tuple[str, list[int]], make_client: MakeClient
) -> None:
    base_url, calls = tls_server
    client = make_client(base_url)
    with pytest.raises(APIConnectionError) as info:
        await bounded(client.jobs.publish("d", account_id="a", mode="FREE"))
    assert "certificate" in str(info.value).lower()
    assert calls == []  # no request, so no key, went to the untrusted server
    assert_no_key(exception_texts(info.value))


async def test_trusting_a_certificate_takes_an_explicit_ssl_context(
    tls_server: tuple[str, list[int]], make_client: MakeClient, ca: trustme.CA
) -> None:
    base_url, calls = tls_server
    context = ssl.create_default_context()
    ca.configure_trust(context)
    client = make_client(base_url, ssl=context)
    result = await bounded(client.jobs.publish("d", account_id="a", mode="FREE"))
    assert result == Published(job_id="j-1", job_state="active")
    assert calls == [1]


@pytest.mark.parametrize("value", [False, True, "no-verify", 0])
def test_ssl_takes_only_a_context_so_verification_cannot_be_switched_off(value: object) -> None:
    with pytest.raises(InvalidRequestError) as info:
        AsyncPostpress(API_KEY, ssl=value)  # type: ignore[arg-type]
    assert info.value.field == "ssl"


# --- the sandbox command -------------------------------------------------------------------


def test_sandbox_command_defaults_to_loopback() -> None:
    from postpress_async._cli import build_parser

    assert build_parser().parse_args(["sandbox"]).host == "127.0.0.1"


def test_sandbox_command_listens_on_loopback_only(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "postpress_async", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()  # printed once the socket is bound
        match = re.search(r"listening on http://([^:/]+):(\d+)", first_line)
        assert match, first_line
        host, port = match.group(1), int(match.group(2))
        assert host == "127.0.0.1"
        listening = [
            conn.laddr
            for conn in psutil.Process(process.pid).net_connections(kind="inet")
            if conn.status == psutil.CONN_LISTEN
        ]
        assert listening
        assert all(addr.ip == "127.0.0.1" for addr in listening), listening
        assert any(addr.port == port for addr in listening)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0


# --- bulk publishing and its journal -------------------------------------------------------


async def test_api_key_never_appears_in_bulk_reports_outcomes_journal_or_logs(
    make_client: MakeClient, debug_logs: EverythingHandler, tmp_path: Path
) -> None:
    from postpress_async.sandbox import Faults, Sandbox

    faults = Faults(
        provider_error=0.1, service_unavailable=0.1, commit_then_fail=0.1, drop_connection=0.05
    )
    journal = tmp_path / "bulk.jsonl"
    outcomes: list[object] = []
    async with Sandbox(api_key=API_KEY, faults=faults, seed=3) as sandbox:
        client = make_client(sandbox.base_url, max_retries=2)
        requests = [PublishRequest(f"d-{i}", account_id="acc", mode="FREE") for i in range(200)]
        with no_retry_waits():
            report = await bounded(
                client.jobs.publish_many(requests, journal=journal, on_outcome=outcomes.append)
            )
    assert report.counts["failed"] > 0  # the faults produced errors to inspect
    texts = [repr(report), repr(report.failures), journal.read_text()]
    texts += [repr(outcome) for outcome in outcomes]
    for failure in report.failures:
        assert failure.error is not None
        texts += exception_texts(failure.error)
    assert_no_key(texts)
    assert_no_key(debug_logs.texts)


# --- CLI output ------------------------------------------------------------------------------


def test_api_key_never_appears_in_cli_output(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    debug_logs: EverythingHandler,
) -> None:
    from postpress_async._cli import main
    from postpress_async.sandbox import Faults, SandboxThread

    monkeypatch.setenv("POSTPRESS_API_KEY", API_KEY)
    journal = tmp_path / "journal.jsonl"
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text("".join(json.dumps({"draft_id": f"d-{i}"}) + "\n" for i in range(30)))
    faults = Faults(provider_error=0.2, commit_then_fail=0.2, drop_connection=0.1)
    codes: list[int] = []
    with (
        SandboxThread(api_key=API_KEY, faults=faults, seed=5) as good,
        SandboxThread(api_key="some-other-key") as wrong_key,
        no_retry_waits(),
    ):
        dead = "http://127.0.0.1:9/api/v1"  # the discard port: nothing listens there
        publish = ["publish", "d-x", "--account-id", "a", "--mode", "FREE"]
        for base_url in (good.base_url, wrong_key.base_url, dead):
            for extra in ([], ["--json"]):
                codes.append(main([*publish, "--base-url", base_url, *extra]))
        bulk = ["bulk", str(drafts), "--account-id", "a", "--mode", "FREE", "--json"]
        codes.append(main([*bulk, "--base-url", good.base_url, "--journal", str(journal)]))
        codes.append(main([*bulk, "--base-url", wrong_key.base_url]))
    captured = capsys.readouterr()
    assert 0 in codes
    assert any(code != 0 for code in codes)  # the failures were printed too
    assert_no_key([captured.out, captured.err, journal.read_text()])
    assert_no_key(debug_logs.texts)
