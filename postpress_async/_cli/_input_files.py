"""Reading ``postpress bulk`` input files (CSV with a header row, or JSON Lines) lazily.

Each record becomes a :class:`PublishRequest` (a row with a ``draft_id``), a
:class:`NewJob` (a row with a ``ref`` and a job definition: see ``_job_rows``), or a
:class:`BadRow` that names its line (``drafts.csv:3: unknown mode 'X'``), so one bad row
never stops the good ones.
A column (or JSON key) overrides the command's option for its row; an empty cell means
"not set". The format is documented in ``docs/cli.md``.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs

from .._bulk_new_job import NewJob
from .._enums import Mode
from .._exceptions import InvalidRequestError
from .._models import DailyBudget, MonthlyBudget, PublishRequest
from ._common import UsageError
from ._job_rows import JOB_COLUMNS, NESTED_KEYS, RowError, new_job

__all__ = ["COLUMNS", "BadRow", "Defaults", "Row", "count_records", "read_rows"]

COLUMNS: Final = (
    "draft_id",
    "account_id",
    "mode",
    "service",
    "hiring_photo_frame",
    "bypass_email_verification",
    "budget_period",
    "budget_amount",
    "budget_currency",
)
_CSV_COLUMNS: Final = COLUMNS + JOB_COLUMNS
_JSON_KEYS: Final = frozenset(_CSV_COLUMNS + NESTED_KEYS)
_BUDGET_COLUMNS: Final = ("budget_period", "budget_amount", "budget_currency")
_TRUE: Final = frozenset({"true", "yes", "y", "1"})
_FALSE: Final = frozenset({"false", "no", "n", "0"})


@attrs.frozen
class Defaults:
    """The command's options, used where a row leaves a column empty."""

    account_id: str | None = None
    mode: Mode | str | None = None


@attrs.frozen
class Row:
    """A good record and the line it starts on."""

    line: int
    request: PublishRequest | NewJob


@attrs.frozen
class BadRow:
    """A record that could not become a request: ``str()`` is ``file:line: problem``."""

    path: str
    line: int
    problem: str
    draft_id: str | None = None

    def __str__(self) -> str:
        return f"{os.path.basename(self.path)}:{self.line}: {self.problem}"




def _format(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise UsageError(f"{path}: unknown file type {suffix or '(none)'!r}; use .csv or .jsonl")


def _open(path: str) -> Any:
    try:
        # utf-8-sig: spreadsheets save CSV with a byte-order mark.
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def count_records(path: str) -> int:
    """How many records the file holds (for a progress total); a cheap first pass.

    It reads the whole file, so it is also where a file that is not UTF-8 text becomes a
    usage error, before anything is sent.
    """
    kind = _format(path)
    try:
        with _open(path) as handle:
            if kind == "csv":
                return max(_count_csv(csv.reader(handle)) - 1, 0)
            return sum(1 for line in handle if line.strip())
    except UnicodeDecodeError:
        raise UsageError(f"{path}: the file is not UTF-8 text; save it as UTF-8") from None


def _count_csv(reader: Iterator[list[str]]) -> int:
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return count
        except csv.Error:
            # An unreadable record (an oversized field...) is still a record: the reader
            # reports it as a bad row with its line number.
            count += 1
            continue
        if any(cell.strip() for cell in row):
            count += 1


def read_rows(path: str, defaults: Defaults) -> Iterator[Row | BadRow]:
    """The file's records, one at a time. Raises UsageError for a file-level problem."""
    kind = _format(path)
    handle = _open(path)
    with handle:
        if kind == "csv":
            yield from _csv_rows(path, handle, defaults)
        else:
            yield from _jsonl_rows(path, handle, defaults)


def _csv_rows(path: str, handle: Any, defaults: Defaults) -> Iterator[Row | BadRow]:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise UsageError(
            f"{path}: empty file; expected a header row with draft_id (or ref)"
        ) from None
    except csv.Error as exc:
        raise UsageError(f"{path}:1: {exc}") from None
    columns = [name.strip() for name in header]
    unknown = [name for name in columns if name not in _CSV_COLUMNS]
    if unknown:
        raise UsageError(
            f"{path}:1: unknown column(s) {', '.join(map(repr, unknown))}; "
            f"known columns: {', '.join(_CSV_COLUMNS)}"
        )
    if "draft_id" not in columns and "ref" not in columns:
        raise UsageError(f"{path}:1: the header row has no draft_id (or ref) column")
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    if duplicated:
        # Otherwise the last of the two silently wins for every row.
        raise UsageError(f"{path}:1: duplicate column(s) {', '.join(map(repr, duplicated))}")
    last_line = reader.line_num
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRow(path, start, f"unreadable CSV: {exc}")
            last_line = reader.line_num
            continue
        last_line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            yield BadRow(path, start, f"{len(cells)} cells for {len(columns)} columns")
            continue
        yield _row(path, start, dict(zip(columns, cells, strict=True)), defaults)


def _jsonl_rows(path: str, handle: Any, defaults: Defaults) -> Iterator[Row | BadRow]:
    for number, text in enumerate(handle, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except ValueError as exc:
            yield BadRow(path, number, f"not valid JSON: {exc}")
            continue
        if not isinstance(record, dict):
            yield BadRow(path, number, f"expected a JSON object, got {type(record).__name__}")
            continue
        unknown = [key for key in record if key not in _JSON_KEYS]
        if unknown:
            yield BadRow(
                path,
                number,
                f"unknown key(s) {', '.join(map(repr, unknown))}",
                _text_or_none(record.get("draft_id")),
            )
            continue
        yield _row(path, number, record, defaults)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _cell(record: Mapping[str, Any], key: str) -> Any:
    """A value, with an empty or blank string meaning "not set"."""
    value = record.get(key)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _row(path: str, line: int, record: Mapping[str, Any], defaults: Defaults) -> Row | BadRow:
    draft_id = _cell(record, "draft_id")
    try:
        return Row(line, _request(record, defaults))
    except (RowError, InvalidRequestError) as exc:
        problem = str(exc)
        if (
            isinstance(exc, InvalidRequestError)
            and exc.message.startswith("unknown ")
            and exc.field in exc.message
        ):
            problem = exc.message  # "unknown mode 'X'; ..." already names the field
        return BadRow(path, line, problem, draft_id if isinstance(draft_id, str) else None)


def _request(record: Mapping[str, Any], defaults: Defaults) -> PublishRequest | NewJob:
    draft_id = _cell(record, "draft_id")
    ref = _cell(record, "ref")
    if draft_id is None and ref is None:
        raise RowError("missing draft_id" + (" or ref" if "ref" in record else ""))
    if draft_id is not None and ref is not None:
        raise RowError("give draft_id (an existing draft) or ref (a new job), not both")
    for key, value in (("draft_id", draft_id), ("ref", ref)):
        if value is not None and not isinstance(value, str):
            raise RowError(f"{key} must be a string, got {json.dumps(value)}")
    account_id = _cell(record, "account_id") or defaults.account_id
    if account_id is None:
        raise RowError("missing account_id (add the column or pass --account-id)")
    mode = _cell(record, "mode") or defaults.mode
    if mode is None:
        raise RowError("missing mode (add the column or pass --mode)")
    if draft_id is None:
        return new_job(
            record,
            _cell,
            account_id=account_id,
            mode=mode,
            budget=_budget(record),
            publish={
                "service": _cell(record, "service"),
                "hiring_photo_frame": _flag(record, "hiring_photo_frame"),
                "bypass_email_verification": _flag(record, "bypass_email_verification"),
            },
        )
    for key in (*JOB_COLUMNS, *NESTED_KEYS):
        if _cell(record, key) is not None:
            raise RowError(f"{key}: a job field, for new jobs (rows with a ref) only")
    # mode and service are read by the SDK's one rule (any case), like every SDK call.
    return PublishRequest(
        draft_id,
        account_id=account_id,
        mode=mode,
        service=_cell(record, "service"),
        hiring_photo_frame=_flag(record, "hiring_photo_frame"),
        bypass_email_verification=_flag(record, "bypass_email_verification"),
        budget=_budget(record),
    )


def _flag(record: Mapping[str, Any], key: str) -> bool | None:
    value = _cell(record, key)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
    raise RowError(f"{key}: expected true or false, got {json.dumps(value)}")


def _budget(record: Mapping[str, Any]) -> DailyBudget | MonthlyBudget | None:
    values = {key: _cell(record, key) for key in _BUDGET_COLUMNS}
    if all(value is None for value in values.values()):
        return None
    missing = [key for key, value in values.items() if value is None]
    if missing:
        raise RowError(
            f"a budget needs {', '.join(_BUDGET_COLUMNS)}; missing {', '.join(missing)}"
        )
    period = str(values["budget_period"]).lower()
    if period not in ("daily", "monthly"):
        raise RowError(f"unknown budget_period {values['budget_period']!r}; use daily or monthly")
    amount = _amount(values["budget_amount"])
    cls = DailyBudget if period == "daily" else MonthlyBudget
    return cls(currency=values["budget_currency"], amount=amount)


def _amount(value: Any) -> Decimal | int | float:
    if isinstance(value, bool):
        raise RowError(f"bad amount {json.dumps(value)}")
    if isinstance(value, (int, float)):
        return value
    try:
        # Decimal, not float: "19.99" must stay 19.99, and "1e999" must not become inf.
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise RowError(f"bad amount {value!r}") from None
    if not amount.is_finite():
        raise RowError(f"bad amount {value!r}")
    return amount
