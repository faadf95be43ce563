"""The ``/_sandbox/`` routes: what a test reads (ledger, stats, jobs) and what it steers
(account health, the clock). Outside the API prefix, no key, not counted in the stats."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import web

from ._accounts import Account, check_rate_limit, check_status
from ._errors import SandboxError, error_response, new_request_id
from ._validate import parse_json_object

if TYPE_CHECKING:
    from ._app import SandboxHandler

__all__ = ["account_info", "introspect", "job_info", "update_account"]


def job_info(handler: SandboxHandler, job_id: str) -> dict[str, Any]:
    """One job as the sandbox sees it (state, owner, checkpoints and their inputs)."""
    job = handler.state.jobs.get(job_id)
    if job is None:
        raise KeyError(job_id)
    state = job.refresh(handler.state.clock.now())
    return {
        "job_id": job.job_id,
        "owner": job.owner,
        "state": state,
        "created": job.lifecycle,
        "published": job.published,
        "published_count": handler.state.ledger.published_count(job.job_id),
        "service": job.service,
        "free_eligible": job.draft.free_eligible,
        "checkpoints": [list(c) for c in job.draft.checkpoints],
        "review_delay": job.review_delay,
        "applicants": job.applicants_total(),
        "edits": job.edits,
    }


def account_info(handler: SandboxHandler) -> list[dict[str, Any]]:
    """Every known account with its health, credits and job slots."""
    return [
        {
            "account_id": a.account_id,
            "status": a.status,
            "failure": a.failure,
            "credits": a.credits,
            "job_slots": a.job_slots,
            "rate_limited": a.rate_limited,
            "retry_after": a.retry_after,
        }
        for a in handler.state.all_accounts()
    ]


# The account fields a test may set directly (``failure`` is validated on its own).
_FIELDS = ("status", "credits", "job_slots", "rate_limited", "retry_after")


def update_account(handler: SandboxHandler, account_id: str, changes: dict[str, Any]) -> None:
    """Change an account's ``status``, ``failure``, ``credits``, ``job_slots``,
    ``rate_limited`` or ``retry_after``; an unknown id becomes a new account."""
    unknown = sorted(set(changes) - {*_FIELDS, "failure"})
    if unknown:
        raise ValueError(f"unknown account field(s): {', '.join(unknown)}")
    for name in ("credits", "job_slots"):
        value = changes.get(name)
        if (
            name in changes
            and value is not None
            and (isinstance(value, bool) or not isinstance(value, int) or value < 0)
        ):
            raise ValueError(f"{name}: expected null or an integer >= 0, got {value!r}")
    if "status" in changes:
        check_status(changes["status"])
    state = handler.state
    account = state.all_accounts_by_id().get(account_id)
    check_rate_limit(
        changes.get("rate_limited", account.rate_limited if account else False),
        changes.get("retry_after", account.retry_after if account else 1),
    )
    if account is None:
        account = state.add_account(Account(account_id))
    if "failure" in changes:
        Account(account_id, failure=changes["failure"])  # validates the type
        account.failure = changes["failure"]
    for name in _FIELDS:
        if name in changes:
            setattr(account, name, changes[name])


def _json(body: Any, request_id: str) -> web.Response:
    return web.Response(
        body=json.dumps(body).encode(),
        content_type="application/json",
        headers={"X-Request-Id": request_id},
    )


async def introspect(
    handler: SandboxHandler, request: web.BaseRequest, raw_path: str
) -> web.Response:
    """Answer one ``/_sandbox/...`` request."""
    request_id = new_request_id()
    path = raw_path.split("?", 1)[0]
    try:
        return await _answer(handler, request, path, request_id)
    except SandboxError as exc:
        return error_response(exc.status, exc.type, exc.detail, request_id)
    except ValueError as exc:
        return error_response(400, "errors/invalid_parameters", str(exc), request_id)


async def _answer(
    handler: SandboxHandler, request: web.BaseRequest, path: str, request_id: str
) -> web.Response:
    method = request.method
    state = handler.state
    if method == "GET":
        if path == "/_sandbox/ledger":
            return _json(state.ledger.to_json(), request_id)
        if path == "/_sandbox/stats":
            return _json(handler.stats.to_json(), request_id)
        if path == "/_sandbox/health":
            return _json({"ok": True}, request_id)
        if path == "/_sandbox/jobs":
            jobs = [job_info(handler, job.job_id) for job in state.job_order]
            return _json({"jobs": jobs, "total": len(jobs)}, request_id)
        if path == "/_sandbox/accounts":
            return _json({"accounts": account_info(handler)}, request_id)
        if path == "/_sandbox/clock":
            clock = state.clock
            return _json({"now": clock.now(), "offset": clock.offset}, request_id)
    if method == "POST":
        if path == "/_sandbox/clock":
            body = parse_json_object(await request.read())
            seconds = body.get("advance")
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                raise ValueError("advance: expected a number of seconds")
            state.clock.advance(float(seconds))
            return _json({"now": state.clock.now(), "offset": state.clock.offset}, request_id)
        head = "/_sandbox/accounts/"
        if path.startswith(head) and len(path) > len(head) and "/" not in path[len(head) :]:
            account_id = unquote(path[len(head) :])
            update_account(handler, account_id, parse_json_object(await request.read()))
            (info,) = [a for a in account_info(handler) if a["account_id"] == account_id]
            return _json(info, request_id)
    return error_response(404, "errors/resource_not_found", f"no {method} {path}", request_id)
