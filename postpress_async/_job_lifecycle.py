"""The job-lifecycle endpoints of ``client.jobs``: create, edit, get, list, close, and
:meth:`~_JobLifecycle.wait_for_state` (polling ``get``: no webhook exists for jobs).

:class:`~postpress_async.AsyncJobs` mixes these in beside publish and the bulk methods.
"""

from __future__ import annotations

import asyncio
import enum
import math
import random
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, TypeVar

from ._config import NOT_GIVEN, NotGiven, TimeoutTypes
from ._converter import dump_body
from ._core import Endpoint, check_idempotency_key
from ._enums import JobState, Service
from ._exceptions import (
    AlreadyPublishedError,
    InvalidRequestError,
    JobStateError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from ._json import dumps
from ._lazy import lifecycle_model, object_decoder_of, page_decoder_of
from ._models import _account_id, _non_empty
from ._pagination import AsyncPager, check_limit

if TYPE_CHECKING:
    from ._client import AsyncPostpress
    from ._lifecycle_enums import EmploymentStatus, Workplace
    from ._lifecycle_models import (
        ApplyMethod,
        CreateJobRequest,
        DraftCreated,
        IdOrText,
        JobClosed,
        JobEdited,
        JobPosting,
        Recruiter,
        RecruiterEdit,
        ScreeningQuestion,
        SearchParameter,
    )
    from ._page import Page

__all__ = ["CLOSE", "CREATE", "EDIT", "GET", "JOB_CATEGORIES", "LIST"]

# The models load on first use (client.jobs is imported with the package; see _lazy).
CREATE: Final[Endpoint[DraftCreated]] = Endpoint(
    "jobs.create", "POST", "/linkedin/jobs",
    object_decoder_of(lifecycle_model("DraftCreated")),
)
EDIT: Final[Endpoint[JobEdited]] = Endpoint(
    "jobs.edit", "PATCH", "/linkedin/jobs/{job_id}",
    object_decoder_of(lifecycle_model("JobEdited")),
)
GET: Final[Endpoint[JobPosting]] = Endpoint(
    "jobs.get", "GET", "/linkedin/jobs/{job_id}",
    object_decoder_of(lifecycle_model("JobPosting")),
)
LIST: Final[Endpoint[Page[JobPosting]]] = Endpoint(
    "jobs.list", "GET", "/linkedin/jobs",
    page_decoder_of("LinkedinJobPostingList", lifecycle_model("JobPosting")),
)
CLOSE: Final[Endpoint[JobClosed]] = Endpoint(
    "jobs.close", "POST", "/linkedin/jobs/{job_id}/close",
    object_decoder_of(lifecycle_model("JobClosed")),
)
JOB_CATEGORIES: Final = ("active", "draft", "closed")
_E = TypeVar("_E", bound=enum.Enum)
_STATES: Final = {member.value: member for member in JobState}
# States a job never leaves for the one waited for: nothing reopens a closed job, and a
# job sent to review never becomes a draft again.
_DEAD_ENDS: Final = {
    JobState.DRAFT: frozenset({JobState.REVIEW, JobState.ACTIVE, JobState.PAUSED,
                               JobState.CLOSED}),
    JobState.REVIEW: frozenset({JobState.CLOSED}),
    JobState.ACTIVE: frozenset({JobState.CLOSED}),
    JobState.PAUSED: frozenset({JobState.CLOSED}),
    JobState.CLOSED: frozenset(),
}


def _key(value: str | None) -> str | None:
    return None if value is None else check_idempotency_key(value)


def _enum_member(field: str, enum_cls: type[_E], value: object) -> _E:
    # _validators (with SearchParameter) loads on the first lifecycle call, not with the
    # package: client.jobs is imported with it (docs/performance.md, import time).
    from ._validators import enum_member

    return enum_member(field, enum_cls, value)


def _service(value: object) -> Service:
    return _enum_member("service", Service, Service.CLASSIC if value is None else value)


def _seconds(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRequestError(field, f"must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise InvalidRequestError(field, f"must be a finite number > 0, got {value!r}")
    return float(value)


class _JobLifecycle:
    """Create, edit, get, list, close and wait: mixed into ``AsyncJobs``."""

    _client: AsyncPostpress

    async def create(
        self,
        *,
        account_id: str,
        job_title: SearchParameter | IdOrText | str,
        company: SearchParameter | IdOrText | str,
        workplace: Workplace | str,
        location: SearchParameter | str,
        description: str,
        employment_status: EmploymentStatus | str | None = None,
        auto_rejection_template: str | None = None,
        screening_questions: Iterable[ScreeningQuestion] | None = None,
        recruiter: Recruiter | None = None,
        apply_method: ApplyMethod | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DraftCreated:
        """Create a draft (nothing is published); returns :class:`DraftCreated`.

        ``job_title`` and ``company``: a :class:`SearchParameter`, a numeric id string,
        or free text. ``location``: a :class:`SearchParameter` or its numeric id (no text
        fallback: resolve it with ``client.search.parameters("LOCATION", ...)``). The
        ``Idempotency-Key`` is generated per call (reused by its retries) unless given.
        """
        from ._lifecycle_models import CreateJobRequest

        request = CreateJobRequest(
            account_id, job_title, company, workplace, location, description,
            employment_status=employment_status,
            auto_rejection_template=auto_rejection_template,
            screening_questions=screening_questions,
            recruiter=recruiter,
            apply_method=apply_method,
        )
        return await self.create_request(
            request, idempotency_key=idempotency_key, timeout=timeout, max_retries=max_retries
        )

    async def create_request(
        self,
        request: CreateJobRequest,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DraftCreated:
        """Like :meth:`create`, for a :class:`CreateJobRequest` built beforehand."""
        from ._lifecycle_models import CreateJobRequest

        if not isinstance(request, CreateJobRequest):
            raise InvalidRequestError(
                "request", f"must be a CreateJobRequest, got {type(request).__name__}"
            )
        return await self._client._request(
            CREATE, timeout, max_retries,
            body=dump_body(request), idempotency_key=_key(idempotency_key),
        )

    async def edit(
        self,
        job_id: str,
        *,
        account_id: str,
        job_title: SearchParameter | IdOrText | str | None = None,
        company: SearchParameter | IdOrText | str | None = None,
        workplace: Workplace | str | None = None,
        location: SearchParameter | str | None = None,
        description: str | None = None,
        employment_status: EmploymentStatus | str | None = None,
        auto_rejection_template: str | None = None,
        screening_questions: Iterable[ScreeningQuestion] | None = None,
        recruiter: RecruiterEdit | None = None,
        apply_method: ApplyMethod | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> JobEdited:
        """Change some fields of a posting (``PATCH``); the others keep their values.

        ``screening_questions`` replaces the whole list. Returns :class:`JobEdited`;
        read the job again with :meth:`get` to see the result.
        """
        from ._lifecycle_models import EditJobRequest

        request = EditJobRequest(
            job_id, account_id,
            job_title=job_title, company=company, workplace=workplace, location=location,
            description=description, employment_status=employment_status,
            auto_rejection_template=auto_rejection_template,
            screening_questions=screening_questions, recruiter=recruiter,
            apply_method=apply_method,
        )
        return await self._client._request(
            EDIT, timeout, max_retries,
            path_params={"job_id": request.job_id},
            body=dump_body(request), idempotency_key=_key(idempotency_key),
        )

    async def get(
        self,
        job_id: str,
        *,
        account_id: str,
        service: Service | str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> JobPosting:
        """One posting with its state and counters. ``service`` (default ``CLASSIC``)
        must be the one the job was published with."""
        query = [("account_id", _account_id(account_id)), ("service", _service(service).value)]
        return await self._client._request(
            GET, timeout, max_retries, path_params={"job_id": job_id}, query=query
        )

    def list(
        self,
        *,
        account_id: str,
        category: str = "active",
        limit: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPager[JobPosting]:
        """The account's postings of one ``category`` (``active``, ``draft``, ``closed``),
        as a pager: ``async for job in client.jobs.list(...)``. ``limit`` is the page size
        (1-250). Do not filter on ``state == category``: ``review`` and ``paused`` jobs
        appear under a category too."""
        if category not in JOB_CATEGORIES:
            raise InvalidRequestError(
                "category", f"unknown category {category!r}; expected one of "
                + ", ".join(JOB_CATEGORIES)
            )
        query = [("account_id", _account_id(account_id)), ("category", category)]
        if (size := check_limit(limit, 1, 250)) is not None:
            query.append(("limit", str(size)))
        client = self._client

        async def fetch(cursor: str | None) -> Page[JobPosting]:
            return await client._request(
                LIST, timeout, max_retries,
                query=query if cursor is None else [*query, ("cursor", cursor)],
            )

        return AsyncPager(fetch, endpoint="jobs.list")

    async def close(
        self,
        job_id: str,
        *,
        account_id: str,
        service: Service | str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> JobClosed:
        """Close a posted job (irreversible: no reopen exists). Returns :class:`JobClosed`.

        ``account_id`` and ``service`` travel in the JSON body, as on every other POST
        (the provider does not say where they go).
        """
        body: dict[str, str] = {"account_id": _account_id(account_id)}
        if service is not None:
            body["service"] = _service(service).value
        try:
            return await self._client._request(
                CLOSE, timeout, max_retries,
                path_params={"job_id": _non_empty("job_id", job_id)},
                body=dumps(body), idempotency_key=_key(idempotency_key),
            )
        except AlreadyPublishedError as error:
            # 422 action_already_performed: the job is closed already. After a lost
            # answer (a 503/504) of this very call, that is this call's own close, done
            # once (a server that ignores Idempotency-Key answers so): success. Without
            # one, it was closed before: an error, but not "already published".
            if error.earlier_attempts:
                from ._lifecycle_models import JobClosed

                return JobClosed(job_id=job_id)
            raise UnprocessableEntityError(
                status=error.status, type=error.type, title=error.title,
                detail=error.detail, request_id=error.request_id, headers=error.headers,
                body=error.body, retry_after=error.retry_after,
            ) from None

    async def wait_for_state(
        self,
        job_id: str,
        *,
        account_id: str,
        state: JobState | str = JobState.ACTIVE,
        service: Service | str | None = None,
        timeout: float = 600.0,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
    ) -> JobPosting:
        """Poll :meth:`get` until the job is in ``state``; returns that :class:`JobPosting`.

        This is how to follow LinkedIn's review after a publish: no webhook exists for
        job events. Polls start ``poll_interval`` seconds apart and back off (x1.5, with
        jitter) up to ``max_interval``. Raises :class:`JobStateError` when the job reaches
        a state it cannot leave for ``state`` (``closed``; for ``draft``, any published
        state), and :class:`WaitTimeoutError` when ``timeout`` seconds pass. Error
        answers of ``get`` are raised as they are (after its own retries).
        """
        expected = _enum_member("state", JobState, state)
        total = _seconds("timeout", timeout)
        interval = _seconds("poll_interval", poll_interval)
        ceiling = max(interval, _seconds("max_interval", max_interval))
        service = _service(service)
        _account_id(account_id)
        deadline = time.monotonic() + total
        last_state: str | None = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(
                    job_id, expected=expected.value, last_state=last_state, timeout=total
                )
            try:
                # A slow get counts against the same deadline.
                job = await asyncio.wait_for(
                    self.get(job_id, account_id=account_id, service=service), remaining
                )
            except asyncio.TimeoutError:
                raise WaitTimeoutError(
                    job_id, expected=expected.value, last_state=last_state, timeout=total
                ) from None
            current = _STATES.get(str(job.state), job.state)
            last_state = str(job.state)
            if current is expected:
                return job
            if current in _DEAD_ENDS[expected]:
                raise JobStateError(job_id, state=last_state, expected=expected.value, job=job)
            pause = min(interval * (0.8 + 0.4 * random.random()), deadline - time.monotonic())
            if pause > 0:
                await asyncio.sleep(pause)
            interval = min(interval * 1.5, ceiling)
