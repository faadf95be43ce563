"""The API's closed vocabularies as enums.

Every enum mixes in ``str`` so a member compares equal to its wire value
(``Mode.FREE == "FREE"``) and serialises as that value.

The values a caller *sends* (``mode``, ``service``) are read by one rule,
:func:`request_member`: case does not matter (``"free"`` is ``Mode.FREE``). The request
models use it, so every SDK call, the CLI's options and its input files agree.

Each enum is written as a class of ``NAME = "wire value"`` lines made an enum by
:func:`_vocabulary`: the same enum a ``class NAME(_StrEnum)`` statement makes, built for
less import time. The lifecycle endpoints' vocabularies (``Workplace``,
``ApplicantRating``...) are in :mod:`._lifecycle_enums`, loaded with the lifecycle models
on first use.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

__all__ = [
    "CheckpointType",
    "ErrorType",
    "JobPostingState",
    "JobState",
    "Mode",
    "Service",
    "request_member",
]


class _StrEnum(str, enum.Enum):
    # ``enum.StrEnum`` is 3.11+; this keeps 3.10 support with the same behaviour.
    def __str__(self) -> str:
        return str(self.value)


if TYPE_CHECKING:
    _Vocabulary = _StrEnum  # what type checkers see: each vocabulary is a _StrEnum
else:
    _Vocabulary = object  # a plain class statement, made the enum by @_vocabulary

_C = TypeVar("_C")


def _vocabulary(cls: type[_C]) -> type[_C]:
    """The :class:`_StrEnum` that ``cls``, a class of ``NAME = "wire value"`` lines, lists.

    The very enum ``class NAME(_StrEnum)`` would make (``tests/core`` compares them with
    the standard library's own check), built as the standard library builds its enums
    (``http.HTTPStatus``...): without ``EnumType``'s per-member checks, most of what an
    enum costs at import (``ErrorType`` has 48 members; docs/performance.md).
    """
    simple_enum = getattr(enum, "_simple_enum", None)  # Python 3.11+
    if simple_enum is None:
        return _functional_enum(cls)
    return _direct_members(simple_enum(_StrEnum)(cls))  # type: ignore[no-any-return]


_MEMBER_REDIRECT: Final = getattr(enum, "property", None)  # Python 3.11+


def _direct_members(cls: _C) -> _C:
    """Keep each member of the enum ``cls`` itself in the class, as a class statement does.

    Python 3.11's ``_simple_enum`` puts a descriptor in its place, so every
    ``Mode.FREE`` would run a Python function: a cost the publish path pays at each
    comparison (docs/performance.md). Only a member's own redirect is replaced;
    ``Mode.FREE``, ``Mode["FREE"]``, pickling and reassignment checks behave as before.
    """
    if _MEMBER_REDIRECT is None:
        return cls
    members: dict[str, object] = cls._member_map_  # type: ignore[attr-defined]
    for name, member in members.items():
        found = vars(cls).get(name)
        if isinstance(found, _MEMBER_REDIRECT) and found.fget is None and found.name == name:
            # type.__setattr__: EnumType's own refuses to reassign a member.
            type.__setattr__(cls, name, member)
    return cls


def _functional_enum(cls: type[_C]) -> type[_C]:
    # Python 3.10: the same enum through the functional API (EnumType's full path).
    members = [(name, value) for name, value in vars(cls).items() if not name.startswith("_")]
    made = cast(Any, _StrEnum)(cls.__name__, members, module=cls.__module__,
                               qualname=cls.__qualname__)
    made.__doc__ = cls.__doc__
    return made  # type: ignore[no-any-return]


@_vocabulary
class Mode(_Vocabulary):
    """How a draft is published: for free, or promoted (paid)."""

    FREE = "FREE"
    PROMOTED = "PROMOTED"
    PROMOTED_PLUS = "PROMOTED_PLUS"  # Classic-only


@_vocabulary
class Service(_Vocabulary):
    """The LinkedIn service the job posting depends on (the API defaults to CLASSIC)."""

    CLASSIC = "CLASSIC"
    RECRUITER = "RECRUITER"


_E = TypeVar("_E", bound=_StrEnum)

# Per enum: its wire values, and their upper-case forms, to members. A dict lookup, where
# ``Mode(value)`` goes through EnumMeta.__call__ (ten times slower, on every request built).
_REQUEST_VALUES: dict[type[_StrEnum], dict[str, _StrEnum]] = {}


def request_member(enum_class: type[_E], value: object) -> _E | None:
    """The member of ``enum_class`` that ``value`` names, ignoring ASCII case; else None.

    The one rule for enum values a caller sends (``mode``, ``service``): ``Mode.FREE``,
    ``"FREE"``, ``"free"`` and ``"Free"`` all name ``Mode.FREE``. Only ASCII letters are
    folded, so a look-alike such as ``"\u017fervice"`` (long s) names nothing.
    """
    if isinstance(value, enum_class):
        return value
    if not isinstance(value, str):
        return None
    table = _REQUEST_VALUES.get(enum_class)
    if table is None:
        table = {member.value.upper(): member for member in enum_class}
        table.update({member.value: member for member in enum_class})
        _REQUEST_VALUES[enum_class] = table
    member = table.get(value)
    if member is None and value.isascii():
        member = table.get(value.upper())
    return member  # type: ignore[return-value]


@_vocabulary
class JobState(_Vocabulary):
    """The state of a published job as reported by the API."""

    ACTIVE = "active"
    DRAFT = "draft"
    REVIEW = "review"
    CLOSED = "closed"
    PAUSED = "paused"


@_vocabulary
class CheckpointType(_Vocabulary):
    """The extra step LinkedIn demands before it publishes."""

    EMAIL_VERIFICATION = "EMAIL_VERIFICATION"
    OTP = "OTP"


@_vocabulary
class ErrorType(_Vocabulary):
    """Every error ``type`` documented on the API page (48 of them)."""

    # 400
    INVALID_PARAMETERS = "errors/invalid_parameters"
    MALFORMED_REQUEST = "errors/malformed_request"
    CONTENT_TOO_LARGE = "errors/content_too_large"
    INVALID_URL = "errors/invalid_url"
    TOO_MANY_CHARACTERS = "errors/too_many_characters"
    UNESCAPED_CHARACTERS = "errors/unescaped_characters"
    MISSING_PARAMETERS = "errors/missing_parameters"
    LIMIT_TOO_HIGH = "errors/limit_too_high"
    # 401
    MISSING_CREDENTIALS = "errors/missing_credentials"
    MULTIPLE_SESSIONS = "errors/multiple_sessions"
    WRONG_ACCOUNT = "errors/wrong_account"
    INVALID_CREDENTIALS = "errors/invalid_credentials"
    INVALID_PROXY_CREDENTIALS = "errors/invalid_proxy_credentials"
    INVALID_CHECKPOINT_SOLUTION = "errors/invalid_checkpoint_solution"
    CHECKPOINT_ERROR = "errors/checkpoint_error"
    EXPIRED_CREDENTIALS = "errors/expired_credentials"
    EXPIRED_LINK = "errors/expired_link"
    INSUFFICIENT_PRIVILEGES = "errors/insufficient_privileges"
    DISCONNECTED_ACCOUNT = "errors/disconnected_account"
    DISCONNECTED_FEATURE = "errors/disconnected_feature"
    INVALID_CREDENTIALS_BUT_VALID_ACCOUNT_IMAP = "errors/invalid_credentials_but_valid_account_imap"
    # 403
    INSUFFICIENT_PERMISSIONS = "errors/insufficient_permissions"
    ACCOUNT_RESTRICTED = "errors/account_restricted"
    ACCOUNT_MISMATCH = "errors/account_mismatch"
    UNKNOWN_AUTHENTICATION_CONTEXT = "errors/unknown_authentication_context"
    SESSION_MISMATCH = "errors/session_mismatch"
    FEATURE_NOT_SUBSCRIBED = "errors/feature_not_subscribed"
    SUBSCRIPTION_REQUIRED = "errors/subscription_required"
    RESOURCE_ACCESS_RESTRICTED = "errors/resource_access_restricted"
    ACTION_REQUIRED = "errors/action_required"
    # 404
    RESOURCE_NOT_FOUND = "errors/resource_not_found"
    INVALID_RESOURCE_IDENTIFIER = "errors/invalid_resource_identifier"
    # 422
    INVALID_ACCOUNT = "errors/invalid_account"
    UNPROCESSABLE_ENTITY = "errors/unprocessable_entity"
    ACCOUNT_CONFIGURATION_ERROR = "errors/account_configuration_error"
    ACTION_ALREADY_PERFORMED = "errors/action_already_performed"
    PAYMENT_ERROR = "errors/payment_error"
    INSUFFICIENT_CREDITS = "errors/insufficient_credits"
    INSUFFICIENT_JOB_SLOT = "errors/insufficient_job_slot"
    # 500
    UNEXPECTED_ERROR = "errors/unexpected_error"
    PROVIDER_ERROR = "errors/provider_error"
    AUTHENTICATION_INTENT_ERROR = "errors/authentication_intent_error"
    # 503
    NO_CLIENT_SESSION = "errors/no_client_session"
    NO_CHANNEL = "errors/no_channel"
    NO_HANDLER = "errors/no_handler"
    NETWORK_DOWN = "errors/network_down"
    SERVICE_UNAVAILABLE = "errors/service_unavailable"
    # 504
    REQUEST_TIMEOUT = "errors/request_timeout"


# Built once: the decoder looks a body's ``type`` up here on every error response.
_ERROR_TYPES_BY_VALUE: dict[str, ErrorType] = {member.value: member for member in ErrorType}


def error_type_or_raw(value: str) -> ErrorType | str:
    """Return the documented member for ``value``, or the raw string when it is new to us."""
    return _ERROR_TYPES_BY_VALUE.get(value, value)


# The job lifecycle's vocabularies are in _lifecycle_enums, loaded on first use.

JobPostingState = JobState
"""The state of a job posting (``GET /linkedin/jobs/{id}``): the same five values as
:class:`JobState`, under the name the lifecycle API uses."""


# Defined here once, now in _lifecycle_enums: older imports and pickles of their members
# still find them here (the package itself imports them from their module).
_MOVED: Final = frozenset({"AccountSourceStatus", "ApplicantRating", "EmploymentStatus",
                           "SearchParameterType", "Seniority", "Workplace"})

if not TYPE_CHECKING:  # hidden from mypy, which would otherwise accept any name here

    def __getattr__(name: str) -> Any:
        if name not in _MOVED:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from . import _lifecycle_enums

        return getattr(_lifecycle_enums, name)
