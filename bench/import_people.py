"""The size target of issue 10: a people file of 100,000 rows naming 30,000 organisations not
on record, read, checked (the dry run) and imported, each timed, with the process's peak
memory (resident set, which includes SQLite's and openpyxl's own memory).

    python bench/import_people.py                       # SQLite, in bench/dbs/
    python bench/import_people.py --rows 20000 --organisations 6000
    python bench/import_people.py --database-url postgresql+psycopg://postgres@127.0.0.1/x

The database starts with the demo portfolio at scale 1 (its ≈ 300 organisations are there to
be matched: one row in ten names one of them by its website), seeded by a child process so
that the peak memory measured is the import's (the libraries an import loads, the file, the
plan), not the demo generator's. Each step's wall time and this process's CPU time (user +
system: the fairer figure when the machine is loaded) are printed, with the load average
before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session, select  # noqa: E402

from core.bootstrap import init_database  # noqa: E402
from core.db import make_engine  # noqa: E402
from core.importing import apply_import, guess_mapping, plan_import, read_table  # noqa: E402
from core.permissions import COMMAND_LINE, act_as  # noqa: E402
from models import Organisation  # noqa: E402

COUNTRIES = [("Inde", "IN", "98200 {:05d}"), ("Émirats arabes unis", "AE", "050 12{:05d}"),
             ("China", "CN", ""), ("Allemagne", "DE", ""), ("US", "US", "")]  # fmt: skip
WORDS = "alpha nova delta orion atlas zenith helio quantum terra vega lumen astra".split()
KINDS = "Technologies Solutions Systems Energy Robotics Labs Foods Logistics".split()


def people_file(rows: int, organisations: int, existing: list[tuple[str, str]]) -> bytes:
    """A French Excel-style CSV (";", cp1252): ``rows`` people of ``organisations`` new
    companies (names, half with a website), one row in ten of a company on record."""
    rng = random.Random(7)
    lines = ["Prénom;Nom;E-mail;Société;Site web;Pays;Téléphone;Fonction"]
    for i in range(rows):
        country, _iso, phone = COUNTRIES[i % len(COUNTRIES)]
        if existing and i % 10 == 9:
            name, domain = existing[i % len(existing)]
            site = domain or ""
        else:
            n = i % organisations
            country, _iso, phone = COUNTRIES[n % len(COUNTRIES)]
            name = f"{WORDS[n % 12].title()} {KINDS[n // 12 % 8]} {n:05d} Pvt Ltd"
            site = f"https://www.{WORDS[n % 12]}-{n:05d}.example.com/" if n % 2 else ""
        tel = phone.format(rng.randrange(100_000)) if phone else ""
        lines.append(
            f"Prénom{i};Nom{i};p{i}@people-{i % 997}.example.org;{name};{site};{country};"
            f"{tel};Directeur"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _seed(url: str) -> None:
    from core.demo import seed_demo

    engine = make_engine(url)
    init_database(engine)
    seed_demo(engine, scale=1.0, seed=42)
    engine.dispose()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Step:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> _Step:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.1f} s (CPU {self.cpu:.1f} s)"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=30_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url
    if url is None:
        path = Path(__file__).parent / "dbs" / "import-bench.sqlite3"
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    print("load average at start:", os.getloadavg())
    seeding = multiprocessing.get_context("spawn").Process(target=_seed, args=(url,))
    seeding.start()
    seeding.join()
    if seeding.exitcode:
        return seeding.exitcode
    engine = make_engine(url)
    with Session(engine) as session:
        existing = [(n, d) for n, d in session.exec(select(Organisation.name, Organisation.domain))]
    data = people_file(args.rows, args.organisations, existing)
    print(f"file: {len(data) / 1e6:.1f} MB, {args.rows} rows; memory before reading it "
          f"{_rss_mb():.0f} MB")  # fmt: skip
    with _Step() as read:
        table = read_table(data, "people.csv")
    with Session(engine) as session:
        act_as(session, COMMAND_LINE)
        with _Step() as dry_run:
            mapping = guess_mapping(table.headers, "people")
            plan = plan_import(session, table, mapping, "people", source="bench")
        totals = plan.totals()
        with _Step() as imported:
            report = apply_import(session, plan, author="bench")
    print("totals:", totals)
    print(f"created {report.created} people, {report.organisations} organisations")
    print(f"read {read}, dry run {dry_run}, import {imported}")
    print(f"peak resident memory {_rss_mb():.0f} MB")
    print("load average at end:", os.getloadavg())
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
