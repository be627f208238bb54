"""The summaries the database keeps current (migrations 0013-0018), recomputed from the rows.

- ``stagechange.left_on``: the date of the project's next stage change (by date, then id),
  None for its current stay;
- ``meetingcount``: per calendar year and month, the meetings logged and the distinct
  organisations met (in slots on PostgreSQL, migration 0016: a span's figures are their sum);
- ``organisationmet``: each organisation's last meeting (no row when never met);
- ``organisationyear`` (migration 0014_organisation_years): each organisation's first and last
  meeting of each calendar year it was met in, and whether it is a company;
- ``meetingorigin`` (migration 0018_meetings_by_origin): per calendar month and origin of the
  organisation met, the meetings and distinct organisations (in slots, as ``meetingcount``);
- ``projectpath`` (migration 0017_project_paths): each project's pipeline entry in its current
  run (``core.measures.entered_pipeline_on``, for time to decision) and the furthest stage it
  reached (for the conversion).

Triggers keep them true on every write, whatever writes (the one write path, imports, merges,
anonymisation, corrections, the demo's bulk inserts, plain SQL). ``rebuild_summaries`` (the
``manage.py rebuild-summaries`` command) recomputes them from scratch, for a database restored
from elsewhere or after a trigger was dropped; ``summary_differences`` says how many stored
rows differ from a full recomputation (all 0 when all is well).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from core.periods import Period
from models import MeetingCount, MeetingOrigin, OrganisationYear, Project, StageChange

SPANS = ("year", "month")


def _span_start(conn: Connection, span: str) -> str:
    if conn.dialect.name == "postgresql":
        return f"date_trunc('{span}', occurred_on)::date"
    return f"date(occurred_on, 'start of {span}')"


def _expected_left_on() -> str:
    return (
        "SELECT id, LEAD(changed_on) OVER (PARTITION BY project_id ORDER BY changed_on, id) "
        "AS left_on FROM stagechange"
    )


#: Rows per span on PostgreSQL (migration 0016_meeting_count_slots' ``SLOTS``, the same):
#: an interaction counts in slot ``COALESCE(organisation_id, id) % POSTGRES_SLOTS``.
POSTGRES_SLOTS = 32


def _slot(conn: Connection) -> str:
    if conn.dialect.name == "postgresql":
        return f"COALESCE(organisation_id, id) % {POSTGRES_SLOTS}"
    return "0"


def _expected_counts(conn: Connection) -> str:
    slot = _slot(conn)
    by_slot = "" if slot == "0" else f", {slot}"  # (GROUP BY 0 would name a column)
    parts = [
        f"SELECT '{span}' AS span, {_span_start(conn, span)} AS starts_on, {slot} AS slot, "
        f"count(*) AS meetings, count(DISTINCT organisation_id) AS organisations "
        f"FROM interaction GROUP BY {_span_start(conn, span)}{by_slot}"
        for span in SPANS
    ]
    return " UNION ALL ".join(parts)


def _expected_last_met() -> str:
    return (
        "SELECT organisation_id, max(occurred_on) AS last_met_on FROM interaction "
        "WHERE organisation_id IS NOT NULL GROUP BY organisation_id"
    )


def _year_of(conn: Connection, column: str) -> str:
    if conn.dialect.name == "postgresql":
        return f"extract(year FROM {column})::integer"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _expected_years(conn: Connection) -> str:
    year = _year_of(conn, "i.occurred_on")
    return (
        f"SELECT i.organisation_id, {year} AS year, min(i.occurred_on) AS first_met_on, "
        "max(i.occurred_on) AS last_met_on, "
        f"max(CASE WHEN o.kind IN ({_company_kinds()}) THEN 1 ELSE 0 END) = 1 AS company "
        "FROM interaction i JOIN organisation o ON o.id = i.organisation_id "
        f"GROUP BY i.organisation_id, {year}"
    )


def _company_kinds() -> str:
    from core.measures import COMPANY_KINDS

    return ", ".join(f"'{kind.value}'" for kind in COMPANY_KINDS)


def _differs(conn: Connection, a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if conn.dialect.name == "postgresql" else f"{a} IS NOT {b}"


def rebuild_summaries(engine: Engine) -> dict[str, int]:
    """Recompute every summary from the rows, in one transaction. Returns how many stored
    rows were wrong (``summary_differences``' keys)."""
    with engine.begin() as conn:
        return rebuild_summaries_in(conn)


def rebuild_summaries_in(conn: Connection) -> dict[str, int]:
    """``rebuild_summaries`` inside the caller's transaction (a bulk load that ran with the
    triggers switched off recomputes them before it commits)."""
    stays = conn.execute(
        sa.text(
            f"UPDATE stagechange SET left_on = n.left_on FROM ({_expected_left_on()}) AS n "
            f"WHERE n.id = stagechange.id AND "
            f"{_differs(conn, 'stagechange.left_on', 'n.left_on')}"
        )
    ).rowcount
    before = _count_differences(conn)
    conn.execute(sa.text("DELETE FROM organisationmet"))
    conn.execute(
        sa.text(
            "INSERT INTO organisationmet (organisation_id, last_met_on) "
            f"SELECT organisation_id, last_met_on FROM ({_expected_last_met()}) AS e"
        )
    )
    conn.execute(sa.text("DELETE FROM organisationyear"))
    conn.execute(
        sa.text(
            "INSERT INTO organisationyear (organisation_id, year, first_met_on, last_met_on, "
            "company) SELECT organisation_id, year, first_met_on, last_met_on, company "
            f"FROM ({_expected_years(conn)}) AS e"
        )
    )
    conn.execute(sa.text("DELETE FROM projectpath"))
    conn.execute(
        sa.text(
            "INSERT INTO projectpath (project_id, entered_on, furthest_rank) "
            f"SELECT project_id, entered_on, furthest_rank FROM ({_expected_paths(conn)}) AS e"
        )
    )
    conn.execute(sa.text("DELETE FROM meetingorigin"))
    conn.execute(
        sa.text(
            "INSERT INTO meetingorigin (starts_on, country_iso2, slot, meetings, organisations) "
            "SELECT starts_on, country_iso2, slot, meetings, organisations "
            f"FROM ({_expected_origins(conn)}) AS e"
        )
    )
    conn.execute(sa.text("DELETE FROM meetingcount"))
    conn.execute(
        sa.text(
            "INSERT INTO meetingcount (span, starts_on, slot, meetings, organisations) "
            "SELECT span, starts_on, slot, meetings, organisations "
            f"FROM ({_expected_counts(conn)}) AS e"
        )
    )
    return {**before, "stage_stays": int(stays)}


#: The PostgreSQL row triggers a bulk load may disable, by table (migrations 0013, 0014,
#: 0017, 0018; the organisation's triggers follow changes, not inserts).
POSTGRES_SUMMARY_TRIGGERS = {
    "stagechange": ("stagechange_left", "stagechange_path"),
    "interaction": ("interaction_count", "interaction_origin", "interaction_year"),
}


def set_summary_triggers(conn: Connection, *, enabled: bool) -> None:
    """Enable or disable the summaries' triggers on PostgreSQL, inside the caller's
    transaction (DDL there is transactional: a failed load leaves them as they were). Whoever
    disables them rebuilds the summaries (``rebuild_summaries_in``) before committing."""
    if conn.dialect.name != "postgresql":
        raise ValueError("only PostgreSQL can disable a trigger")
    action = "ENABLE" if enabled else "DISABLE"
    for table, triggers in POSTGRES_SUMMARY_TRIGGERS.items():
        for trigger in triggers:
            conn.execute(sa.text(f"ALTER TABLE {table} {action} TRIGGER {trigger}"))


def _expected_paths(conn: Connection) -> str:
    """Every project's path from its stage history, by the definitions the readers use:
    project_id, entered_on (``measures.entered_pipeline_on``), furthest_rank (the highest
    ``measures.stage_rank`` of its changes); projects without a change have none."""
    from core.measures import entered_pipeline_on, stage_rank

    furthest = (
        sa.select(
            StageChange.project_id,
            sa.func.max(stage_rank(StageChange.to_stage)).label("furthest_rank"),
        )
        .group_by(StageChange.project_id)
        .subquery("furthest")
    )
    query = sa.select(
        Project.id.label("project_id"),
        entered_pipeline_on().label("entered_on"),
        furthest.c.furthest_rank,
    ).join(furthest, furthest.c.project_id == Project.id)
    return str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))


def _expected_origins(conn: Connection) -> str:
    """Every (month, origin, slot)'s meetings and organisations (migration 0018's rule)."""
    postgres = conn.dialect.name == "postgresql"
    month = (
        "date_trunc('month', i.occurred_on)::date"
        if postgres
        else "date(i.occurred_on, 'start of month')"
    )
    slot = f"i.organisation_id % {POSTGRES_SLOTS}" if postgres else "0"
    by_slot = f", {slot}" if postgres else ""  # (GROUP BY 0 would name a column)
    origin = "COALESCE(o.control_country_iso2, o.hq_country_iso2)"
    return (
        f"SELECT {month} AS starts_on, {origin} AS country_iso2, {slot} AS slot, "
        "count(*) AS meetings, count(DISTINCT i.organisation_id) AS organisations "
        "FROM interaction i JOIN organisation o ON o.id = i.organisation_id "
        f"WHERE {origin} IS NOT NULL GROUP BY {month}, {origin}{by_slot}"
    )


def _count_differences(conn: Connection) -> dict[str, int]:
    stays = conn.execute(
        sa.text(
            f"SELECT count(*) FROM stagechange s JOIN ({_expected_left_on()}) AS n "
            f"ON n.id = s.id WHERE {_differs(conn, 's.left_on', 'n.left_on')}"
        )
    ).scalar_one()
    # Rows left at zero by deletions are no difference; a missing or wrong row is.
    counts = conn.execute(
        sa.text(
            f"SELECT count(*) FROM ({_expected_counts(conn)}) AS e FULL OUTER JOIN "
            "(SELECT * FROM meetingcount WHERE meetings <> 0 OR organisations <> 0) AS m "
            "ON m.span = e.span AND m.starts_on = e.starts_on AND m.slot = e.slot "
            "WHERE e.span IS NULL OR m.span IS NULL OR m.meetings <> e.meetings "
            "OR m.organisations <> e.organisations"
        )
    ).scalar_one()
    last_met = conn.execute(
        sa.text(
            f"SELECT count(*) FROM ({_expected_last_met()}) AS e FULL OUTER JOIN organisationmet m "
            "ON m.organisation_id = e.organisation_id WHERE e.organisation_id IS NULL "
            "OR m.organisation_id IS NULL OR m.last_met_on <> e.last_met_on"
        )
    ).scalar_one()
    years = conn.execute(
        sa.text(
            f"SELECT count(*) FROM ({_expected_years(conn)}) AS e FULL OUTER JOIN "
            "organisationyear m ON m.organisation_id = e.organisation_id AND m.year = e.year "
            "WHERE e.organisation_id IS NULL OR m.organisation_id IS NULL "
            "OR m.first_met_on <> e.first_met_on OR m.last_met_on <> e.last_met_on "
            "OR m.company <> e.company"
        )
    ).scalar_one()
    paths = conn.execute(
        sa.text(
            f"SELECT count(*) FROM ({_expected_paths(conn)}) AS e FULL OUTER JOIN projectpath m "
            "ON m.project_id = e.project_id WHERE e.project_id IS NULL OR m.project_id IS NULL "
            f"OR {_differs(conn, 'm.entered_on', 'e.entered_on')} "
            "OR m.furthest_rank <> e.furthest_rank"
        )
    ).scalar_one()
    origins = conn.execute(
        sa.text(
            f"SELECT count(*) FROM ({_expected_origins(conn)}) AS e FULL OUTER JOIN "
            "(SELECT * FROM meetingorigin WHERE meetings <> 0 OR organisations <> 0) AS m "
            "ON m.starts_on = e.starts_on AND m.country_iso2 = e.country_iso2 "
            "AND m.slot = e.slot WHERE e.slot IS NULL OR m.slot IS NULL "
            "OR m.meetings <> e.meetings OR m.organisations <> e.organisations"
        )
    ).scalar_one()
    return {
        "stage_stays": int(stays),
        "meeting_counts": int(counts),
        "organisations_met": int(last_met),
        "organisation_years": int(years),
        "project_paths": int(paths),
        "meetings_by_origin": int(origins),
    }


def summary_differences(engine: Engine) -> dict[str, int]:
    """How many stored rows differ from a full recomputation: stage stays whose ``left_on``
    is wrong, years or months whose counts are wrong or missing, organisations whose last
    meeting is wrong, missing or left over, organisations' years wrong, missing or left
    over, projects' paths wrong, missing or left over, months and origins whose counts are
    wrong or missing."""
    with engine.connect() as conn:
        return _count_differences(conn)


def get_meeting_counts(session: Session, span: str, first: date, last: date) -> dict[date, tuple]:
    """{starts_on: (meetings, organisations)} of the stored ``span`` ("year" or "month")
    counts starting between ``first`` and ``last``."""
    if span not in SPANS:
        raise ValueError(f"unknown span {span!r}")
    rows = session.execute(
        sa.select(
            MeetingCount.starts_on,
            sa.func.sum(MeetingCount.meetings),
            sa.func.sum(MeetingCount.organisations),
        )
        .where(MeetingCount.span == span, MeetingCount.starts_on.between(first, last))
        .group_by(MeetingCount.starts_on)
    )
    return {on: (int(n), int(orgs)) for on, n, orgs in rows}


def organisations_met_by_year(session: Session, period: Period) -> tuple[int, int] | None:
    """(organisations, companies) met in ``period`` from ``organisationyear``, when the period
    lies in one calendar year and starts on 1 January (an organisation was met in it when
    its first meeting of the year falls by the end) or ends on 31 December (its last meeting
    of the year falls from the start); None for any other period (the caller counts the
    interactions). The same figures as ``measures.organisations_met`` and
    ``measures.companies_met`` over the period's interactions, unfiltered."""
    year = period.start.year
    if period.end.year != year or period.end < period.start:
        return None
    if (period.start.month, period.start.day) == (1, 1):
        within = OrganisationYear.first_met_on <= period.end
    elif (period.end.month, period.end.day) == (12, 31):
        within = OrganisationYear.last_met_on >= period.start
    else:
        return None
    organisations, companies = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((OrganisationYear.company, 1), else_=0)), 0),
        ).where(OrganisationYear.year == year, within)
    ).one()
    return int(organisations), int(companies)


def get_meetings_by_origin(
    session: Session, countries: tuple[str, ...] | list[str], first: date, last: date
) -> dict[date, tuple[int, int]]:
    """{month's first day: (meetings, organisations)} with organisations of origin in
    ``countries``, for the stored months starting between ``first`` and ``last``
    (``meetingorigin``; an organisation has one origin, so its slots and origins add up)."""
    rows = session.execute(
        sa.select(
            MeetingOrigin.starts_on,
            sa.func.sum(MeetingOrigin.meetings),
            sa.func.sum(MeetingOrigin.organisations),
        )
        .where(
            MeetingOrigin.country_iso2.in_(list(countries)),
            MeetingOrigin.starts_on.between(first, last),
        )
        .group_by(MeetingOrigin.starts_on)
    )
    return {on: (int(n), int(orgs)) for on, n, orgs in rows}
