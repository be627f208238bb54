"""The agency's view of the network: chambers ranked by the leads they referred, qualified and
won in a period, where they are, and the records behind each figure.

The rule (catalogue entry "leads and projects by chamber", ``core.definitions``): a project is
attributed to the chamber recorded as its source (``Project.source_chamber_id``); a change of
source is kept in the audit trail. The figures are those of ``core.partners`` (one cohort: the
leads that entered the pipeline in the period; of them, those qualified at any time and those
won now), so that a chamber's figure on this page is the one its partners see.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import measures
from core.confidentiality import Masking, mask_project_rows
from core.partners import was_qualified
from core.periods import Period
from models import WON_STAGES, Chamber, City, Country, Organisation, Project

#: The figures of a chamber, in ranking order.
CHAMBER_FIGURES = ("referred", "qualified", "won")
RESULT_COLUMNS = (
    "chamber_id",
    "chamber",
    "country_iso2",
    "city",
    "lat",
    "lon",
    *CHAMBER_FIGURES,
    "jobs_announced",
)


def _figure_condition(figure: str) -> sa.ColumnElement:
    if figure == "referred":
        return sa.true()
    if figure == "qualified":
        return was_qualified()
    if figure == "won":
        return Project.stage.in_(WON_STAGES)
    raise ValueError(f"unknown figure {figure!r}")


def list_chamber_results(session: Session, period: Period) -> pd.DataFrame:
    """One row per chamber that referred at least one lead in ``period`` (``RESULT_COLUMNS``),
    ranked by leads referred, then qualified, then won, then name. A chamber sits on its city
    when the City table knows it, else on its country's centroid (as on the world map)."""
    cohort = (
        sa.select(
            Project.source_chamber_id.label("chamber_id"),
            sa.func.count().label("referred"),
            measures.count_if(was_qualified()).label("qualified"),
            measures.count_if(Project.stage.in_(WON_STAGES)).label("won"),
            measures.count_if(Project.stage.in_(WON_STAGES), Project.jobs_announced).label(
                "jobs_announced"
            ),
        )
        .where(Project.source_chamber_id.is_not(None), measures.lead_in(period))
        .group_by(Project.source_chamber_id)
        .subquery("cohort")
    )
    query = (
        sa.select(
            Chamber.id.label("chamber_id"),
            Chamber.name.label("chamber"),
            Chamber.country_iso2,
            Chamber.city,
            sa.func.coalesce(City.lat, Country.lat).label("lat"),
            sa.func.coalesce(City.lon, Country.lon).label("lon"),
            cohort.c.referred,
            cohort.c.qualified,
            cohort.c.won,
            cohort.c.jobs_announced,
        )
        .join(cohort, cohort.c.chamber_id == Chamber.id)
        .join(Country, Country.iso2 == Chamber.country_iso2)
        .outerjoin(
            City, sa.and_(City.name == Chamber.city, City.country_iso2 == Chamber.country_iso2)
        )
        .order_by(
            cohort.c.referred.desc(), cohort.c.qualified.desc(), cohort.c.won.desc(), Chamber.name
        )
    )
    rows = [dict(r._mapping) for r in session.execute(query)]
    frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    for column in (*CHAMBER_FIGURES, "jobs_announced"):
        frame[column] = frame[column].astype(int)
    return frame


def list_chamber_records(
    session: Session,
    period: Period,
    *,
    figure: str,
    chamber_id: int | None,
    masking: Masking | None,
) -> pd.DataFrame:
    """The projects behind one figure of ``list_chamber_results`` (``chamber_id`` None: every
    chamber's), oldest lead first; masked for a viewer (``core.confidentiality``)."""
    condition = _figure_condition(figure)
    narrow = [Project.source_chamber_id == chamber_id] if chamber_id is not None else []
    query = (
        sa.select(
            Project.id.label("id"),
            Project.code_name.label("code_name"),
            Organisation.id.label("organisation_id"),
            Organisation.name.label("organisation_name"),
            Chamber.name.label("chamber"),
            Project.stage.label("stage"),
            Project.lead_on.label("lead_on"),
            Project.decided_on.label("decided_on"),
            Project.jobs_announced.label("jobs_announced"),
        )
        .join(Organisation, Organisation.id == Project.organisation_id)
        .join(Chamber, Chamber.id == Project.source_chamber_id)
        .where(measures.lead_in(period), condition, *narrow)
        .order_by(Project.lead_on, Project.id)
    )
    columns = [
        "id",
        "code_name",
        "organisation_id",
        "organisation_name",
        "chamber",
        "stage",
        "lead_on",
        "decided_on",
        "jobs_announced",
    ]
    frame = pd.DataFrame([dict(r._mapping) for r in session.execute(query)], columns=columns)
    if not frame.empty:
        frame["stage"] = [getattr(v, "value", v) for v in frame["stage"]]
    return mask_project_rows(session, frame, masking)
