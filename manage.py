"""The one command line of the dashboard.

python manage.py init                      schema to head + reference data (idempotent)
python manage.py seed-demo [--scale N]     replace the demo portfolio (fictional data; on
       [--defer-summaries]                 PostgreSQL only with DEMO_DATA=true; large scales
                                           there: summaries computed once after the load)
python manage.py clear-demo                remove every demo row, keep real data
python manage.py status                    what the database holds
python manage.py rebuild-summaries         recompute what the database keeps summarised
                                           (stage stays' ends, meetings per year, month and
                                           origin, organisations' last meetings and years,
                                           projects' pipeline entries and furthest stages)
python manage.py import FILE --kind organisations|people|interactions [--mission ID]
       [--dry-run] [--valid-only] [--source TEXT] [--lawful-basis B] [--author NAME]
                                           a CSV or Excel file, checked row by row first;
                                           all or nothing unless --valid-only
python manage.py export [--format csv|xlsx] [--output PATH]
                                           the whole database, a CSV file per table (zip)
                                           or a sheet per table (Excel)
python manage.py audit [--table T] [--record ID] [--actor NAME] [--since D] [--until D]
                                           the audit trail: who changed what, before/after
python manage.py backup FILE               a consistent copy of the whole database (online)
python manage.py restore FILE [--force]    the database from a backup (refused over a database
                                           that is not empty, unless --force)
python manage.py restore ENTRY FIELD --author NAME
                                           put back a value changed by a mistaken write
python manage.py person-export ID | anonymise ID --author NAME | retention
                                           personal data (GDPR): export, anonymise, retention
python manage.py requests list|open|add|close  the register of data-subject requests
python manage.py create-user NAME --role viewer|staff|admin|partner [--chamber ID]
                           [--name "Display Name"]
                                           a local account; the password is asked twice (a
                                           partner's account needs its chamber's id)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlmodel import Session

from core import clock
from core.bootstrap import init_database
from core.config import get_settings
from core.db import make_engine
from core.importing import KINDS
from core.permissions import COMMAND_LINE, act_as
from models import LawfulBasis


@contextmanager
def _session(args: argparse.Namespace) -> Iterator[Session]:
    """A session on the command's database, its schema brought to head first."""
    engine = make_engine(args.database_url)
    init_database(engine)
    with Session(engine) as session:
        yield act_as(session, COMMAND_LINE)  # the operator of the server administers it
    engine.dispose()


def cmd_init(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url)
    counts = init_database(engine)
    print("Schema up to date. Reference data:", ", ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from core.demo import seed_demo

    if not get_settings().demo_allowed(args.database_url):
        print(
            "Refused: demo data bring password-less demo accounts. They are allowed by default "
            "only on an embedded SQLite file; set DEMO_DATA=true to load them on this database.",
            file=sys.stderr,
        )
        return 2
    engine = make_engine(args.database_url)
    init_database(engine)
    anchor = date.fromisoformat(args.anchor) if args.anchor else None
    summary = seed_demo(
        engine,
        scale=args.scale,
        seed=args.seed,
        anchor=anchor,
        progress=print,
        defer_summaries=args.defer_summaries,
    )
    print(summary)
    return 0


def cmd_clear_demo(args: argparse.Namespace) -> int:
    from core.demo import clear_demo

    engine = make_engine(args.database_url)
    clear_demo(engine)
    print("Demo data removed.")
    return 0


def cmd_rebuild_summaries(args: argparse.Namespace) -> int:
    from core.summaries import rebuild_summaries

    engine = make_engine(args.database_url)
    init_database(engine)
    changed = rebuild_summaries(engine)
    print(
        f"Summaries rebuilt: {changed['stage_stays']} stage stays, "
        f"{changed['meeting_counts']} yearly or monthly meeting counts and "
        f"{changed['organisations_met']} organisations' last meetings and "
        f"{changed['organisation_years']} organisations' years met were wrong."
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from core.demo import get_demo_info

    with _session(args) as session:
        info = get_demo_info(session)
        url = session.get_bind().url.render_as_string(hide_password=True)
    print("Database:", url)
    print("Demo data:", info if info else "none")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.errors import RuleError
    from core.importing import (
        apply_import,
        check_mapping,
        guess_mapping,
        plan_import,
        read_table,
        row_status,
    )

    path = Path(args.file)
    try:
        table = read_table(path.read_bytes(), path.name)
        mapping = guess_mapping(table.headers, args.kind)
        check_mapping(mapping, args.kind)
    except RuleError as error:
        print(f"{path.name}: {error}", file=sys.stderr)
        return 2
    print("Columns:", ", ".join(f"{name} <- {header!r}" for name, header in mapping.items()))
    options = {"source": args.source, "lawful_basis": args.lawful_basis}
    with _session(args) as session:
        try:
            plan = plan_import(
                session, table, mapping, args.kind, mission_id=args.mission,
                progress=_progress("checked"), **options,
            )  # fmt: skip
        except RuleError as error:
            print(error, file=sys.stderr)
            return 2
        for row in plan.rows:
            if row.rejected or row.action == "choose":
                print(f"line {row.line}: {row_status(row, 'en')}")
        totals = plan.totals()
        print(
            f"{plan.count('create')} to create, {plan.count('exists')} already there, "
            f"{plan.count('rejected')} rejected"
            + (
                f"; {totals['organisations']} new organisations, {totals['matched']} matched, "
                f"{totals['to_choose']} to choose"
                if args.kind != "organisations"
                else ""
            )
        )
        if not args.dry_run:
            try:
                report = apply_import(
                    session, plan, author=args.author, all_or_nothing=not args.valid_only,
                    progress=_progress("written"),
                )  # fmt: skip
            except RuleError as error:
                print(error, file=sys.stderr)
                return 1
            print(
                f"Created {report.created}, organisations {report.organisations}, "
                f"attendances {report.attendances}."
            )
    return 1 if plan.count("rejected") or plan.count("choose") else 0


def _progress(what: str):
    """A progress line on stderr, rewritten in place (a terminal's progress bar)."""

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        bar = "#" * filled + "-" * (width - filled)
        print(f"\r[{bar}] {done}/{total} {what}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.dump import export_csv_zip, export_workbook

    engine = make_engine(args.database_url)
    init_database(engine)
    suffix = ".zip" if args.format == "csv" else ".xlsx"
    path = Path(args.output or f"dashboard-export-{clock.today().isoformat()}{suffix}")
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
    with _session(args) as session:
        entries = list_entries(session, filters, limit=args.limit)
    for e in entries:
        print(
            f"#{e.id} {e.at:%Y-%m-%d %H:%M:%S} {e.actor} {e.action.value} "
            f"{e.table_name} {e.row_key} before={e.before} after={e.after}"
        )
    print(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from core.backup import BackupError, backup

    engine = make_engine(args.database_url)
    try:
        result = backup(engine, args.file)
    except BackupError as error:
        print(f"No backup: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"Backup of the {result.engine} database written to {result.path} "
        f"({result.size} bytes, schema {result.schema_version})."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``restore FILE [--force]``: the whole database from a backup; ``restore ENTRY FIELD
    --author NAME``: one value from before an audit entry."""
    if args.field is None:
        return _restore_database(args)
    from core.audit import restore_value

    if not args.target.isdigit() or not args.author:
        print(
            "Not restored: give the audit entry's number, the field and --author", file=sys.stderr
        )
        return 2
    entry = int(args.target)
    with _session(args) as session:
        try:
            restore_value(session, entry_id=entry, field=args.field, actor=args.author)
        except (LookupError, ValueError) as error:
            print(f"Not restored: {error}", file=sys.stderr)
            return 1
    print(f"Restored {args.field} as it was before entry #{entry}.")
    return 0


def _restore_database(args: argparse.Namespace) -> int:
    from core.backup import BackupError, restore

    engine = make_engine(args.database_url)
    try:
        result = restore(engine, args.target, force=args.force)
    except BackupError as error:
        print(f"Not restored: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Database restored from {result.path} (schema {result.schema_version}).")
    return 0


def cmd_person_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.personal_data import export_person, person_export_json, person_export_text

    with _session(args) as session:
        try:
            data = export_person(session, args.person)
        except LookupError as error:
            print(error, file=sys.stderr)
            return 1
    stem = Path(args.output or f"person-{args.person}")
    stem.with_suffix(".json").write_bytes(person_export_json(data))
    text = person_export_text(data, get_settings().agency_name)
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    print(f"Written {stem.with_suffix('.json')} and {stem.with_suffix('.md')}")
    return 0


def cmd_anonymise(args: argparse.Namespace) -> int:
    from core.personal_data import anonymise_person

    with _session(args) as session:
        try:
            anonymise_person(session, person_id=args.person, author=args.author)
        except (LookupError, ValueError) as error:
            print(f"Not anonymised: {error}", file=sys.stderr)
            return 1
    print(f"Person {args.person} anonymised; their meetings and counts stay.")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from core.personal_data import list_retention_due

    with _session(args) as session:
        due = list_retention_due(session, clock.today(), years=args.years)
    for p in due:
        last = p["last_contact_on"].isoformat() if p["last_contact_on"] else "never"
        print(f"{p['id']}\t{p['name']}\t{p['organisation'] or '-'}\tlast contact: {last}")
    print(f"{len(due)} person(s) without a contact they initiated for {args.years} years")
    return 0


def cmd_requests(args: argparse.Namespace) -> int:
    from core.personal_data import close_request, create_request, list_requests
    from models import DataRequestCreate, RequestKind, RequestStatus

    with _session(args) as session:
        try:
            if args.action == "add":
                request = create_request(
                    session,
                    data=DataRequestCreate(
                        person_id=args.person,
                        requester=args.requester,
                        kind=RequestKind(args.kind),
                        received_on=date.fromisoformat(args.received),
                    ),
                    author=args.author,
                )
                print(f"Request {request.id} recorded, due on {request.due_on.isoformat()}")
            elif args.action == "close":
                close_request(
                    session,
                    request_id=args.id,
                    status=RequestStatus(args.status),
                    closed_on=clock.today(),
                    author=args.author,
                )
                print(f"Request {args.id} closed ({args.status})")
            for r in list_requests(session, clock.today(), open_only=args.action != "list"):
                late = " OVERDUE" if r["overdue"] else ""
                print(
                    f"{r['id']}\t{r['kind']}\t{r['requester']}\treceived {r['received_on']}"
                    f"\tdue {r['due_on']}\t{r['status']}{late}"
                )
        except (LookupError, ValueError) as error:
            print(f"Refused: {error}", file=sys.stderr)
            return 1
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    import getpass

    from core.auth import create_user
    from models import Role

    password: str | None
    if args.sso:
        if not args.email:
            print("A single-sign-on account needs --email: nothing created.", file=sys.stderr)
            return 1
        password = None  # signs in only through the identity provider
    elif args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (10 characters or more): ")
        if getpass.getpass("Again: ") != password:
            print("The two passwords differ: nothing created.", file=sys.stderr)
            return 1
    with _session(args) as session:
        try:
            user = create_user(
                session,
                username=args.username,
                display_name=args.name or args.username,
                role=Role(args.role),
                password=password,
                email=args.email.strip().lower() if args.email else None,
                author="manage.py create-user",
                chamber_id=args.chamber,
            )
        except ValueError as error:
            print(f"Not created: {error}", file=sys.stderr)
            return 1
    print(f"Account {user.username} ({user.role.value}) created.")
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
    seed.add_argument(
        "--defer-summaries",
        action="store_true",
        help="PostgreSQL: load with the summaries' triggers off, then compute them once "
        "(large scales)",
    )
    seed.set_defaults(func=cmd_seed_demo)
    sub.add_parser("clear-demo", help="remove every demo row").set_defaults(func=cmd_clear_demo)
    sub.add_parser("status", help="show what the database holds").set_defaults(func=cmd_status)
    sub.add_parser(
        "rebuild-summaries", help="recompute what the database keeps summarised (0013-0018)"
    ).set_defaults(func=cmd_rebuild_summaries)
    imp = sub.add_parser("import", help="import organisations, people or meetings (CSV/Excel)")
    imp.add_argument("file")
    imp.add_argument("--kind", choices=KINDS, required=True)
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.add_argument(
        "--valid-only",
        action="store_true",
        help="import the valid rows and report the others (default: all or nothing)",
    )
    imp.add_argument("--mission", type=int, help="people: the mission (id) they were met at")
    imp.add_argument("--source", help="people: their data source (GDPR), e.g. the list's name")
    imp.add_argument(
        "--lawful-basis",
        choices=[b.value for b in LawfulBasis],
        default=LawfulBasis.LEGITIMATE_INTEREST.value,
        help="people: the lawful basis of their processing (GDPR)",
    )
    imp.add_argument("--author", default="import", help="who the audit trail says imported")
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
    backup = sub.add_parser("backup", help="a consistent copy of the whole database")
    backup.add_argument("file", help="the backup file to write")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser(
        "restore", help="the database from a backup FILE, or a field's value (ENTRY FIELD)"
    )
    restore.add_argument("target", help="a backup file, or an audit entry's number")
    restore.add_argument("field", nargs="?", help="with an entry: the field to put back")
    restore.add_argument("--author", help="with an entry: who restores (recorded)")
    restore.add_argument(
        "--force", action="store_true", help="with a file: replace a database that is not empty"
    )
    restore.set_defaults(func=cmd_restore)
    export_one = sub.add_parser("person-export", help="everything held on one person")
    export_one.add_argument("person", type=int)
    export_one.add_argument("--output", help="file name without suffix (.json and .md written)")
    export_one.set_defaults(func=cmd_person_export)
    anon = sub.add_parser("anonymise", help="remove a person's identity, keep every count")
    anon.add_argument("person", type=int)
    anon.add_argument("--author", required=True, help="who anonymises (recorded)")
    anon.set_defaults(func=cmd_anonymise)
    retention = sub.add_parser("retention", help="people to ask again or to anonymise")
    retention.add_argument("--years", type=int, default=3)
    retention.set_defaults(func=cmd_retention)
    requests = sub.add_parser("requests", help="the register of data-subject requests")
    requests.add_argument("action", choices=("list", "open", "add", "close"))
    requests.add_argument("--requester")
    requests.add_argument("--kind", choices=("access", "rectification", "erasure", "objection"))
    requests.add_argument("--received", help="YYYY-MM-DD")
    requests.add_argument("--person", type=int, help="the person's id, if on record")
    requests.add_argument("--id", type=int, help="the request to close")
    requests.add_argument("--status", choices=("done", "refused"))
    requests.add_argument("--author", default="admin", help="who records or closes it")
    requests.set_defaults(func=cmd_requests)
    user = sub.add_parser("create-user", help="a local account (the first admin, for instance)")
    user.add_argument("username")
    user.add_argument("--role", choices=("viewer", "staff", "admin", "partner"), required=True)
    user.add_argument(
        "--chamber", type=int, help="a partner's chamber (its id in the chamber table)"
    )
    user.add_argument("--name", help="the name shown and recorded as author (default: username)")
    user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    user.add_argument(
        "--email", help="the address single sign-on vouches for (links the account to it)"
    )
    user.add_argument(
        "--sso", action="store_true", help="no password: signs in through single sign-on only"
    )
    user.set_defaults(func=cmd_create_user)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
