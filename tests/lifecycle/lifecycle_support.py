"""Payloads from the contract and a routing fake API for the lifecycle tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from postpress_async import TransportRequest
from postpress_async.testing import MockResponse

API_KEY = "pp_test_lifecycle_key"
BASE_URL = "https://api.postpress.test/api/v1"
ACCOUNT_ID = "acc_1"
JOB_ID = "3984512098"

DRAFT_CREATED = {
    "object": "LinkedinJobPostingDraftCreated",
    "job_id": JOB_ID,
    "publish_options": {
        "free": {"eligible": True, "ineligible_reason": None, "estimated_monthly_applicants": 40},
        "promoted": {
            "estimated_monthly_applicants": 300,
            "currency": "EUR",
            "daily_budget": {"min": 5, "max": 500, "recommended": 25},
            "monthly_budget": {"min": 150, "max": 15000, "recommended": 750.5},
        },
    },
}


def job(state: str = "active", job_id: str = JOB_ID, **extra: Any) -> dict[str, Any]:
    """A LinkedinJobPosting with the always-present fields of the contract."""
    return {
        "object": "LinkedinJobPosting", "id": job_id, "state": state,
        "title": "Senior Python Engineer", "location": "Berlin", "applicants_counter": 3,
        "cost": 0, **extra,
    }


def applicant(applicant_id: str = "appl_1", **extra: Any) -> dict[str, Any]:
    """A LinkedinJobApplicant with the always-present fields of the contract."""
    return {
        "object": "LinkedinJobApplicant", "id": applicant_id, "profile_id": "p1",
        "public_identifier": "ada", "public_profile_url": "https://linkedin.com/in/ada",
        "name": "Ada Lovelace", "location": "London", "headline": "Engineer",
        "applied_at": 1_710_000_000_123, "rating": "GOOD_FIT",
        "work_experience": [{"company": "Analytical Engines", "position": "Engineer",
                             "start": {"year": 2020, "month": 1}, "end": None}],
        "education": [], "screening_questions": [
            {"question": "Years of Python?", "answers": ["7"], "success": True}
        ],
        **extra,
    }


def account(account_id: str = ACCOUNT_ID, status: str = "OK") -> dict[str, Any]:
    """An Account as the accounts pages document it."""
    return {
        "object": "Account", "id": account_id, "type": "LINKEDIN", "name": "Ada",
        "created_at": "2026-01-02T03:04:05.678Z", "connection_params": {"im": {}},
        "groups": [], "sources": [{"id": f"{account_id}_MESSAGING", "status": status}],
    }


def query(request: TransportRequest) -> list[tuple[str, str]]:
    """The request's query as (name, value) pairs, decoded."""
    return parse_qsl(urlsplit(request.url).query, keep_blank_values=True)


def path(request: TransportRequest) -> str:
    """The request's path below the base URL, still percent-encoded."""
    return urlsplit(request.url).path.removeprefix(urlsplit(BASE_URL).path)


Handler = Callable[[TransportRequest], MockResponse]


class Routes:
    """A MockTransport handler answering by ``METHOD path-regex``; unmatched is a 599."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler | dict[str, Any]) -> Routes:
        if isinstance(handler, dict):
            payload = handler
            handler = lambda request: MockResponse(200, json=payload)  # noqa: E731
        self.routes.append((method, re.compile(pattern), handler))
        return self

    def __call__(self, request: TransportRequest) -> MockResponse:
        for method, pattern, handler in self.routes:
            if request.method == method and pattern.fullmatch(path(request)):
                return handler(request)
        raise AssertionError(f"unexpected request {request.method} {request.url}")


def pages_of(items: list[dict[str, Any]], size: int, *, tag: str,
             shape: str = "items") -> Handler:
    """A list endpoint over ``items``: the cursor is the next offset; ``shape`` picks the
    reference pages' ``items``/``cursor`` or the quickstart's ``data``/``next_cursor``."""

    def handle(request: TransportRequest) -> MockResponse:
        offset = int(dict(query(request)).get("cursor", "0"))
        chunk = items[offset:offset + size]
        following = str(offset + size) if offset + size < len(items) else None
        if shape == "items":
            body: dict[str, Any] = {
                "object": tag, "items": chunk, "cursor": following,
                "paging": {"page_count": len(chunk), "total_count": len(items)},
            }
        else:
            body = {"data": chunk, "next_cursor": following}
        return MockResponse(200, json=body)

    return handle
