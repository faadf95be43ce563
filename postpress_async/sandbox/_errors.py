"""The error envelope of the API page, built by the sandbox on its own.

Every non-2xx answer of the sandbox goes through :func:`error_response`, so the envelope
(``title``, ``detail``, ``type``, ``status``, ``instance``) has one shape everywhere. The
titles are the sandbox's own reading of the API page: it deliberately shares nothing with
the SDK, so a contract the SDK misreads cannot be "confirmed" by the sandbox.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping

from aiohttp import web

__all__ = ["TITLES", "SandboxError", "error_response", "new_request_id"]

# One short human title per documented type (plus the sandbox's 429, which the API page
# mentions only in prose: "exceeding LinkedIn's limits gives a 429").
TITLES: Mapping[str, str] = {
    # 400
    "errors/invalid_parameters": "Invalid parameters",
    "errors/malformed_request": "Malformed request",
    "errors/content_too_large": "Content too large",
    "errors/invalid_url": "Invalid URL",
    "errors/too_many_characters": "Too many characters",
    "errors/unescaped_characters": "Unescaped characters",
    "errors/missing_parameters": "Missing parameters",
    "errors/limit_too_high": "Limit too high",
    # 401
    "errors/missing_credentials": "Missing credentials",
    "errors/invalid_credentials": "Invalid credentials",
    "errors/invalid_checkpoint_solution": "Invalid checkpoint solution",
    "errors/checkpoint_error": "Checkpoint error",
    "errors/disconnected_account": "Disconnected account",
    "errors/expired_credentials": "Expired credentials",
    "errors/wrong_account": "Wrong account",
    "errors/multiple_sessions": "Multiple sessions",
    "errors/insufficient_privileges": "Insufficient privileges",
    # 403
    "errors/account_mismatch": "Account mismatch",
    "errors/account_restricted": "Account restricted",
    "errors/insufficient_permissions": "Insufficient permissions",
    "errors/subscription_required": "Subscription required",
    "errors/feature_not_subscribed": "Feature not subscribed",
    "errors/action_required": "Action required",
    # 404
    "errors/resource_not_found": "Resource not found",
    "errors/invalid_resource_identifier": "Invalid resource identifier",
    # 422
    "errors/unprocessable_entity": "Unprocessable entity",
    "errors/action_already_performed": "Action already performed",
    "errors/insufficient_credits": "Insufficient credits",
    "errors/insufficient_job_slot": "Insufficient job slot",
    "errors/invalid_account": "Invalid account",
    "errors/account_configuration_error": "Account configuration error",
    "errors/payment_error": "Payment error",
    # 415 (the sandbox's own: a body not declared as JSON; see docs/sandbox.md)
    "errors/unsupported_media_type": "Unsupported media type",
    # 429 (not in the page's list of types; see docs/sandbox.md)
    "errors/too_many_requests": "Too many requests",
    # 500
    "errors/unexpected_error": "Unexpected error",
    "errors/provider_error": "Provider error",
    # 503
    "errors/no_client_session": "No client session",
    "errors/no_channel": "No channel",
    "errors/no_handler": "No handler",
    "errors/network_down": "Network down",
    "errors/service_unavailable": "Service unavailable",
    # 504
    "errors/request_timeout": "Request timeout",
}


def new_request_id() -> str:
    """A fresh request identifier, used as the envelope's ``instance`` and ``X-Request-Id``."""
    return "req_" + uuid.uuid4().hex


class SandboxError(Exception):
    """Raised inside the sandbox to answer with an error envelope.

    Validation and state code raise it; the dispatcher turns it into a response. Using an
    exception keeps the validators linear (first failure wins, in the documented order).
    """

    def __init__(
        self,
        status: int,
        type_: str,
        detail: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {type_}: {detail}")
        self.status = status
        self.type = type_
        self.detail = detail
        self.headers = dict(headers or {})


def error_response(
    status: int,
    type_: str,
    detail: str,
    request_id: str,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """The documented error envelope as an aiohttp response."""
    body = {
        "title": TITLES.get(type_, "Error"),
        "detail": detail,
        "type": type_,
        "status": status,
        "instance": request_id,
    }
    all_headers = {"X-Request-Id": request_id}
    if headers:
        all_headers.update(headers)
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        content_type="application/json",
        headers=all_headers,
    )
