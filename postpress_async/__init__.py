"""postpress-async: an async-first SDK (with a sync facade) for the postpress job-posting API."""

import importlib as _importlib
import typing as _typing

from ._bulk_defaults import DEFAULT_STOP_ON
from ._client import AsyncPostpress
from ._config import DEFAULT_BASE_URL, NOT_GIVEN, NotGiven, Timeout
from ._enums import (
    CheckpointType,
    ErrorType,
    JobPostingState,
    JobState,
    Mode,
    Service,
)
from ._exceptions import (
    AlreadyPublishedError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientStateError,
    GatewayTimeoutError,
    InternalServerError,
    InvalidRequestError,
    JobStateError,
    NotFoundError,
    PermissionDeniedError,
    PostpressError,
    ProxyAuthenticationError,
    RateLimitError,
    RepeatedCursorError,
    ServiceUnavailableError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from ._jobs import AsyncJobs
from ._logging import configure_from_environment as _configure_logging
from ._models import (
    Checkpoint,
    DailyBudget,
    MonthlyBudget,
    Published,
    PublishRequest,
    PublishResult,
)
from ._pagination import AsyncPager, Pager
from ._transport import BodySink, Transport, TransportRequest, TransportResponse
from ._version import __version__

_configure_logging()

if _typing.TYPE_CHECKING:
    from ._accounts import (
        AsyncAccounts,
    )
    from ._api_response import (
        APIResponse,
    )
    from ._applicants import (
        AsyncApplicants,
    )
    from ._bulk_new_job import (
        BulkStep,
        NewJob,
        PublishOptionsError,
    )
    from ._bulk_outcomes import (
        AccountReport,
        BulkReport,
        Outcome,
        OutcomeKind,
    )
    from ._bulk_stop import (
        STOP_SCOPES,
        StopReason,
        StopScope,
    )
    from ._event_hooks import (
        EventHooks,
    )
    from ._events import (
        RequestEvent,
        ResponseEvent,
        RetryEvent,
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
    from ._lifecycle_enums import (
        AccountSourceStatus,
        ApplicantRating,
        EmploymentStatus,
        SearchParameterType,
        Seniority,
        Workplace,
    )
    from ._lifecycle_models import (
        Account,
        AccountSignature,
        AccountSource,
        Applicant,
        ApplicantScreeningAnswer,
        ContactInfo,
        CreateJobRequest,
        EditJobRequest,
        Education,
        ExternalApply,
        IdOrText,
        LinkedInApply,
        MultipleChoiceQuestion,
        NumericQuestion,
        Recruiter,
        RecruiterEdit,
        ScreeningQuestion,
        SearchParameter,
        WorkExperience,
        YearMonth,
    )
    from ._page import (
        Page,
    )
    from ._search import (
        AsyncSearch,
    )
    from ._sync import (
        Jobs,
        Postpress,
    )
    from ._sync_resources import (
        Accounts,
        Applicants,
        Search,
    )

# The lifecycle models and enums, the less used resources, the bulk machinery, the hooks' events and
# the sync facade are imported on first use (PEP 562): they are most of the package's
# classes, and import time counts (docs/performance.md). Each name loads its module.
_LAZY: dict[str, str] = {
    "STOP_SCOPES": "_bulk_stop",
    "APIResponse": "_api_response",
    "Account": "_lifecycle_models",
    "AccountReport": "_bulk_outcomes",
    "AccountSignature": "_lifecycle_models",
    "AccountSource": "_lifecycle_models",
    "AccountSourceStatus": "_lifecycle_enums",
    "Accounts": "_sync_resources",
    "Applicant": "_lifecycle_models",
    "ApplicantRating": "_lifecycle_enums",
    "ApplicantScreeningAnswer": "_lifecycle_models",
    "Applicants": "_sync_resources",
    "AsyncAccounts": "_accounts",
    "AsyncApplicants": "_applicants",
    "AsyncSearch": "_search",
    "BudgetRange": "_job_results",
    "BulkReport": "_bulk_outcomes",
    "BulkStep": "_bulk_new_job",
    "ContactInfo": "_lifecycle_models",
    "CreateJobRequest": "_lifecycle_models",
    "DraftCreated": "_job_results",
    "EditJobRequest": "_lifecycle_models",
    "Education": "_lifecycle_models",
    "EmploymentStatus": "_lifecycle_enums",
    "EventHooks": "_event_hooks",
    "ExternalApply": "_lifecycle_models",
    "FreeOptions": "_job_results",
    "HiringTeamMember": "_job_results",
    "IdOrText": "_lifecycle_models",
    "JobClosed": "_job_results",
    "JobEdited": "_job_results",
    "JobPosting": "_job_results",
    "JobScreeningQuestion": "_job_results",
    "Jobs": "_sync",
    "LinkedInApply": "_lifecycle_models",
    "MultipleChoiceQuestion": "_lifecycle_models",
    "NewJob": "_bulk_new_job",
    "NumericQuestion": "_lifecycle_models",
    "Outcome": "_bulk_outcomes",
    "OutcomeKind": "_bulk_outcomes",
    "Postpress": "_sync",
    "Page": "_page",
    "PromotedOptions": "_job_results",
    "PublishOptions": "_job_results",
    "PublishOptionsError": "_bulk_new_job",
    "Recruiter": "_lifecycle_models",
    "RecruiterEdit": "_lifecycle_models",
    "RequestEvent": "_events",
    "ResponseEvent": "_events",
    "RetryEvent": "_events",
    "ScreeningQuestion": "_lifecycle_models",
    "Search": "_sync_resources",
    "SearchParameter": "_lifecycle_models",
    "SearchParameterType": "_lifecycle_enums",
    "Seniority": "_lifecycle_enums",
    "StopReason": "_bulk_stop",
    "StopScope": "_bulk_stop",
    "WorkExperience": "_lifecycle_models",
    "Workplace": "_lifecycle_enums",
    "YearMonth": "_lifecycle_models",
}


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'postpress_async' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_STOP_ON",
    "NOT_GIVEN",
    "STOP_SCOPES",
    "APIConnectionError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "Account",
    "AccountReport",
    "AccountSignature",
    "AccountSource",
    "AccountSourceStatus",
    "Accounts",
    "AlreadyPublishedError",
    "Applicant",
    "ApplicantRating",
    "ApplicantScreeningAnswer",
    "Applicants",
    "AsyncAccounts",
    "AsyncApplicants",
    "AsyncJobs",
    "AsyncPager",
    "AsyncPostpress",
    "AsyncSearch",
    "AuthenticationError",
    "BadRequestError",
    "BodySink",
    "BudgetRange",
    "BulkReport",
    "BulkStep",
    "Checkpoint",
    "CheckpointType",
    "ClientStateError",
    "ContactInfo",
    "CreateJobRequest",
    "DailyBudget",
    "DraftCreated",
    "EditJobRequest",
    "Education",
    "EmploymentStatus",
    "ErrorType",
    "EventHooks",
    "ExternalApply",
    "FreeOptions",
    "GatewayTimeoutError",
    "HiringTeamMember",
    "IdOrText",
    "InternalServerError",
    "InvalidRequestError",
    "JobClosed",
    "JobEdited",
    "JobPosting",
    "JobPostingState",
    "JobScreeningQuestion",
    "JobState",
    "JobStateError",
    "Jobs",
    "LinkedInApply",
    "Mode",
    "MonthlyBudget",
    "MultipleChoiceQuestion",
    "NewJob",
    "NotFoundError",
    "NotGiven",
    "NumericQuestion",
    "Outcome",
    "OutcomeKind",
    "Page",
    "Pager",
    "PermissionDeniedError",
    "Postpress",
    "PostpressError",
    "PromotedOptions",
    "ProxyAuthenticationError",
    "PublishOptions",
    "PublishOptionsError",
    "PublishRequest",
    "PublishResult",
    "Published",
    "RateLimitError",
    "Recruiter",
    "RecruiterEdit",
    "RepeatedCursorError",
    "RequestEvent",
    "ResponseEvent",
    "RetryEvent",
    "ScreeningQuestion",
    "Search",
    "SearchParameter",
    "SearchParameterType",
    "Seniority",
    "Service",
    "ServiceUnavailableError",
    "StopReason",
    "StopScope",
    "Timeout",
    "Transport",
    "TransportRequest",
    "TransportResponse",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "WorkExperience",
    "Workplace",
    "YearMonth",
    "__version__",
]
