"""``python -m benchmarks [--quick | --size SIZE] [--only NAME ...] [--out DIR]``.

Runs the benchmarks, writes ``<out>/<name>.json`` for each and prints its table.
Exit status 0 when every selected benchmark ran.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from ._common import RESULTS_DIR, SIZES, format_ratios, format_table, load_average, write_result
from ._registry import BENCHMARKS


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_const", const="quick", dest="size",
                       help="fewer requests and rounds (about a minute)")
    sizes.add_argument("--size", choices=SIZES,
                       help="full (default), quick, or smoke (tiny: checks it runs)")
    # On the parser, not on --size: --quick shares the destination and its
    # default (None) would otherwise win.
    parser.set_defaults(size="full")
    parser.add_argument("--only", action="append", choices=list(BENCHMARKS), metavar="NAME",
                        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR,
                        help=f"where to write the JSON results (default: {RESULTS_DIR})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = args.only or list(BENCHMARKS)
    failed: list[str] = []
    print(f"load average before: {load_average()}", flush=True)
    for name in names:
        module = BENCHMARKS[name]
        print(f"\n== {name} ({args.size}) ==", flush=True)
        started = time.perf_counter()
        try:
            result = module.run(args.size)
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        result["elapsed_s"] = round(time.perf_counter() - started, 2)
        path = write_result(name, result, args.out)
        print(format_table(module.COLUMNS, result["rows"]))
        if result["ratios"]:
            print("ratios (median of per-round ratios):")
            print(format_ratios(result["ratios"]))
        for note in result["notes"]:
            print(f"note: {note}")
        print(f"-> {path}  ({result['elapsed_s']} s, load average "
              f"{result['machine']['load_average_1_5_15']} -> "
              f"{result['machine']['load_average_at_end']})", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
