"""The agency's view of the network: chambers ranked by the leads they referred, qualified and
won in a period, where they are, and the records behind each figure.

The rule (catalogue entry "leads and projects by chamber", ``core.definitions``): a project is
attributed to the chamber recorded as its source (``Project.source_chamber_id``); a change of
source is kept in the audit trail. The figures are those of ``core.partners`` (one cohort: the
leads that entered the pipeline in the period; of them, those qualified at any time and those
won now), so that a chamber's figure on this page is the one its partners see.

Beside them, what the agency credits each chamber with (catalogue entry "attributed to the
chamber"): the projects won in the period that the chamber claimed and whose claim the agency
accepted, their jobs verified by aftercare to the reading date and the realisation rate. A
project accepted for two chambers counts for each of them, and once in the network's total
(``core.results.get_attribution``, the presentation's figure).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import measures
from core.confidentiality import Masking, mask_project_rows
from core.partners import was_qualified
from core.periods import Period, as_date
from models import (
    WON_STAGES,
    Chamber,
    CheckIn,
    City,
    Claim,
    ClaimantKind,
    ClaimStatus,
    Country,
    Organisation,
    Project,
)

#: The figures of a chamber, in ranking order.
CHAMBER_FIGURES = ("referred", "qualified", "won")
#: The figures of a chamber's accepted claims: projects won in the period, jobs verified.
ATTRIBUTION_FIGURES = ("attributed", "jobs_verified")
#: Every figure whose records ``list_chamber_records`` lists.
RECORD_FIGURES = (*CHAMBER_FIGURES, *ATTRIBUTION_FIGURES)
RESULT_COLUMNS = (
    "chamber_id",
    "chamber",
    "country_iso2",
    "city",
    "lat",
    "lon",
    *CHAMBER_FIGURES,
    "jobs_announced",
    "attributed",
    "jobs_verified",
    "jobs_announced_checked",
    "realisation_rate",
)
_COUNTS = (*CHAMBER_FIGURES, "jobs_announced", "attributed", "jobs_verified")


def _figure_condition(figure: str) -> sa.ColumnElement:
    if figure == "referred":
        return sa.true()
    if figure == "qualified":
        return was_qualified()
    if figure == "won":
        return Project.stage.in_(WON_STAGES)
    raise ValueError(f"unknown figure {figure!r}")


def _claimed_by() -> sa.Subquery:
    """(chamber, project) once per pair: the chambers' accepted claims (a chamber's second
    accepted claim on the same project adds nothing)."""
    return (
        sa.select(Claim.chamber_id, Claim.project_id)
        .where(Claim.status == ClaimStatus.ACCEPTED, Claim.claimant_kind == ClaimantKind.CHAMBER)
        .distinct()
        .subquery("claimed_by")
    )


def _attribution(period: Period, as_of: date) -> sa.Subquery:
    """One row per chamber with an accepted claim on a project won in ``period``: the
    projects, and of the checked ones (``measures.checked_in``) the jobs verified to
    ``as_of`` and the jobs they announced (the realisation rate's two terms)."""
    claimed = _claimed_by()
    checked = measures.checked_in(period, as_of)
    return (
        sa.select(
            claimed.c.chamber_id,
            sa.func.count().label("attributed"),
            measures.count_if(checked, measures.jobs_verified(as_of)).label("jobs_verified"),
            measures.count_if(checked, Project.jobs_announced).label("jobs_announced_checked"),
        )
        .select_from(claimed)
        .join(Project, Project.id == claimed.c.project_id)
        .where(measures.won_in(period))
        .group_by(claimed.c.chamber_id)
        .subquery("attribution")
    )


def _cohort(period: Period) -> sa.Subquery:
    return (
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


def list_chamber_results(session: Session, period: Period, *, as_of: date) -> pd.DataFrame:
    """One row per chamber that referred at least one lead in ``period`` or has an accepted
    claim on a project won in it (``RESULT_COLUMNS``; verified jobs to ``as_of``), ranked by
    leads referred, then qualified, then won, then projects attributed, then name. The
    realisation rate is None when none of the chamber's attributed projects is checked. A
    chamber sits on its city when the City table knows it, else on its country's centroid
    (as on the world map). One query."""
    cohort, attribution = _cohort(period), _attribution(period, as_of)
    zero = sa.literal(0)
    figures = {
        **{c: sa.func.coalesce(cohort.c[c], zero) for c in (*CHAMBER_FIGURES, "jobs_announced")},
        **{
            c: sa.func.coalesce(attribution.c[c], zero)
            for c in ("attributed", "jobs_verified", "jobs_announced_checked")
        },
    }
    query = (
        sa.select(
            Chamber.id.label("chamber_id"),
            Chamber.name.label("chamber"),
            Chamber.country_iso2,
            Chamber.city,
            sa.func.coalesce(City.lat, Country.lat).label("lat"),
            sa.func.coalesce(City.lon, Country.lon).label("lon"),
            *(value.label(name) for name, value in figures.items()),
        )
        .select_from(Chamber)
        .outerjoin(cohort, cohort.c.chamber_id == Chamber.id)
        .outerjoin(attribution, attribution.c.chamber_id == Chamber.id)
        .join(Country, Country.iso2 == Chamber.country_iso2)
        .outerjoin(
            City, sa.and_(City.name == Chamber.city, City.country_iso2 == Chamber.country_iso2)
        )
        .where(sa.or_(cohort.c.chamber_id.is_not(None), attribution.c.chamber_id.is_not(None)))
        .order_by(*(figures[f].desc() for f in (*CHAMBER_FIGURES, "attributed")), Chamber.name)
    )
    rows = [dict(r._mapping) for r in session.execute(query)]
    frame = pd.DataFrame(rows, columns=[c for c in RESULT_COLUMNS if c != "realisation_rate"])
    for column in (*_COUNTS, "jobs_announced_checked"):
        frame[column] = frame[column].astype(int)
    frame["realisation_rate"] = pd.Series(
        [
            None if not checked else verified / checked
            for verified, checked in zip(
                frame["jobs_verified"], frame["jobs_announced_checked"], strict=True
            )
        ],
        index=frame.index,
        dtype=object,
    )
    return frame


RECORD_COLUMNS = (
    "id",
    "code_name",
    "organisation_id",
    "organisation_name",
    "chamber",
    "stage",
    "lead_on",
    "decided_on",
    "jobs_announced",
)
#: The records of an attribution figure add the project's verified jobs and their check-in.
ATTRIBUTION_RECORD_COLUMNS = (*RECORD_COLUMNS, "jobs_verified", "checked_on")


def list_chamber_records(
    session: Session,
    period: Period,
    *,
    figure: str,
    chamber_id: int | None,
    masking: Masking | None,
    as_of: date,
) -> pd.DataFrame:
    """The projects behind one figure of ``list_chamber_results`` (``chamber_id`` None: every
    chamber's), oldest lead first; masked for a viewer (``core.confidentiality``). The
    records of ``ATTRIBUTION_FIGURES`` are ``list_attributed_records``'."""
    if figure in ATTRIBUTION_FIGURES:
        return list_attributed_records(
            session, period, figure=figure, chamber_id=chamber_id, masking=masking, as_of=as_of
        )
    condition = _figure_condition(figure)
    narrow = [Project.source_chamber_id == chamber_id] if chamber_id is not None else []
    query = (
        sa.select(*_record_columns())
        .join(Organisation, Organisation.id == Project.organisation_id)
        .join(Chamber, Chamber.id == Project.source_chamber_id)
        .where(measures.lead_in(period), condition, *narrow)
        .order_by(Project.lead_on, Project.id)
    )
    rows = [dict(r._mapping) for r in session.execute(query)]
    frame = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    if not frame.empty:
        frame["stage"] = [getattr(v, "value", v) for v in frame["stage"]]
    return mask_project_rows(session, frame, masking)


def _record_columns() -> list[sa.ColumnElement]:
    """What a record behind a chamber figure shows of its project (``RECORD_COLUMNS``)."""
    return [
        Project.id.label("id"),
        Project.code_name.label("code_name"),
        Organisation.id.label("organisation_id"),
        Organisation.name.label("organisation_name"),
        Chamber.name.label("chamber"),
        Project.stage.label("stage"),
        Project.lead_on.label("lead_on"),
        Project.decided_on.label("decided_on"),
        Project.jobs_announced.label("jobs_announced"),
    ]


def list_attributed_records(
    session: Session,
    period: Period,
    *,
    figure: str,
    chamber_id: int | None,
    masking: Masking | None,
    as_of: date,
) -> pd.DataFrame:
    """The projects behind an attribution figure (``ATTRIBUTION_COLUMNS``), earliest decision
    first: "attributed", the projects won in ``period`` with an accepted claim of the chamber
    (``chamber_id`` None: of any chamber, each project once, its chambers named together,
    the network's total); "jobs_verified", those of them that are checked, which the
    verified jobs and the realisation rate count. ``jobs_verified`` and ``checked_on`` are
    the latest check-in's to ``as_of`` of a checked project, None for the others (not
    counted). Masked for a viewer."""
    if figure not in ATTRIBUTION_FIGURES:
        raise ValueError(f"unknown figure {figure!r}")
    claimed = _claimed_by()
    checked = measures.checked_in(period, as_of)
    narrow = [claimed.c.chamber_id == chamber_id] if chamber_id is not None else []
    if figure == "jobs_verified":
        narrow.append(checked)
    query = (
        sa.select(
            *_record_columns(),
            sa.case((checked, measures.jobs_verified(as_of)), else_=None).label("jobs_verified"),
            sa.case(
                (checked, measures.latest_checkin(CheckIn.checked_on, as_of)), else_=None
            ).label("checked_on"),
        )
        .select_from(claimed)
        .join(Project, Project.id == claimed.c.project_id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .join(Chamber, Chamber.id == claimed.c.chamber_id)
        .where(measures.won_in(period), *narrow)
        .order_by(Project.decided_on, Project.id, Chamber.name)
    )
    rows: dict[int, dict] = {}
    for row in session.execute(query):
        values = dict(row._mapping)
        if values["id"] in rows:  # a second chamber's accepted claim on the same project
            rows[values["id"]]["chamber"] += ", " + values["chamber"]
        else:
            rows[values["id"]] = values
    frame = pd.DataFrame(list(rows.values()), columns=list(ATTRIBUTION_RECORD_COLUMNS))
    if not frame.empty:
        frame["stage"] = [getattr(v, "value", v) for v in frame["stage"]]
        frame["jobs_verified"] = frame["jobs_verified"].astype("Int64")
        frame["checked_on"] = [as_date(v) for v in frame["checked_on"]]
    return mask_project_rows(session, frame, masking)
