"""Run every benchmark in benchmarks/ one after another and print their figures.

Each benchmark measures payersim beside a floor measured in the same run and prints the ratio;
see each module's docstring for its target. ``make bench`` runs this.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks

__all__ = ["main"]


def main() -> int:
    """Run each ``bench_*`` module's ``main()`` in name order; return 1 if any raised."""
    failed = []
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        print(f"== {info.name}", flush=True)
        module = importlib.import_module(f"benchmarks.{info.name}")
        try:
            module.main([])
        except Exception as error:  # a broken benchmark must not hide the others' figures
            print(f"{info.name} failed: {error!r}", file=sys.stderr)
            failed.append(info.name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
