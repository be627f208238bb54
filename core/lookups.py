"""Small readers for the interface's select boxes and labels (reference data in the database)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from models import Country, Organisation, Sector


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
