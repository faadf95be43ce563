"""``postpress applicants list|get|resume`` and ``postpress search-parameters`` against a
sandbox, in subprocesses."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from postpress_async import Postpress
from postpress_async.sandbox import SandboxThread

from .cli_helpers import json_out, run_cli


def live_job(sandbox: SandboxThread) -> str:
    """A created, published job, live (the sandbox's review delay is 0)."""
    with Postpress(api_key=sandbox.api_key, base_url=sandbox.base_url) as client:
        draft = client.jobs.create(
            account_id="acc_1", job_title="Data Engineer", company="Acme GmbH",
            workplace="REMOTE", location="106967730", description="<p>Pipelines</p>",
        )
        client.jobs.publish(draft.job_id, account_id="acc_1", mode="FREE")
        client.jobs.wait_for_state(draft.job_id, account_id="acc_1", timeout=30,
                                   poll_interval=0.05)
    return draft.job_id


@pytest.fixture
def seven(postpress_sandbox_factory: Callable[..., SandboxThread]) -> SandboxThread:
    """Jobs go live at once, with 7 applicants each, every one with a résumé."""
    return postpress_sandbox_factory(review_delay=0, applicants=7, resume_fraction=1.0)


def test_list_exports_every_applicant_as_csv_to_a_file(
    seven: SandboxThread, tmp_path: Path
) -> None:
    job_id = live_job(seven)

    result = run_cli("applicants", "list", job_id, "--account-id", "acc_1", "--output",
                     "applicants.csv", sandbox=seven, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert f"exported 7 applicants of job {job_id} to applicants.csv" in result.stderr
    rows = list(csv.DictReader((tmp_path / "applicants.csv").open(encoding="utf-8")))
    assert len(rows) == 7
    assert all(row["id"] and row["name"] and row["rating"] for row in rows)
    assert [p.name for p in tmp_path.iterdir()] == ["applicants.csv"]  # no temporary left


def test_list_writes_json_lines_with_every_field_to_stdout(
    seven: SandboxThread, tmp_path: Path
) -> None:
    job_id = live_job(seven)

    result = run_cli("applicants", "list", job_id, "--account-id", "acc_1", "--format", "jsonl",
                     sandbox=seven, cwd=tmp_path)

    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 7
    assert {"id", "name", "rating", "work_experience", "education"} <= set(records[0])
    assert "━" not in result.stderr  # no progress bar off a terminal


def test_list_walks_many_pages_and_stops_at_max_items(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(review_delay=0, applicants=600)
    job_id = live_job(sandbox)

    every = run_cli("applicants", "list", job_id, "--account-id", "acc_1", "--page-size", "250",
                    sandbox=sandbox, cwd=tmp_path)
    some = run_cli("applicants", "list", job_id, "--account-id", "acc_1", "--page-size", "250",
                   "--max-items", "260", "--format", "jsonl", sandbox=sandbox, cwd=tmp_path)

    ids = [row["id"] for row in csv.DictReader(io.StringIO(every.stdout))]
    assert len(ids) == len(set(ids)) == 600
    assert len(some.stdout.splitlines()) == 260


def test_list_keeps_only_the_ratings_asked_for(seven: SandboxThread, tmp_path: Path) -> None:
    job_id = live_job(seven)

    result = run_cli("applicants", "list", job_id, "--account-id", "acc_1", "--ratings",
                     "good_fit,MAYBE", sandbox=seven, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    ratings = {row["rating"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert ratings <= {"GOOD_FIT", "MAYBE"}


def test_a_failed_export_leaves_an_existing_file_as_it_was(
    seven: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "applicants.csv").write_text("the previous export\n")

    result = run_cli("applicants", "list", "999", "--account-id", "acc_1", "--output",
                     "applicants.csv", sandbox=seven, cwd=tmp_path)

    assert result.returncode == 1
    assert "404" in result.stderr
    assert (tmp_path / "applicants.csv").read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["applicants.csv"]


def test_list_json_summary_needs_an_output_file(seven: SandboxThread, tmp_path: Path) -> None:
    job_id = live_job(seven)

    refused = run_cli("applicants", "list", job_id, "--account-id", "acc_1", "--json",
                      sandbox=seven, cwd=tmp_path)
    summary = run_cli("applicants", "list", job_id, "--account-id", "acc_1", "--json",
                      "--output", "a.jsonl", "--format", "jsonl", sandbox=seven, cwd=tmp_path)

    assert refused.returncode == 2
    assert "add --output PATH" in refused.stderr
    assert json_out(summary) == {"job_id": job_id, "exported": 7, "format": "jsonl",
                                 "output": "a.jsonl"}


def test_get_shows_one_applicant(seven: SandboxThread, tmp_path: Path) -> None:
    job_id = live_job(seven)
    first = json.loads(run_cli("applicants", "list", job_id, "--account-id", "acc_1",
                               "--format", "jsonl", sandbox=seven, cwd=tmp_path)
                       .stdout.splitlines()[0])

    shown = run_cli("applicants", "get", first["id"], "--account-id", "acc_1", sandbox=seven,
                    cwd=tmp_path)
    as_json = run_cli("applicants", "get", first["id"], "--account-id", "acc_1", "--json",
                      sandbox=seven, cwd=tmp_path)

    assert shown.returncode == 0, shown.stderr
    assert f"name:      {first['name']}" in shown.stdout
    assert json_out(as_json)["id"] == first["id"]


def test_resume_downloads_the_pdf_to_a_path(seven: SandboxThread, tmp_path: Path) -> None:
    job_id = live_job(seven)
    applicant = json.loads(run_cli("applicants", "list", job_id, "--account-id", "acc_1",
                                   "--format", "jsonl", sandbox=seven, cwd=tmp_path)
                           .stdout.splitlines()[0])["id"]

    default = run_cli("applicants", "resume", applicant, "--account-id", "acc_1",
                      sandbox=seven, cwd=tmp_path)
    named = run_cli("applicants", "resume", applicant, "--account-id", "acc_1", "--output",
                    "cv.pdf", "--json", sandbox=seven, cwd=tmp_path)

    assert default.returncode == 0, default.stderr
    assert (tmp_path / f"resume-{applicant}.pdf").read_bytes().startswith(b"%PDF")
    assert json_out(named) == {"applicant_id": applicant, "path": "cv.pdf",
                               "bytes": (tmp_path / "cv.pdf").stat().st_size}


def test_a_missing_resume_is_an_api_error_and_writes_nothing(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    sandbox = postpress_sandbox_factory(review_delay=0, applicants=2, resume_fraction=0.0)
    job_id = live_job(sandbox)
    applicant = json.loads(run_cli("applicants", "list", job_id, "--account-id", "acc_1",
                                   "--format", "jsonl", sandbox=sandbox, cwd=tmp_path)
                           .stdout.splitlines()[0])["id"]

    result = run_cli("applicants", "resume", applicant, "--account-id", "acc_1", "--output",
                     "cv.pdf", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 1
    assert "404" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_search_parameters_lists_ids_and_titles(sandbox: SandboxThread, tmp_path: Path) -> None:
    result = run_cli("search-parameters", "location", "berlin", "--account-id", "acc_1",
                     sandbox=sandbox, cwd=tmp_path)
    as_json = run_cli("search-parameters", "LOCATION", "Berlin", "--account-id", "acc_1",
                      "--json", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "106967730  Berlin, Germany" in result.stdout.splitlines()
    assert {"id": "106967730", "title": "Berlin, Germany"}.items() <= json_out(as_json)[0].items()


def test_search_parameters_without_a_match_is_an_empty_answer(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli("search-parameters", "LOCATION", "Atlantis", "--account-id", "acc_1",
                     sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 0
    assert result.stdout == ""
    assert "no LOCATION matches" in result.stderr


def test_search_parameters_refuses_keywords_for_employment_types(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli("search-parameters", "EMPLOYMENT_TYPE", "full", "--account-id", "acc_1",
                     sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert "keywords: does not apply to EMPLOYMENT_TYPE" in result.stderr
