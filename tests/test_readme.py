"""The README keeps its promises: every Python block runs, and CI runs its test command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from postpress_async.sandbox import SandboxThread

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
BLOCKS = [(lang, body) for lang, body in FENCE.findall(README)]
PYTHON_BLOCKS = [body for lang, body in BLOCKS if lang == "python"]


def _block_id(body: str) -> str:
    first = next((line for line in body.splitlines() if line.strip()), "")
    return first[:40]


def test_readme_has_python_examples() -> None:
    assert len(PYTHON_BLOCKS) >= 3


@pytest.mark.parametrize("body", PYTHON_BLOCKS, ids=[_block_id(b) for b in PYTHON_BLOCKS])
def test_readme_python_block_runs(body: str, tmp_path: Path) -> None:
    # Each block gets a fresh sandbox, so blocks cannot depend on each other's drafts.
    with SandboxThread() as sandbox:
        env = {
            **os.environ,
            "POSTPRESS_API_KEY": sandbox.api_key,
            "POSTPRESS_BASE_URL": sandbox.base_url,
        }
        first_line = body.split("\n", 1)[0]
        # A block headed "# test_....py" is a test file: pytest runs it, and it must pass.
        as_test = first_line.startswith("# test_") and first_line.endswith(".py")
        script = tmp_path / (first_line[2:] if as_test else "block.py")
        script.write_text(body, encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)]
        done = subprocess.run(
            command if as_test else [sys.executable, str(script)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    if as_test:
        assert " passed" in done.stdout
        assert "failed" not in done.stdout
    assert "Traceback" not in done.stderr
    assert "Unclosed" not in done.stderr


def _setup_commands() -> list[str]:
    section = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [body.strip() for lang, body in FENCE.findall(section) if lang == "bash"]


def test_readme_setup_is_two_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    test_command = _setup_commands()[1].split("#", 1)[0].strip()
    assert "pytest" in test_command
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci_script.splitlines()
