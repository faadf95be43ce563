"""The read endpoints: jobs, applicants, résumés, search parameters and accounts.

Lists page with opaque cursors (see ``_query.py``). Jobs page newest first by a keyset (the
creation number of the last job served), so jobs created during a walk never shift a
page: they are simply not part of the walk that began before them. Applicants and
accounts never move once they exist, so their cursor is a position.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from ._accounts import account_json
from ._applicants import (
    ApplicantFilter,
    applicant_json,
    applicant_name,
    has_resume,
    resume_pdf,
)
from ._catalogue import search
from ._errors import SandboxError
from ._jobs import POSTED_STATES, Job
from ._query import decode_cursor, encode_cursor, scope_of
from ._state import State, check_service

__all__ = ["Reads"]

_APPLICANT_ID: Final = re.compile(r"appl_([1-9][0-9]{0,9})_(0|[1-9][0-9]{0,9})")
_CATEGORIES: Final = {
    "active": POSTED_STATES,
    "draft": frozenset({"draft"}),
    "closed": frozenset({"closed"}),
}


def _not_found(detail: str) -> SandboxError:
    return SandboxError(404, "errors/resource_not_found", detail)


@dataclass
class Reads:
    """Read-only views of the state, one method per endpoint."""

    state: State
    resume_size: int | None = None
    _counts: dict[tuple[int, str, int], int] = field(default_factory=dict)
    _sorted: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def _now(self) -> float:
        return self.state.clock.now()

    def get_job(self, job_id: str, account_id: str, service: str) -> dict[str, Any]:
        """``GET /linkedin/jobs/{job_id}``."""
        self.state.acting(account_id)
        job = self.state.job_for(job_id, account_id)
        check_service(job, service)
        return job.to_json(self._now())

    def list_jobs(
        self, account_id: str, category: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        """``GET /linkedin/jobs``: newest first, keyset-paged."""
        self.state.acting(account_id)
        scope = scope_of("jobs", {"account": account_id, "category": category})
        before = (
            decode_cursor(cursor, scope) if cursor is not None else len(self.state.job_order) + 1
        )
        states = _CATEGORIES[category]
        now = self._now()

        def wanted(job: Job) -> bool:
            return job.visible_to(account_id) and job.refresh(now) in states

        items: list[dict[str, Any]] = []
        next_cursor = None
        last_seq = before
        total = 0
        for job in reversed(self.state.job_order):
            if not wanted(job):
                continue
            total += 1
            if job.seq >= before:
                continue
            if len(items) < limit:
                items.append(job.to_json(now))
                last_seq = job.seq
            elif next_cursor is None:
                next_cursor = encode_cursor(scope, last_seq)
        return {
            "object": "LinkedinJobPostingList",
            "items": items,
            "cursor": next_cursor,
            "paging": {"page_count": len(items), "total_count": total},
        }

    # -- applicants ----------------------------------------------------------------------

    def _applicant_id(self, job: Job, n: int) -> str:
        return f"appl_{job.seq}_{n}"

    def _applicant(self, applicant_id: str, account_id: str) -> tuple[Job, int]:
        match = _APPLICANT_ID.fullmatch(applicant_id)
        jobs = self.state.job_order
        if match is None or int(match[1]) > len(jobs):
            raise _not_found(f"applicant {applicant_id!r} does not exist")
        job, n = jobs[int(match[1]) - 1], int(match[2])
        job.refresh(self._now())
        if not job.visible_to(account_id) or n >= job.applicants_total():
            raise _not_found(f"applicant {applicant_id!r} does not exist")
        return job, n

    def _applicant_json(self, job: Job, n: int) -> dict[str, Any]:
        base_ms = int((job.activated_at or job.created_at) * 1000)
        questions = job.content.get("screening_questions", [])
        return applicant_json(
            self.state.seed, job.job_id, n, self._applicant_id(job, n), base_ms, questions
        )

    def list_applicants(
        self,
        job_id: str,
        account_id: str,
        service: str,
        limit: int,
        cursor: str | None,
        filters: ApplicantFilter,
        sort_by: str,
    ) -> dict[str, Any]:
        """``GET /linkedin/jobs/{id}/applicants``: the job's applicants, filtered, paged."""
        self.state.acting(account_id)
        job = self.state.job_for(job_id, account_id)
        job.refresh(self._now())
        check_service(job, service)
        count = job.applicants_total()
        scope = scope_of(
            "applicants",
            {"job": job.seq, "filters": filters.key(), "sort": sort_by, "account": account_id},
        )
        position = decode_cursor(cursor, scope) if cursor is not None else 0
        order = self._order(job, sort_by, count)
        seed, key = self.state.seed, job.job_id
        keep: Callable[[int], bool] = (
            (lambda n: True) if filters.empty else (lambda n: filters.matches(seed, key, n))
        )
        items: list[dict[str, Any]] = []
        p = position
        while p < count and len(items) < limit:
            n = order(p)
            if keep(n):
                items.append(self._applicant_json(job, n))
            p += 1
        # Look ahead to the next match, so the last page says cursor null (and the next
        # page starts there instead of rescanning the gap).
        while p < count and not keep(order(p)):
            p += 1
        total = count if filters.empty else self._matches(job, filters, count, keep)
        return {
            "object": "LinkedinJobApplicantList",
            "job_posting_id": job.job_id,
            "items": items,
            "cursor": encode_cursor(scope, p) if p < count else None,
            "paging": {"page_count": len(items), "total_count": total},
        }

    def _matches(
        self, job: Job, filters: ApplicantFilter, count: int, keep: Callable[[int], bool]
    ) -> int:
        # Counted once per (job, filters, count): applicants never change once they exist,
        # so a filtered walk of N applicants costs O(N), not O(N) per page.
        cache_key = (job.seq, filters.key(), count)
        total = self._counts.get(cache_key)
        if total is None:
            if len(self._counts) >= 256:
                self._counts.clear()
            total = self._counts[cache_key] = sum(1 for n in range(count) if keep(n))
        return total

    def _order(self, job: Job, sort_by: str, count: int) -> Callable[[int], int]:
        # Applicant 0 applied last, so index order is newest first; relevance and screening
        # use it too (the sandbox has no ranking of its own).
        if sort_by != "alphabetical":
            return lambda p: p
        order = self._sorted.get((job.seq, count))
        if order is None:
            seed, key = self.state.seed, job.job_id
            order = sorted(range(count), key=lambda n: (applicant_name(seed, key, n), n))
            if len(self._sorted) >= 16:
                self._sorted.clear()
            self._sorted[(job.seq, count)] = order
        return order.__getitem__

    def get_applicant(self, applicant_id: str, account_id: str) -> dict[str, Any]:
        """``GET /linkedin/jobs/applicants/{applicant_id}`` (Classic postings only)."""
        self.state.acting(account_id)
        job, n = self._applicant(applicant_id, account_id)
        if job.service == "RECRUITER":
            raise SandboxError(
                422,
                "errors/invalid_account",
                "get applicant is for Classic job postings only; list the Recruiter job's "
                "applicants instead",
            )
        return self._applicant_json(job, n)

    def resume(self, applicant_id: str, account_id: str, service: str | None) -> tuple[bytes, str]:
        """``GET .../resume``: the PDF bytes and a file name (404 without a résumé)."""
        self.state.acting(account_id)
        job, n = self._applicant(applicant_id, account_id)
        check_service(job, service)
        if not has_resume(self.state.seed, job.job_id, n, self.state.resume_fraction):
            raise _not_found(f"applicant {applicant_id!r} applied without a résumé")
        applicant = self._applicant_json(job, n)
        lines = [applicant["name"], applicant["headline"], applicant["location"], applicant_id]
        return resume_pdf(lines, self.resume_size), f"resume-{applicant_id}.pdf"

    # -- search and accounts -------------------------------------------------------------

    def search_parameters(
        self, kind: str, account_id: str, keywords: str | None, limit: int
    ) -> dict[str, Any]:
        """``GET /linkedin/search/parameters``."""
        self.state.acting(account_id)
        if kind == "EMPLOYMENT_TYPE" and keywords is not None:
            raise SandboxError(
                400, "errors/invalid_parameters", "keywords: not applicable to EMPLOYMENT_TYPE"
            )
        items = search(kind, keywords, limit)
        return {
            "object": "LinkedinSearchParametersList",
            "items": items,
            "paging": {"page_count": len(items)},
        }

    def list_accounts(self, limit: int, cursor: str | None) -> dict[str, Any]:
        """``GET /accounts``: every account, in the order the sandbox learned of them."""
        scope = scope_of("accounts", {})
        position = decode_cursor(cursor, scope) if cursor is not None else 0
        accounts = self.state.all_accounts()
        page = accounts[position : position + limit]
        end = position + len(page)
        now = self._now()
        return {
            "object": "AccountList",
            "items": [account_json(a, position + i, now) for i, a in enumerate(page)],
            "cursor": encode_cursor(scope, end) if end < len(accounts) else None,
        }

    def get_account(self, account_id: str) -> dict[str, Any]:
        """``GET /accounts/{id}``: the account whatever its health (that is what it shows)."""
        account = self.state.account(account_id)
        index = self.state.all_accounts().index(account)
        return account_json(account, index, self._now())
