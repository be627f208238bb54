"""The one command line of the dashboard.

python manage.py init                      schema to head + reference data (idempotent)
python manage.py seed-demo [--scale N]     replace the demo portfolio (fictional data)
python manage.py clear-demo                remove every demo row, keep real data
python manage.py status                    what the database holds
python manage.py import FILE --kind organisations|people|interactions [--dry-run] [--author NAME]
                                           a CSV or Excel file, checked row by row first
python manage.py export [--format csv|xlsx] [--output PATH]
                                           the whole database, a CSV file per table (zip)
                                           or a sheet per table (Excel)
python manage.py audit [--table T] [--record ID] [--actor NAME] [--since D] [--until D]
                                           the audit trail: who changed what, before/after
python manage.py restore ENTRY FIELD --author NAME
                                           put back a value changed by a mistaken write
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from sqlmodel import Session

from core.bootstrap import init_database
from core.config import get_settings
from core.db import make_engine
from core.importing import KINDS


def cmd_init(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url)
    counts = init_database(engine)
    print("Schema up to date. Reference data:", ", ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from core.demo import seed_demo

    engine = make_engine(args.database_url)
    init_database(engine)
    anchor = date.fromisoformat(args.anchor) if args.anchor else None
    summary = seed_demo(engine, scale=args.scale, seed=args.seed, anchor=anchor, progress=print)
    print(summary)
    return 0


def cmd_clear_demo(args: argparse.Namespace) -> int:
    from core.demo import clear_demo

    engine = make_engine(args.database_url)
    clear_demo(engine)
    print("Demo data removed.")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from core.demo import get_demo_info

    engine = make_engine(args.database_url)
    init_database(engine)
    with Session(engine) as session:
        info = get_demo_info(session)
    print("Database:", engine.url.render_as_string(hide_password=True))
    print("Demo data:", info if info else "none")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.importing import (
        apply_import,
        error_text,
        guess_mapping,
        plan_import,
        read_table,
    )

    path = Path(args.file)
    table = read_table(path.read_bytes(), path.name)
    mapping = guess_mapping(table.headers, args.kind)
    print("Columns:", ", ".join(f"{name} <- {header!r}" for name, header in mapping.items()))
    engine = make_engine(args.database_url)
    init_database(engine)
    with Session(engine) as session:
        plan = plan_import(session, table, mapping, args.kind)
        for row in plan.rows:
            if row.rejected:
                errors = "; ".join(f"{f}: {error_text(c, p)}" for f, c, p in row.errors)
                print(f"line {row.line}: rejected: {errors}")
        print(
            f"{plan.count('create')} to create, {plan.count('exists')} already there, "
            f"{plan.count('rejected')} rejected"
        )
        if not args.dry_run:
            report = apply_import(session, plan, author=args.author)
            print(f"Created {report.created}.")
    return 1 if plan.count("rejected") else 0


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.dump import export_csv_zip, export_workbook

    engine = make_engine(args.database_url)
    init_database(engine)
    suffix = ".zip" if args.format == "csv" else ".xlsx"
    path = Path(args.output or f"dashboard-export-{date.today().isoformat()}{suffix}")
    write = export_csv_zip if args.format == "csv" else export_workbook
    counts = write(engine, path)
    print(f"Written {path}: " + ", ".join(f"{name}={n}" for name, n in counts.items()))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from core.audit import AuditFilters, list_entries

    filters = AuditFilters(
        table_name=args.table,
        row_key=args.record,
        actor=args.actor,
        since=date.fromisoformat(args.since) if args.since else None,
        until=date.fromisoformat(args.until) if args.until else None,
    )
    engine = make_engine(args.database_url)
    init_database(engine)
    with Session(engine) as session:
        entries = list_entries(session, filters, limit=args.limit)
    for e in entries:
        print(
            f"#{e.id} {e.at:%Y-%m-%d %H:%M:%S} {e.actor} {e.action.value} "
            f"{e.table_name} {e.row_key} before={e.before} after={e.after}"
        )
    print(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from core.audit import restore_value

    engine = make_engine(args.database_url)
    init_database(engine)
    with Session(engine) as session:
        try:
            restore_value(session, entry_id=args.entry, field=args.field, actor=args.author)
        except (LookupError, ValueError) as error:
            print(f"Not restored: {error}", file=sys.stderr)
            return 1
    print(f"Restored {args.field} as it was before entry #{args.entry}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="manage.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=None, help="overrides the DATABASE_URL setting for this command"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="upgrade the schema and load reference data").set_defaults(
        func=cmd_init
    )
    seed = sub.add_parser("seed-demo", help="(re)generate the fictional demo portfolio")
    seed.add_argument("--scale", type=float, default=settings.demo_scale)
    seed.add_argument("--seed", type=int, default=settings.demo_seed)
    seed.add_argument("--anchor", help="the demo's 'today' (YYYY-MM-DD); default: today")
    seed.set_defaults(func=cmd_seed_demo)
    sub.add_parser("clear-demo", help="remove every demo row").set_defaults(func=cmd_clear_demo)
    sub.add_parser("status", help="show what the database holds").set_defaults(func=cmd_status)
    imp = sub.add_parser("import", help="import organisations, people or meetings (CSV/Excel)")
    imp.add_argument("file")
    imp.add_argument("--kind", choices=KINDS, required=True)
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.add_argument("--author", default="import", help="recorded as the source of the rows")
    imp.set_defaults(func=cmd_import)
    export = sub.add_parser("export", help="the whole database as CSV files or an Excel workbook")
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("--output", help="the file to write (default: dashboard-export-DATE)")
    export.set_defaults(func=cmd_export)
    audit = sub.add_parser("audit", help="the audit trail, newest first")
    audit.add_argument("--table", help="e.g. organisation, person, project, interaction")
    audit.add_argument("--record", help="the record's key (its id)")
    audit.add_argument("--actor")
    audit.add_argument("--since", help="YYYY-MM-DD")
    audit.add_argument("--until", help="YYYY-MM-DD (inclusive)")
    audit.add_argument("--limit", type=int, default=200)
    audit.set_defaults(func=cmd_audit)
    restore = sub.add_parser("restore", help="put back a field's value from before an entry")
    restore.add_argument("entry", type=int, help="the audit entry's number")
    restore.add_argument("field", help="the field to put back")
    restore.add_argument("--author", required=True, help="who restores (recorded)")
    restore.set_defaults(func=cmd_restore)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
