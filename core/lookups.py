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
    """Distinct countries (HQ or control) of the organisations on record, sorted by code."""
    hq = select(Organisation.hq_country_iso2.label("iso2")).where(
        Organisation.hq_country_iso2.is_not(None)
    )
    ctrl = select(Organisation.control_country_iso2.label("iso2")).where(
        Organisation.control_country_iso2.is_not(None)
    )
    union = sa.union(hq, ctrl).subquery()
    return list(session.exec(select(union.c.iso2).order_by(union.c.iso2)).all())


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


def list_owners(session: Session) -> list[str]:
    """Distinct owners of projects and interactions, sorted (the owner filter)."""
    projects = select(Project.owner.label("owner")).where(Project.owner.is_not(None))
    meetings = select(Interaction.owner.label("owner")).where(Interaction.owner.is_not(None))
    union = sa.union(projects, meetings).subquery()
    return list(session.exec(select(union.c.owner).order_by(union.c.owner)).all())


def list_confidential_code_names(session: Session) -> frozenset[str]:
    """The code names of confidential projects: never shown to viewers, only counted."""
    return frozenset(
        session.exec(select(Project.code_name).where(Project.confidential.is_(True))).all()
    )
