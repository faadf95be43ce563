"""The documentation keeps its promises: every Python block in README.md and docs/ runs.

Each block runs in a fresh interpreter against a fresh sandbox (``POSTPRESS_API_KEY`` and
``POSTPRESS_BASE_URL`` point at it), so no block can lean on another's drafts. A block whose
first line is ``# test_....py`` is a test file: pytest runs it in strict asyncio mode, as in a
user's project that has not set ``asyncio_mode = "auto"``, and every test in it must pass.

A block that is not a program (a signature, say) is marked on the line before its fence with
``<!-- docs-test: skip (why) -->``. Keep that rare: the marks are counted below.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from postpress_async.sandbox import SandboxThread

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
SKIP_MARK = re.compile(r"^\s*<!-- docs-test: skip \((?P<reason>[^)]+)\) -->\s*$")
PYTHON_LANGS = {"python", "py", "python3"}
MAX_SKIPPED = 3


@attrs.frozen
class Block:
    path: Path
    line: int
    body: str
    skip_reason: str | None

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def test_file_name(self) -> str | None:
        """``test_x.py`` when the block is a test file headed ``# test_x.py``."""
        first = self.body.split("\n", 1)[0].strip()
        if first.startswith("# test_") and first.endswith(".py"):
            return first[2:]
        return None


def _python_blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    blocks = []
    for match in FENCE.finditer(text):
        lang = match["lang"].strip().split(" ", 1)[0].lower()
        if lang not in PYTHON_LANGS:
            continue
        line = text.count("\n", 0, match.start()) + 1
        previous = lines[line - 2] if line >= 2 else ""
        skip = SKIP_MARK.match(previous)
        indent = match["indent"]
        body = "\n".join(
            row[len(indent):] if row.startswith(indent) else row
            for row in match["body"].split("\n")
        )
        blocks.append(Block(path, line, body, skip["reason"] if skip else None))
    return blocks


BLOCKS = [block for path in DOCUMENTS for block in _python_blocks(path)]
RUNNABLE = [block for block in BLOCKS if block.skip_reason is None]
README_PROGRAMS = [
    block
    for block in RUNNABLE
    if block.path.name == "README.md" and block.test_file_name is None
]


def run_block(
    block: Block, sandbox: SandboxThread, workdir: Path
) -> subprocess.CompletedProcess[str]:
    """Run one block (a script, or a test file under pytest) against ``sandbox``."""
    env = {
        **os.environ,
        "POSTPRESS_API_KEY": sandbox.api_key,
        "POSTPRESS_BASE_URL": sandbox.base_url,
    }
    script = workdir / (block.test_file_name or "block.py")
    script.write_text(block.body, encoding="utf-8")
    if block.test_file_name is None:
        command = [sys.executable, str(script)]
    else:
        command = [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "-o", "asyncio_mode=strict", str(script),
        ]
    return subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, timeout=100
    )


def assert_ran_cleanly(block: Block, done: subprocess.CompletedProcess[str]) -> None:
    report = f"{block.name}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 0, report
    if block.test_file_name is not None:
        assert " passed" in done.stdout, report
        assert "failed" not in done.stdout, report
        assert "skipped" not in done.stdout, report
    assert "Traceback" not in done.stderr, report
    assert "Unclosed" not in done.stderr, report


def test_the_documents_have_python_examples() -> None:
    documents = {block.path.name for block in RUNNABLE}
    assert {"README.md", "quickstart.md", "sync.md", "bulk.md", "sandbox.md"} <= documents


def test_every_python_fence_is_found() -> None:
    # A fence the pattern misses would silently never run.
    for path in DOCUMENTS:
        opening = [
            line for line in path.read_text(encoding="utf-8").split("\n")
            if re.match(r"^\s*```\s*(python|py)\b", line)
        ]
        assert len(opening) == len([b for b in BLOCKS if b.path == path]), path


def test_blocks_not_run_are_few_and_say_why() -> None:
    skipped = [(block.name, block.skip_reason) for block in BLOCKS if block.skip_reason]
    assert len(skipped) <= MAX_SKIPPED, skipped
    assert all(reason and reason.strip() for _, reason in skipped)


@pytest.mark.parametrize("block", RUNNABLE, ids=[block.name for block in RUNNABLE])
def test_python_block_runs(block: Block, tmp_path: Path) -> None:
    with SandboxThread() as sandbox:
        done = run_block(block, sandbox, tmp_path)
    assert_ran_cleanly(block, done)


def test_readme_programs_run_one_after_another_against_one_sandbox(tmp_path: Path) -> None:
    # What a reader does: paste each example in turn against one account. They must not
    # collide (one example publishing a draft that a later one expects to publish).
    assert len(README_PROGRAMS) >= 3
    with SandboxThread() as sandbox:
        for number, block in enumerate(README_PROGRAMS):
            workdir = tmp_path / str(number)
            workdir.mkdir()
            assert_ran_cleanly(block, run_block(block, sandbox, workdir))
        assert sandbox.ledger.duplicates() == {}
