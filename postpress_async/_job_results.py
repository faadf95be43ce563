"""What the job-lifecycle endpoints answer: create, edit, get/list, close.

Lenient like every response model: unknown fields are ignored, an unknown enum value is
kept as the raw string, and fields the contract marks optional may be absent or null.
Numbers whose unit the contract leaves open (``cost``, the job timestamps) are kept raw.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ._enums import JobState

__all__ = [
    "BudgetRange",
    "DraftCreated",
    "FreeOptions",
    "HiringTeamMember",
    "JobClosed",
    "JobEdited",
    "JobPosting",
    "JobScreeningQuestion",
    "PromotedOptions",
    "PublishOptions",
]

Number = int | float


@attrs.frozen
class BudgetRange:
    """A budget range for a promoted posting, in ``PromotedOptions.currency``."""

    min: Number
    max: Number
    recommended: Number

    def contains(self, amount: Number) -> bool:
        """Whether ``amount`` lies within ``[min, max]``."""
        return self.min <= amount <= self.max


@attrs.frozen
class FreeOptions:
    """Whether the draft may be published for free, and why not."""

    eligible: bool
    estimated_monthly_applicants: Number | None = None
    ineligible_reason: str | None = None


@attrs.frozen
class PromotedOptions:
    """What a promoted publish of the draft would cost and bring."""

    currency: str
    daily_budget: BudgetRange
    monthly_budget: BudgetRange
    estimated_monthly_applicants: Number | None = None


@attrs.frozen
class PublishOptions:
    """The publish choices the create answer offers: ``free`` and ``promoted``."""

    free: FreeOptions
    promoted: PromotedOptions


@attrs.frozen
class DraftCreated:
    """A new draft: publish it with ``jobs.publish(job_id, ...)``.

    Check ``publish_options.free.eligible`` before a FREE publish, and keep a promoted
    budget within ``publish_options.promoted.daily_budget`` (or ``monthly_budget``).
    ``project_id`` is the Recruiter project (needed by later edits of Recruiter jobs).
    """

    job_id: str
    publish_options: PublishOptions
    project_id: str | None = None


@attrs.frozen
class JobEdited:
    """The edit was applied. Read the job again (``jobs.get``) to see it."""

    job_id: str


@attrs.frozen
class JobClosed:
    """The posting is closed (no reopen exists)."""

    job_id: str


@attrs.frozen
class JobScreeningQuestion:
    """A screening question of a posting, with the answers that count as favourable."""

    question: str
    favorable_answers: Sequence[str] = ()


@attrs.frozen
class HiringTeamMember:
    """One member of the posting's hiring team."""

    name: str
    profile_url: str | None = None
    provider_id: str | None = None
    public_identifier: str | None = None
    can_send_free_inmail: bool | None = None


@attrs.frozen
class JobPosting:
    """One job posting with its state and counters (``jobs.get``, ``jobs.list``).

    ``state`` is a :class:`JobPostingState` (a raw string for a state the SDK does not
    know). ``cost`` and ``created_at``/``published_at``/``closed_at`` are the API's raw
    numbers: their units are not documented.
    """

    id: str
    state: JobState | str
    title: str
    location: str | None = None
    applicants_counter: int = 0
    cost: Number | None = None
    description: str | None = None
    company: str | None = None
    company_id: str | None = None
    views_counter: int | None = None
    created_at: Number | None = None
    published_at: Number | None = None
    closed_at: Number | None = None
    apply_url: str | None = None
    screening_questions: Sequence[JobScreeningQuestion] | None = None
    hiring_team: Sequence[HiringTeamMember] | None = None
    salary: str | None = None
    workplace: str | None = None
    seniority: str | None = None
    skills: Sequence[str] | None = None
    functions: Sequence[str] | None = None
    industries: Sequence[str] | None = None
