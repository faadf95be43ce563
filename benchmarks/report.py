"""``python -m benchmarks.report [DIR]``: the result files in ``DIR`` as Markdown tables.

``DIR`` defaults to ``benchmarks/results``. Prints the tables and ratios of
every result file found, headed by the date, machine and load average of the
run, ready to paste into ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ._common import RESULTS_DIR, _cell
from ._registry import BENCHMARKS

TITLES = {
    "overhead": "1. Per-request overhead (SDK vs bare aiohttp vs httpx)",
    "bulk": "2. Bulk publishing (`publish_many`, concurrency 64)",
    "sync_facade": "3. Sync facade (`Postpress`) vs naive `asyncio.run` per call",
    "import_time": "4. Import time",
    "models": "5. Models: build + serialize, parse (no network)",
    "pager": "6. Pager: 100,000 applicants, SDK pager vs a hand-written aiohttp cursor loop",
}


def markdown_table(columns: list[tuple[str, str]], rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(h for _, h in columns) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(columns))) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(k)) for k, _ in columns) + " |")
    return "\n".join(lines)


def render(directory: Path) -> str:
    out: list[str] = []
    machines: list[dict[str, Any]] = []
    for name, module in BENCHMARKS.items():
        path = directory / f"{name}.json"
        if not path.exists():
            continue
        result = json.loads(path.read_text())
        machine = result["machine"]
        machines.append(machine)
        out.append(f"### {TITLES.get(name, name)}\n")
        out.append(f"_{machine['date']}, size `{result['size']}`, load average "
                   f"{machine['load_average_1_5_15']} -> {machine.get('load_average_at_end')}_\n")
        out.append(markdown_table(module.COLUMNS, result["rows"]))
        if result["ratios"]:
            out.append("\n| ratio (median of per-round ratios) | value |\n|---|---:|")
            out.extend(f"| {k} | {_cell(v)} |" for k, v in result["ratios"].items())
        if name == "import_time" and result.get("heaviest_below_postpress_async"):
            heavy = ", ".join(f"`{h['module']}` {h['cumulative_ms']:.1f} ms"
                              for h in result["heaviest_below_postpress_async"][:5])
            out.append(f"\nHeaviest imports under `postpress_async` (last round): {heavy}")
        for note in result.get("notes", []):
            out.append(f"\nNote: {note}")
        out.append("")
    if machines:
        m = machines[0]
        packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
        head = (f"Machine: {m['cpu_model']}, {m['cpu_count']} CPUs (server pinned to CPU "
                f"{m['server_cpu']}, client to CPU {m['client_cpu']}), {m['platform']}, "
                f"Python {m['python']}; {packages}.\n")
        out.insert(0, head)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__)
    parser.add_argument("directory", nargs="?", type=Path, default=RESULTS_DIR,
                        help=f"where the result files are (default: {RESULTS_DIR})")
    args = parser.parse_args(argv)
    if not any((args.directory / f"{name}.json").exists() for name in BENCHMARKS):
        print(f"no benchmark results in {args.directory}: run `python -m benchmarks` first",
              file=sys.stderr)
        return 1
    print(render(args.directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
