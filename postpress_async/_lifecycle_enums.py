"""The closed vocabularies of the lifecycle endpoints (create and edit, applicants, search,
accounts) as enums, like those of :mod:`._enums`.

Apart from them so they load with the lifecycle models, on first use: every class costs
import time (docs/performance.md). Wire values are the contract's.
"""

from __future__ import annotations

from ._enums import _Vocabulary, _vocabulary

__all__ = [
    "AccountSourceStatus",
    "ApplicantRating",
    "EmploymentStatus",
    "SearchParameterType",
    "Seniority",
    "Workplace",
]


@_vocabulary
class Workplace(_Vocabulary):
    """Where the job is done."""

    ON_SITE = "ON_SITE"
    HYBRID = "HYBRID"
    REMOTE = "REMOTE"


@_vocabulary
class EmploymentStatus(_Vocabulary):
    """The kind of contract offered."""

    FULL_TIME = "FULL_TIME"
    PART_TIME = "PART_TIME"
    CONTRACT = "CONTRACT"
    TEMPORARY = "TEMPORARY"
    OTHER = "OTHER"
    VOLUNTEER = "VOLUNTEER"
    INTERNSHIP = "INTERNSHIP"


@_vocabulary
class Seniority(_Vocabulary):
    """A Recruiter posting's seniority level."""

    INTERNSHIP = "INTERNSHIP"
    ENTRY_LEVEL = "ENTRY_LEVEL"
    ASSOCIATE = "ASSOCIATE"
    MID_SENIOR_LEVEL = "MID_SENIOR_LEVEL"
    DIRECTOR = "DIRECTOR"
    EXECUTIVE = "EXECUTIVE"
    NOT_APPLICABLE = "NOT_APPLICABLE"


@_vocabulary
class SearchParameterType(_Vocabulary):
    """The common kinds of id ``GET /linkedin/search/parameters`` resolves.

    The provider has more (Sales Navigator and Recruiter ones); any other upper-case
    name is sent as given.
    """

    LOCATION = "LOCATION"
    PEOPLE = "PEOPLE"
    CONNECTIONS = "CONNECTIONS"
    COMPANY = "COMPANY"
    SCHOOL = "SCHOOL"
    INDUSTRY = "INDUSTRY"
    SERVICE = "SERVICE"
    JOB_FUNCTION = "JOB_FUNCTION"
    JOB_TITLE = "JOB_TITLE"
    EMPLOYMENT_TYPE = "EMPLOYMENT_TYPE"
    SKILL = "SKILL"


@_vocabulary
class ApplicantRating(_Vocabulary):
    """How the hiring team rated an applicant."""

    UNRATED = "UNRATED"
    GOOD_FIT = "GOOD_FIT"
    MAYBE = "MAYBE"
    NOT_A_FIT = "NOT_A_FIT"


@_vocabulary
class AccountSourceStatus(_Vocabulary):
    """The health of one service of a connected account (``sources[].status``)."""

    OK = "OK"
    STOPPED = "STOPPED"
    ERROR = "ERROR"
    CREDENTIALS = "CREDENTIALS"  # credentials must be refreshed
    PERMISSIONS = "PERMISSIONS"
    CONNECTING = "CONNECTING"
