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
import os
import random
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import ANCHOR, DEFAULT_PG_URL, database_url, load_average  # noqa: E402

AUTHOR = "bench-writer"


def run(url: str, threads: int, each: int) -> dict[str, float]:
    import sqlalchemy as sa
    from sqlmodel import Session

    from core.db import make_engine
    from core.meetings import log_meeting
    from core.permissions import SignedIn, act_as
    from core.summaries import summary_differences
    from models import Interaction, InteractionCreate, Organisation, Role

    engine = make_engine(url)
    with engine.connect() as conn:
        top = conn.execute(sa.select(sa.func.max(Organisation.id))).scalar_one()
    staff = SignedIn(0, AUTHOR, AUTHOR, Role.STAFF)
    latencies: list[float] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)
    lock = threading.Lock()

    def write(number: int) -> None:
        rng = random.Random(number)
        try:
            barrier.wait()
            for i in range(each):
                meeting = InteractionCreate(
                    occurred_on=date(ANCHOR.year, rng.randint(1, ANCHOR.month - 1), 1 + i % 28),
                    organisation_id=rng.randint(1, top),
                    summary=f"writer {number} meeting {i}",
                    author=AUTHOR,
                )
                started = time.perf_counter()
                with act_as(Session(engine), staff) as session:
                    log_meeting(session=session, meeting=meeting)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
        except BaseException as error:  # reported below
            errors.append(error)

    started = time.perf_counter()
    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    with engine.begin() as conn:  # the demo as generated again (the triggers follow)
        conn.execute(sa.delete(Interaction).where(Interaction.author == AUTHOR))
    if errors:
        raise errors[0]
    differences = summary_differences(engine) if os.environ.get("BENCH_CHECK") else None
    engine.dispose()
    latencies.sort()
    return {
        "median": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "max": latencies[-1],
        "per_second": len(latencies) / wall,
        "differences": differences,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--engine", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgresql-url", default=os.environ.get("BENCH_POSTGRESQL_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--each", type=int, default=50)
    args = parser.parse_args()
    for engine_name in args.engine or ["sqlite"]:
        url = database_url(engine_name, args.scale, args.postgresql_url)
        before = load_average()
        result = run(url, args.threads, args.each)
        print(
            f"scale {args.scale:g} {engine_name}: {args.threads} writers x {args.each} meetings: "
            f"median {result['median'] * 1000:.0f} ms, p95 {result['p95'] * 1000:.0f} ms, "
            f"max {result['max'] * 1000:.0f} ms, {result['per_second']:.0f} meetings/s "
            f"(load average {before} before, {load_average()} after)"
            + (
                f"; summaries' differences {result['differences']}" if result["differences"] else ""
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
