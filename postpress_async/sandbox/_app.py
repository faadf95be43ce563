"""The sandbox's HTTP surface: one handler for every request, in a fixed order of checks.

route -> authenticate -> body (size, content type, JSON) -> validate -> Idempotency-Key
(replay or refuse) -> faults and latency -> state -> answer (and store it under the key).

aiohttp's low-level ``web.Server`` runs the handler; the sandbox routes on the raw path
itself (see ``_routes.py``). Whatever arrives, the answer is an error envelope or a
contract answer: an unexpected exception becomes a 500 ``errors/unexpected_error``
envelope and the server goes on.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ._endpoints import BODY_ENDPOINTS, Binary, Call, prepare
from ._errors import SandboxError, error_response, new_request_id
from ._faults import Faults, decide, latency_for
from ._idempotency import IdempotencyStore, check_key, request_fingerprint
from ._introspect import introspect
from ._reads import Reads
from ._records import Stats
from ._routes import Route, parse_api_path, route
from ._state import State
from ._validate import parse_json_object

__all__ = ["SandboxHandler", "parse_api_path"]

_log = logging.getLogger("postpress_async.sandbox")


def _json(body: Any, request_id: str, status: int = 200) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        content_type="application/json",
        headers={"X-Request-Id": request_id},
    )


def _is_json_type(content_type: str | None) -> bool:
    if content_type is None:
        return False
    media, _, params = content_type.partition(";")
    media = media.strip().lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        return False
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            return False
    return True


@dataclass
class SandboxHandler:
    """The request handler given to ``aiohttp.web.Server``."""

    state: State
    faults: Faults
    seed: int
    api_key: str
    prefix: str
    max_body_bytes: int
    max_string_length: int
    resume_size: int | None = None
    # False models a server that ignores Idempotency-Key (the header is not even read).
    honour_idempotency_keys: bool = True
    stats: Stats = field(default_factory=Stats)
    # Per (endpoint, id) attempt numbers, the "history" that fault decisions hash.
    _attempts: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reads = Reads(self.state, self.resume_size)
        self.idempotency = IdempotencyStore(self.state.clock)
        # Handler tasks still running, so stop() can end them instead of leaving them to
        # be destroyed pending with their loop.
        self.tasks: set[asyncio.Task[Any]] = set()

    async def __call__(self, request: web.BaseRequest) -> web.StreamResponse:
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        try:
            return await self._handle(request)
        finally:
            if task is not None:
                self.tasks.discard(task)

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        raw_path = request.raw_path
        if raw_path.startswith("/_sandbox/"):
            return await introspect(self, request, raw_path)
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.stats.started(peer)
        status: int | None = None
        try:
            response = await self._api(request, raw_path)
            if response is not None:
                status = response.status
                return response
            return web.Response(status=204)  # never sent: the transport is closed
        finally:
            self.stats.finished(status)

    async def _api(self, request: web.BaseRequest, raw_path: str) -> web.StreamResponse | None:
        request_id = new_request_id()
        try:
            return await self._endpoint(request, raw_path, request_id)
        except SandboxError as exc:
            return error_response(exc.status, exc.type, exc.detail, request_id, exc.headers)
        except Exception:  # a sandbox bug must still answer an envelope, and not stop it
            _log.exception("sandbox: unexpected error answering %s", request_id)
            return error_response(
                500, "errors/unexpected_error", "the sandbox failed on this request", request_id
            )

    def _authenticate(self, request: web.BaseRequest) -> None:
        key = request.headers.get("X-API-KEY")
        if not key:
            raise SandboxError(
                401, "errors/missing_credentials", "send your API key in the X-API-KEY header"
            )
        # Header bytes that are not UTF-8 arrive as surrogate escapes; they are compared as
        # the bytes that were sent, never decoded into an exception.
        sent = key.encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(sent, self.api_key.encode()):
            raise SandboxError(401, "errors/invalid_credentials", "the API key is not valid")

    async def _read_body(self, request: web.BaseRequest) -> bytes:
        too_large = SandboxError(
            400,
            "errors/content_too_large",
            f"the body is larger than {self.max_body_bytes} bytes",
        )
        length = request.content_length
        if length is not None and length > self.max_body_bytes:
            raise too_large
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            # aiohttp's own cap (1 MiB) for chunked bodies without a Content-Length.
            raise too_large from None
        if len(body) > self.max_body_bytes:
            raise too_large
        return body

    async def _json_body(self, request: web.BaseRequest, endpoint: str) -> dict[str, Any]:
        data = await self._read_body(request)
        content_type = request.headers.get("Content-Type")
        if endpoint == "close" and not data:
            return {}  # close may send everything in the query
        if data and not _is_json_type(content_type):
            raise SandboxError(
                415,
                "errors/unsupported_media_type",
                "the body must be sent as content-type: application/json (got "
                + (repr(content_type) if content_type is not None else "no content-type")
                + ")",
            )
        return parse_json_object(data)

    async def _endpoint(
        self, request: web.BaseRequest, raw_path: str, request_id: str
    ) -> web.StreamResponse | None:
        matched = route(request.method, raw_path, self.prefix, self.max_string_length)
        self.stats.routed(matched.endpoint)
        self._authenticate(request)
        body = None
        if matched.endpoint in BODY_ENDPOINTS:
            body = await self._json_body(request, matched.endpoint)
        key = None
        if self.honour_idempotency_keys and request.method in ("POST", "PATCH"):
            header = request.headers.get("Idempotency-Key")
            key = check_key(header) if header is not None else None
        target = "\x00".join((matched.endpoint, *matched.ids, matched.query))
        fingerprint = request_fingerprint(request.method, target, body)
        call = prepare(matched, body, self.state, self.reads, self.max_string_length, key)
        if key is None:
            return await self._run(request, matched, call, request_id, None, fingerprint)
        await self.idempotency.wait_turn(key)
        try:
            stored = self.idempotency.lookup(key, fingerprint)
            if stored is not None:
                self.stats.idempotent_replays += 1
                return web.Response(
                    status=stored.status,
                    body=stored.body,
                    content_type="application/json",
                    headers={"X-Request-Id": request_id, "Idempotent-Replayed": "true"},
                )
            return await self._run(request, matched, call, request_id, key, fingerprint)
        finally:
            self.idempotency.end_turn(key)

    async def _run(
        self,
        request: web.BaseRequest,
        matched: Route,
        call: Call,
        request_id: str,
        key: str | None,
        fingerprint: str,
    ) -> web.StreamResponse | None:
        endpoint = matched.endpoint
        commit_then_fail = False
        if self.faults.active and endpoint in self.faults.endpoints:
            attempt_key = (endpoint, call.fault_id)
            attempt = self._attempts.get(attempt_key, 0)
            self._attempts[attempt_key] = attempt + 1
            delay = latency_for(self.faults, self.seed, endpoint, call.fault_id, attempt)
            if delay:
                await asyncio.sleep(delay)
            fault = decide(self.faults, self.seed, endpoint, call.fault_id, attempt)
            if fault is not None:
                if fault.kind == "drop_connection":
                    _drop(request)
                    return None
                if fault.kind == "commit_then_fail":
                    commit_then_fail = True
                else:
                    headers = (
                        {"Retry-After": str(self.faults.retry_after)} if fault.status == 429 else {}
                    )
                    raise SandboxError(
                        fault.status, fault.kind, f"injected fault ({fault.kind})", headers
                    )
        try:
            result = call.run(request_id)
        except SandboxError:
            if not commit_then_fail:
                raise
            result = None
        if isinstance(result, Binary):
            return web.Response(
                body=result.body,
                content_type=result.content_type,
                headers={
                    "X-Request-Id": request_id,
                    "Content-Disposition": f'attachment; filename="{result.filename}"',
                },
            )
        if result is not None and key is not None:
            # Stored even when the answer is lost below: the action took effect, and a
            # retry with the same key must learn its result (e.g. the new draft's id).
            self.idempotency.store(key, fingerprint, 200, json.dumps(result).encode())
        if commit_then_fail:
            # Whatever happened upstream has happened; the client only sees a timeout.
            raise SandboxError(
                504, "errors/request_timeout", "upstream timed out (injected: commit-then-fail)"
            )
        return _json(result, request_id)


def _drop(request: web.BaseRequest) -> None:
    # close() (not abort()) ends the TCP stream with FIN before any byte of a response, so
    # the client sees the server disconnect. aiohttp then fails to write the handler's
    # placeholder response to the closing transport and swallows that ConnectionError.
    transport = request.transport
    if transport is not None:
        transport.close()
