"""Directory readers: search organisations and people, one organisation's file, and the
"five years question" (which organisations did we meet or host over a period).

Searches filter, count and paginate in SQL; text is matched as a literal, case-insensitive
substring (``%`` and ``_`` typed by the user match themselves) of a name as written or of its
stored key (``Organisation.name_key``, ``Person.name_key``), so accents, punctuation and legal
forms do not matter ("electricite" finds "Électricité de Provence").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from core import measures
from core.confidentiality import Masking, drop_project_rows, mask_meeting_rows
from core.kpis import query_frame
from core.normalise import organisation_key, person_key
from core.periods import Period, as_date
from models import (
    Chamber,
    Interaction,
    Mission,
    MissionOrganisation,
    Organisation,
    OrganisationKind,
    OrganisationMet,
    Person,
    Project,
    StageChange,
)

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class OrganisationDetail:
    """One organisation's file: its fields and everything recorded around it."""

    organisation: dict[str, Any]
    people: pd.DataFrame
    projects: pd.DataFrame
    stage_history: pd.DataFrame
    interactions: pd.DataFrame
    missions: pd.DataFrame


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _count(session: Session, query: Any) -> int:
    return int(session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar())


def _contains(column: Any, text: str) -> Any:
    """Case-insensitive literal substring match (LIKE with ``%`` and ``_`` escaped)."""
    return sa.func.lower(column).contains(text.lower(), autoescape=True)


def _key_contains(column: Any, key: str) -> Any:
    """A stored name key holds ``key`` (both already folded); never true for an empty key."""
    return column.contains(key, autoescape=True) if key else sa.false()


def _page(query: Any, page: int, page_size: int) -> Any:
    size = min(max(1, page_size), MAX_PAGE_SIZE)
    return query.limit(size).offset((max(1, page) - 1) * size)


# ---------------------------------------------------------------------------------------------
# Searches
# ---------------------------------------------------------------------------------------------


def search_organisations(
    session: Session,
    *,
    text: str | None = None,
    country: str | None = None,
    sector: str | None = None,
    kind: OrganisationKind | str | None = None,
    page: int = 1,
    page_size: int = 25,
) -> tuple[pd.DataFrame, int]:
    """One page of organisations (ordered by name) and the number matching in all.

    ``text`` matches the name or the website domain; ``country`` the HQ country or the
    country of control. Columns: id, name, kind, country_iso2 (HQ), sector_code, city, domain.
    """
    query = sa.select(
        Organisation.id,
        Organisation.name,
        Organisation.kind,
        Organisation.hq_country_iso2.label("country_iso2"),
        Organisation.sector_code,
        Organisation.city,
        Organisation.domain,
    )
    if text and text.strip():
        needle = text.strip()
        query = query.where(
            sa.or_(
                _contains(Organisation.name, needle),
                _key_contains(Organisation.name_key, organisation_key(needle)),
                _contains(Organisation.domain, needle),
            )
        )
    if country:
        query = query.where(
            sa.or_(
                Organisation.hq_country_iso2 == country,
                Organisation.control_country_iso2 == country,
            )
        )
    if sector:
        query = query.where(Organisation.sector_code == sector)
    if kind:
        query = query.where(Organisation.kind == OrganisationKind(kind))
    total = _count(session, query)
    ordered = query.order_by(Organisation.name, Organisation.id)
    return query_frame(session, _page(ordered, page, page_size)), total


def search_people(
    session: Session,
    *,
    text: str | None = None,
    country: str | None = None,
    sector: str | None = None,
    kind: OrganisationKind | str | None = None,
    page: int = 1,
    page_size: int = 25,
    match_email: bool = True,
) -> tuple[pd.DataFrame, int]:
    """One page of people (ordered by last name, first name) and the number matching in all.

    ``text`` matches the first or last name, the full name, the email (unless
    ``match_email`` is off: users who may not see e-mails cannot probe them) or the
    organisation's name; ``country`` is the person's country; ``sector`` and ``kind`` filter
    on their organisation. Anonymised people are left out. Columns: id, first_name, last_name,
    job_title, organisation_id, organisation_name, country_iso2, email, phone.
    """
    query = (
        sa.select(
            Person.id,
            Person.first_name,
            Person.last_name,
            Person.job_title,
            Person.organisation_id,
            Organisation.name.label("organisation_name"),
            Person.country_iso2,
            Person.email,
            Person.phone,
        )
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.anonymised_at.is_(None))
    )
    if text and text.strip():
        needle = text.strip()
        matches = [
            _contains(Person.first_name, needle),
            _contains(Person.last_name, needle),
            _contains(Person.first_name + " " + Person.last_name, needle),
            _key_contains(Person.name_key, person_key(needle, None)),
            _contains(Organisation.name, needle),
            _key_contains(Organisation.name_key, organisation_key(needle)),
        ]
        if match_email:
            matches.append(_contains(Person.email, needle))
        query = query.where(sa.or_(*matches))
    if country:
        query = query.where(Person.country_iso2 == country)
    if sector:
        query = query.where(Organisation.sector_code == sector)
    if kind:
        query = query.where(Organisation.kind == OrganisationKind(kind))
    if text and text.strip() or sector or kind:
        total = _count(session, query)
    else:  # nothing asks for the organisation: the people alone are counted (on an index)
        alone = [Person.anonymised_at.is_(None)]
        if country:
            alone.append(Person.country_iso2 == country)
        total = int(session.execute(sa.select(sa.func.count()).where(*alone)).scalar_one())
    ordered = query.order_by(Person.last_name, Person.first_name, Person.id)
    return query_frame(session, _page(ordered, page, page_size)), total


# ---------------------------------------------------------------------------------------------
# One organisation's file
# ---------------------------------------------------------------------------------------------


def _organisation_fields(session: Session, organisation_id: int) -> dict[str, Any] | None:
    parent = aliased(Organisation)
    row = session.execute(
        sa.select(
            Organisation,
            parent.name.label("parent_name"),
            Chamber.name.label("chamber_name"),
        )
        .outerjoin(parent, parent.id == Organisation.parent_id)
        .outerjoin(Chamber, Chamber.id == Organisation.chamber_id)
        .where(Organisation.id == organisation_id)
    ).first()
    if row is None:
        return None
    org, parent_name, chamber_name = row
    fields = {key: _plain(value) for key, value in org.model_dump().items()}
    return fields | {"parent_name": parent_name, "chamber_name": chamber_name}


def _detail_frames(session: Session, organisation_id: int, limit: int) -> dict[str, pd.DataFrame]:
    people = (
        sa.select(
            Person.id,
            Person.first_name,
            Person.last_name,
            Person.job_title,
            Person.email,
            Person.phone,
            Person.country_iso2,
        )
        .where(Person.organisation_id == organisation_id, Person.anonymised_at.is_(None))
        .order_by(Person.last_name, Person.first_name, Person.id)
    )
    projects = (
        sa.select(
            Project.id,
            Project.code_name,
            Project.stage,
            Project.project_type,
            Project.function,
            Project.sector_code,
            Project.jobs_announced,
            Project.jobs_kept,
            Project.capex_eur,
            Project.capex_disclosure,
            Project.lead_on,
            Project.decided_on,
            Project.owner,
        )
        .where(Project.organisation_id == organisation_id)
        .order_by(Project.id.desc())
    )
    history = (
        sa.select(
            StageChange.project_id,
            Project.code_name.label("project_code_name"),
            StageChange.from_stage,
            StageChange.to_stage,
            StageChange.changed_on,
            StageChange.author,
            StageChange.note,
        )
        .join(Project, Project.id == StageChange.project_id)
        .where(Project.organisation_id == organisation_id)
        .order_by(StageChange.changed_on.desc(), StageChange.id.desc())
        .limit(limit)
    )
    interactions = (
        sa.select(
            Interaction.id,
            Interaction.occurred_on,
            Interaction.kind,
            Project.code_name.label("project_code_name"),
            Mission.name.label("mission"),
            Interaction.outcome,
            Interaction.summary,
            Interaction.next_step,
            Interaction.next_step_due_on,
            Interaction.author,
        )
        .outerjoin(Project, Project.id == Interaction.project_id)
        .outerjoin(Mission, Mission.id == Interaction.mission_id)
        .where(Interaction.organisation_id == organisation_id)
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
        .limit(limit)
    )
    missions = (
        sa.select(
            Mission.id,
            Mission.name,
            Mission.kind,
            Mission.starts_on,
            Mission.ends_on,
            Mission.city,
            Mission.country_iso2,
        )
        .join(MissionOrganisation, MissionOrganisation.mission_id == Mission.id)
        .where(MissionOrganisation.organisation_id == organisation_id)
        .order_by(Mission.starts_on.desc(), Mission.id.desc())
    )
    queries = {
        "people": people,
        "projects": projects,
        "stage_history": history,
        "interactions": interactions,
        "missions": missions,
    }
    return {name: query_frame(session, query) for name, query in queries.items()}


def get_organisation_detail(
    session: Session, organisation_id: int, *, limit: int = 500, masking: Masking | None = None
) -> OrganisationDetail | None:
    """The organisation's file, or None if there is no such organisation.

    ``organisation``: its fields plus parent_name and chamber_name. DataFrames: people (id,
    first_name, last_name, job_title, email, phone, country_iso2; anonymised people left out),
    projects (id, code_name, stage, project_type, function, sector_code, jobs_announced,
    jobs_kept, capex_eur, capex_disclosure, lead_on, decided_on, owner), stage_history of its
    projects, newest first (project_id, project_code_name, from_stage, to_stage, changed_on,
    author, note), interactions, newest first (id, occurred_on, kind, project_code_name,
    mission, outcome, summary, next_step, next_step_due_on, author) and the missions it was
    met or hosted in (id, name, kind, starts_on, ends_on, city, country_iso2). The history and
    the interactions keep the ``limit`` newest rows.

    For a ``masking`` (a viewer's), the record names none of its confidential projects: they
    and their stage changes are left out, and its meetings about them show no project (naming
    "a confidential project" here would name the company behind it).
    """
    fields = _organisation_fields(session, organisation_id)
    if fields is None:
        return None
    frames = _detail_frames(session, organisation_id, limit)
    if masking is not None:
        frames["projects"] = drop_project_rows(session, frames["projects"], masking, id_column="id")
        frames["stage_history"] = drop_project_rows(
            session, frames["stage_history"], masking, id_column="project_id"
        )
        frames["interactions"] = mask_meeting_rows(session, frames["interactions"], masking)
    return OrganisationDetail(organisation=fields, **frames)


# ---------------------------------------------------------------------------------------------
# The "five years question": organisations met or hosted over a period
# ---------------------------------------------------------------------------------------------


# The Directory's figure is "organisations met or hosted" (catalogue entry companies_seen,
# core.measures.met_or_hosted_ids), not the Overview's "organisations met": it also counts the
# organisations attending a mission, and a mission counts in the period it starts in.


def _met_in(start: date, end: date) -> Any:
    return sa.and_(measures.met_in(Period(start, end)), Interaction.organisation_id.is_not(None))


def _hosted_in(start: date, end: date) -> Any:
    return sa.and_(
        Mission.id == MissionOrganisation.mission_id, measures.mission_in(Period(start, end))
    )


def _contacts(start: date, end: date, among: Any = None) -> sa.Subquery:
    """Contacts with organisations in [start, end]: the interactions of the range, already
    grouped per organisation, and the missions starting in it (from their start to their end,
    clipped to the range; 0 meetings). Columns: organisation_id, first_on, last_on, n.
    ``among``: a select of organisation ids to keep (read on ``ix_interaction_org_on``)."""
    met = (
        sa.select(
            Interaction.organisation_id.label("organisation_id"),
            sa.func.min(Interaction.occurred_on).label("first_on"),
            sa.func.max(Interaction.occurred_on).label("last_on"),
            sa.func.count().label("n"),
        )
        .where(_met_in(start, end))
        .group_by(Interaction.organisation_id)
    )
    hosted = sa.select(
        MissionOrganisation.organisation_id.label("organisation_id"),
        Mission.starts_on.label("first_on"),
        sa.case((Mission.ends_on > end, end), else_=Mission.ends_on).label("last_on"),
        sa.literal(0).label("n"),
    ).where(_hosted_in(start, end))
    if among is not None:
        met = met.where(Interaction.organisation_id.in_(among))
        hosted = hosted.where(MissionOrganisation.organisation_id.in_(among))
    return sa.union_all(met, hosted).subquery("contacts")


def _nothing_logged_after(session: Session, end: date) -> bool:
    later = sa.select(sa.literal(1)).where(Interaction.occurred_on > end).limit(1)
    return session.execute(later).first() is None


def _met_or_hosted_since(session: Session, start: date, end: date, limit: int) -> tuple:
    """(count, select of the first ``limit`` ids by name) of the organisations met or hosted
    in [start, end] when nothing is logged after ``end``: then "met in the range" is "last met
    on or after ``start``", a range of ``organisationmet`` (kept by the database)."""
    recent = sa.select(OrganisationMet.organisation_id).where(OrganisationMet.last_met_on >= start)
    hosted = (
        sa.select(MissionOrganisation.organisation_id)
        .select_from(MissionOrganisation)
        .join(Mission, Mission.id == MissionOrganisation.mission_id)
        .where(measures.mission_in(Period(start, end)))
    )
    met_count = sa.select(sa.func.count()).select_from(recent.subquery()).scalar_subquery()
    hosted_only = (
        sa.select(sa.func.count(sa.distinct(MissionOrganisation.organisation_id)))
        .join(Mission, Mission.id == MissionOrganisation.mission_id)
        .where(
            measures.mission_in(Period(start, end)),
            ~sa.select(sa.literal(1))
            .where(
                OrganisationMet.organisation_id == MissionOrganisation.organisation_id,
                OrganisationMet.last_met_on >= start,
            )
            .exists(),
        )
        .scalar_subquery()
    )
    total = int(session.execute(sa.select(met_count + hosted_only)).scalar_one())
    was_met = (
        sa.select(sa.literal(1))
        .where(
            OrganisationMet.organisation_id == Organisation.id,
            OrganisationMet.last_met_on >= start,
        )
        .exists()
    )
    first = (
        sa.select(Organisation.id)
        .where(sa.or_(was_met, Organisation.id.in_(hosted)))
        .order_by(Organisation.name, Organisation.id)
        .limit(max(0, limit))
    )
    return total, first


def count_organisations_met(session: Session, start: date, end: date) -> int:
    """How many distinct organisations were "met or hosted": met (an interaction) between
    ``start`` and ``end`` included, or attending a mission starting in that range."""
    ids = measures.met_or_hosted_ids(Period(start, end)).subquery("ids")
    return int(session.execute(sa.select(sa.func.count()).select_from(ids)).scalar())


def list_organisations_met(
    session: Session, start: date, end: date, *, limit: int | None = None
) -> pd.DataFrame:
    """The organisations counted by ``count_organisations_met``, ordered by name. Columns: id,
    name, kind, country_iso2 (HQ), sector_code, first_met_on, last_met_on, meetings (the
    interactions in the range; a mission alone counts 0)."""
    return get_organisations_met(session, start, end, limit=limit)[1]


def get_organisations_met(
    session: Session, start: date, end: date, *, limit: int | None = None
) -> tuple[int, pd.DataFrame]:
    """(how many organisations were met, the first ``limit`` of them by name): one pass over
    the contacts of the range, the count taken by a window over the same rows; or, for a
    range after which nothing is logged (the last five years to today), the count and the
    first ``limit`` names from ``organisationmet``, and the contacts of those alone."""
    among = None
    if limit is not None and _nothing_logged_after(session, end):
        known_total, among = _met_or_hosted_since(session, start, end, limit)
    contacts = _contacts(start, end, among)
    per_org = (
        sa.select(
            contacts.c.organisation_id,
            sa.func.min(contacts.c.first_on).label("first_met_on"),
            sa.func.max(contacts.c.last_on).label("last_met_on"),
            sa.func.sum(contacts.c.n).label("meetings"),
        )
        .group_by(contacts.c.organisation_id)
        .subquery("per_org")
    )
    query = (
        sa.select(
            Organisation.id,
            Organisation.name,
            Organisation.kind,
            Organisation.hq_country_iso2.label("country_iso2"),
            Organisation.sector_code,
            per_org.c.first_met_on,
            per_org.c.last_met_on,
            per_org.c.meetings,
            sa.func.count().over().label("total"),
        )
        .join(per_org, per_org.c.organisation_id == Organisation.id)
        .order_by(Organisation.name, Organisation.id)
    )
    if limit is not None:
        query = query.limit(max(0, limit))
    frame = query_frame(session, query)
    total = int(frame["total"].iloc[0]) if len(frame) else 0
    if among is not None:
        total = known_total
    elif len(frame) == 0 and limit == 0:
        total = count_organisations_met(session, start, end)
    frame = frame.drop(columns=["total"])
    for column in ("first_met_on", "last_met_on"):
        frame[column] = [as_date(v) for v in frame[column]]
    return total, frame.astype({"meetings": "int64"})
