"""A chamber refers a lead; the agency qualifies it and tells the chamber what became of it.

``refer_lead`` is the one write a partner may make: in one transaction it finds the company
on record (``core.matching.match_organisation``, as imports do) or creates it, adds the
contact person (or finds them by e-mail in that company), and opens a project at stage Lead
with source channel "chamber" and the partner's chamber as its source. The chamber comes from
the signed-in partner bound to the session, never from the form. The partner is told the same
thing whether the company was on record or not: nothing about an existing record is returned.

``add_shared_update`` is the agency's: a short text on a referred lead, the only text of a
project its chamber reads (``core.partners.list_referrals``). ``list_leads_to_qualify`` is the
staff's list of referred leads still at stage Lead.
"""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
import sqlalchemy as sa
from pydantic import EmailStr
from sqlmodel import Field, Session, SQLModel, select

from core import clock
from core.confidentiality import Masking, mask_project_rows
from core.errors import RuleError
from core.matching import MATCHED, match_organisation
from core.writes import write_transaction
from models import (
    E164,
    ISO2,
    CapexDisclosure,
    Chamber,
    Country,
    LawfulBasis,
    Organisation,
    Person,
    Project,
    ProjectFunction,
    ProjectType,
    Role,
    Sector,
    SharedUpdate,
    SharedUpdateCreate,
    SourceChannel,
    Stage,
    StageChange,
)

log = logging.getLogger(__name__)


class ReferralCreate(SQLModel):
    """What a chamber tells the agency about a company that may invest (the referral form)."""

    company: str = Field(min_length=1, max_length=200)
    website: str | None = Field(default=None, max_length=253)  # a domain (normalised first)
    country_iso2: str = Field(min_length=2, max_length=2, schema_extra={"pattern": ISO2})
    sector_code: str = Field(min_length=1, max_length=32)
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    job_title: str | None = Field(default=None, max_length=120)
    email: EmailStr = Field(max_length=254)
    phone: str | None = Field(default=None, max_length=20, schema_extra={"pattern": E164})
    project_type: ProjectType = ProjectType.CREATION
    function: ProjectFunction = ProjectFunction.PRODUCTION
    jobs: int | None = Field(default=None, ge=0, le=100_000)
    capex_eur: int | None = Field(default=None, ge=0)
    expected_decision_on: date | None = None
    description: str | None = Field(default=None, max_length=500)
    lawful_basis: LawfulBasis


def _organisation(session: Session, data: ReferralCreate) -> int:
    """The company on record these details mean, else a new one (its id)."""
    found = match_organisation(
        session, name=data.company, domain=data.website, country=data.country_iso2
    )
    if found.status == MATCHED:
        return int(found.organisation_id)
    domain = data.website
    if (
        domain is not None
        and session.exec(select(Organisation.id).where(Organisation.domain == domain)).first()
    ):
        domain = None  # cannot happen after a domain match; kept unique all the same
    org = Organisation(
        name=data.company.strip(),
        domain=domain,
        hq_country_iso2=data.country_iso2,
        sector_code=data.sector_code,
    )
    session.add(org)
    session.flush()
    return int(org.id)


def _person(session: Session, data: ReferralCreate, organisation_id: int, source: str) -> int:
    email = str(data.email).lower()
    same = session.exec(
        select(Person.id).where(
            Person.organisation_id == organisation_id, sa.func.lower(Person.email) == email
        )
    ).first()
    if same is not None:
        return int(same)
    person = Person(
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        job_title=data.job_title,
        organisation_id=organisation_id,
        email=email,
        phone=data.phone,
        country_iso2=data.country_iso2,
        data_source=source[:200],
        lawful_basis=data.lawful_basis,
    )
    session.add(person)
    session.flush()
    return int(person.id)


def refer_lead(*, session: Session, data: ReferralCreate) -> int:
    """Record a chamber's referral (see the module docstring); the new project's id. Only a
    partner may; its chamber is the one its account belongs to."""
    with write_transaction(session, Role.PARTNER) as user:
        data = ReferralCreate.model_validate(data.model_dump())
        chamber = session.get(Chamber, user.chamber_id) if user.chamber_id else None
        if chamber is None:
            raise RuleError("rule.referral.no_chamber")
        if session.get(Country, data.country_iso2) is None:
            raise RuleError("rule.referral.country", field="country_iso2")
        if session.get(Sector, data.sector_code) is None:
            raise RuleError("rule.referral.sector", field="sector_code")
        today = clock.today()
        if data.expected_decision_on is not None and data.expected_decision_on < today:
            raise RuleError("rule.referral.timing_past", field="expected_decision_on")
        organisation_id = _organisation(session, data)
        _person(session, data, organisation_id, f"Referral: {chamber.name}")
        project = Project(
            code_name=data.company.strip()[:120],
            organisation_id=organisation_id,
            project_type=data.project_type,
            function=data.function,
            sector_code=data.sector_code,
            capex_eur=data.capex_eur,
            capex_disclosure=(
                CapexDisclosure.ESTIMATED if data.capex_eur is not None else CapexDisclosure.UNKNOWN
            ),
            jobs_announced=data.jobs or 0,
            expected_decision_on=data.expected_decision_on,
            source_channel=SourceChannel.CHAMBER,
            source_chamber_id=chamber.id,
            stage=Stage.LEAD,
            lead_on=today,
        )
        session.add(project)
        session.flush()
        session.add(
            StageChange(
                project_id=project.id,
                from_stage=None,
                to_stage=Stage.LEAD,
                changed_on=today,
                author=user.display_name[:120],
                note=data.description,
            )
        )
        project_id = int(project.id)
    log.info("referral: project %s from chamber %s", project_id, chamber.id)
    return project_id


def add_shared_update(*, session: Session, data: SharedUpdateCreate, author: str) -> SharedUpdate:
    """A staff member's update on a referred lead, shown to the chamber that referred it."""
    with write_transaction(session, Role.STAFF, author):
        data = SharedUpdateCreate.model_validate(data.model_dump())
        project = session.get(Project, data.project_id)
        if project is None:
            raise LookupError(f"no project with id {data.project_id}")
        if project.source_chamber_id is None:
            raise RuleError("rule.shared_update.not_referred", field="project")
        if data.written_on > clock.today():
            raise RuleError("rule.shared_update.future", field="written_on")
        update = SharedUpdate(
            project_id=data.project_id,
            text=data.text.strip(),
            written_on=data.written_on,
            author=author[:120],
        )
        session.add(update)
        session.flush()
        session.refresh(update)
    return update


def list_leads_to_qualify(session: Session, *, masking: Masking | None) -> pd.DataFrame:
    """Leads referred by a chamber and still at stage Lead, oldest first: id, code name,
    organisation, chamber, referred on, owner."""
    query = (
        sa.select(
            Project.id.label("id"),
            Project.code_name.label("code_name"),
            Organisation.id.label("organisation_id"),
            Organisation.name.label("organisation_name"),
            Chamber.name.label("chamber"),
            Project.lead_on.label("referred_on"),
            Project.owner.label("owner"),
        )
        .join(Organisation, Organisation.id == Project.organisation_id)
        .join(Chamber, Chamber.id == Project.source_chamber_id)
        .where(Project.stage == Stage.LEAD, Project.source_channel == SourceChannel.CHAMBER)
        .order_by(Project.lead_on, Project.id)
    )
    frame = pd.DataFrame([dict(r._mapping) for r in session.execute(query)])
    if frame.empty:
        frame = pd.DataFrame(
            columns=[
                "id",
                "code_name",
                "organisation_id",
                "organisation_name",
                "chamber",
                "referred_on",
                "owner",
            ]
        )
    return mask_project_rows(session, frame, masking)


def list_referred_projects(session: Session) -> dict[int, str]:
    """Projects referred by a chamber (id -> code name and chamber), for the shared update's
    choice of project (staff)."""
    rows = session.execute(
        sa.select(Project.id, Project.code_name, Chamber.name)
        .join(Chamber, Chamber.id == Project.source_chamber_id)
        .order_by(Project.code_name, Project.id)
    )
    return {int(i): f"{code} — {chamber}" for i, code, chamber in rows}
