"""Benchmark harness: builds (or reuses) demo databases at given scales and measures every
dashboard page.

    python bench/harness.py --scale 1 --scale 10 --scale 310   # updates bench/README.md
    python bench/harness.py --scale 310 --queries --no-write   # each query's time, per page

For each scale and page: the time of the page's core queries alone (``bench/page_queries.py``,
median of 5), of a naive pandas baseline of its main figures (``bench/naive.py``, median of 3,
checked equal to the SQL figures: on any mismatch at scale 1 the harness stops), the page's
script time through AppTest cold (empty caches) and warm (median of 5), and the peak Python
memory of a cold run (traced apart). Never used by the test suite: timings belong here.
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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

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


def median_time(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _engine(path: Path) -> Engine:
    from core.db import make_engine

    return make_engine(f"sqlite:///{path}")


def sql_time(path: Path, page: str) -> float:
    """Median time of all the core queries ``page`` runs with its defaults, in one session."""
    from sqlmodel import Session

    from bench.page_queries import page_queries

    engine = _engine(path)
    queries = page_queries(page, ANCHOR)

    def run() -> None:
        with Session(engine) as session:
            for _name, query in queries:
                query(session)

    result = median_time(run)
    engine.dispose()
    return result


def query_times(path: Path, page: str) -> list[tuple[str, float]]:
    """Median time of each core query of ``page`` on its own: which one dominates."""
    from sqlmodel import Session

    from bench.page_queries import page_queries

    engine = _engine(path)
    times = []
    with Session(engine) as session:
        for name, query in page_queries(page, ANCHOR):
            times.append((name, median_time(lambda q=query: q(session))))
    engine.dispose()
    return times


def naive_time(path: Path, page: str, *, strict: bool) -> tuple[float, bool]:
    """Median time of the naive pandas baseline of ``page``'s main figures (3 runs), and
    whether it gives the same figures as core's SQL (it must: same definitions, or the
    comparison says nothing). ``strict``: a mismatch stops the harness."""
    from sqlmodel import Session

    from bench.naive import BASELINES

    naive, sql = BASELINES[page]
    engine = _engine(path)
    expected = naive(engine, ANCHOR)
    with Session(engine) as session:
        found = sql(session, ANCHOR)
    agrees = expected == found
    if strict and not agrees:
        raise AssertionError(f"{page}: the naive baseline gives {expected}, the SQL {found}")
    result = median_time(lambda: naive(engine, ANCHOR), runs=3)
    engine.dispose()
    return result, agrees


def _fresh_app(path: Path, page: str):
    """An AppTest of ``page`` on the database at ``path``, every Streamlit cache empty."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from core.config import get_settings

    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DEMO_DATA"] = "false"
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(ROOT / page), default_timeout=600)


def page_times(path: Path, page: str) -> tuple[float, float, float]:
    """Cold time, warm median time and peak traced memory (MiB) of one page through AppTest.

    Memory is traced in a second cold run of its own: tracemalloc slows Python down (a cold
    page took 1 to 2 s longer traced), so the timed runs are not traced."""
    at = _fresh_app(path, page)
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    warm = median_time(at.run)

    at = _fresh_app(path, page)
    tracemalloc.start()
    at.run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return cold, warm, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", required=True)
    parser.add_argument("--page", action="append", choices=PAGES, help="default: every page")
    parser.add_argument("--queries", action="store_true", help="print each query's time")
    parser.add_argument("--no-write", action="store_true", help="leave the README as it is")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "README.md")
    args = parser.parse_args()
    pages = args.page or PAGES

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
        gen_cell = f"{generation:.1f}" if generation is not None else "(reused)"
        for page in pages:
            if args.queries:
                for name, seconds in query_times(path, page):
                    print(f"scale {scale:g}  {page:20} {name:42} {seconds:8.3f}", flush=True)
            sql = sql_time(path, page)
            naive, agrees = naive_time(path, page, strict=scale == 1)
            cold, warm, peak = page_times(path, page)
            naive_cell = f"{naive:.2f}{'' if agrees else ' (DIFFERS)'}"
            lines.append(
                f"| {scale:g} | {interactions:,} | {gen_cell} | {page} | {sql:.3f} | "
                f"{naive_cell} | {cold:.2f} | {warm:.3f} | {peak:.1f} |"
            )
            print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    if not args.no_write:
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
