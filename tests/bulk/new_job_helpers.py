"""Job definitions for the new-job bulk tests: one distinct body per ``ref``, so the
sandbox ledger's ``duplicate_creations()`` shows any ref created twice."""

from __future__ import annotations

from typing import Any

from postpress_async import CreateJobRequest, NewJob

BERLIN = "106967730"


def job_for(ref: str, account_id: str = "acc_1") -> CreateJobRequest:
    """A valid job definition whose description names ``ref``."""
    return CreateJobRequest(
        account_id, "Python Engineer", "Acme GmbH", "HYBRID", BERLIN, f"<p>Requisition {ref}</p>"
    )


def new_jobs(refs: list[str], **publish: Any) -> list[NewJob]:
    """FREE new jobs for ``refs`` unless ``publish`` says otherwise."""
    publish.setdefault("mode", "FREE")
    return [NewJob(ref, job=job_for(ref), **publish) for ref in refs]
