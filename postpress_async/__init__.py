"""postpress-async: an async-first SDK (with a sync facade) for the postpress job-posting API."""

from ._bulk import DEFAULT_STOP_ON, BulkReport, Outcome, OutcomeKind
from ._client import AsyncPostpress
from ._config import DEFAULT_BASE_URL, NOT_GIVEN, NotGiven, Timeout
from ._enums import CheckpointType, ErrorType, JobState, Mode, Service
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
    NotFoundError,
    PermissionDeniedError,
    PostpressError,
    RateLimitError,
    ServiceUnavailableError,
    UnexpectedResponseError,
    UnprocessableEntityError,
)
from ._jobs import AsyncJobs
from ._models import (
    Checkpoint,
    DailyBudget,
    MonthlyBudget,
    Published,
    PublishRequest,
    PublishResult,
)
from ._sync import Jobs, Postpress
from ._transport import BodySink, Transport, TransportRequest, TransportResponse
from ._version import __version__

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_STOP_ON",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AlreadyPublishedError",
    "AsyncJobs",
    "AsyncPostpress",
    "AuthenticationError",
    "BadRequestError",
    "BodySink",
    "BulkReport",
    "Checkpoint",
    "CheckpointType",
    "ClientStateError",
    "DailyBudget",
    "ErrorType",
    "GatewayTimeoutError",
    "InternalServerError",
    "InvalidRequestError",
    "JobState",
    "Jobs",
    "Mode",
    "MonthlyBudget",
    "NotFoundError",
    "NotGiven",
    "Outcome",
    "OutcomeKind",
    "PermissionDeniedError",
    "Postpress",
    "PostpressError",
    "PublishRequest",
    "PublishResult",
    "Published",
    "RateLimitError",
    "Service",
    "ServiceUnavailableError",
    "Timeout",
    "Transport",
    "TransportRequest",
    "TransportResponse",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "__version__",
]
