"""Run every benchmark and print one table: python -m bench [--quick] [--only NAME]."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
from pathlib import Path

Row = tuple[str, float, str]


def _modules(only: str | None) -> list[str]:
    folder = Path(__file__).parent
    names = sorted(
        m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_")
    )
    return [n for n in names if only is None or only in n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    parser.add_argument("--only", help="run the benchmarks whose module name contains this")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsar.settings")
    # The benchmarks call the API far beyond an integration's limit, in the servers they
    # start and in this process (which counts in the same cache).
    os.environ.setdefault("DSAR_API_THROTTLE", "10000000/min")
    import django

    django.setup()
    cores = os.cpu_count() or 1
    rows: list[Row] = []
    for name in _modules(args.only):
        module = importlib.import_module(f"bench.{name}")
        rows.extend(module.run(quick=args.quick))
    width = max([len(r[0]) for r in rows] + [len("figure")])
    print(f"{'figure':<{width}}  {'value':>14}  {'unit':<10}  cores")
    for figure, value, unit in rows:
        print(f"{figure:<{width}}  {value:>14,.1f}  {unit:<10}  {cores}")


if __name__ == "__main__":
    main()
