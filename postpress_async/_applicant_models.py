"""``Applicant``: one person who applied to a job (``jobs/applicants`` list and get).

Lenient like every response model. ``applied_at`` is Unix milliseconds, as the
contract says (unlike the job timestamps, whose unit is not documented).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ._lifecycle_enums import ApplicantRating

__all__ = [
    "Applicant",
    "ApplicantScreeningAnswer",
    "ContactInfo",
    "Education",
    "WorkExperience",
    "YearMonth",
]


@attrs.frozen
class YearMonth:
    """A start or end date of a position or a school (``month`` may be absent)."""

    year: int | None = None
    month: int | None = None


@attrs.frozen
class WorkExperience:
    """One position in an applicant's work history; ``end`` is ``None`` for the current one."""

    company: str | None = None
    position: str | None = None
    company_id: str | None = None
    location: str | None = None
    description: str | None = None
    picture_url: str | None = None
    start: YearMonth | None = None
    end: YearMonth | None = None


@attrs.frozen
class Education:
    """One school in an applicant's education."""

    school: str | None = None
    school_id: str | None = None
    degree: str | None = None
    field_of_study: str | None = None
    description: str | None = None
    picture_url: str | None = None
    start: YearMonth | None = None
    end: YearMonth | None = None


@attrs.frozen
class ApplicantScreeningAnswer:
    """An applicant's answers to one screening question; ``success`` when they met the
    must-have criteria."""

    question: str
    answers: Sequence[str] = ()
    success: bool | None = None


@attrs.frozen
class ContactInfo:
    """Contact details the applicant shared."""

    email_addresses: Sequence[str] = ()
    phone_numbers: Sequence[str] = ()


@attrs.frozen
class Applicant:
    """One applicant. ``rating`` is an :class:`ApplicantRating` (raw string if new);
    ``applied_at`` is Unix milliseconds. Download the résumé with
    ``applicants.download_resume(applicant.id, ...)``."""

    id: str
    name: str
    rating: ApplicantRating | str
    applied_at: int | float | None = None
    profile_id: str | None = None
    public_identifier: str | None = None
    public_profile_url: str | None = None
    location: str | None = None
    headline: str | None = None
    profile_picture_url: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    contact_info: ContactInfo | None = None
    work_experience: Sequence[WorkExperience] = ()
    education: Sequence[Education] = ()
    screening_questions: Sequence[ApplicantScreeningAnswer] = ()
