"""The job-lifecycle, applicant, search and account models, imported together with their
converter hooks.

Imported on first use, not with the package: they are most of the package's classes, and
most programs use a few endpoints (see docs/performance.md, import time). Every runtime
use of a lifecycle model goes through this module, so their hooks are always registered.
"""

from __future__ import annotations

from . import _converter_hooks_lifecycle  # noqa: F401  (registers the hooks)
from ._account_models import (
    Account,
    AccountSignature,
    AccountSource,
)
from ._applicant_models import (
    Applicant,
    ApplicantScreeningAnswer,
    ContactInfo,
    Education,
    WorkExperience,
    YearMonth,
)
from ._job_models import (
    ApplyMethod,
    CreateJobRequest,
    EditJobRequest,
    ExternalApply,
    IdOrText,
    LinkedInApply,
    MultipleChoiceQuestion,
    NumericQuestion,
    Recruiter,
    RecruiterEdit,
    ScreeningQuestion,
)
from ._job_results import (
    BudgetRange,
    DraftCreated,
    FreeOptions,
    HiringTeamMember,
    JobClosed,
    JobEdited,
    JobPosting,
    JobScreeningQuestion,
    PromotedOptions,
    PublishOptions,
)
from ._search_models import (
    SearchParameter,
)

__all__ = [
    "Account",
    "AccountSignature",
    "AccountSource",
    "Applicant",
    "ApplicantScreeningAnswer",
    "ApplyMethod",
    "BudgetRange",
    "ContactInfo",
    "CreateJobRequest",
    "DraftCreated",
    "EditJobRequest",
    "Education",
    "ExternalApply",
    "FreeOptions",
    "HiringTeamMember",
    "IdOrText",
    "JobClosed",
    "JobEdited",
    "JobPosting",
    "JobScreeningQuestion",
    "LinkedInApply",
    "MultipleChoiceQuestion",
    "NumericQuestion",
    "PromotedOptions",
    "PublishOptions",
    "Recruiter",
    "RecruiterEdit",
    "ScreeningQuestion",
    "SearchParameter",
    "WorkExperience",
    "YearMonth",
]
