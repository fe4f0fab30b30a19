"""Run the benchmarks and print their figures: python -m tests.bench [name ...].

Without names every tests/bench/bench_*.py runs, in name order; with names (`warranty`, or
`bench_warranty`) only those. Each module's run() returns a list of (label, value string).
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

PREFIX = "bench_"


def discover() -> list[str]:
    here = str(Path(__file__).resolve().parent)
    return sorted(m.name[len(PREFIX):] for m in pkgutil.iter_modules([here]) if m.name.startswith(PREFIX))


def print_table(title: str, figures: list[tuple[str, str]]) -> None:
    print(f"\n== {title}")
    width = max((len(label) for label, _value in figures), default=0)
    for label, value in figures:
        print(f"  {label:<{width}}  {value}")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__.strip())
        print("\navailable: " + ", ".join(discover()))
        return 0
    available = discover()
    wanted = [a[len(PREFIX):] if a.startswith(PREFIX) else a for a in argv] or available
    unknown = [name for name in wanted if name not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    for name in wanted:
        module = importlib.import_module(f"{__package__}.{PREFIX}{name}")
        heading = (module.__doc__ or name).strip().splitlines()[0]
        print(f"\n# {name}: {heading}", flush=True)
        started = time.perf_counter()
        figures = list(module.run())
        figures.append(("wall time of this benchmark", f"{time.perf_counter() - started:.1f} s"))
        print_table(name, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
