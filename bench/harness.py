"""Benchmark harness: builds (or reuses) demo databases at a given scale and measures pages.

    python bench/harness.py --scale 1 --scale 100 --scale 310   # updates bench/README.md

For each scale: how long the demo generation took, the time of the Overview's SQL queries alone
(median of 5), the page's script time through AppTest cold (empty caches) and warm (median of 5),
and the peak Python memory of a cold page run. Never used by the test suite: timings belong here.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANCHOR = date(2026, 11, 28)
DB_DIR = ROOT / "bench" / "dbs"
PAGES = [
    "pages/overview.py",
    "pages/sectors.py",
    "pages/pipeline.py",
    "pages/missions.py",
    "pages/world_map.py",
    "pages/india.py",
    "pages/directory.py",
]


def build_database(scale: float) -> tuple[Path, float | None]:
    """The demo database of that scale, generated once and then reused."""
    from core.bootstrap import init_database
    from core.db import make_engine
    from core.demo import seed_demo

    DB_DIR.mkdir(parents=True, exist_ok=True)
    path = DB_DIR / f"demo-scale{scale:g}.sqlite3"
    if path.exists():
        return path, None
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine)
    started = time.perf_counter()
    seed_demo(engine, scale=scale, anchor=ANCHOR)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return path, elapsed


def median_time(fn, runs: int = 5) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def page_sql_and_naive(path: Path, page: str) -> tuple[float, float, bool]:
    """Median time of the page's SQL queries alone (5 runs), of its naive pandas baseline (3
    runs), and whether the baseline gives the same main figures as the SQL (it must)."""
    from sqlmodel import Session

    from bench.pages import PAGES as BENCHES
    from bench.pages import default_period
    from core.db import make_engine

    bench = BENCHES[page]
    engine = make_engine(f"sqlite:///{path}")
    period = default_period(ANCHOR)

    def run_sql() -> None:
        with Session(engine) as session:
            bench.sql(session, period, ANCHOR)

    with Session(engine) as session:
        figures = bench.figures(session, period, ANCHOR)
    agrees = bench.naive(engine, period, ANCHOR) == figures
    sql = median_time(run_sql)
    naive = median_time(lambda: bench.naive(engine, period, ANCHOR), runs=3)
    engine.dispose()
    return sql, naive, agrees


def page_times(path: Path, page: str) -> tuple[float, float, float]:
    """Cold time, warm median time and peak traced memory (MiB) of one page through AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from core.config import get_settings

    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DEMO_DATA"] = "false"
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()

    at = AppTest.from_file(str(ROOT / page), default_timeout=600)
    tracemalloc.start()
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    warm = median_time(at.run)
    return cold, warm, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "README.md")
    args = parser.parse_args()

    lines = [
        f"Measured {date.today().isoformat()} on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}, SQLite), "
        f"demo anchored on {ANCHOR.isoformat()}.",
        "",
        "| scale | interactions | generation (s) | page | SQL alone (s) | naive pandas (s) | "
        "cold (s) | warm (s) | peak memory (MiB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for scale in args.scale:
        path, generation = build_database(scale)
        interactions = count_interactions(path)
        for page in PAGES:
            sql, naive, agrees = page_sql_and_naive(path, page)
            cold, warm, peak = page_times(path, page)
            gen_cell = f"{generation:.1f}" if generation is not None else "(reused)"
            naive_cell = f"{naive:.2f}{'' if agrees else ' (DIFFERS)'}"
            lines.append(
                f"| {scale:g} | {interactions:,} | {gen_cell} | {page} | {sql:.3f} | "
                f"{naive_cell} | {cold:.2f} | {warm:.3f} | {peak:.1f} |"
            )
            print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    write_results(args.out, text)
    print(text)


def write_results(path: Path, table: str) -> None:
    """Replace what stands between the results markers of ``path`` (or append them)."""
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{start}\n{table}{end}"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        path.write_text(before + block + after, encoding="utf-8")
    else:
        path.write_text(current + "\n" + block + "\n", encoding="utf-8")


def count_interactions(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM interaction").fetchone()[0]


if __name__ == "__main__":
    main()
