"""What every benchmark shares: machine facts, core pinning, the server process, statistics, output.

Every comparison in a benchmark runs in one process against one server, its
contenders interleaved round by round (the order rotated each round), so a
load spike from elsewhere on the machine hits all of them alike; the figures
reported are medians over rounds, and ratios are medians of per-round ratios.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import platform
import selectors
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
SCHEMA_VERSION = 1
SIZES = ("full", "quick", "smoke")

API_KEY = "pp_bench_0000000000000000"
ACCOUNT_ID = "acc_linkedin_01HXYZ4QK3WJ8FN3M6QH7TZ8GR"
FIRST_DRAFT_ID = 3984512098
_PACKAGES = (
    "postpress-async", "aiohttp", "httpx", "httpcore", "attrs", "cattrs", "tenacity",
    "yarl", "multidict", "psutil",
)


def _cores() -> list[int]:
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    return []


_ALL_CORES = _cores()
# With two or more cores the server gets the first and the client the second;
# with one, nothing is pinned (both share it and the figures say so).
SERVER_CPU: int | None = _ALL_CORES[0] if len(_ALL_CORES) >= 2 else None
CLIENT_CPU: int | None = _ALL_CORES[1] if len(_ALL_CORES) >= 2 else None


def pin_client() -> bool:
    """Pin this process to the client core; True if pinned."""
    if CLIENT_CPU is None or not hasattr(os, "sched_setaffinity"):
        return False
    os.sched_setaffinity(0, {CLIENT_CPU})
    return True


def client_cpu_args() -> list[str]:
    """Arguments telling a child benchmark process which core to pin itself to."""
    return [] if CLIENT_CPU is None else ["--cpu", str(CLIENT_CPU)]


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "usable_cores": _ALL_CORES,
        "server_cpu": SERVER_CPU,
        "client_cpu": CLIENT_CPU,
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": {name: _version(name) for name in _PACKAGES},
        "load_average_1_5_15": load_average(),
    }


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def paired_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    """Median of per-round ratios: each round's pair saw the same machine load."""
    pairs = [n / d for n, d in zip(numerators, denominators, strict=True) if d]
    return median(pairs)


def rotated(items: Sequence[Any], round_index: int) -> list[Any]:
    """``items`` rotated by the round number, so no contender always runs first."""
    k = round_index % len(items) if items else 0
    return [*items[k:], *items[:k]]


class BenchServer:
    """The benchmark server (:mod:`benchmarks._server`) in a child process."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}/api/v1"

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float | None:
        """The server's CPU time so far (user + system), to tell server-bound runs apart."""
        try:
            import psutil  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            return None
        times = psutil.Process(self.process.pid).cpu_times()
        return float(times.user + times.system)


def child_env() -> dict[str, str]:
    """The environment for child processes: ``benchmarks`` importable wherever we run from."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
    )
    return env


@contextmanager
def bench_server(start_timeout: float = 30.0) -> Iterator[BenchServer]:
    cmd = [sys.executable, "-m", "benchmarks._server"]
    if SERVER_CPU is not None:
        cmd += ["--cpu", str(SERVER_CPU)]
    process = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO_ROOT, env=child_env()
    )
    try:
        port = _read_port(process, start_timeout)
        yield BenchServer(process, port)
    finally:
        # Closing stdin is the server's signal to shut down cleanly.
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _read_port(process: subprocess.Popen[bytes], timeout: float) -> int:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(left):
                break
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith(b"PORT "):
                return int(line.split()[1])
    process.kill()
    raise RuntimeError(f"the benchmark server did not start within {timeout}s")


def write_result(name: str, result: dict[str, Any], out_dir: Path = RESULTS_DIR) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    # Strict JSON: a figure that could not be computed is null, never NaN.
    path.write_text(json.dumps(_no_nan(result), indent=2, allow_nan=False) + "\n")
    return path


def _no_nan(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_nan(v) for v in value]
    return value


def envelope(name: str, size: str, params: dict[str, Any]) -> dict[str, Any]:
    """The keys every result file has; the benchmark fills ``rows`` and ``ratios``."""
    return {
        "benchmark": name,
        "schema": SCHEMA_VERSION,
        "size": size,
        "params": params,
        "machine": machine_info(),
        "rows": [],
        "ratios": {},
        "notes": [],
    }


def finish(result: dict[str, Any]) -> dict[str, Any]:
    result["machine"]["load_average_at_end"] = load_average()
    return result


def format_table(columns: Sequence[tuple[str, str]], rows: Sequence[dict[str, Any]]) -> str:
    """A plain-text table; ``columns`` are ``(key, heading)`` pairs."""
    cells = [[heading for _, heading in columns]]
    for row in rows:
        cells.append([_cell(row.get(key)) for key, _ in columns])
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(
            zip(r, widths, strict=True))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3f}"
    return str(value)


def format_ratios(ratios: dict[str, float]) -> str:
    return "\n".join(f"  {key}: {value:.3f}" for key, value in ratios.items())
