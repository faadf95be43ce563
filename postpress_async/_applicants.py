"""``client.applicants``: a job's applicants, one applicant, and résumé downloads."""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, TypeVar, overload

from ._config import DEFAULT_MAX_RESUME_BYTES, NOT_GIVEN, NotGiven, TimeoutTypes
from ._core import Endpoint, Query
from ._decode import ObjectDecoder, PageDecoder, decode_stream
from ._enums import Service
from ._exceptions import InvalidRequestError
from ._lifecycle_enums import ApplicantRating
from ._lifecycle_models import Applicant
from ._models import _account_id
from ._page import Page
from ._pagination import AsyncPager, check_limit
from ._resource import AsyncResource
from ._transport import BodySink
from ._validators import enum_member, strings

if TYPE_CHECKING:
    pass

__all__ = ["DEFAULT_MAX_RESUME_BYTES", "AsyncApplicants"]

LIST: Final = Endpoint(
    "applicants.list", "GET", "/linkedin/jobs/{job_id}/applicants",
    PageDecoder[Applicant]("LinkedinJobApplicantList", Applicant),
)
GET: Final = Endpoint(
    "applicants.get", "GET", "/linkedin/jobs/applicants/{applicant_id}",
    ObjectDecoder[Applicant](Applicant),
)
RESUME: Final = Endpoint(
    "applicants.download_resume", "GET", "/linkedin/jobs/applicants/{applicant_id}/resume",
    decode_stream,
)
SORT_ORDERS: Final = ("relevance", "alphabetical", "newest_first", "screening_requirements")

_Sink = TypeVar("_Sink", bound=BodySink)


def _ratings(value: object) -> str:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidRequestError(
            "ratings", f"must be a list of ratings, got {type(value).__name__}"
        )
    members = [enum_member("ratings", ApplicantRating, rating) for rating in value]
    if not members:
        raise InvalidRequestError("ratings", "must name at least one rating")
    return ",".join(dict.fromkeys(member.value for member in members))


def _years(field: str, value: object) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRequestError(field, f"must be a number of years, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise InvalidRequestError(field, f"must be a finite number >= 0, got {value!r}")
    return value


def _max_bytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError("max_bytes", f"must be an int >= 1, got {value!r}")
    return value


class AsyncApplicants(AsyncResource):
    """``client.applicants``: who applied to a job, and their résumés."""


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
    ) -> AsyncPager[Applicant]:
        """A job's applicants as a pager: ``async for applicant in client.applicants.list(...)``.

        ``limit`` is the page size (1-250). ``ratings`` keeps only those ratings.
        ``sort_by``, the ``min_``/``max_`` years filters and the degree filters are
        LinkedIn Recruiter filters (pass ``service="RECRUITER"``).
        """
        if not isinstance(job_id, str) or not job_id:
            raise InvalidRequestError("job_id", "must be a non-empty string")
        query: list[tuple[str, str]] = [("account_id", _account_id(account_id))]
        if service is not None:
            query.append(("service", enum_member("service", Service, service).value))
        if (size := check_limit(limit, 1, 250)) is not None:
            query.append(("limit", str(size)))
        if ratings is not None:
            query.append(("ratings", _ratings(ratings)))
        if keywords is not None:
            if not isinstance(keywords, str) or not keywords.strip():
                raise InvalidRequestError("keywords", "must be a non-empty string")
            query.append(("keywords", keywords))
        if sort_by is not None:
            if sort_by not in SORT_ORDERS:
                raise InvalidRequestError(
                    "sort_by", f"unknown order {sort_by!r}; expected one of "
                    + ", ".join(SORT_ORDERS)
                )
            query.append(("sort_by", sort_by))
        ranges = (
            ("years_of_experience", min_years_of_experience, max_years_of_experience),
            ("years_in_company", min_years_in_company, max_years_in_company),
            ("years_in_position", min_years_in_position, max_years_in_position),
        )
        for name, given_low, given_high in ranges:
            low = _years(f"min_{name}", given_low)
            high = _years(f"max_{name}", given_high)
            if low is not None and high is not None and low > high:
                raise InvalidRequestError(
                    f"min_{name}", f"must not exceed max_{name} ({low!r} > {high!r})"
                )
            query += [(f"{bound}_{name}", str(value))
                      for bound, value in (("min", low), ("max", high)) if value is not None]
        for name, degrees in (("include_degree", include_degree),
                              ("exclude_degree", exclude_degree)):
            if degrees is not None:
                query += [(name, degree) for degree in strings(name, degrees, low=1, high=100)]
        client = self._client
        path = {"job_id": job_id}

        async def fetch(cursor: str | None) -> Page[Applicant]:
            page_query: Query = query if cursor is None else [*query, ("cursor", cursor)]
            return await client._request(
                LIST, timeout, max_retries, path_params=path, query=page_query
            )

        return AsyncPager(fetch, endpoint="applicants.list")

    async def get(
        self,
        applicant_id: str,
        *,
        account_id: str,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Applicant:
        """One applicant (Classic postings only; for Recruiter use :meth:`list`)."""
        return await self._client._request(
            GET, timeout, max_retries,
            path_params={"applicant_id": applicant_id},
            query=[("account_id", _account_id(account_id))],
        )

    @overload
    async def download_resume(
        self, applicant_id: str, *, account_id: str, to: str | os.PathLike[str],
        service: Service | str | None = ..., max_bytes: int = ...,
        timeout: TimeoutTypes | NotGiven = ..., max_retries: int | NotGiven = ...,
    ) -> Path: ...

    @overload
    async def download_resume(
        self, applicant_id: str, *, account_id: str, to: _Sink,
        service: Service | str | None = ..., max_bytes: int = ...,
        timeout: TimeoutTypes | NotGiven = ..., max_retries: int | NotGiven = ...,
    ) -> _Sink: ...

    async def download_resume(
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
        """Stream an applicant's résumé to ``to``: a path (returned as a ``Path``) or a
        binary file object (returned as it is). Memory stays bounded whatever the size.

        A file is written to a temporary name in the same directory and renamed into
        place only when the whole body arrived, so a failure (an error answer, a dropped
        connection, more than ``max_bytes``, cancellation) never leaves a partial file;
        an existing file at ``to`` is replaced only on success. With a seekable file
        object, what a failed download wrote is truncated away again.
        """
        query: list[tuple[str, str]] = [("account_id", _account_id(account_id))]
        if service is not None:
            query.append(("service", enum_member("service", Service, service).value))
        limit = _max_bytes(max_bytes)
        arguments: dict[str, Any] = {
            "path_params": {"applicant_id": applicant_id}, "query": query,
            "max_body_bytes": limit,
        }
        if isinstance(to, (str, os.PathLike)):
            return await self._to_path(Path(to), timeout, max_retries, arguments)
        if not callable(getattr(to, "write", None)):
            raise InvalidRequestError(
                "to", f"must be a path or a binary file object, got {type(to).__name__}"
            )
        start = _position(to)
        try:
            await self._client._request(RESUME, timeout, max_retries, sink=to, **arguments)
        except BaseException:
            if start is not None:
                with contextlib.suppress(OSError, ValueError):
                    to.seek(start)  # type: ignore[attr-defined]
                    to.truncate()  # type: ignore[attr-defined]
            raise
        return to

    async def _to_path(
        self, path: Path, timeout: TimeoutTypes | NotGiven, max_retries: int | NotGiven,
        arguments: dict[str, Any],
    ) -> Path:
        handle, temporary = _temporary_beside(path)
        try:
            with os.fdopen(handle, "wb") as sink:
                await self._client._request(
                    RESUME, timeout, max_retries, sink=sink, **arguments
                )
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return path


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in ``path``'s directory: the final rename then stays on one
    file system, so it is atomic."""
    if path.is_dir():
        raise InvalidRequestError("to", f"{str(path)!r} is a directory; name a file")
    if not path.parent.is_dir():
        raise InvalidRequestError("to", f"the directory {str(path.parent)!r} does not exist")
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")


def _position(target: object) -> int | None:
    """Where a seekable file object stands now (``None``: not seekable)."""
    file: IO[bytes] = target  # type: ignore[assignment]
    try:
        if callable(getattr(file, "seekable", None)) and file.seekable():
            return file.tell()
    except (OSError, ValueError):
        pass
    return None
