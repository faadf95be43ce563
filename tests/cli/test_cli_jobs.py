"""``postpress jobs create|edit|get|list|wait|close`` against a sandbox, in subprocesses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from postpress_async import Postpress
from postpress_async.sandbox import Faults, SandboxThread

from .cli_helpers import COMMAND, cli_env, json_out, run_cli

JOB = [
    "--account-id", "acc_1", "--job-title", "Senior Python Engineer", "--company", "Acme GmbH",
    "--workplace", "hybrid", "--location", "106967730", "--description", "<p>We build</p>",
]
DEFINITION = {
    "job_title": {"text": "Data Engineer"},
    "company": "Acme GmbH",
    "workplace": "REMOTE",
    "location": "106967730",
    "description": "<p>Pipelines</p>",
    "screening_questions": [
        {"question": "Years of Python?", "answer_type": "numeric", "min_expectation": 3,
         "must_match": True},
        {"question": "Do you speak German?", "answer_type": "multiple_choices",
         "choices": ["yes", "no"], "expected_choices": ["yes"]},
    ],
}


@pytest.fixture
def live_sandbox(postpress_sandbox_factory: Callable[..., SandboxThread]) -> SandboxThread:
    """Published jobs go live on their next read."""
    return postpress_sandbox_factory(review_delay=0)


def create(sandbox: SandboxThread, cwd: Path, *extra: str) -> str:
    result = run_cli("jobs", "create", *JOB, *extra, "--json", sandbox=sandbox, cwd=cwd)
    assert result.returncode == 0, result.stderr
    job_id: str = json_out(result)["job_id"]
    return job_id


def publish(sandbox: SandboxThread, job_id: str) -> None:
    with Postpress(api_key=sandbox.api_key, base_url=sandbox.base_url) as client:
        client.jobs.publish(job_id, account_id="acc_1", mode="FREE")


def test_create_makes_one_draft_and_says_how_to_publish_it(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli("jobs", "create", *JOB, sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    [creation] = sandbox.ledger.creations
    assert f"created draft {creation.job_id}" in result.stdout
    assert "free:     eligible" in result.stdout
    assert f"postpress publish {creation.job_id} --account-id acc_1 --mode FREE" in result.stdout
    assert sandbox.job(creation.job_id)["state"] == "draft"


def test_create_json_gives_the_draft_its_publish_options_and_its_key(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    result = run_cli("jobs", "create", *JOB, "--json", sandbox=sandbox, cwd=tmp_path)

    created = json_out(result)
    assert created["publish_options"]["free"]["eligible"] is True
    assert created["publish_options"]["promoted"]["daily_budget"]["min"] == 5
    assert sandbox.ledger.creations[0].idempotency_key == created["idempotency_key"]


def test_create_again_with_the_same_idempotency_key_replays_the_first_draft(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    first = create(sandbox, tmp_path, "--idempotency-key", "req-2026-0042")
    second = create(sandbox, tmp_path, "--idempotency-key", "req-2026-0042")

    assert first == second
    assert len(sandbox.ledger.creations) == 1


def test_create_reads_nested_fields_from_a_json_file_and_options_override_it(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "job.json").write_text(json.dumps(DEFINITION))
    result = run_cli(
        "jobs", "create", "--account-id", "acc_1", "--file", "job.json",
        "--description", "<p>From the option</p>", "--json", sandbox=sandbox, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    job_id = json_out(result)["job_id"]

    got = json_out(run_cli("jobs", "get", job_id, "--account-id", "acc_1", "--json",
                           sandbox=sandbox, cwd=tmp_path))
    assert got["title"] == "Data Engineer"
    assert got["description"] == "<p>From the option</p>"
    assert [q["question"] for q in got["screening_questions"]] == [
        "Years of Python?", "Do you speak German?",
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ({**DEFINITION, "job_titel": "x"}, "job.json: the file: unknown key 'job_titel'"),
        ({**DEFINITION, "screening_questions": [{"question": "q", "answer_type": "number"}]},
         'job.json: screening_questions[0].answer_type: must be "numeric" or '
         '"multiple_choices"'),
        ({**DEFINITION, "screening_questions": [
            {"question": "q", "answer_type": "multiple_choices", "choices": ["a"],
             "expected_choices": ["b"]}]},
         "screening_questions[].expected_choices: ['b'] are not among the choices"),
        ({**DEFINITION, "recruiter": {"functions": ["eng"]}},
         "job.json: recruiter.project: must be a JSON object, got null"),
        ([1, 2], "job.json: the file: must be a JSON object, got an array"),
    ],
)
def test_a_bad_definition_file_is_a_usage_error_naming_the_field(
    content: object, says: str, sandbox: SandboxThread, tmp_path: Path
) -> None:
    (tmp_path / "job.json").write_text(json.dumps(content))
    result = run_cli("jobs", "create", "--account-id", "acc_1", "--file", "job.json",
                     sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert says in result.stderr
    assert sandbox.ledger.creations == []


def test_create_names_every_missing_field(sandbox: SandboxThread, tmp_path: Path) -> None:
    result = run_cli("jobs", "create", "--account-id", "acc_1", "--job-title", "x",
                     sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert "missing --company, --workplace, --location, --description" in result.stderr


def test_a_location_given_as_text_points_to_search_parameters(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    args = [*JOB[:JOB.index("--location")], "--location", "Berlin", "--description", "d"]
    result = run_cli("jobs", "create", *args, sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 2
    assert "postpress search-parameters LOCATION KEYWORDS --account-id acc_1" in result.stderr
    assert sandbox.ledger.creations == []


def test_edit_changes_only_the_fields_given(sandbox: SandboxThread, tmp_path: Path) -> None:
    job_id = create(sandbox, tmp_path)

    result = run_cli("jobs", "edit", job_id, "--account-id", "acc_1", "--description",
                     "<p>New</p>", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"edited job {job_id}"
    got = json_out(run_cli("jobs", "get", job_id, "--account-id", "acc_1", "--json",
                           sandbox=sandbox, cwd=tmp_path))
    assert (got["description"], got["title"]) == ("<p>New</p>", "Senior Python Engineer")


def test_get_shows_the_state_and_an_unknown_job_is_an_api_error(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    job_id = create(sandbox, tmp_path)

    shown = run_cli("jobs", "get", job_id, "--account-id", "acc_1", sandbox=sandbox,
                    cwd=tmp_path)
    missing = run_cli("jobs", "get", "999", "--account-id", "acc_1", sandbox=sandbox,
                      cwd=tmp_path)

    assert "state:      draft" in shown.stdout
    assert missing.returncode == 1
    assert "404" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_list_walks_every_page_of_a_category(sandbox: SandboxThread, tmp_path: Path) -> None:
    created = {create(sandbox, tmp_path) for _ in range(5)}

    every = run_cli("jobs", "list", "--account-id", "acc_1", "--category", "draft",
                    "--page-size", "2", "--json", sandbox=sandbox, cwd=tmp_path)
    first_three = run_cli("jobs", "list", "--account-id", "acc_1", "--category", "draft",
                          "--page-size", "2", "--max-items", "3", sandbox=sandbox, cwd=tmp_path)

    assert {job["id"] for job in json_out(every)} == created
    assert len(first_three.stdout.splitlines()) == 1 + 3  # the header and three jobs


def test_wait_returns_once_the_job_is_live(live_sandbox: SandboxThread, tmp_path: Path) -> None:
    job_id = create(live_sandbox, tmp_path)
    publish(live_sandbox, job_id)

    result = run_cli("jobs", "wait", job_id, "--account-id", "acc_1", "--poll-interval", "0.1",
                     sandbox=live_sandbox, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"job {job_id} is active"


def test_wait_gives_up_after_the_wait_timeout_with_exit_1(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    job_id = create(sandbox, tmp_path)  # a draft never goes live by itself

    result = run_cli("jobs", "wait", job_id, "--account-id", "acc_1", "--wait-timeout", "0.3",
                     "--poll-interval", "0.1", "--json", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 1
    assert json_out(result) == {"job_id": job_id, "reached": False, "expected": "active",
                                "state": "draft", "timed_out": True}
    assert "did not become 'active' within 0.3s" in result.stderr


def test_wait_for_a_closed_job_fails_at_once(live_sandbox: SandboxThread, tmp_path: Path) -> None:
    job_id = create(live_sandbox, tmp_path)
    publish(live_sandbox, job_id)
    run_cli("jobs", "close", job_id, "--account-id", "acc_1", sandbox=live_sandbox, cwd=tmp_path)

    result = run_cli("jobs", "wait", job_id, "--account-id", "acc_1", "--state", "ACTIVE",
                     sandbox=live_sandbox, cwd=tmp_path)

    assert result.returncode == 1
    assert "is 'closed' and can no longer become 'active'" in result.stderr


def test_close_twice_says_already_closed_and_succeeds(
    live_sandbox: SandboxThread, tmp_path: Path
) -> None:
    job_id = create(live_sandbox, tmp_path)
    publish(live_sandbox, job_id)

    first = run_cli("jobs", "close", job_id, "--account-id", "acc_1", sandbox=live_sandbox,
                    cwd=tmp_path)
    second = run_cli("jobs", "close", job_id, "--account-id", "acc_1", "--json",
                     sandbox=live_sandbox, cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"closed job {job_id}"
    assert second.returncode == 0, second.stderr
    assert json_out(second) == {"job_id": job_id, "already_closed": True}
    assert live_sandbox.job(job_id)["state"] == "closed"


@pytest.mark.skipif(os.name != "posix", reason="SIGINT delivery to a child is POSIX-specific")
def test_ctrl_c_during_create_gives_the_key_that_replays_it(
    postpress_sandbox_factory: Callable[..., SandboxThread], tmp_path: Path
) -> None:
    slow = postpress_sandbox_factory(
        faults=Faults(latency=2.0, endpoints=frozenset({"create"}))
    )
    child = subprocess.Popen(
        [*COMMAND, "jobs", "create", *JOB], env=cli_env(slow), cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 30
    while slow.stats.in_flight == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)

    assert child.returncode == 130
    assert "may have gone through" in err
    key = err.split("--idempotency-key ")[1].split()[0].rstrip(":)")
    again = run_cli("jobs", "create", *JOB, "--idempotency-key", key, "--json",
                    sandbox=slow, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert [c.idempotency_key for c in slow.ledger.creations] == [key]


def test_text_from_the_server_cannot_drive_the_terminal(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    title = "Engineer\x1b[2J\x1b]0;owned\x07"
    args = [*JOB]
    args[args.index("--job-title") + 1] = title
    job_id = json_out(run_cli("jobs", "create", *args, "--json", sandbox=sandbox,
                              cwd=tmp_path))["job_id"]

    shown = run_cli("jobs", "get", job_id, "--account-id", "acc_1", sandbox=sandbox,
                    cwd=tmp_path)
    listed = run_cli("jobs", "list", "--account-id", "acc_1", "--category", "draft",
                     sandbox=sandbox, cwd=tmp_path)
    as_json = run_cli("jobs", "get", job_id, "--account-id", "acc_1", "--json",
                      sandbox=sandbox, cwd=tmp_path)

    for output in (shown.stdout, listed.stdout):
        assert "\x1b" not in output
        assert "\x07" not in output
        assert "Engineer\\x1b[2J" in output
    assert json_out(as_json)["title"] == title  # JSON keeps it exactly


def test_edit_replaces_the_screening_questions_from_a_file_and_reads_a_description_file(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    job_id = create(sandbox, tmp_path)
    (tmp_path / "edit.json").write_text(json.dumps({"screening_questions": [
        {"question": "Can you start in March?", "answer_type": "multiple_choices",
         "choices": ["yes", "no"], "expected_choices": ["yes"]},
    ]}))
    (tmp_path / "description.html").write_text("<p>Ünïcode, from a file</p>\n", "utf-8")

    result = run_cli("jobs", "edit", job_id, "--account-id", "acc_1", "--file", "edit.json",
                     "--description-file", "description.html", sandbox=sandbox, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    got = json_out(run_cli("jobs", "get", job_id, "--account-id", "acc_1", "--json",
                           sandbox=sandbox, cwd=tmp_path))
    assert [q["question"] for q in got["screening_questions"]] == ["Can you start in March?"]
    assert got["description"] == "<p>Ünïcode, from a file</p>\n"


def test_an_edit_without_a_change_is_refused_before_sending(
    sandbox: SandboxThread, tmp_path: Path
) -> None:
    job_id = create(sandbox, tmp_path)

    result = run_cli("jobs", "edit", job_id, "--account-id", "acc_1", sandbox=sandbox,
                     cwd=tmp_path)

    assert result.returncode == 2
    assert "an edit must change at least one field" in result.stderr
    assert sandbox.job(job_id)["edits"] == 0
