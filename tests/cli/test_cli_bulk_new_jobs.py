"""``postpress bulk`` with new jobs: CSV (flat columns) and JSON Lines (nested fields)."""

from __future__ import annotations

import json
from pathlib import Path

from postpress_async.sandbox import SandboxThread

from .cli_helpers import json_out, run_cli

CSV_HEADER = (
    "ref,job_title,company,workplace,location,description,employment_status,"
    "mode,budget_period,budget_amount,budget_currency\n"
)


def test_a_csv_of_new_jobs_creates_and_publishes_each_once_even_when_run_twice(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "jobs.csv").write_text(
        CSV_HEADER
        + "REQ-1,Python Engineer,Acme GmbH,HYBRID,106967730,<p>One</p>,FULL_TIME,FREE,,,\n"
        + "REQ-2,Data Engineer,Acme GmbH,REMOTE,106967730,<p>Two</p>,,PROMOTED,daily,50,usd\n"
        + "REQ-1,Python Engineer,Acme GmbH,HYBRID,106967730,<p>One</p>,FULL_TIME,FREE,,,\n"
    )
    argv = ("bulk", "jobs.csv", "--account-id", "acc_1", "--journal", "run.jsonl", "--json")

    first = run_cli(*argv, sandbox=sandbox, cwd=tmp_path)
    second = run_cli(*argv, sandbox=sandbox, cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    assert json_out(first)["counts"]["published"] == 2
    assert json_out(first)["counts"]["skipped"] == 1
    assert second.returncode == 0, second.stderr
    assert json_out(second)["counts"]["skipped"] == 3
    creations = sandbox.ledger.creations
    assert sorted(c.title for c in creations) == ["Data Engineer", "Python Engineer"]
    assert sorted(e.draft_id for e in sandbox.ledger) == sorted(c.job_id for c in creations)
    budgets = [e.budget for e in sandbox.ledger if e.mode == "PROMOTED"]
    assert budgets == [{"daily": {"currency": "USD", "amount": 50}}]


def test_jsonl_new_jobs_take_nested_questions_and_recruiter_and_mix_with_drafts(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    job = {
        "ref": "J-1",
        "job_title": "Python Engineer",
        "company": "Acme",
        "workplace": "ON_SITE",
        "location": "106967730",
        "description": "<p>Backend</p>",
        "mode": "FREE",
        "screening_questions": [
            {"answer_type": "numeric", "question": "Years of Python?", "min_expectation": 3},
            {
                "answer_type": "multiple_choices",
                "question": "Work permit?",
                "choices": ["yes", "no"],
                "expected_choices": ["yes"],
            },
        ],
        "recruiter": {
            "functions": ["eng"],
            "industries": ["4"],
            "seniority": "MID_SENIOR_LEVEL",
            "project_name": "Hiring 2026",
            "apply_method": {"type": "external", "url": "https://jobs.example/1"},
        },
    }
    lines = [job, {"draft_id": "d1", "mode": "FREE"}]
    (tmp_path / "jobs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))

    result = run_cli(
        "bulk", "jobs.jsonl", "--account-id", "acc_1", "--json", sandbox=sandbox, cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert json_out(result)["counts"]["published"] == 2
    (created,) = sandbox.ledger.creations
    assert sorted(e.draft_id for e in sandbox.ledger) == sorted(["d1", created.job_id])


def test_bad_new_job_rows_name_their_line_and_field_and_good_rows_go_on(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "jobs.csv").write_text(
        CSV_HEADER
        + "REQ-1,Python Engineer,Acme GmbH,HYBRID,106967730,<p>One</p>,,FREE,,,\n"
        + "REQ-2,Python Engineer,Acme GmbH,NOWHERE,106967730,<p>Two</p>,,FREE,,,\n"
        + "REQ-3,,Acme GmbH,HYBRID,106967730,<p>Three</p>,,FREE,,,\n"
        + "REQ-4,Python Engineer,Acme GmbH,HYBRID,Berlin,<p>Four</p>,,FREE,,,\n"
    )
    (tmp_path / "jobs.jsonl").write_text(
        json.dumps({"ref": "J-1", "job_title": "x", "company": "y", "workplace": "REMOTE",
                    "location": "106967730", "description": "z", "mode": "FREE",
                    "screening_questions": [{"answer_type": "essay", "question": "?"}]})
        + "\n"
        + json.dumps({"ref": "J-2", "draft_id": "d1", "mode": "FREE"})
        + "\n"
    )

    csv_run = run_cli("bulk", "jobs.csv", "--account-id", "acc_1", sandbox=sandbox, cwd=tmp_path)
    jsonl_run = run_cli(
        "bulk", "jobs.jsonl", "--account-id", "acc_1", sandbox=sandbox, cwd=tmp_path
    )

    assert csv_run.returncode == 1
    assert "jobs.csv:3: workplace: unknown value 'NOWHERE'" in csv_run.stderr
    assert "jobs.csv:4: a new job needs job_title" in csv_run.stderr
    assert "jobs.csv:5: location" in csv_run.stderr
    assert jsonl_run.returncode == 1
    assert "jobs.jsonl:1: screening_questions[0].answer_type" in jsonl_run.stderr
    assert "jobs.jsonl:2: give draft_id (an existing draft) or ref (a new job)" in (
        jsonl_run.stderr
    )
    assert len(sandbox.ledger.creations) == 1  # REQ-1 only


def test_a_new_job_not_eligible_for_free_is_a_failed_publish_step_in_the_json(
    postpress_sandbox_factory: object, tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(created_not_free_fraction=1.0)  # type: ignore[operator]
    (tmp_path / "jobs.csv").write_text(
        CSV_HEADER + "REQ-1,Python Engineer,Acme GmbH,HYBRID,106967730,<p>One</p>,,FREE,,,\n"
    )

    result = run_cli(
        "bulk", "jobs.csv", "--account-id", "acc_1", "--json", sandbox=sandbox, cwd=tmp_path
    )

    summary = json_out(result)
    assert result.returncode == 1
    (failure,) = summary["failures"]
    assert (failure["ref"], failure["step"]) == ("REQ-1", "publish")
    assert failure["error"] == "publish_options free_not_eligible"
    assert len(sandbox.ledger) == 0
