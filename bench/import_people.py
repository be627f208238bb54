"""The size target of issue 10: a people file of 100,000 rows naming 30,000 organisations not
on record, read, checked (the dry run) and imported, each timed, with the process's peak
memory (resident set, which includes SQLite's and openpyxl's own memory).

    python bench/import_people.py                       # SQLite, in bench/dbs/
    python bench/import_people.py --rows 20000 --organisations 6000
    python bench/import_people.py --database-url postgresql+psycopg://postgres@127.0.0.1/x

The database starts with the demo portfolio at scale 1 (its ≈ 300 organisations are there to
be matched: one row in ten names one of them by its website). The load average before and
after is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
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
    engine = make_engine(url)
    init_database(engine)
    from core.demo import seed_demo

    seed_demo(engine, scale=1.0, seed=42)
    with Session(engine) as session:
        existing = [(n, d) for n, d in session.exec(select(Organisation.name, Organisation.domain))]
    data = people_file(args.rows, args.organisations, existing)
    print(f"file: {len(data) / 1e6:.1f} MB, {args.rows} rows")
    started = time.perf_counter()
    table = read_table(data, "people.csv")
    read_s = time.perf_counter() - started
    with Session(engine) as session:
        act_as(session, COMMAND_LINE)
        started = time.perf_counter()
        plan = plan_import(session, table, guess_mapping(table.headers, "people"), "people",
                           source="bench")  # fmt: skip
        plan_s = time.perf_counter() - started
        totals = plan.totals()
        started = time.perf_counter()
        report = apply_import(session, plan, author="bench")
        apply_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("totals:", totals)
    print(f"created {report.created} people, {report.organisations} organisations")
    print(f"read {read_s:.1f} s, dry run {plan_s:.1f} s, import {apply_s:.1f} s")
    print(f"peak resident memory {peak_mb:.0f} MB")
    print("load average at end:", os.getloadavg())
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
