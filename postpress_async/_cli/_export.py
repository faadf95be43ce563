"""Exporting applicants (``postpress applicants list``): CSV or JSON Lines, page by page.

Memory stays bounded by the pager (two pages at most), whatever the number of
applicants. A file is written under a temporary name beside it and renamed into place
only when the walk is complete: an API error, a dropped connection or Ctrl-C halfway
through never leaves a file that looks like a whole export. On a terminal (stderr),
and when the export is not itself printed there, a progress bar like ``postpress
bulk``'s shows the count (against the total when the API gives one).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from .._applicant_models import Applicant
from ._common import UsageError
from ._records import record

if TYPE_CHECKING:
    from .._pagination import Pager

__all__ = ["CSV_COLUMNS", "export_applicants"]

# Flat columns: what a spreadsheet or an ATS import wants. JSON Lines keeps every field.
CSV_COLUMNS: Final = (
    "id", "name", "rating", "applied_at", "headline", "location", "email_address",
    "phone_number", "public_profile_url", "public_identifier", "profile_id",
)


class _Bar:
    """The progress bar, or nothing (not a terminal, or rich is not installed)."""

    def __init__(self, enabled: bool) -> None:
        self._progress: Any = None
        self._task: Any = None
        if not enabled:
            return
        try:
            from rich.console import Console
        except ImportError:
            return
        from ._bulk_view import _progress

        console = Console(stderr=True, highlight=False)
        if console.is_terminal:
            self._progress = _progress(console)

    def __enter__(self) -> _Bar:
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task("exporting applicants", total=None, counts="")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, done: int, total: int | None, *, finished: bool = False) -> None:
        if self._progress is None:
            return
        if finished:
            total = done
        self._progress.update(self._task, completed=done, total=total,
                              description="exported applicants" if finished else None)


def _rows(pager: Pager[Applicant], max_items: int | None, bar: _Bar) -> Iterator[Applicant]:
    done = 0
    total: int | None = None
    for page in pager.pages():
        if page.total_count is not None:
            total = page.total_count if max_items is None else min(page.total_count, max_items)
        for applicant in page.items:
            if max_items is not None and done >= max_items:
                return
            yield applicant
            done += 1
        bar.update(done, total)


def _csv_row(applicant: Applicant) -> dict[str, Any]:
    data = record(applicant)
    return {column: data.get(column) for column in CSV_COLUMNS}


def _write(pager: Pager[Applicant], handle: IO[str], file_format: str,
           max_items: int | None, bar: _Bar) -> int:
    count = 0
    if file_format == "csv":
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for applicant in _rows(pager, max_items, bar):
            writer.writerow(_csv_row(applicant))
            count += 1
    else:
        for applicant in _rows(pager, max_items, bar):
            handle.write(json.dumps(record(applicant), ensure_ascii=False) + "\n")
            count += 1
    bar.update(count, None, finished=True)
    return count


def _temporary_beside(path: Path) -> tuple[int, str]:
    if path.is_dir():
        raise UsageError(f"--output {str(path)!r} is a directory; name a file")
    if not path.parent.is_dir():
        raise UsageError(f"--output: the directory {str(path.parent)!r} does not exist")
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")


def export_applicants(
    pager: Pager[Applicant], *, output: str | None, file_format: str, max_items: int | None
) -> int:
    """Write every applicant the pager yields to ``output`` (``None``: stdout); returns
    the count."""
    if output is None:
        # The bar would mix with the export on the same terminal.
        with _Bar(enabled=not sys.stdout.isatty()) as bar:
            count = _write(pager, sys.stdout, file_format, max_items, bar)
        sys.stdout.flush()
        return count
    path = Path(output)
    handle, temporary = _temporary_beside(path)
    try:
        # newline="": the csv module writes its own line ends.
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as sink, \
                _Bar(enabled=True) as bar:
            count = _write(pager, sink, file_format, max_items, bar)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return count
