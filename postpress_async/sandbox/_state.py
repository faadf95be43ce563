"""The sandbox's memory: jobs, accounts and the ledger, with the rules of each action.

All mutation happens on the sandbox's event loop, one handler step at a time, so no locks
are needed. Reads of applicants and the catalogue live in ``_reads.py``; this module holds
what changes state: create, edit, publish, checkpoint, close.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._accounts import Account
from ._errors import SandboxError
from ._faults import unit
from ._jobs import (
    Draft,
    Job,
    budget_problem,
    draft_traits,
    fingerprint,
    generate_drafts,
    publish_options_json,
    spread,
)
from ._records import Clock, CreationEntry, Ledger, LedgerEntry, Stats
from ._validate import CheckpointRequest, PublishRequest

__all__ = [
    "DEFAULT_CREDIT_COSTS",
    "Account",
    "Draft",
    "Ledger",
    "LedgerEntry",
    "State",
    "Stats",
    "check_service",
    "generate_drafts",
    "spread",
]

DEFAULT_CREDIT_COSTS: Mapping[str, int] = {"FREE": 0, "PROMOTED": 1, "PROMOTED_PLUS": 2}
_FIRST_CREATED_ID = 4_100_000_001


@dataclass
class State:
    """Jobs, accounts and the ledger, with the rules of each state-changing action."""

    drafts: Iterable[Draft] = ()
    accounts: Iterable[Account] = ()
    accept_any_draft: bool = True
    accept_any_account: bool = True
    allow_republish: bool = False
    credit_costs: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CREDIT_COSTS))
    ledger: Ledger = field(default_factory=Ledger)
    clock: Clock = field(default_factory=Clock)
    seed: int = 0
    review_delay: float | tuple[float, float] = (0.5, 2.0)
    applicants: int | tuple[int, int] = (3, 8)
    resume_fraction: float = 0.8
    created_checkpoint_fraction: float = 0.0
    created_not_free_fraction: float = 0.0

    def __post_init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.job_order: list[Job] = []
        for draft in self.drafts:
            self._add(draft, owner=None, lifecycle=False)
        self._accounts: dict[str, Account] = {a.account_id: a for a in self.accounts}
        self._next_id = _FIRST_CREATED_ID

    # -- lookups -------------------------------------------------------------------------

    def _add(self, draft: Draft, *, owner: str | None, lifecycle: bool, content: Any = None) -> Job:
        seq = len(self.job_order) + 1
        key = draft.draft_id
        count = draft.applicants
        if count is None:
            u = unit(self.seed, "applicants", key, 0, "count")
            if isinstance(self.applicants, tuple):
                low, high = self.applicants
                count = low + int(u * (high - low + 1))
            else:
                count = self.applicants
        job = Job(
            seq=seq,
            draft=draft,
            created_at=self.clock.now(),
            owner=owner,
            content=dict(content or {}),
            lifecycle=lifecycle,
            review_delay=spread(self.review_delay, unit(self.seed, "review", key, 0, "delay")),
            applicant_count=count,
        )
        self.jobs[key] = job
        self.job_order.append(job)
        return job

    def draft(self, draft_id: str) -> Job:
        """The job, created on first sight when any id is accepted."""
        job = self.jobs.get(draft_id)
        if job is None:
            if not self.accept_any_draft:
                raise SandboxError(
                    404, "errors/resource_not_found", f"draft {draft_id!r} does not exist"
                )
            job = self._add(Draft(draft_id), owner=None, lifecycle=False)
        return job

    def job_for(self, job_id: str, account_id: str) -> Job:
        """An existing job ``account_id`` may use. Only publish and checkpoint create seeded
        drafts on sight; every other call on an unknown id is a 404."""
        job = self.jobs.get(job_id)
        if job is None or not job.visible_to(account_id):
            raise SandboxError(
                404,
                "errors/resource_not_found",
                f"job {job_id!r} does not exist for account {account_id!r}",
            )
        return job

    def account(self, account_id: str) -> Account:
        """The account, created (unlimited, healthy) on first sight when any id is accepted."""
        account = self._accounts.get(account_id)
        if account is None:
            if not self.accept_any_account:
                raise SandboxError(
                    404, "errors/resource_not_found", f"account {account_id!r} does not exist"
                )
            account = self._accounts[account_id] = Account(account_id)
        return account

    def acting(self, account_id: str) -> Account:
        """The account a job call acts from, which must be healthy."""
        account = self.account(account_id)
        account.check_health()
        return account

    def all_accounts_by_id(self) -> dict[str, Account]:
        """Every known account by id (a copy of the mapping; the accounts are live)."""
        return dict(self._accounts)

    def add_account(self, account: Account) -> Account:
        """Add (or replace) an account."""
        self._accounts[account.account_id] = account
        return account

    def all_accounts(self) -> list[Account]:
        """Every known account, in the order the sandbox learned of them."""
        return list(self._accounts.values())

    # -- create, edit, close -------------------------------------------------------------

    def create(
        self, body: dict[str, Any], request_id: str, idempotency_key: str | None
    ) -> dict[str, Any]:
        """Create a draft from a validated body; the 200 body of the create page."""
        account_id = body["account_id"]
        self.acting(account_id)
        while str(self._next_id) in self.jobs:
            self._next_id += 1
        job_id = str(self._next_id)
        self._next_id += 1
        draft = draft_traits(
            self.seed, job_id, self.created_checkpoint_fraction, self.created_not_free_fraction
        )
        content = {k: v for k, v in body.items() if k != "account_id"}
        job = self._add(draft, owner=account_id, lifecycle=True, content=content)
        title = job.to_json(self.clock.now())["title"]
        self.ledger.record_creation(
            CreationEntry(
                job_id=job_id,
                account_id=account_id,
                title=title,
                fingerprint=fingerprint(account_id, content),
                idempotency_key=idempotency_key,
                request_id=request_id,
                at=self.clock.now(),
            )
        )
        estimated = 20 + int(unit(self.seed, "estimate", job_id, 0, "free") * 380)
        answer: dict[str, Any] = {
            "object": "LinkedinJobPostingDraftCreated",
            "job_id": job_id,
            "publish_options": publish_options_json(draft, estimated),
        }
        recruiter = content.get("recruiter")
        if recruiter is not None:
            project = recruiter["project"]
            answer["project_id"] = project.get("id") or f"proj_{job_id}"
        return answer

    def edit(self, job_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Apply a validated edit: only the fields sent change (screening questions are
        replaced, not merged)."""
        account_id = body["account_id"]
        self.acting(account_id)
        job = self.job_for(job_id, account_id)
        if job.refresh(self.clock.now()) == "closed":
            raise SandboxError(
                422, "errors/unprocessable_entity", f"job {job_id!r} is closed and cannot change"
            )
        for name, value in body.items():
            if name == "account_id":
                continue
            if name == "recruiter":
                merged = dict(job.content.get("recruiter") or {})
                merged.update({k: v for k, v in value.items() if k != "project_id"})
                merged["project_id"] = value["project_id"]
                job.content["recruiter"] = merged
            else:
                job.content[name] = value
        job.edits += 1
        return {"object": "LinkedinJobPostingEdited", "job_id": job.job_id}

    def close(self, job_id: str, account_id: str, service: str | None) -> dict[str, Any]:
        """Close a posted job: irreversible; a second close is ``action_already_performed``."""
        self.acting(account_id)
        job = self.job_for(job_id, account_id)
        state = job.refresh(self.clock.now())
        if state == "closed":
            raise SandboxError(
                422, "errors/action_already_performed", f"job {job_id!r} is already closed"
            )
        if not job.published:
            raise SandboxError(
                422,
                "errors/unprocessable_entity",
                f"job {job_id!r} is a draft: only a posted job can be closed",
            )
        check_service(job, service)
        job.state = "closed"
        job.closed_at = self.clock.now()
        return {"object": "LinkedinJobPostingClosed", "job_id": job.job_id}

    # -- publish and checkpoint ----------------------------------------------------------

    def _check_funds(self, account: Account, mode: str) -> int:
        cost = self.credit_costs.get(mode, 0)
        if account.credits is not None and account.credits < cost:
            raise SandboxError(
                422,
                "errors/insufficient_credits",
                f"{mode} costs {cost} credit(s); account {account.account_id!r} "
                f"has {account.credits}",
            )
        if account.job_slots is not None and account.job_slots < 1:
            raise SandboxError(
                422,
                "errors/insufficient_job_slot",
                f"account {account.account_id!r} has no job slot left",
            )
        return cost

    def _commit(
        self, job: Job, account: Account, req: PublishRequest, request_id: str
    ) -> dict[str, Any]:
        # Funds are checked again here: a checkpoint may complete long after the publish.
        cost = self._check_funds(account, req.mode)
        if account.credits is not None:
            account.credits -= cost
        if account.job_slots is not None:
            account.job_slots -= 1
        now = self.clock.now()
        job.published = True
        job.pending = None
        job.pending_request = None
        job.service = req.service
        job.published_at = now
        if req.mode != "FREE":
            budget = next(iter((req.budget or {"daily": {"amount": 25}}).values()))
            job.cost = budget["amount"]
        if job.lifecycle:
            job.state = "review"
            job.refresh(now)  # a review delay of 0 goes live at once
        else:
            job.state = job.draft.job_state
            if job.state in ("active", "paused", "closed"):
                job.activated_at = now
        self.ledger.record(
            LedgerEntry(
                draft_id=job.job_id,
                account_id=account.account_id,
                mode=req.mode,
                service=req.service,
                budget=req.budget,
                credits_spent=cost,
                request_id=request_id,
                at=now,
            )
        )
        return {
            "object": "LinkedinJobPostingPublished",
            "job_state": job.state if not job.lifecycle else "review",
            "job_id": job.job_id,
        }

    @staticmethod
    def _checkpoint_payload(job: Job) -> dict[str, Any]:
        assert job.pending is not None
        return {
            "object": "LinkedinJobPostingPublishCheckpoint",
            "type": job.draft.checkpoints[job.pending][0],
            "job_id": job.job_id,
        }

    def publish(self, draft_id: str, req: PublishRequest, request_id: str) -> dict[str, Any]:
        """Apply a validated publish and return the 200 body (or raise an error)."""
        job = self.draft(draft_id)
        account = self.acting(req.account_id)
        if not job.visible_to(req.account_id):
            raise SandboxError(
                404,
                "errors/resource_not_found",
                f"draft {draft_id!r} does not exist for account {req.account_id!r}",
            )
        if job.published and not self.allow_republish:
            raise SandboxError(
                422,
                "errors/action_already_performed",
                f"draft {draft_id!r} has already been published",
            )
        if job.pending is not None:
            # A retried publish while LinkedIn waits for the checkpoint: same answer again.
            return self._checkpoint_payload(job)
        if req.mode == "FREE" and not job.draft.free_eligible:
            raise SandboxError(
                400,
                "errors/invalid_parameters",
                f"mode: draft {draft_id!r} is not eligible to free posting",
            )
        problem = budget_problem(req.budget) if job.lifecycle else None
        if problem is not None:
            raise SandboxError(400, "errors/invalid_parameters", problem)
        self._check_funds(account, req.mode)
        if job.draft.checkpoints:
            job.pending = 0
            job.pending_request = req
            return self._checkpoint_payload(job)
        return self._commit(job, account, req, request_id)

    def checkpoint(self, draft_id: str, req: CheckpointRequest, request_id: str) -> dict[str, Any]:
        """Apply a validated checkpoint answer and return the 200 body (or raise)."""
        job = self.draft(draft_id)
        account = self.acting(req.account_id)
        if job.pending is None or job.pending_request is None:
            if job.published:
                raise SandboxError(
                    422,
                    "errors/action_already_performed",
                    f"draft {draft_id!r} has already been published",
                )
            raise SandboxError(
                422,
                "errors/unprocessable_entity",
                f"draft {draft_id!r} has no pending checkpoint; publish it first",
            )
        if req.account_id != job.pending_request.account_id:
            raise SandboxError(
                403,
                "errors/account_mismatch",
                f"draft {draft_id!r} is being published by another account",
            )
        expected = job.draft.checkpoints[job.pending][1]
        if req.input != expected:
            raise SandboxError(
                401,
                "errors/invalid_checkpoint_solution",
                "the checkpoint input is not the expected one; retry",
            )
        if job.pending + 1 < len(job.draft.checkpoints):
            job.pending += 1
            return self._checkpoint_payload(job)
        return self._commit(job, account, job.pending_request, request_id)


def check_service(job: Job, service: str | None) -> None:
    """A posted job is read and closed through the service it was published with."""
    if service is not None and job.service is not None and service != job.service:
        raise SandboxError(
            404,
            "errors/resource_not_found",
            f"job {job.job_id!r} was published with service {job.service}, not {service}",
        )
