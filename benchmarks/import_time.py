"""4. Import time: ``import postpress_async`` against ``import aiohttp`` alone.

Each round starts fresh interpreters (``python -X importtime -c "import X"``)
and reads the cumulative time of the top-level package from ``-X importtime``;
rounds alternate between the targets. The SDK's figure includes aiohttp (it
imports it), so "SDK minus aiohttp" is what the SDK adds on top of its
transport: attrs, orjson and its own modules. The heaviest modules below
``postpress_async`` are listed so a regression names its culprit.

That difference subtracts two interpreters' times, so on a busy machine their noise
does not cancel. Each round therefore also imports both in one interpreter
(``import aiohttp; import postpress_async``) and reads the SDK's own cumulative time:
what it adds over an aiohttp already imported, the goal's quantity, from one process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from ._common import (
    CLIENT_CPU,
    REPO_ROOT,
    child_env,
    envelope,
    finish,
    median,
    paired_ratio,
    rotated,
)

NAME = "import_time"
SIZES: dict[str, dict[str, Any]] = {
    "full": {"rounds": 15},
    "quick": {"rounds": 7},
    "smoke": {"rounds": 1},
}
TARGETS = ("postpress_async", "aiohttp")
# The SDK imported after aiohttp, in the same interpreter (see the module docstring).
AFTER_AIOHTTP = "postpress_async after aiohttp"


def parse_importtime(stderr: str) -> list[tuple[int, int, int, str]]:
    """``-X importtime`` lines as ``(depth, self_us, cumulative_us, module)``."""
    entries = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        try:
            self_us, cumulative_us, name = line[len("import time:"):].split("|", 2)
            self_n, cum_n = int(self_us), int(cumulative_us)
        except ValueError:
            continue  # the heading line
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        entries.append((depth, self_n, cum_n, name.strip()))
    return entries


def _preexec() -> None:
    if CLIENT_CPU is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {CLIENT_CPU})


def import_env() -> dict[str, str]:
    """The children's environment, with bytecode caching on.

    An installed package has its bytecode compiled (pip does it at install). With
    PYTHONDONTWRITEBYTECODE set (common in containers, and set on the machine these
    figures come from) an editable checkout would be compiled from source on every
    import, which would count the compiler's time as the SDK's.
    """
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure_once(module: str, before: str = ""
                 ) -> tuple[float, list[tuple[int, int, int, str]]]:
    """Cumulative import time of ``module`` in ms, in a fresh interpreter, and all entries;
    ``before`` names a module imported first (its time not counted)."""
    code = f"import {before}; import {module}" if before else f"import {module}"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True, text=True, check=True, cwd=REPO_ROOT, env=import_env(),
        preexec_fn=_preexec, timeout=120,
    )
    entries = parse_importtime(proc.stderr)
    top = [e for e in entries if e[0] == 0 and e[3] == module]
    if not top:
        raise RuntimeError(f"-X importtime did not report {module}")
    return top[-1][2] / 1000, entries


def heaviest_below(entries: list[tuple[int, int, int, str]], module: str, k: int = 10
                   ) -> list[dict[str, Any]]:
    """The modules imported under ``module`` with the largest cumulative times.

    Its own submodules and the top-level packages it pulled in (``aiohttp``,
    ``cattrs``, ``tenacity``, and whatever those import), each with everything
    it imported in turn. ``-X importtime`` prints a module's imports before it.
    """
    end = max(i for i, e in enumerate(entries) if e[0] == 0 and e[3] == module)
    start = end
    while start > 0 and entries[start - 1][0] > 0:
        start -= 1
    below = [e for e in entries[start:end]
             if "." not in e[3] or e[3].startswith(module + ".")]
    below.sort(key=lambda e: e[2], reverse=True)
    return [{"module": name, "cumulative_ms": cum / 1000} for _, _, cum, name in below[:k]]


def run(size: str = "full") -> dict[str, Any]:
    params = SIZES[size]
    result = envelope(NAME, size, {"rounds": params["rounds"], "targets": list(TARGETS)})
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        result["notes"].append(
            "PYTHONDONTWRITEBYTECODE was set; it is unset for the measured interpreters so "
            "that the warm-up writes bytecode caches, as an installed package has them")
    for target in TARGETS:  # warm-up: bytecode caches written, files in the page cache
        measure_once(target)
    times: dict[str, list[float]] = {t: [] for t in (*TARGETS, AFTER_AIOHTTP)}
    last_entries: list[tuple[int, int, int, str]] = []
    for r in range(params["rounds"]):
        for target in rotated([*TARGETS, AFTER_AIOHTTP], r):
            if target == AFTER_AIOHTTP:
                ms, entries = measure_once("postpress_async", before="aiohttp")
            else:
                ms, entries = measure_once(target)
            times[target].append(ms)
            if target == "postpress_async":
                last_entries = entries
    for target in [*TARGETS, AFTER_AIOHTTP]:
        result["rows"].append({
            "case": "import",
            "contender": target,
            "cumulative_ms": median(times[target]),
            "min_ms": min(times[target]),
            "rounds_ms": times[target],
        })
    added = [s - a for s, a in zip(times["postpress_async"], times["aiohttp"], strict=True)]
    result["rows"].append({
        "case": "import",
        "contender": "postpress_async minus aiohttp",
        "cumulative_ms": median(added),
        "min_ms": None,  # a difference of two minima from different rounds means nothing
        "rounds_ms": added,
    })
    result["ratios"] = {
        "postpress_async/aiohttp": paired_ratio(times["postpress_async"], times["aiohttp"]),
    }
    result["heaviest_below_postpress_async"] = heaviest_below(last_entries, "postpress_async")
    return finish(result)


COLUMNS = [
    ("contender", "import"),
    ("cumulative_ms", "median ms"),
    ("min_ms", "min ms"),
]
