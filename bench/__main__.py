"""Run every benchmark and print one table: python -m bench [--quick] [--only NAME]."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import traceback
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
    from django.core.management import call_command

    # Some benchmarks work in the configured database, inside transactions they roll back.
    call_command("migrate", verbosity=0)
    cores = os.cpu_count() or 1
    # Rows are printed as each benchmark ends, so a long run shows progress and a failure
    # loses nothing measured before it.
    width = 96
    print(f"{'figure':<{width}}  {'value':>14}  {'unit':<10}  cores", flush=True)
    failed: list[str] = []
    for name in _modules(args.only):
        module = importlib.import_module(f"bench.{name}")
        try:
            rows: list[Row] = module.run(quick=args.quick)
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        for figure, value, unit in rows:
            print(f"{figure:<{width}}  {value:>14,.1f}  {unit:<10}  {cores}", flush=True)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
