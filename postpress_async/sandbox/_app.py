"""The sandbox's HTTP surface: one handler that routes on the raw request path.

aiohttp's router matches on the *decoded* path, so a draft id containing ``%2F`` would be
split into two segments (and a decoded newline would not match at all). The sandbox uses
aiohttp's low-level ``web.Server`` with a single handler instead and parses
``request.raw_path`` itself, percent-decoding the draft id segment only after the path has
been split.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ._errors import SandboxError, error_response, new_request_id
from ._faults import Faults, decide, latency_for
from ._state import State, Stats
from ._validate import (
    CheckpointRequest,
    PublishRequest,
    decode_draft_id,
    parse_json_object,
    validate_checkpoint,
    validate_publish,
)

__all__ = ["SandboxHandler", "parse_api_path"]

_ENDPOINTS = ("publish", "checkpoint")


def parse_api_path(raw_path: str, prefix: str) -> tuple[str, str] | None:
    """Split ``{prefix}/linkedin/jobs/{raw draft id}/{publish|checkpoint}``.

    Returns ``(endpoint, raw_segment)`` with the segment still percent-encoded, or
    ``None`` when the path is not one of the two endpoints.
    """
    path = raw_path.split("?", 1)[0]
    head = prefix + "/linkedin/jobs/"
    if not path.startswith(head):
        return None
    segment, sep, endpoint = path[len(head) :].rpartition("/")
    # An unencoded "/" inside the segment means a different (unknown) path; "." and ".."
    # are path navigation, never ids.
    if not sep or endpoint not in _ENDPOINTS or not segment or "/" in segment:
        return None
    if segment in (".", ".."):
        return None
    return endpoint, segment


def _json(body: Any, request_id: str, status: int = 200) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        content_type="application/json",
        headers={"X-Request-Id": request_id},
    )


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
    stats: Stats = field(default_factory=Stats)
    # Per (endpoint, draft id) attempt numbers, the "history" that fault decisions hash.
    _attempts: dict[tuple[str, str], int] = field(default_factory=dict)

    async def __call__(self, request: web.BaseRequest) -> web.StreamResponse:
        raw_path = request.raw_path
        if raw_path.startswith("/_sandbox/"):
            return self._introspect(request, raw_path.split("?", 1)[0])
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

    def _introspect(self, request: web.BaseRequest, path: str) -> web.Response:
        request_id = new_request_id()
        if request.method != "GET":
            return error_response(
                404, "errors/resource_not_found", f"no {request.method} {path}", request_id
            )
        if path == "/_sandbox/ledger":
            return _json(self.state.ledger.to_json(), request_id)
        if path == "/_sandbox/stats":
            return _json(self.stats.to_json(), request_id)
        if path == "/_sandbox/health":
            return _json({"ok": True}, request_id)
        return error_response(404, "errors/resource_not_found", f"no such path {path}", request_id)

    async def _api(self, request: web.BaseRequest, raw_path: str) -> web.Response | None:
        request_id = new_request_id()
        try:
            return await self._endpoint(request, raw_path, request_id)
        except SandboxError as exc:
            return error_response(exc.status, exc.type, exc.detail, request_id, exc.headers)

    def _authenticate(self, request: web.BaseRequest) -> None:
        key = request.headers.get("X-API-KEY")
        if not key:
            raise SandboxError(
                401, "errors/missing_credentials", "send your API key in the X-API-KEY header"
            )
        if not hmac.compare_digest(key.encode(), self.api_key.encode()):
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

    async def _endpoint(
        self, request: web.BaseRequest, raw_path: str, request_id: str
    ) -> web.Response | None:
        match = parse_api_path(raw_path, self.prefix)
        if match is None or request.method != "POST":
            raise SandboxError(
                404,
                "errors/resource_not_found",
                f"no such endpoint: {request.method} {raw_path.split('?', 1)[0]}",
            )
        endpoint, segment = match
        self._authenticate(request)
        body = parse_json_object(await self._read_body(request))
        draft_id = decode_draft_id(segment, self.max_string_length)
        validated: PublishRequest | CheckpointRequest = (
            validate_publish(body, self.max_string_length)
            if endpoint == "publish"
            else validate_checkpoint(body, self.max_string_length)
        )

        commit_then_fail = False
        if self.faults.active:
            key = (endpoint, draft_id)
            attempt = self._attempts.get(key, 0)
            self._attempts[key] = attempt + 1
            delay = latency_for(self.faults, self.seed, endpoint, draft_id, attempt)
            if delay:
                await asyncio.sleep(delay)
            fault = decide(self.faults, self.seed, endpoint, draft_id, attempt)
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
            if isinstance(validated, PublishRequest):
                payload = self.state.publish(draft_id, validated, request_id)
            else:
                payload = self.state.checkpoint(draft_id, validated, request_id)
        except SandboxError:
            if not commit_then_fail:
                raise
        if commit_then_fail:
            # Whatever happened upstream has happened; the client only sees a timeout.
            raise SandboxError(
                504, "errors/request_timeout", "upstream timed out (injected: commit-then-fail)"
            )
        return _json(payload, request_id)


def _drop(request: web.BaseRequest) -> None:
    # close() (not abort()) ends the TCP stream with FIN before any byte of a response, so
    # the client sees the server disconnect. aiohttp then fails to write the handler's
    # placeholder response to the closing transport and swallows that ConnectionError.
    transport = request.transport
    if transport is not None:
        transport.close()
