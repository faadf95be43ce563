"""Each benchmark runs end to end at its tiny "smoke" size and writes well-formed results.

No timing is asserted: this only keeps ``python -m benchmarks`` from rotting
unnoticed (an API rename, a moved module, a broken server process).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.__main__ import parse_args
from benchmarks._registry import BENCHMARKS
from benchmarks.report import render

REPO_ROOT = Path(__file__).resolve().parents[2]

MACHINE_KEYS = {
    "date", "cpu_count", "python", "platform", "packages", "load_average_1_5_15",
    "load_average_at_end",
}
# httpx is a bench extra, not a test one: without it its contender is skipped (and noted).
HAS_HTTPX = importlib.util.find_spec("httpx") is not None
CONTENDERS = {
    "overhead": {"sdk", "sdk_traced", "bare_aiohttp"} | ({"httpx"} if HAS_HTTPX else set()),
    "bulk": {"publish_many", "workers", "publish_many+journal", "new_jobs", "new_jobs+journal",
             "create_workers"},
    "sync_facade": {"facade", "naive asyncio.run", "async (awaited)", "async (16 tasks)"},
    "import_time": {"postpress_async", "aiohttp", "postpress_async minus aiohttp",
                    "postpress_async after aiohttp"},
    "models": {"sdk", "bare"},
    "pager": {"pager (async for item)", "pager (pages)", "aiohttp loop + models",
              "aiohttp loop, raw dicts"},
}


def _strict(constant: str) -> Any:
    raise ValueError(f"non-standard JSON constant {constant}")


def _run_benchmark(name: str, out: Path) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "smoke", "--only", name, "--out", str(out)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result: dict[str, Any] = json.loads(
        (out / f"{name}.json").read_text(), parse_constant=_strict
    )
    return result


@pytest.mark.parametrize(
    ("argv", "size"), [([], "full"), (["--quick"], "quick"), (["--size", "smoke"], "smoke")]
)
def test_command_line_selects_size(argv: list[str], size: str) -> None:
    assert parse_args(argv).size == size


def test_every_benchmark_has_expected_contenders_listed() -> None:
    assert set(BENCHMARKS) == set(CONTENDERS)


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_benchmark_runs_at_smoke_size_and_writes_well_formed_json(
    name: str, tmp_path: Path
) -> None:
    result = _run_benchmark(name, tmp_path)

    assert result["benchmark"] == name
    assert result["size"] == "smoke"
    assert set(result["machine"]) >= MACHINE_KEYS
    columns = {key for key, _ in BENCHMARKS[name].COLUMNS}
    assert result["rows"]
    for row in result["rows"]:
        assert columns <= set(row), row
    assert {row["contender"] for row in result["rows"]} >= CONTENDERS[name]
    assert result["ratios"]
    assert all(isinstance(v, (int, float)) for v in result["ratios"].values())


def test_report_renders_results_as_markdown_tables(tmp_path: Path) -> None:
    _run_benchmark("models", tmp_path)

    markdown = render(tmp_path)

    assert "### 5. Models" in markdown
    assert "| case | contender | ops/s | us/op |" in markdown


def test_report_on_a_folder_without_results_says_so_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks.report import main as report_main

    assert report_main([str(tmp_path)]) == 1
    assert "no benchmark results in" in capsys.readouterr().err
