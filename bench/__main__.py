"""Run benchmarks: `python -m bench [NAME ...] [--smoke]`."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from bench.harness import Report


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    skip = {"harness", "__main__", "__init__"}
    return sorted(
        m.name
        for m in pkgutil.iter_modules([str(here)])
        if m.name not in skip and not m.name.startswith("_")
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all): {available()}")
    parser.add_argument("--smoke", action="store_true", help="tiny, fast versions")
    args = parser.parse_args()
    for name in args.names or available():
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        report: Report = module.run(smoke=args.smoke)
        path = report.save(smoke=args.smoke)
        print(report.markdown())
        print(f"(written to {path})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
