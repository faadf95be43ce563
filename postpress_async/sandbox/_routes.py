"""Routing on the raw request path, one table for every endpoint of the contract.

aiohttp's router matches on the *decoded* path, so a draft id containing ``%2F`` would be
split into two segments (and a decoded newline would not match at all). The sandbox splits
``request.raw_path`` itself and percent-decodes each id segment only afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import SandboxError
from ._validate import decode_draft_id

__all__ = ["Route", "parse_api_path", "route"]

_JOB_ACTIONS = {"publish": "publish", "checkpoint": "checkpoint", "close": "close"}


@dataclass(frozen=True, slots=True)
class Route:
    """A matched endpoint: its name and its path ids (decoded), plus the raw query."""

    endpoint: str
    ids: tuple[str, ...]
    query: str


def _no_such(method: str, path: str) -> SandboxError:
    return SandboxError(404, "errors/resource_not_found", f"no such endpoint: {method} {path}")


def parse_api_path(raw_path: str, prefix: str) -> tuple[str, str] | None:
    """Split ``{prefix}/linkedin/jobs/{raw draft id}/{publish|checkpoint}`` (kept for
    callers of the first sandbox version): ``(endpoint, raw_segment)`` or ``None``."""
    path = raw_path.split("?", 1)[0]
    head = prefix + "/linkedin/jobs/"
    if not path.startswith(head):
        return None
    segment, sep, endpoint = path[len(head) :].rpartition("/")
    if not sep or endpoint not in ("publish", "checkpoint") or not segment or "/" in segment:
        return None
    if segment in (".", ".."):
        return None
    return endpoint, segment


def _shape(method: str, parts: list[str]) -> tuple[str, list[str]] | None:
    """The endpoint and its raw id segments for a path below the prefix."""
    if parts[:1] == ["accounts"] and method == "GET":
        if len(parts) == 1:
            return "list_accounts", []
        if len(parts) == 2:
            return "get_account", parts[1:]
        return None
    if parts[:1] != ["linkedin"]:
        return None
    rest = parts[1:]
    if rest == ["search", "parameters"]:
        return ("search_parameters", []) if method == "GET" else None
    if rest[:1] != ["jobs"]:
        return None
    rest = rest[1:]
    if not rest:
        return {"POST": ("create", []), "GET": ("list_jobs", [])}.get(method)
    if method == "GET" and rest[0] == "applicants" and len(rest) in (2, 3):
        if len(rest) == 2:
            return "get_applicant", rest[1:2]
        return ("resume", rest[1:2]) if rest[2] == "resume" else None
    if len(rest) == 1:
        return {"GET": ("get_job", rest), "PATCH": ("edit", rest)}.get(method)
    if len(rest) == 2:
        if method == "POST" and rest[1] in _JOB_ACTIONS:
            return _JOB_ACTIONS[rest[1]], rest[:1]
        if method == "GET" and rest[1] == "applicants":
            return "list_applicants", rest[:1]
    return None


def route(method: str, raw_path: str, prefix: str, max_id_length: int) -> Route:
    """The endpoint a request is for, or 404 ``errors/resource_not_found``.

    Empty segments and literal ``.``/``..`` never match (they are path navigation, not ids):
    a client must percent-encode those (``%2E``).
    """
    path, _, query = raw_path.partition("?")
    if not path.startswith(prefix + "/"):
        raise _no_such(method, path)
    parts = path[len(prefix) + 1 :].split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise _no_such(method, path)
    shape = _shape(method, parts)
    if shape is None:
        raise _no_such(method, path)
    endpoint, raw_ids = shape
    ids = tuple(decode_draft_id(raw, max_id_length) for raw in raw_ids)
    return Route(endpoint, ids, query)
