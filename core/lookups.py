"""Small readers for the interface's select boxes and labels (reference data in the database)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from models import Chamber, Country, Interaction, Mission, Organisation, Project, Sector


def get_country_names(session: Session, lang: str) -> dict[str, str]:
    """ISO alpha-2 code -> country name in ``lang`` ("fr" or "en")."""
    name = Country.name_fr if lang == "fr" else Country.name_en
    return dict(session.exec(select(Country.iso2, name)).all())


def get_sector_labels(session: Session, lang: str) -> dict[str, str]:
    """Sector code -> label in ``lang``, in the sectors' display order."""
    label = Sector.label_fr if lang == "fr" else Sector.label_en
    rows = session.exec(select(Sector.code, label).order_by(Sector.sort_order, Sector.code))
    return dict(rows.all())


def list_organisation_countries(session: Session) -> list[str]:
    """Distinct countries (HQ or control) of the organisations on record, sorted by code.

    Each column's codes by a loose index scan (``_distinct_by_skipping``: one seek per code
    found) instead of reading every organisation. Probing each code of ``country`` with
    ``EXISTS`` ran a sequential scan per code on PostgreSQL once the table was analysed (a
    scan expected to stop early, for the codes no organisation has: 5 s at 35,000)."""
    organisation = Organisation.__table__.c
    hq = _distinct_by_skipping(organisation.hq_country_iso2, "hq")
    control = _distinct_by_skipping(organisation.control_country_iso2, "control")
    union = sa.union(hq, control).subquery()
    return list(session.exec(select(union.c.owner).order_by(union.c.owner)).all())


def list_chambers(session: Session) -> dict[int, str]:
    """Chamber id -> name, by name (the source-chamber filter)."""
    rows = session.exec(select(Chamber.id, Chamber.name).order_by(Chamber.name)).all()
    return {int(i): name for i, name in rows}


def list_missions(session: Session) -> dict[int, str]:
    """Mission id -> "name (start date)", newest first (the mission filter)."""
    rows = session.exec(
        select(Mission.id, Mission.name, Mission.starts_on).order_by(
            Mission.starts_on.desc(), Mission.id
        )
    ).all()
    return {int(i): f"{name} ({starts_on.isoformat()})" for i, name, starts_on in rows}


def _distinct_by_skipping(column: sa.Column, name: str | None = None) -> sa.Select:
    """The distinct non-null values of an indexed ``column`` by a loose index scan: a recursive
    query steps from one value to the next (``min(column) > previous``, one index seek each), so
    a million rows with twenty owners cost twenty seeks, on SQLite and PostgreSQL alike."""
    table = column.table
    first = sa.select(sa.func.min(column).label("v")).select_from(table)
    steps = sa.select(first.subquery().c.v).cte(f"skip_{name or table.name}", recursive=True)
    following = (
        sa.select(sa.func.min(column)).select_from(table).where(column > steps.c.v)
    ).scalar_subquery()
    steps = steps.union_all(sa.select(following).where(steps.c.v.is_not(None)))
    return sa.select(steps.c.v.label("owner")).where(steps.c.v.is_not(None))


def list_owners(session: Session) -> list[str]:
    """Distinct owners of projects and interactions, sorted (the owner filter)."""
    projects = _distinct_by_skipping(Project.__table__.c.owner)
    meetings = _distinct_by_skipping(Interaction.__table__.c.owner)
    union = sa.union(projects, meetings).subquery()
    return list(session.exec(select(union.c.owner).order_by(union.c.owner)).all())


def list_confidential_code_names(session: Session) -> frozenset[str]:
    """The code names of confidential projects: never shown to viewers, only counted."""
    return frozenset(
        session.exec(select(Project.code_name).where(Project.confidential.is_(True))).all()
    )
