"""New jobs in a bulk run: :class:`NewJob` (a job definition plus how to publish it), the
idempotency key of its create, and the checks against the create answer's
``publish_options`` that keep a publish the API would refuse (or bill wrongly) unsent.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Final

import attrs

from ._core import check_idempotency_key
from ._enums import Mode, Service, _StrEnum
from ._exceptions import InvalidRequestError
from ._models import DailyBudget, MonthlyBudget, PublishRequest

if TYPE_CHECKING:
    # Loaded when a NewJob is first built (see _lifecycle_models: import time).
    from ._lifecycle_models import CreateJobRequest, PublishOptions

__all__ = [
    "BulkStep",
    "NewJob",
    "PublishOptionsError",
    "check_publish_options",
    "derived_idempotency_key",
]

_MAX_REF_CHARS: Final = 200
# A placeholder draft id for the publish half of a NewJob before its draft exists: the
# template validates mode, service and budget together at construction.
_NO_DRAFT_YET: Final = "0"


class BulkStep(_StrEnum):
    """The step of a bulk item an outcome comes from."""

    CREATE = "create"  # creating the draft of a :class:`NewJob`
    PUBLISH = "publish"  # publishing a draft (a PublishRequest's, or a NewJob's new one)


def _ref(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidRequestError("ref", f"must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidRequestError("ref", "must not be empty")
    if len(value) > _MAX_REF_CHARS:
        raise InvalidRequestError("ref", f"must be at most {_MAX_REF_CHARS} characters long")
    return value


def _job(value: object) -> CreateJobRequest:
    from ._lifecycle_models import CreateJobRequest

    if not isinstance(value, CreateJobRequest):
        raise InvalidRequestError(
            "job", f"must be a CreateJobRequest, got {type(value).__name__}"
        )
    return value


def _key(value: object) -> str | None:
    return None if value is None else check_idempotency_key(value)


def derived_idempotency_key(ref: str) -> str:
    """The create's ``Idempotency-Key`` for ``ref``: the same on every run, so a re-run
    (even without the journal, within the server's key lifetime) replays the first draft
    instead of creating a second one."""
    digest = hashlib.sha256(ref.encode("utf-8", "surrogatepass")).hexdigest()
    return f"postpress-bulk-{digest[:40]}"


@attrs.frozen
class NewJob:
    """A bulk item that creates a draft from ``job`` and then publishes it.

    ``ref`` is the caller's stable reference for the posting (the requisition id in their
    ATS, say): a bulk run creates at most one draft per ``ref``, across re-runs with the
    same journal, and skips a ``ref`` that repeats in the input. ``mode``, ``service``,
    ``budget``, ``hiring_photo_frame`` and ``bypass_email_verification`` are the publish
    options, as for :class:`PublishRequest`; the account is ``job.account_id``.
    ``idempotency_key`` overrides the create's key (by default derived from ``ref``).
    Everything is validated here: a bad value raises :class:`InvalidRequestError`.
    """

    ref: str = attrs.field(converter=_ref)
    job: CreateJobRequest = attrs.field(converter=_job, kw_only=True)
    mode: Mode | str = attrs.field(kw_only=True)
    service: Service | str | None = attrs.field(default=None, kw_only=True)
    budget: DailyBudget | MonthlyBudget | None = attrs.field(default=None, kw_only=True)
    hiring_photo_frame: bool | None = attrs.field(default=None, kw_only=True)
    bypass_email_verification: bool | None = attrs.field(default=None, kw_only=True)
    idempotency_key: str | None = attrs.field(default=None, kw_only=True, converter=_key)
    # The publish half, checked (mode, service, budget together) once, here.
    template: PublishRequest = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        template = PublishRequest(
            _NO_DRAFT_YET,
            account_id=self.job.account_id,
            mode=self.mode,
            service=self.service,
            hiring_photo_frame=self.hiring_photo_frame,
            bypass_email_verification=self.bypass_email_verification,
            budget=self.budget,
        )
        object.__setattr__(self, "template", template)
        # Normalised like PublishRequest's ("free" is Mode.FREE).
        object.__setattr__(self, "mode", template.mode)
        object.__setattr__(self, "service", template.service)

    @property
    def account_id(self) -> str:
        """The account the draft is created and published with."""
        return self.job.account_id

    @property
    def create_key(self) -> str:
        """The create's ``Idempotency-Key``: the one given, or one derived from ``ref``."""
        if self.idempotency_key is not None:
            return self.idempotency_key
        return derived_idempotency_key(self.ref)

    def publish_request(self, job_id: str) -> PublishRequest:
        """The publish of the draft ``job_id`` created for this job."""
        return attrs.evolve(self.template, draft_id=job_id)


class PublishOptionsError(InvalidRequestError):
    """The create answer's ``publish_options`` rule out the requested publish, which was
    therefore not sent: ``reason`` is ``"free_not_eligible"``, ``"budget_currency"`` or
    ``"budget_out_of_range"``; ``field`` names the option (``mode``, ``budget.amount``...)."""

    def __init__(self, field: str, message: str, *, reason: str) -> None:
        super().__init__(field, message)
        self.reason = reason


def check_publish_options(
    request: PublishRequest, options: PublishOptions
) -> PublishOptionsError | None:
    """Why ``request`` cannot be published as asked, given the draft's ``options``."""
    if request.mode is Mode.FREE:
        if not options.free.eligible:
            why = options.free.ineligible_reason or "no reason given"
            return PublishOptionsError(
                "mode",
                f"draft {request.draft_id} is not eligible for a FREE posting ({why}); "
                "publish it PROMOTED with a budget",
                reason="free_not_eligible",
            )
        return None
    budget = request.budget
    if budget is None:
        return None
    promoted = options.promoted
    period = "daily" if isinstance(budget, DailyBudget) else "monthly"
    if budget.currency != promoted.currency.upper():
        return PublishOptionsError(
            "budget.currency",
            f"draft {request.draft_id} is priced in {promoted.currency}, "
            f"not {budget.currency}",
            reason="budget_currency",
        )
    bounds = promoted.daily_budget if period == "daily" else promoted.monthly_budget
    if not bounds.contains(budget.amount):
        return PublishOptionsError(
            "budget.amount",
            f"a {period} budget of draft {request.draft_id} must be between {bounds.min} "
            f"and {bounds.max} {promoted.currency}, got {budget.amount}",
            reason="budget_out_of_range",
        )
    return None
