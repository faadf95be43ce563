"""Each endpoint's request reading: query and body checked against its contract page.

``prepare`` turns a routed, authenticated request into a :class:`Call`: the validated
action to run later (after idempotency and faults), and the id that fault decisions hash.
Nothing here changes state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from ._applicants import RATINGS, SORTS, ApplicantFilter
from ._catalogue import SEARCH_TYPES
from ._errors import SandboxError
from ._query import Query, parse_query
from ._reads import Reads
from ._routes import Route
from ._state import State
from ._validate import SERVICES, validate_checkpoint, validate_publish
from ._validate_jobs import validate_close, validate_create, validate_edit

__all__ = ["BODY_ENDPOINTS", "Binary", "Call", "prepare"]

# Endpoints whose request carries a JSON body (close's body is optional).
BODY_ENDPOINTS: Final = frozenset({"create", "edit", "publish", "checkpoint", "close"})
_SEARCH_SERVICES: Final = SERVICES | {"SALES_NAVIGATOR"}
_CATEGORIES: Final = ("active", "draft", "closed")
_YEARS: Final = ("experience", "company", "position")


@dataclass(frozen=True)
class Binary:
    """A non-JSON answer (the résumé)."""

    body: bytes
    content_type: str
    filename: str


@dataclass
class Call:
    """A validated request: ``run(request_id)`` applies it and returns the answer."""

    run: Callable[[str], dict[str, Any] | Binary]
    fault_id: str


def prepare(
    route: Route,
    body: dict[str, Any] | None,
    state: State,
    reads: Reads,
    max_length: int,
    idempotency_key: str | None,
) -> Call:
    """Validate the request for ``route`` and return what to run."""
    endpoint, ids = route.endpoint, route.ids
    if endpoint in ("publish", "checkpoint", "create", "edit"):
        assert body is not None
        if endpoint == "publish":
            publish = validate_publish(body, max_length)
            return Call(lambda rid: state.publish(ids[0], publish, rid), ids[0])
        if endpoint == "checkpoint":
            answer = validate_checkpoint(body, max_length)
            return Call(lambda rid: state.checkpoint(ids[0], answer, rid), ids[0])
        if endpoint == "create":
            created = validate_create(body, max_length)
            fault_id = idempotency_key or repr(sorted(created.items()))
            return Call(lambda rid: state.create(created, rid, idempotency_key), fault_id)
        edited = validate_edit(body, max_length)
        return Call(lambda rid: state.edit(ids[0], edited), ids[0])
    query = parse_query(route.query)
    if endpoint == "close":
        return _close(ids[0], body or {}, query, state, max_length)
    if endpoint == "get_job":
        query.check({"account_id", "service"})
        account = _account(query)
        job_service = query.enum("service", SERVICES, required=True)
        assert job_service is not None
        return Call(lambda rid: reads.get_job(ids[0], account, job_service), ids[0])
    if endpoint == "list_jobs":
        query.check({"account_id", "category", "limit", "cursor"})
        account = _account(query)
        category = query.enum("category", _CATEGORIES, default="active")
        assert category is not None
        limit = query.limit(low=1, high=250, default=100)
        cursor = query.string("cursor", max_length=1024)
        return Call(lambda rid: reads.list_jobs(account, category, limit, cursor), account)
    if endpoint == "list_applicants":
        return _list_applicants(ids[0], query, reads)
    if endpoint == "get_applicant":
        query.check({"account_id"})
        account = _account(query)
        return Call(lambda rid: reads.get_applicant(ids[0], account), ids[0])
    if endpoint == "resume":
        query.check({"account_id", "service"})
        account = _account(query)
        service = query.enum("service", SERVICES)

        def resume(rid: str) -> Binary:
            data, filename = reads.resume(ids[0], account, service)
            return Binary(data, "application/pdf", filename)

        return Call(resume, ids[0])
    if endpoint == "search_parameters":
        query.check({"type", "account_id", "keywords", "service", "limit"})
        kind = query.enum("type", SEARCH_TYPES, required=True)
        assert kind is not None
        account = _account(query)
        keywords = query.string("keywords")
        query.enum("service", _SEARCH_SERVICES, default="CLASSIC")
        limit = query.limit(low=1, high=100, default=10)
        return Call(lambda rid: reads.search_parameters(kind, account, keywords, limit), kind)
    if endpoint == "list_accounts":
        query.check({"limit", "cursor"})
        limit = query.limit(low=1, high=250, default=100)
        cursor = query.string("cursor", max_length=1024)
        return Call(lambda rid: reads.list_accounts(limit, cursor), "")
    assert endpoint == "get_account", endpoint
    query.check(())
    return Call(lambda rid: reads.get_account(ids[0]), ids[0])


def _account(query: Query) -> str:
    value = query.string("account_id", required=True)
    assert value is not None
    return value


def _close(job_id: str, body: dict[str, Any], query: Query, state: State, max_length: int) -> Call:
    # The contract leaves the placement open: account_id and service in the body or the
    # query are both accepted, but not in both places.
    query.check({"account_id", "service"})
    body_account, body_service = validate_close(body, max_length)
    query_account = query.string("account_id")
    query_service = query.enum("service", SERVICES)
    if (body_account and query_account) or (body_service and query_service):
        raise SandboxError(
            400,
            "errors/invalid_parameters",
            "account_id and service go in the body or in the query, not both",
        )
    account = body_account or query_account
    if account is None:
        raise SandboxError(
            400, "errors/missing_parameters", "missing required field(s): account_id"
        )
    service = body_service or query_service
    return Call(lambda rid: state.close(job_id, account, service), job_id)


def _list_applicants(job_id: str, query: Query, reads: Reads) -> Call:
    years = {f"{side}_years_{'of_' if kind == 'experience' else 'in_'}{kind}" for kind in _YEARS
             for side in ("min", "max")}  # fmt: skip
    query.check(
        {"account_id", "service", "limit", "cursor", "ratings", "keywords", "sort_by"}
        | years
        | {"include_degree", "exclude_degree"},
        repeatable={"include_degree", "exclude_degree"},
    )
    account = _account(query)
    service = query.enum("service", SERVICES, default="CLASSIC")
    assert service is not None
    limit = query.limit(low=1, high=250, default=100)
    cursor = query.string("cursor", max_length=1024)
    keywords = query.string("keywords")
    sort_by = query.enum("sort_by", SORTS, default="relevance")
    assert sort_by is not None
    bounds: dict[str, tuple[float | None, float | None]] = {}
    for kind in _YEARS:
        middle = "of_" if kind == "experience" else "in_"
        low = query.number(f"min_years_{middle}{kind}")
        high = query.number(f"max_years_{middle}{kind}")
        if low is not None and high is not None and low > high:
            raise SandboxError(
                400,
                "errors/invalid_parameters",
                f"min_years_{middle}{kind} ({low:g}) is greater than max_years_{middle}{kind} "
                f"({high:g})",
            )
        bounds[kind] = (low, high)
    filters = ApplicantFilter(
        ratings=query.enum_list("ratings", RATINGS),
        keywords=tuple((keywords or "").casefold().split()),
        years=bounds,
        include_degree=query.strings("include_degree"),
        exclude_degree=query.strings("exclude_degree"),
    )
    return Call(
        lambda rid: reads.list_applicants(
            job_id, account, service, limit, cursor, filters, sort_by
        ),
        job_id,
    )
