"""The sync facade's lifecycle resources: ``jobs`` (create ... close, wait), ``applicants``,
``search`` and ``accounts``, without ``await``.

Each method runs the async method of the same name on the SDK loop (one runner call);
list methods return a :class:`~postpress_async._pagination.Pager`, a plain iterable
that fetches each page with one runner call. Nothing is implemented twice.
"""

from __future__ import annotations

import os
from collections.abc import Coroutine, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from ._config import DEFAULT_MAX_RESUME_BYTES, NOT_GIVEN, NotGiven, TimeoutTypes
from ._enums import JobState, Service
from ._lifecycle_enums import ApplicantRating, EmploymentStatus, SearchParameterType, Workplace
from ._pagination import AsyncPager, Pager, Runner
from ._resource import SyncResource
from ._transport import BodySink

if TYPE_CHECKING:
    from ._accounts import AsyncAccounts
    from ._applicants import AsyncApplicants
    from ._jobs import AsyncJobs
    from ._lifecycle_models import (
        Account,
        Applicant,
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
    from ._search import AsyncSearch

__all__ = ["Accounts", "Applicants", "JobLifecycle", "Search"]

_T = TypeVar("_T")
_Sink = TypeVar("_Sink", bound=BodySink)


def _pager(pager: AsyncPager[_T], runner: Runner) -> Pager[_T]:
    return Pager(pager._fetch_page, runner, endpoint=pager.endpoint)


class JobLifecycle(SyncResource):
    """Create, edit, get, list, close and wait, without ``await`` (mixed into ``Jobs``)."""

    _async: AsyncJobs
    _runner: Runner

    def create(
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
        """Create a draft; see :meth:`AsyncJobs.create`."""
        return self._runner.run(self._async.create(
            account_id=account_id, job_title=job_title, company=company, workplace=workplace,
            location=location, description=description, employment_status=employment_status,
            auto_rejection_template=auto_rejection_template,
            screening_questions=screening_questions, recruiter=recruiter,
            apply_method=apply_method, idempotency_key=idempotency_key, timeout=timeout,
            max_retries=max_retries,
        ))

    def create_request(
        self,
        request: CreateJobRequest,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DraftCreated:
        """Like :meth:`create`, for a :class:`CreateJobRequest` built beforehand."""
        return self._runner.run(self._async.create_request(
            request, idempotency_key=idempotency_key, timeout=timeout, max_retries=max_retries
        ))

    def edit(
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
        """Change some fields of a posting; see :meth:`AsyncJobs.edit`."""
        return self._runner.run(self._async.edit(
            job_id, account_id=account_id, job_title=job_title, company=company,
            workplace=workplace, location=location, description=description,
            employment_status=employment_status,
            auto_rejection_template=auto_rejection_template,
            screening_questions=screening_questions, recruiter=recruiter,
            apply_method=apply_method, idempotency_key=idempotency_key, timeout=timeout,
            max_retries=max_retries,
        ))

    def get(
        self,
        job_id: str,
        *,
        account_id: str,
        service: Service | str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> JobPosting:
        """One posting with its state and counters; see :meth:`AsyncJobs.get`."""
        return self._runner.run(self._async.get(
            job_id, account_id=account_id, service=service, timeout=timeout,
            max_retries=max_retries,
        ))

    def list(
        self,
        *,
        account_id: str,
        category: str = "active",
        limit: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Pager[JobPosting]:
        """The account's postings of one category, as an iterable; see :meth:`AsyncJobs.list`."""
        return _pager(self._async.list(
            account_id=account_id, category=category, limit=limit, timeout=timeout,
            max_retries=max_retries,
        ), self._runner)

    def close(
        self,
        job_id: str,
        *,
        account_id: str,
        service: Service | str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> JobClosed:
        """Close a posted job (irreversible); see :meth:`AsyncJobs.close`."""
        return self._runner.run(self._async.close(
            job_id, account_id=account_id, service=service, idempotency_key=idempotency_key,
            timeout=timeout, max_retries=max_retries,
        ))

    def wait_for_state(
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
        """Poll until the job is in ``state``; see :meth:`AsyncJobs.wait_for_state`.

        Ctrl-C stops the wait (and cancels the poll in flight).
        """
        return self._runner.run(self._async.wait_for_state(
            job_id, account_id=account_id, state=state, service=service, timeout=timeout,
            poll_interval=poll_interval, max_interval=max_interval,
        ))


class Applicants(SyncResource):
    """``client.applicants`` without ``await``: a job's applicants and their résumés."""

    def __init__(self, async_applicants: AsyncApplicants, runner: Runner) -> None:
        self._async = async_applicants
        self._runner = runner

    def list(
        self,
        job_id: str,
        *,
        account_id: str,
        service: Service | str | None = None,
        limit: int | None = None,
        ratings: Iterable[ApplicantRating | str] | None = None,
        keywords: str | None = None,
        sort_by: str | None = None,
        min_years_of_experience: float | None = None,
        max_years_of_experience: float | None = None,
        min_years_in_company: float | None = None,
        max_years_in_company: float | None = None,
        min_years_in_position: float | None = None,
        max_years_in_position: float | None = None,
        include_degree: Iterable[str] | None = None,
        exclude_degree: Iterable[str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Pager[Applicant]:
        """A job's applicants, as an iterable; see :meth:`AsyncApplicants.list`."""
        return _pager(self._async.list(
            job_id, account_id=account_id, service=service, limit=limit, ratings=ratings,
            keywords=keywords, sort_by=sort_by,
            min_years_of_experience=min_years_of_experience,
            max_years_of_experience=max_years_of_experience,
            min_years_in_company=min_years_in_company,
            max_years_in_company=max_years_in_company,
            min_years_in_position=min_years_in_position,
            max_years_in_position=max_years_in_position,
            include_degree=include_degree, exclude_degree=exclude_degree,
            timeout=timeout, max_retries=max_retries,
        ), self._runner)

    def get(
        self,
        applicant_id: str,
        *,
        account_id: str,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Applicant:
        """One applicant (Classic postings only)."""
        return self._runner.run(self._async.get(
            applicant_id, account_id=account_id, timeout=timeout, max_retries=max_retries
        ))

    @overload
    def download_resume(
        self, applicant_id: str, *, account_id: str, to: str | os.PathLike[str],
        service: Service | str | None = ..., max_bytes: int = ...,
        timeout: TimeoutTypes | NotGiven = ..., max_retries: int | NotGiven = ...,
    ) -> Path: ...

    @overload
    def download_resume(
        self, applicant_id: str, *, account_id: str, to: _Sink,
        service: Service | str | None = ..., max_bytes: int = ...,
        timeout: TimeoutTypes | NotGiven = ..., max_retries: int | NotGiven = ...,
    ) -> _Sink: ...

    def download_resume(
        self,
        applicant_id: str,
        *,
        account_id: str,
        to: str | os.PathLike[str] | BodySink,
        service: Service | str | None = None,
        max_bytes: int = DEFAULT_MAX_RESUME_BYTES,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Path | BodySink:
        """Stream a résumé to a path or a binary file object; see
        :meth:`AsyncApplicants.download_resume`. A file object is written from the SDK's
        loop thread."""
        download: Coroutine[Any, Any, Path | BodySink] = self._async.download_resume(
            applicant_id, account_id=account_id, to=to,
            service=service, max_bytes=max_bytes, timeout=timeout, max_retries=max_retries,
        )
        return self._runner.run(download)


class Search(SyncResource):
    """``client.search`` without ``await``: free text into LinkedIn ids."""

    def __init__(self, async_search: AsyncSearch, runner: Runner) -> None:
        self._async = async_search
        self._runner = runner

    def parameters(
        self,
        type: SearchParameterType | str,
        *,
        account_id: str,
        keywords: str | None = None,
        limit: int | None = None,
        service: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Pager[SearchParameter]:
        """Candidate ids, as an iterable; see :meth:`AsyncSearch.parameters`."""
        return _pager(self._async.parameters(
            type, account_id=account_id, keywords=keywords, limit=limit, service=service,
            timeout=timeout, max_retries=max_retries,
        ), self._runner)


class Accounts(SyncResource):
    """``client.accounts`` without ``await``: connected accounts and their health."""

    def __init__(self, async_accounts: AsyncAccounts, runner: Runner) -> None:
        self._async = async_accounts
        self._runner = runner

    def list(
        self,
        *,
        limit: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Pager[Account]:
        """Every connected account, as an iterable."""
        return _pager(
            self._async.list(limit=limit, timeout=timeout, max_retries=max_retries),
            self._runner,
        )

    def get(
        self,
        account_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Account:
        """One account and the health of its services."""
        return self._runner.run(
            self._async.get(account_id, timeout=timeout, max_retries=max_retries)
        )
