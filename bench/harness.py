"""Benchmark harness: builds (or reuses) demo databases at given scales and measures every
dashboard page.

    python bench/harness.py --scale 1 --scale 10 --scale 310   # updates bench/README.md
    python bench/harness.py --scale 310 --queries --no-write   # each query's time, per page
    python bench/harness.py --engine sqlite --engine postgresql --scale 1 --scale 310

``--engine postgresql`` uses one database per scale, named after the base URL's
(``--postgresql-url`` or ``BENCH_POSTGRESQL_URL``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/h_l_bench``) with ``_s<scale>`` appended
(``h_l_bench_s310``), created when missing; the demo is the same seed and anchor on both.

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
    "pages/network.py",
    "pages/presentation.py",
]


DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/h_l_bench"


def database_url(engine_name: str, scale: float, pg_base: str) -> str:
    """Where the demo database of that engine and scale lives."""
    if engine_name == "sqlite":
        return f"sqlite:///{DB_DIR / f'demo-scale{scale:g}.sqlite3'}"
    url = sa_url(pg_base)
    return url.set(database=f"{url.database}_s{scale:g}".replace(".", "_")).render_as_string(
        hide_password=False
    )


def sa_url(url: str):
    import sqlalchemy as sa

    from core.db import normalise_url

    return sa.engine.make_url(normalise_url(url))


def _has_demo(url: str, scale: float) -> bool:
    """True when ``url`` holds a finished demo of ``scale`` (its info row is written last)."""
    import sqlalchemy as sa

    if url.startswith("sqlite"):
        if not Path(sa_url(url).database).exists():
            return False
    else:
        target = sa_url(url)
        admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
            ).first()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
    engine = sa.create_engine(sa_url(url))
    try:
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT value FROM datasetinfo WHERE key = 'demo'")).first()
    except sa.exc.DatabaseError:
        return False
    finally:
        engine.dispose()
    import json

    return row is not None and float(json.loads(row[0]).get("scale", -1)) == scale


def build_database(scale: float, url: str | None = None) -> tuple[str, float | None]:
    """The demo database of that scale, generated once and then reused (its schema brought to
    the newest migration on reuse, which also fills any summary a new migration adds)."""
    from core.bootstrap import init_database
    from core.db import make_engine
    from core.demo import seed_demo

    DB_DIR.mkdir(parents=True, exist_ok=True)
    url = url or database_url("sqlite", scale, DEFAULT_PG_URL)
    reuse = _has_demo(url, scale)
    engine = make_engine(url)
    init_database(engine)
    if reuse:
        engine.dispose()
        return url, None
    started = time.perf_counter()
    # On PostgreSQL the summaries are computed once after the load (their triggers, one row at
    # a time, took over 50 minutes at scale 310); the same figures (tests/test_summaries.py).
    seed_demo(engine, scale=scale, anchor=ANCHOR, defer_summaries=True)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return url, elapsed


def median_time(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _engine(url: str) -> Engine:
    from core.db import make_engine

    return make_engine(url)


def sql_time(url: str, page: str) -> float:
    """Median time of all the core queries ``page`` runs with its defaults, in one session."""
    from sqlmodel import Session

    from bench.page_queries import page_queries

    engine = _engine(url)
    queries = page_queries(page, ANCHOR)

    def run() -> None:
        with Session(engine) as session:
            for _name, query in queries:
                query(session)

    result = median_time(run)
    engine.dispose()
    return result


def query_times(url: str, page: str) -> list[tuple[str, float]]:
    """Median time of each core query of ``page`` on its own: which one dominates."""
    from sqlmodel import Session

    from bench.page_queries import page_queries

    engine = _engine(url)
    times = []
    with Session(engine) as session:
        for name, query in page_queries(page, ANCHOR):
            times.append((name, median_time(lambda q=query: q(session))))
    engine.dispose()
    return times


def naive_time(url: str, page: str, *, strict: bool) -> tuple[float, bool]:
    """Median time of the naive pandas baseline of ``page``'s main figures (3 runs), and
    whether it gives the same figures as core's SQL (it must: same definitions, or the
    comparison says nothing). ``strict``: a mismatch stops the harness."""
    from sqlmodel import Session

    from bench.naive import BASELINES

    naive, sql = BASELINES[page]
    engine = _engine(url)
    expected = naive(engine, ANCHOR)
    with Session(engine) as session:
        found = sql(session, ANCHOR)
    agrees = expected == found
    if strict and not agrees:
        raise AssertionError(f"{page}: the naive baseline gives {expected}, the SQL {found}")
    result = median_time(lambda: naive(engine, ANCHOR), runs=3)
    engine.dispose()
    return result, agrees


def _fresh_app(url: str, page: str):
    """An AppTest of ``page`` on the database at ``url``, every Streamlit cache empty."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from components.auth import USER_KEY
    from core.config import get_settings
    from core.permissions import SignedIn
    from models import Role

    BENCH_USER = SignedIn(id=0, username="bench", display_name="Bench", role=Role.ADMIN)
    os.environ["DATABASE_URL"] = url
    os.environ["DEMO_DATA"] = "false"
    os.environ.setdefault("LOG_LEVEL", "warning")
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / page), default_timeout=600)
    at.session_state[USER_KEY] = BENCH_USER  # pages open only to a signed-in user
    return at


def _check_drawn(at, page: str) -> None:
    """The page drew its dashboard, not a sign-in form or a refusal."""
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    if at.get("text_input") and any(w.type == "password" for w in at.text_input):
        raise RuntimeError(f"{page}: the page asked to sign in")
    if len(list(at.main)) < 4:
        raise RuntimeError(f"{page}: the page drew {len(list(at.main))} elements only")
    if page == "pages/network.py" and len(at.metric) < 3:
        # "no chamber in the period" (an info box) would draw enough elements too
        raise RuntimeError(f"{page}: the network's three totals are missing")
    if page == "pages/presentation.py":
        # It opens on its set-up (no slide until the presenter starts): the deck's choices and
        # the start button, enabled (slides chosen), are what a first view must draw.
        keys = {w.key for w in at.main.button} | {w.key for w in at.main.multiselect}
        if not {"deck_start", "deck_slides"} <= keys or at.button(key="deck_start").disabled:
            raise RuntimeError(f"{page}: the set-up's slides or start button are missing")


def page_times(url: str, page: str) -> tuple[float, float, float]:
    """Cold time, warm median time and peak traced memory (MiB) of one page through AppTest.

    Memory is traced in a second cold run of its own: tracemalloc slows Python down (a cold
    page took 1 to 2 s longer traced), so the timed runs are not traced."""
    at = _fresh_app(url, page)
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    _check_drawn(at, page)
    warm = median_time(at.run)

    at = _fresh_app(url, page)
    tracemalloc.start()
    at.run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return cold, warm, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", required=True)
    parser.add_argument(
        "--engine", action="append", choices=["sqlite", "postgresql"], help="default: sqlite"
    )
    parser.add_argument(
        "--postgresql-url",
        default=os.environ.get("BENCH_POSTGRESQL_URL", DEFAULT_PG_URL),
        help="base URL of the PostgreSQL databases (one per scale: _s<scale> appended)",
    )
    parser.add_argument("--page", action="append", choices=PAGES, help="default: every page")
    parser.add_argument("--queries", action="store_true", help="print each query's time")
    parser.add_argument("--no-write", action="store_true", help="leave the README as it is")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "README.md")
    args = parser.parse_args()
    pages = args.page or PAGES
    engines = args.engine or ["sqlite"]

    lines = [
        f"Measured {date.today().isoformat()} on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{' and '.join(server_version(e, args.postgresql_url) for e in engines)}), "
        f"demo anchored on {ANCHOR.isoformat()}; load average at the start "
        f"{load_average()}.",
        "",
        "| scale | engine | interactions | generation (s) | page | SQL alone (s) | "
        "naive pandas (s) | naive / SQL | cold (s) | warm (s) | peak memory (MiB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scale in args.scale:
        for engine_name in engines:
            url, generation = build_database(
                scale, database_url(engine_name, scale, args.postgresql_url)
            )
            interactions = count_interactions(url)
            gen_cell = f"{generation:.1f}" if generation is not None else "(reused)"
            for page in pages:
                if args.queries:
                    for name, seconds in query_times(url, page):
                        print(
                            f"scale {scale:g} {engine_name:10} {page:20} {name:42} {seconds:8.3f}",
                            flush=True,
                        )
                sql = sql_time(url, page)
                naive, agrees = naive_time(url, page, strict=scale == 1)
                cold, warm, peak = page_times(url, page)
                naive_cell = f"{naive:.2f}{'' if agrees else ' (DIFFERS)'}"
                lines.append(
                    f"| {scale:g} | {engine_name} | {interactions:,} | {gen_cell} | {page} | "
                    f"{sql:.3f} | {naive_cell} | {naive / sql:.0f}× | {cold:.2f} | "
                    f"{warm:.3f} | {peak:.1f} |"
                )
                print(lines[-1], flush=True)
    lines += ["", f"Load average at the end: {load_average()}."]
    text = "\n".join(lines) + "\n"
    if not args.no_write:
        write_results(args.out, text)
    print(text)


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def server_version(engine_name: str, pg_base: str) -> str:
    import sqlite3

    import sqlalchemy as sa

    if engine_name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    engine = sa.create_engine(sa_url(pg_base).set(database="postgres"))
    with engine.connect() as conn:
        version = conn.execute(sa.text("SHOW server_version")).scalar_one()
    engine.dispose()
    return f"PostgreSQL {version.split()[0]}"


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


def count_interactions(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(sa_url(url))
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM interaction")).scalar_one()
    engine.dispose()
    return count


if __name__ == "__main__":
    main()
