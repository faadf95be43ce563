"""One job posting's record and its JSON, and the state machine it moves through.

    created (POST /linkedin/jobs)         seeded (Draft(...), generate=N, any id)
              \\                                 /
               draft --publish--> [checkpoints] --> review --(delay)--> active --close--> closed
                                                     (seeded drafts: straight to Draft.job_state)

A created draft moves to ``review`` when published and to ``active`` once its seeded
review delay has passed on the sandbox clock. The move happens when the job is next read,
so no timer runs in the background. Applicants exist once a job has been active.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ._catalogue import location_title, title_of
from ._faults import unit
from ._validate import CHECKPOINT_TYPES, JOB_STATES, PublishRequest

__all__ = [
    "POSTED_STATES",
    "Draft",
    "Job",
    "draft_traits",
    "fingerprint",
    "generate_drafts",
    "publish_options_json",
    "spread",
]

# The states listed under category=active: posted and not closed.
POSTED_STATES: Final = frozenset({"active", "review", "paused"})

_CURRENCY: Final = "USD"
_DAILY: Final = {"min": 5, "max": 500, "recommended": 25}
_MONTHLY: Final = {"min": 150, "max": 15000, "recommended": 750}


@dataclass(frozen=True)
class Draft:
    """A draft the sandbox knows.

    ``checkpoints`` is the sequence LinkedIn demands before publishing, as
    ``(type, expected_input)`` pairs with type ``"EMAIL_VERIFICATION"`` or ``"OTP"``.
    ``job_state`` is the state a publish answers (and the job keeps). ``applicants`` overrides
    the sandbox's number of applicants for this job once it is active.
    """

    draft_id: str
    free_eligible: bool = True
    checkpoints: tuple[tuple[str, str], ...] = ()
    job_state: str = "active"
    applicants: int | None = None

    def __post_init__(self) -> None:
        if not self.draft_id:
            raise ValueError("draft_id must not be empty")
        if self.job_state not in JOB_STATES:
            raise ValueError(f"job_state must be one of {sorted(JOB_STATES)}")
        if self.applicants is not None and self.applicants < 0:
            raise ValueError("applicants must be >= 0")
        object.__setattr__(self, "checkpoints", tuple(tuple(c) for c in self.checkpoints))
        for checkpoint in self.checkpoints:
            if len(checkpoint) != 2 or checkpoint[0] not in CHECKPOINT_TYPES:
                raise ValueError(f"checkpoint must be (type, input), got {checkpoint!r}")


def spread(value: float | tuple[float, float], u: float) -> float:
    """A fixed value, or a point of a ``(min, max)`` range chosen by ``u`` in ``[0, 1)``."""
    if isinstance(value, tuple):
        low, high = value
        return low + (high - low) * u
    return value


def draft_traits(
    seed: int, draft_id: str, checkpoint_fraction: float, not_free_fraction: float
) -> Draft:
    """A draft whose checkpoint and free eligibility are a pure function of the seed."""
    checkpoints: tuple[tuple[str, str], ...] = ()
    if unit(seed, "generate", draft_id, 0, "checkpoint") < checkpoint_fraction:
        kind = "OTP" if unit(seed, "generate", draft_id, 0, "kind") < 0.5 else "EMAIL_VERIFICATION"
        code = f"{int(unit(seed, 'generate', draft_id, 0, 'code') * 1_000_000):06d}"
        checkpoints = ((kind, code),)
    free = unit(seed, "generate", draft_id, 0, "free") >= not_free_fraction
    return Draft(draft_id, free_eligible=free, checkpoints=checkpoints)


def generate_drafts(
    n: int,
    *,
    seed: int = 0,
    checkpoint_fraction: float = 0.0,
    not_free_fraction: float = 0.0,
    id_format: str = "draft-{:05d}",
) -> list[Draft]:
    """``n`` drafts ``draft-00001``... whose traits are a pure function of the seed.

    A checkpoint draft demands one OTP (or email token) whose expected input is six digits
    derived from the seed, readable from the returned ``Draft``.
    """
    return [
        draft_traits(seed, id_format.format(i), checkpoint_fraction, not_free_fraction)
        for i in range(1, n + 1)
    ]


def fingerprint(account_id: str, body: Mapping[str, Any]) -> str:
    """A hash of the account and the canonical body (key order and spacing do not count)."""
    text = json.dumps([account_id, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def publish_options_json(draft: Draft, estimated: int) -> dict[str, Any]:
    """The ``publish_options`` block of the create answer."""
    return {
        "free": {
            "eligible": draft.free_eligible,
            "ineligible_reason": None
            if draft.free_eligible
            else "This company has reached its limit of free job postings.",
            "estimated_monthly_applicants": estimated,
        },
        "promoted": {
            "estimated_monthly_applicants": estimated * 4,
            "currency": _CURRENCY,
            "daily_budget": dict(_DAILY),
            "monthly_budget": dict(_MONTHLY),
        },
    }


def budget_problem(budget: dict[str, dict[str, Any]] | None) -> str | None:
    """Why a promoted budget falls outside the created draft's ``publish_options``."""
    if budget is None:
        return None
    ((period, value),) = budget.items()
    bounds = _DAILY if period == "daily" else _MONTHLY
    if value["currency"] != _CURRENCY:
        return f"budget.{period}.currency: this draft is priced in {_CURRENCY}"
    if not bounds["min"] <= value["amount"] <= bounds["max"]:
        return (
            f"budget.{period}.amount: must be between {bounds['min']} and {bounds['max']} "
            f"{_CURRENCY}, got {value['amount']}"
        )
    return None


@dataclass
class Job:
    """Everything the sandbox knows about one job posting (sandbox-internal)."""

    seq: int
    draft: Draft
    created_at: float
    # The account that created it; None for seeded drafts, which every account may use.
    owner: str | None = None
    content: dict[str, Any] = field(default_factory=dict)
    # Created drafts follow draft -> review -> active; seeded ones jump to draft.job_state.
    lifecycle: bool = False
    review_delay: float = 0.0
    applicant_count: int = 0
    state: str = "draft"
    published: bool = False
    # Index of the checkpoint awaiting an answer, and the publish it will complete.
    pending: int | None = None
    pending_request: PublishRequest | None = None
    service: str | None = None
    cost: float = 0
    published_at: float | None = None
    activated_at: float | None = None
    closed_at: float | None = None
    edits: int = 0

    @property
    def job_id(self) -> str:
        """The job id (the draft id)."""
        return self.draft.draft_id

    def refresh(self, now: float) -> str:
        """The current state, after a review delay that has run out on the sandbox clock."""
        live_at = None if self.published_at is None else self.published_at + self.review_delay
        if self.state == "review" and self.lifecycle and live_at is not None and now >= live_at:
            self.state = "active"
            self.activated_at = live_at
        return self.state

    def has_applicants(self) -> bool:
        """Applicants exist once the job has been live."""
        return self.activated_at is not None

    def visible_to(self, account_id: str) -> bool:
        """Whether ``account_id`` may read or change this job."""
        return self.owner is None or self.owner == account_id

    def applicants_total(self) -> int:
        """How many applicants the job has now."""
        return self.applicant_count if self.has_applicants() else 0

    def to_json(self, now: float) -> dict[str, Any]:
        """The ``LinkedinJobPosting`` object of the get and list pages."""
        state = self.refresh(now)
        content = self.content
        title = _label(content.get("job_title"), "JOB_TITLE") or f"Job {self.job_id}"
        company = _label(content.get("company"), "COMPANY") or "Sandbox GmbH"
        location = content.get("location", "106967730")
        body: dict[str, Any] = {
            "object": "LinkedinJobPosting",
            "id": self.job_id,
            "state": state,
            "title": title,
            "description": content.get("description", ""),
            "company": company,
            "location": location_title(location),
            "applicants_counter": self.applicants_total(),
            "views_counter": self.applicants_total() * 9,
            "cost": self.cost,
            "created_at": int(self.created_at),
            "workplace": content.get("workplace", "ON_SITE"),
            "screening_questions": [
                {
                    "question": q["question"],
                    "favorableAnswers": list(q.get("expected_choices", []))
                    if q["answer_type"] == "multiple_choices"
                    else [str(q.get("min_expectation", ""))],
                }
                for q in content.get("screening_questions", [])
            ],
            "hiring_team": [],
        }
        company_ref = content.get("company") or {}
        if "id" in company_ref:
            body["company_id"] = company_ref["id"]
        if self.published_at is not None:
            body["published_at"] = int(self.published_at)
            body["apply_url"] = f"https://www.linkedin.com/jobs/view/{self.seq}"
        if self.closed_at is not None:
            body["closed_at"] = int(self.closed_at)
        recruiter = content.get("recruiter") or {}
        for name in ("skills", "functions", "industries"):
            if name in recruiter:
                body[name] = list(recruiter[name])
        if "seniority" in recruiter:
            body["seniority"] = recruiter["seniority"]
        return body


def _label(ref: dict[str, str] | None, kind: str) -> str | None:
    if not ref:
        return None
    if "text" in ref:
        return ref["text"]
    return title_of(kind, ref["id"]) or f"{kind.replace('_', ' ').title()} {ref['id']}"
