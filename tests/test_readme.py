"""The README keeps its promises: CI runs its test command, and it reads well on a package index.

Its Python blocks run in ``test_docs_examples.py``, with every block of ``docs/``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest depends on tomli before 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Markdown links and images: [text](target) and ![alt](target).
LINK = re.compile(r"\]\(([^)\s]+)\)")
DOCS_SITE = "https://postpress.github.io/postpress-async/"
REPOSITORY = "https://github.com/postpress/postpress-async"


def _setup_commands() -> list[str]:
    section = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [body.strip() for lang, body in FENCE.findall(section) if lang == "bash"]


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        project: dict[str, object] = tomllib.load(file)["project"]
    return project


def test_readme_setup_is_two_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    test_command = _setup_commands()[1].split("#", 1)[0].strip()
    assert "pytest" in test_command
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci_script.splitlines()


def test_readme_links_are_absolute_so_they_work_on_a_package_index() -> None:
    # PyPI shows the README without the repository around it: docs/x.md would be a 404.
    relative = [target for target in LINK.findall(README) if not target.startswith("https://")]
    assert relative == []


def test_readme_links_to_the_docs_site_and_repository_of_the_project_urls() -> None:
    urls = _project()["urls"]
    assert isinstance(urls, dict)
    assert urls["Documentation"] == DOCS_SITE
    assert {urls["Homepage"], urls["Source"]} == {REPOSITORY}
    assert urls["Issues"] == REPOSITORY + "/issues"
    for target in LINK.findall(README):
        if "postpress-async" in target:
            assert target.startswith((DOCS_SITE, REPOSITORY)), target


def test_readme_says_how_to_get_an_account_and_an_api_key() -> None:
    section = README.split("## Get an account and an API key", 1)[1].split("\n## ", 1)[0]
    assert "dashboard" in section
    assert "pp_live_" in section
    assert "pp_test_" in section
    assert "POSTPRESS_API_KEY" in section


def test_the_license_file_is_the_mit_license_the_metadata_names() -> None:
    assert _project()["license"] == "MIT"
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License")
    assert "Copyright (c) 2026 postpress-async developers" in license_text
