"""How ``postpress jobs`` prints its results: a few readable lines, or one JSON document
with ``--json``. Server text goes through :func:`._records.shown` (escaped, one line)."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterable
from typing import Any

from .._job_results import DraftCreated, JobClosed, JobEdited, JobPosting
from ._common import print_json
from ._records import field_lines, record, shown

__all__ = ["print_closed", "print_created", "print_edited", "print_job", "print_jobs"]


def _budget(name: str, budget: Any) -> str:
    return f"{name} {budget.min:g}-{budget.max:g} (recommended {budget.recommended:g})"


def print_created(draft: DraftCreated, account_id: str, key: str, *, json_output: bool) -> None:
    """The new draft, its publish options, and the command that publishes it."""
    if json_output:
        print_json({**record(draft), "idempotency_key": key})
        return
    free = draft.publish_options.free
    promoted = draft.publish_options.promoted
    if free.eligible:
        free_line = "eligible"
        if free.estimated_monthly_applicants is not None:
            free_line += f" (about {free.estimated_monthly_applicants:g} applicants a month)"
    else:
        free_line = f"not eligible: {shown(free.ineligible_reason)}"
    mode = "FREE" if free.eligible else "PROMOTED"
    command = shlex.join(["postpress", "publish", shown(draft.job_id), "--account-id",
                          account_id, "--mode", mode])
    print(
        f"created draft {shown(draft.job_id)} (nothing is published yet)\n"
        f"  free:     {free_line}\n"
        f"  promoted: {shown(promoted.currency)}, {_budget('daily', promoted.daily_budget)}, "
        f"{_budget('monthly', promoted.monthly_budget)}\n"
        f"publish it with: {command}"
    )


def print_edited(edited: JobEdited, *, json_output: bool) -> None:
    """One line (or the result as JSON)."""
    if json_output:
        print_json(record(edited))
    else:
        print(f"edited job {shown(edited.job_id)}")


def print_closed(closed: JobClosed, *, json_output: bool, already: bool = False) -> None:
    """One line (or the result as JSON, with ``already_closed``)."""
    if json_output:
        print_json({**record(closed), "already_closed": already})
    elif already:
        print(f"job {shown(closed.job_id)} is already closed; nothing was changed")
    else:
        print(f"closed job {shown(closed.job_id)}")


def print_job(job: JobPosting, *, json_output: bool) -> None:
    """The job's main fields, one per line (``--json``: every field)."""
    if json_output:
        print_json(record(job))
        return
    print(field_lines([
        ("id", job.id),
        ("title", job.title),
        ("state", job.state),
        ("company", job.company),
        ("location", job.location),
        ("workplace", job.workplace),
        ("applicants", job.applicants_counter),
        ("views", job.views_counter),
        ("cost", job.cost),
        ("apply url", job.apply_url),
    ]))


def print_jobs(jobs: Iterable[JobPosting], *, max_items: int | None, json_output: bool) -> None:
    """One line per job as the pages arrive (``--json``: one JSON array at the end)."""
    records: list[dict[str, Any]] = []
    count = 0
    for job in jobs:
        if max_items is not None and count >= max_items:
            break
        count += 1
        if json_output:
            records.append(record(job))
            continue
        if count == 1:
            print(f"{'id':<14} {'state':<8} {'applicants':>10}  title")
        print(f"{shown(job.id, 40):<14} {shown(job.state, 20):<8} "
              f"{job.applicants_counter:>10}  {shown(job.title)}")
        sys.stdout.flush()
    if json_output:
        print_json(records)
    elif count == 0:
        print("no jobs", file=sys.stderr)
