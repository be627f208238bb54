"""Writers' latency: 8 staff members logging meetings at once on a demo database, each through
the one write path (``core.meetings.log_meeting``, its own session per meeting), while the
triggers of migration 0013 keep the summaries current in the same transaction.

    python bench/writers.py --scale 310 --engine sqlite --engine postgresql

Prints, per engine, the median, p95 and maximum time of one meeting logged (from the call to
the commit) and the meetings per second. The meetings are written to random organisations of
the demo, dated in the current year, then removed (their summaries follow, through the same
triggers), so the demo database stays as generated.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
from contextlib import nullcontext
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import ANCHOR, DEFAULT_PG_URL, database_url, load_average  # noqa: E402

AUTHOR = "bench-writer"


def _writer(url: str, number: int, each: int, top: int, wait, serialise) -> list[float]:
    """One staff member logging ``each`` meetings; each one's latency (call to commit)."""
    from sqlmodel import Session

    from core.db import make_engine
    from core.meetings import log_meeting
    from core.permissions import SignedIn, act_as
    from models import InteractionCreate, Role

    engine = make_engine(url)
    staff = SignedIn(0, AUTHOR, AUTHOR, Role.STAFF)
    rng = random.Random(number)
    latencies = []
    wait()
    for i in range(each):
        meeting = InteractionCreate(
            occurred_on=date(ANCHOR.year, rng.randint(1, ANCHOR.month - 1), 1 + i % 28),
            organisation_id=rng.randint(1, top),
            summary=f"writer {number} meeting {i}",
            author=AUTHOR,
        )
        started = time.perf_counter()
        with serialise, act_as(Session(engine), staff) as session:
            log_meeting(session=session, meeting=meeting)
        latencies.append(time.perf_counter() - started)
    engine.dispose()
    return latencies


def _process_writer(url, number, each, top, barrier, results) -> None:
    try:
        results.put((number, _writer(url, number, each, top, barrier.wait, nullcontext())))
    except BaseException as error:  # reported by the parent
        results.put((number, repr(error)))


def run(
    url: str, threads: int, each: int, *, processes: bool = False, serialise: bool = False
) -> dict[str, float]:
    """``threads`` writers at once: threads of this process, or ``processes`` of their own
    (then the GIL and this process's CPU are not shared: the database's own work is what is
    measured). ``serialise``: the threads take one lock of this process around each write (as
    a server process could for SQLite's single writer), instead of SQLite's busy handler."""
    import sqlalchemy as sa

    from core.db import make_engine
    from core.summaries import summary_differences
    from models import Interaction, Organisation

    engine = make_engine(url)
    with engine.connect() as conn:
        top = conn.execute(sa.select(sa.func.max(Organisation.id))).scalar_one()
    latencies: list[float] = []
    errors: list[BaseException | str] = []
    started = time.perf_counter()
    if processes:
        context = multiprocessing.get_context("fork")
        barrier, results = context.Barrier(threads), context.Queue()
        workers = [
            context.Process(target=_process_writer, args=(url, n, each, top, barrier, results))
            for n in range(threads)
        ]
        for worker in workers:
            worker.start()
        for _ in workers:
            _number, found = results.get()
            if isinstance(found, str):
                errors.append(found)
            else:
                latencies += found
        for worker in workers:
            worker.join()
    else:
        barrier = threading.Barrier(threads)
        lock = threading.Lock() if serialise else nullcontext()
        done = threading.Lock()

        def write(number: int) -> None:
            try:
                found = _writer(url, number, each, top, barrier.wait, lock)
                with done:
                    latencies.extend(found)
            except BaseException as error:  # reported below
                errors.append(error)

        workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    wall = time.perf_counter() - started
    with engine.begin() as conn:  # the demo as generated again (the triggers follow)
        conn.execute(sa.delete(Interaction).where(Interaction.author == AUTHOR))
    if errors:
        raise RuntimeError(errors[0])
    differences = summary_differences(engine) if os.environ.get("BENCH_CHECK") else None
    engine.dispose()
    latencies.sort()
    return {
        "median": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "max": latencies[-1],
        "per_second": len(latencies) / wall,
        "differences": differences,
        "histogram": histogram(latencies),
    }


def histogram(latencies: list[float]) -> str:
    """How many latencies fall in each band (ms): where the tail sits."""
    bands = [5, 10, 20, 30, 40, 50, 60, 80, 100, 150, 250, 500, 1000]
    counts, low = [], 0
    for high in [*bands, float("inf")]:
        n = sum(1 for x in latencies if low <= x * 1000 < high)
        if n:
            counts.append(f"{low:g}-{high:g}: {n}")
        low = high
    return ", ".join(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--engine", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgresql-url", default=os.environ.get("BENCH_POSTGRESQL_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--each", type=int, default=50)
    parser.add_argument("--processes", action="store_true", help="one process per writer")
    parser.add_argument(
        "--serialise", action="store_true", help="threads: one lock around each write"
    )
    args = parser.parse_args()
    for engine_name in args.engine or ["sqlite"]:
        url = database_url(engine_name, args.scale, args.postgresql_url)
        before = load_average()
        result = run(
            url, args.threads, args.each, processes=args.processes, serialise=args.serialise
        )
        print(
            f"scale {args.scale:g} {engine_name}: {args.threads} writers x {args.each} meetings: "
            f"median {result['median'] * 1000:.0f} ms, p95 {result['p95'] * 1000:.0f} ms, "
            f"max {result['max'] * 1000:.0f} ms, {result['per_second']:.0f} meetings/s "
            f"({'processes' if args.processes else 'threads'}"
            f"{', serialised' if args.serialise else ''}; ms bands {result['histogram']}) "
            f"(load average {before} before, {load_average()} after)"
            + (
                f"; summaries' differences {result['differences']}" if result["differences"] else ""
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
