"""The bulk-publishing journal: a JSON Lines file that makes a batch resumable after a crash.

Every line is one JSON object with at least ``draft_id``, ``mode`` and ``outcome``.
``outcome`` is one of the bulk outcome kinds (``published``, ``checkpoint``,
``already_published``, ``failed``, ``skipped``, ``not_attempted``) or ``in_flight``,
which is written (and reaches the operating system) *before* a draft's request is sent.

Reading a journal back:

- a draft with a ``published``, ``already_published`` or ``checkpoint`` line is *settled*:
  a re-run skips it;
- a draft whose last line is ``in_flight`` (or a ``not_attempted`` line marked
  ``"interrupted": true``) was on the wire when the previous run died or was cancelled: a
  re-run sends it again (the API answers 422 ``action_already_performed`` if the first
  request went through, which counts as ``already_published``) and marks its outcome line
  ``"resumed": true``;
- a line that does not parse (the torn last line of a killed process) is ignored.

New jobs (:class:`NewJob` items) add two line kinds, keyed by the caller's ``ref``:
``creating`` (with the create's ``idempotency_key``), written before the create is sent,
and ``created`` (with the new ``draft_id`` and the answer's ``publish_options``), written
as soon as the answer is read. The publish of that draft is then journaled like any other,
by ``draft_id`` (its outcome line also carries the ``ref``). Reading back, a ``ref`` keeps
the key it was first journaled with and, once known, its draft: a re-run re-sends an
unanswered create with the same key (the server replays the first answer rather than
creating a second draft) and never re-creates a ``ref`` whose draft is journaled.

Each line goes to the file with a single ``os.write`` on an ``O_APPEND`` descriptor: no
user-space buffer can lose it when the process is killed (SIGKILL included). It is not
``fsync``-ed, so a power failure can still lose the last lines; the worst case is then a
re-send answered by 422. The API key is never written: records hold draft fields and
outcomes only.

Any text the API returns can be stored: a line is UTF-8 JSON, and a line holding text that
UTF-8 cannot encode (a lone surrogate, which valid JSON may carry) is written with ``\\u``
escapes instead, which read back as the same text.

This module also defines the line format: :func:`outcome_record` (also the CLI's ``--json``
shape) and :func:`in_flight_record`.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs
import orjson

from ._bulk_new_job import NewJob
from ._bulk_outcomes import Outcome, OutcomeKind, error_label
from ._exceptions import AlreadyPublishedError, APIStatusError, InvalidRequestError
from ._models import Checkpoint, Published, PublishRequest

try:  # POSIX: keep two runs from appending to the same journal at once.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from ._lifecycle_models import DraftCreated

__all__ = [
    "CREATED",
    "CREATING",
    "IN_FLIGHT",
    "SETTLED",
    "Journal",
    "JournalState",
    "RefState",
    "created_record",
    "creating_record",
    "in_flight_record",
    "outcome_record",
    "read_journal",
]

IN_FLIGHT: Final = "in_flight"
CREATING: Final = "creating"
CREATED: Final = "created"
SETTLED: Final = frozenset({"published", "already_published", "checkpoint"})
# Outcome lines that say nothing new about a draft's state on the server.
_NEUTRAL: Final = frozenset({"skipped"})


@attrs.define
class RefState:
    """What a journal says about one ``ref`` (a new job): the key its create was sent
    with, and its draft once the create was answered."""

    idempotency_key: str | None = None
    job_id: str | None = None
    # The create answer's publish_options, as journaled (JSON), for the checks a re-run
    # makes before publishing a draft it did not create itself.
    publish_options: dict[str, Any] | None = None
    # The last word on its create was "creating" (or an interrupted line): the create was
    # on the wire when the run that wrote the journal stopped.
    create_pending: bool = False


@attrs.define
class JournalState:
    """What a journal says about the drafts it has seen."""

    # draft id -> the outcome that settled it
    settled: dict[str, str] = attrs.Factory(dict)
    # drafts that were on the wire when the run that wrote the journal stopped
    in_flight: set[str] = attrs.Factory(set)
    # lines that did not parse as a journal record (a torn last line, say)
    ignored_lines: int = 0
    # ref -> its create's key and draft (new jobs only)
    refs: dict[str, RefState] = attrs.Factory(dict)


def read_journal(path: str | os.PathLike[str]) -> JournalState:
    """Read a journal; a missing file is an empty journal."""
    state = JournalState()
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; binary to see torn bytes
    except FileNotFoundError:
        return state
    with handle:
        for raw in handle:
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except ValueError:  # includes UnicodeDecodeError
                state.ignored_lines += 1
                continue
            if not isinstance(record, dict):
                state.ignored_lines += 1
                continue
            _apply(state, record)
    return state


def _apply_ref(state: JournalState, ref: str, record: Mapping[str, Any]) -> None:
    known = state.refs.get(ref)
    if known is None:
        known = state.refs[ref] = RefState()
    key = record.get("idempotency_key")
    if known.idempotency_key is None and isinstance(key, str):
        known.idempotency_key = key  # the first key sent stays the ref's key
    draft_id = record.get("draft_id")
    if known.job_id is None and isinstance(draft_id, str):
        known.job_id = draft_id
    options = record.get("publish_options")
    if isinstance(options, dict):
        known.publish_options = options
    outcome = record.get("outcome")
    if outcome == CREATING:
        known.create_pending = known.job_id is None
    elif record.get("interrupted") is not True and outcome != "skipped":
        known.create_pending = False


def _apply(state: JournalState, record: Mapping[str, Any]) -> None:
    draft_id = record.get("draft_id")
    outcome = record.get("outcome")
    ref = record.get("ref")
    if isinstance(ref, str):
        _apply_ref(state, ref, record)
        if outcome in (CREATING, CREATED):
            return  # about the create; the draft's publish lines follow
    if not isinstance(draft_id, str) or not isinstance(outcome, str):
        return  # e.g. an input item that had no draft id
    if outcome == IN_FLIGHT:
        if draft_id not in state.settled:
            state.in_flight.add(draft_id)
    elif outcome in SETTLED:
        state.settled[draft_id] = outcome
        state.in_flight.discard(draft_id)
    elif outcome in _NEUTRAL or record.get("interrupted") is True:
        # A skipped duplicate says nothing about the original; an interrupted draft may
        # have gone through, exactly like one in flight at a crash.
        pass
    else:
        state.in_flight.discard(draft_id)


# The part of a timestamp that changes within a second: ".000+00:00" to ".999+00:00".
_MILLIS: Final = tuple(f".{millis:03d}+00:00" for millis in range(1000))


class _Clock:
    """UTC timestamps at millisecond resolution (``2026-12-01T19:56:02.315+00:00``).

    The date and time to the second are formatted once a second, the milliseconds looked
    up: formatting a datetime costs about 19k instructions, more than the rest of a line,
    and a bulk run writes a line every few hundred microseconds, so a cache of the whole
    text per millisecond missed for most lines.
    """

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def now(self) -> str:
        second, nanos = divmod(time.time_ns(), 1_000_000_000)
        if second != self._second:
            moment = datetime.datetime.fromtimestamp(second, datetime.timezone.utc)
            self._prefix = moment.strftime("%Y-%m-%dT%H:%M:%S")
            self._second = second
        return self._prefix + _MILLIS[nanos // 1_000_000]


_now = _Clock().now


def _escaped_line(record: Mapping[str, Any]) -> bytes:
    """A journal line for a record orjson refuses: a lone surrogate (valid in JSON, so a
    server may send one) written as ``"\\ud800"`` by the standard library, which reads
    back as the same str."""
    return (json.dumps(record, separators=(",", ":")) + "\n").encode("ascii")


def _text(value: str) -> str:
    """A str enum member as its plain value (or a str, an unknown ``job_state``, as itself).

    ``str.__str__`` copies the characters, which for our str enums are the value; Enum's
    ``.value`` is a Python-level descriptor.
    """
    return str.__str__(value)


def _request_record(request: PublishRequest, outcome: str) -> dict[str, Any]:
    """A draft's line: what it was sent as, and ``outcome``."""
    # ``_value_``: a Mode's plain str as an attribute (``.value`` is a descriptor).
    return {
        "draft_id": request.draft_id,
        "mode": request.mode._value_,
        "account_id": request.account_id,
        "outcome": outcome,
    }


def in_flight_record(request: PublishRequest) -> dict[str, Any]:
    """The line written before a draft's request is sent."""
    return _request_record(request, IN_FLIGHT)


def _new_job_fields(job: NewJob) -> dict[str, Any]:
    return {
        "ref": job.ref,
        "draft_id": None,
        "mode": job.template.mode.value,
        "account_id": job.account_id,
    }


def creating_record(job: NewJob, idempotency_key: str) -> dict[str, Any]:
    """The line written before a new job's create is sent: its ``ref`` and key."""
    record = _new_job_fields(job)
    record["outcome"] = CREATING
    record["idempotency_key"] = idempotency_key
    return record


def created_record(job: NewJob, created: DraftCreated) -> dict[str, Any]:
    """The line written once a new job's create is answered: its draft id and options."""
    record = _new_job_fields(job)
    record["draft_id"] = created.job_id
    record["outcome"] = CREATED
    record["publish_options"] = attrs.asdict(created.publish_options)
    return record


def outcome_record(outcome: Outcome) -> dict[str, Any]:
    """The journal line for an outcome (also the CLI's ``--json`` shape)."""
    request, new_job = outcome.request, outcome.new_job
    record: dict[str, Any]
    if request is not None:
        record = _request_record(request, outcome.kind._value_)
        if new_job is not None:
            record = {"ref": new_job.ref, **record}
    elif new_job is not None:
        record = _new_job_fields(new_job)
        record["draft_id"] = outcome.created_job_id
        record["outcome"] = outcome.kind._value_
    else:  # an input item that was neither a PublishRequest nor a NewJob
        record = {"draft_id": None, "mode": None, "account_id": None,
                  "outcome": outcome.kind._value_}
    result = outcome.result
    if isinstance(result, Published):
        record["job_id"] = result.job_id
        record["job_state"] = _text(result.job_state)
    elif isinstance(result, Checkpoint):
        record["job_id"] = result.job_id
        record["type"] = str(result.type)
    error = outcome.error
    if isinstance(error, APIStatusError):
        record["status"] = error.status
        record["type"] = str(error.type) if error.type is not None else None
        record["request_id"] = error.request_id
        if isinstance(error, AlreadyPublishedError) and error.earlier_attempts:
            record["earlier_attempts"] = list(error.earlier_attempts)
    if error is not None and outcome.kind is OutcomeKind.FAILED:
        record["error"] = error_label(error)
        record["message"] = str(error)
    if outcome.step is not None:
        record["step"] = outcome.step.value
    if outcome.reason is not None:
        record["reason"] = outcome.reason
    if outcome.resumed:
        record["resumed"] = True
    if outcome.interrupted:
        record["interrupted"] = True
    if outcome.stop is not None:
        record["stop"] = outcome.stop.record()
    return record


class Journal:
    """An open journal: ``write(record)`` appends one line; ``close()`` when done.

    Opening reads the existing records (:attr:`state`), takes an exclusive lock
    (POSIX), and ends a torn last line with a newline so the next record starts on a
    line of its own.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        try:
            # A directory or an unreadable file is the caller's mistake, said as one.
            self.state = read_journal(self.path)
        except OSError as exc:
            raise InvalidRequestError(
                "journal", f"cannot read {self.path!r}: {exc.strerror or exc}"
            ) from None
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise InvalidRequestError(
                "journal", f"cannot open {self.path!r}: {exc.strerror or exc}"
            ) from None
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise InvalidRequestError(
                        "journal", f"{self.path!r} is in use by another bulk run"
                    ) from None
            if not _ends_with_newline(self.path):
                os.write(fd, b"\n")
        except BaseException:
            os.close(fd)
            raise
        self._fd: int | None = fd

    def write(self, record: dict[str, Any]) -> None:
        """Append one record, stamped with ``at`` (UTC, added to ``record`` itself: the
        records are built for this one write), in one write to the OS."""
        fd = self._fd
        if fd is None:
            raise ValueError("the journal is closed")
        record["at"] = _now()
        try:
            data = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        except TypeError:  # text UTF-8 cannot encode: written with \u escapes
            data = _escaped_line(record)
        written = os.write(fd, data)
        # O_APPEND writes of a few hundred bytes are not split on local file systems,
        # but os.write may legally write less than asked: finish the line if so.
        if written < len(data):
            view = memoryview(data)[written:]
            while view:
                view = view[os.write(fd, view) :]

    @property
    def closed(self) -> bool:
        return self._fd is None

    def close(self) -> None:
        """Close (and unlock) the file. Safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _ends_with_newline(path: str) -> bool:
    with open(path, "rb") as handle:
        with contextlib.suppress(OSError):  # empty file: nothing to seek back over
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"
        return True
