"""Database tables, enums and the Create models that forms and imports validate with.

One family per entity: ``XBase`` holds the validated fields, ``XCreate`` is what a form or an
import sends, ``X(table=True)`` is the stored row. Table models do not validate on their own
(SQLModel skips validation for them), so every write goes through a ``Create`` model first and
the database repeats the essential checks as CHECK constraints.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

import sqlalchemy as sa
from pydantic import EmailStr, model_validator
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Field, SQLModel

ISO2 = r"^[A-Z]{2}$"
DOMAIN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"
E164 = r"^\+[1-9][0-9]{6,14}$"
ISO3 = r"^[A-Z]{3}$"
CODE = r"^[a-z][a-z0-9_]*$"


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_type(enum: type[StrEnum]) -> sa.Enum:
    """Enums are stored as their lowercase values in a VARCHAR (no native PostgreSQL type),
    so adding a member later needs no type migration."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


# ---------------------------------------------------------------------------------------------
# Enums
# ---------------------------------------------------------------------------------------------


class Stage(StrEnum):
    TARGET = "target"
    LEAD = "lead"
    QUALIFIED = "qualified"
    ACTIVE = "active"
    SITE_VISIT = "site_visit"
    NEGOTIATION = "negotiation"
    WON = "won"
    LANDED = "landed"
    ON_HOLD = "on_hold"
    LOST = "lost"
    ABANDONED = "abandoned"


#: The main path, in order. Side exits (on hold, lost, abandoned) are not on it.
STAGE_ORDER: tuple[Stage, ...] = (
    Stage.TARGET,
    Stage.LEAD,
    Stage.QUALIFIED,
    Stage.ACTIVE,
    Stage.SITE_VISIT,
    Stage.NEGOTIATION,
    Stage.WON,
    Stage.LANDED,
)
#: Stages of a project still in play: the open pipeline.
OPEN_STAGES: tuple[Stage, ...] = (
    Stage.LEAD,
    Stage.QUALIFIED,
    Stage.ACTIVE,
    Stage.SITE_VISIT,
    Stage.NEGOTIATION,
)
#: Stages of a project whose decision was positive.
WON_STAGES: tuple[Stage, ...] = (Stage.WON, Stage.LANDED)


class ProjectType(StrEnum):
    CREATION = "creation"
    EXTENSION = "extension"
    TAKEOVER = "takeover"


class ProjectFunction(StrEnum):
    PRODUCTION = "production"
    RND = "rnd"
    HEADQUARTERS = "headquarters"
    LOGISTICS = "logistics"
    SALES_SUPPORT = "sales_support"
    DATA_CENTRE = "data_centre"


class OrganisationKind(StrEnum):
    COMPANY = "company"
    INVESTOR = "investor"
    PUBLIC_BODY = "public_body"
    CHAMBER = "chamber"
    CONSULATE = "consulate"
    UNIVERSITY = "university"


class OrganisationSize(StrEnum):
    MICRO = "micro"
    SME = "sme"
    MIDCAP = "midcap"
    LARGE = "large"


class InteractionKind(StrEnum):
    MEETING = "meeting"
    CALL = "call"
    SITE_VISIT = "site_visit"
    EVENT = "event"


class InteractionOutcome(StrEnum):
    NEW_LEAD = "new_lead"
    PROGRESS = "progress"
    FOLLOW_UP = "follow_up"
    INFORMATION = "information"
    NO_INTEREST = "no_interest"


class CapexDisclosure(StrEnum):
    DISCLOSED = "disclosed"
    ESTIMATED = "estimated"
    UNKNOWN = "unknown"


class LawfulBasis(StrEnum):
    LEGITIMATE_INTEREST = "legitimate_interest"
    CONSENT = "consent"
    CONTRACT = "contract"
    PUBLIC_TASK = "public_task"


class MissionKind(StrEnum):
    OUTBOUND = "outbound"
    TRADE_FAIR = "trade_fair"
    INBOUND = "inbound"


class SourceChannel(StrEnum):
    CHAMBER = "chamber"
    MISSION = "mission"
    INBOUND = "inbound"
    NETWORK = "network"
    PROSPECTING = "prospecting"


class LostReason(StrEnum):
    COST = "cost"
    TALENT = "talent"
    SITE = "site"
    INCENTIVES = "incentives"
    MARKET_ACCESS = "market_access"
    PROJECT_CANCELLED = "project_cancelled"
    OTHER = "other"


class TargetKpi(StrEnum):
    PROJECTS_WON = "projects_won"
    JOBS_ANNOUNCED = "jobs_announced"
    CAPEX_DISCLOSED = "capex_disclosed"
    MEETINGS = "meetings"
    ORGANISATIONS_MET = "organisations_met"
    MISSIONS = "missions"


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------


class Sector(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=32, schema_extra={"pattern": CODE})
    label_fr: str = Field(max_length=80)
    label_en: str = Field(max_length=80)
    colour: str = Field(max_length=7, schema_extra={"pattern": r"^#[0-9A-Fa-f]{6}$"})
    strategic: bool = True
    sort_order: int = 0


class Country(SQLModel, table=True):
    iso2: str = Field(primary_key=True, min_length=2, max_length=2, schema_extra={"pattern": ISO2})
    iso3: str = Field(unique=True, min_length=3, max_length=3, schema_extra={"pattern": ISO3})
    #: ISO 3166-1 numeric code: the id of the country's shape in Natural Earth / world-atlas.
    iso_numeric: str = Field(min_length=3, max_length=3, schema_extra={"pattern": r"^[0-9]{3}$"})
    name_fr: str = Field(max_length=80)
    name_en: str = Field(max_length=80)
    region: str = Field(index=True, max_length=32)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Chamber(SQLModel, table=True):
    """A chamber of the CCI France International network (hand-made reference file)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=160, unique=True)
    country_iso2: str = Field(foreign_key="country.iso2", index=True, max_length=2)
    city: str | None = Field(default=None, max_length=80)
    website: str | None = Field(default=None, max_length=200)
    source: str = Field(max_length=300)
    verified: bool = False


class Subdivision(SQLModel, table=True):
    """ISO 3166-2 subdivision (the India view uses its states and union territories)."""

    code: str = Field(primary_key=True, max_length=8)
    country_iso2: str = Field(foreign_key="country.iso2", index=True, max_length=2)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=40)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class City(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    country_iso2: str = Field(foreign_key="country.iso2", index=True, max_length=2)
    subdivision_code: str | None = Field(
        default=None, foreign_key="subdivision.code", index=True, max_length=8
    )
    population: int = Field(default=0, ge=0)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


# ---------------------------------------------------------------------------------------------
# Organisations and people
# ---------------------------------------------------------------------------------------------


class OrganisationBase(SQLModel):
    name: str = Field(min_length=1, max_length=200, index=True)
    kind: OrganisationKind = Field(
        default=OrganisationKind.COMPANY,
        sa_type=enum_type(OrganisationKind),
        index=True,
    )
    domain: str | None = Field(
        default=None,
        max_length=253,
        schema_extra={"pattern": DOMAIN},
    )
    registration_number: str | None = Field(default=None, max_length=40)
    hq_country_iso2: str | None = Field(
        default=None,
        foreign_key="country.iso2",
        index=True,
        max_length=2,
        schema_extra={"pattern": ISO2},
    )
    control_country_iso2: str | None = Field(
        default=None,
        foreign_key="country.iso2",
        index=True,
        max_length=2,
        schema_extra={"pattern": ISO2},
    )
    sector_code: str | None = Field(
        default=None, foreign_key="sector.code", index=True, max_length=32
    )
    size: OrganisationSize | None = Field(default=None, sa_type=enum_type(OrganisationSize))
    city: str | None = Field(default=None, max_length=100)
    parent_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    chamber_id: int | None = Field(default=None, foreign_key="chamber.id", index=True)


class OrganisationCreate(OrganisationBase):
    pass


def _organisation_key_default(context: sa.engine.interfaces.ExecutionContext) -> str:
    from core.normalise import organisation_key  # core.normalise reads models' patterns

    return organisation_key(context.get_current_parameters().get("name"))


def _person_key_default(context: sa.engine.interfaces.ExecutionContext) -> str:
    from core.normalise import person_key

    params = context.get_current_parameters()
    return person_key(params.get("first_name"), params.get("last_name"))


class Organisation(OrganisationBase, table=True):
    __table_args__ = (sa.UniqueConstraint("domain", name="uq_organisation_domain"),)
    id: int | None = Field(default=None, primary_key=True)
    #: The name as compared and searched (``core.normalise.organisation_key``: no accents,
    #: case, punctuation or legal forms). Never set by hand: the column default fills it on
    #: every insert (ORM or bulk), the mapper events at the end of this module on every ORM
    #: update, and a Core UPDATE that changes the name without it is refused.
    name_key: str | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.String(200), nullable=False, index=True, default=_organisation_key_default
        ),
    )
    is_demo: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class PersonBase(SQLModel):
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80, index=True)
    job_title: str | None = Field(default=None, max_length=120)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    email: EmailStr | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20, schema_extra={"pattern": E164})
    country_iso2: str | None = Field(
        default=None,
        foreign_key="country.iso2",
        index=True,
        max_length=2,
        schema_extra={"pattern": ISO2},
    )
    tags: str | None = Field(default=None, max_length=200)
    data_source: str = Field(min_length=1, max_length=200)
    lawful_basis: LawfulBasis = Field(
        default=LawfulBasis.LEGITIMATE_INTEREST, sa_type=enum_type(LawfulBasis)
    )
    notice_sent_on: date | None = None
    objection: bool = False
    last_inbound_contact_on: date | None = Field(default=None, index=True)


class PersonCreate(PersonBase):
    pass


class Person(PersonBase, table=True):
    __table_args__ = (sa.Index("ix_person_email", "email"),)
    id: int | None = Field(default=None, primary_key=True)
    #: First and last name folded (``core.normalise.person_key``), kept like
    #: ``Organisation.name_key``; an anonymised person's follows their placeholder name.
    name_key: str | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.String(200), nullable=False, index=True, default=_person_key_default
        ),
    )
    is_demo: bool = Field(default=False, index=True)
    anonymised_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# ---------------------------------------------------------------------------------------------
# Missions
# ---------------------------------------------------------------------------------------------


class MissionBase(SQLModel):
    name: str = Field(min_length=1, max_length=160)
    kind: MissionKind = Field(sa_type=enum_type(MissionKind), index=True)
    starts_on: date = Field(index=True)
    ends_on: date
    city: str | None = Field(default=None, max_length=100)
    country_iso2: str = Field(
        foreign_key="country.iso2",
        index=True,
        max_length=2,
        schema_extra={"pattern": ISO2},
    )
    chamber_id: int | None = Field(default=None, foreign_key="chamber.id", index=True)
    budget_eur: int | None = Field(default=None, ge=0, sa_type=sa.BigInteger)
    description: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _dates_in_order(self) -> MissionBase:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class MissionCreate(MissionBase):
    pass


class Mission(MissionBase, table=True):
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ck_mission_dates"),
        sa.CheckConstraint("budget_eur IS NULL OR budget_eur >= 0", name="ck_mission_budget"),
    )
    id: int | None = Field(default=None, primary_key=True)
    is_demo: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class MissionOrganisation(SQLModel, table=True):
    """An organisation met or hosted during a mission."""

    mission_id: int = Field(foreign_key="mission.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, index=True, ondelete="CASCADE"
    )


class MissionPerson(SQLModel, table=True):
    """A person met during a mission, or a member of the delegation."""

    mission_id: int = Field(foreign_key="mission.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(
        foreign_key="person.id", primary_key=True, index=True, ondelete="CASCADE"
    )


# ---------------------------------------------------------------------------------------------
# Projects and their stage history
# ---------------------------------------------------------------------------------------------


class ProjectBase(SQLModel):
    code_name: str = Field(min_length=1, max_length=120)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    project_type: ProjectType = Field(default=ProjectType.CREATION, sa_type=enum_type(ProjectType))
    function: ProjectFunction = Field(
        default=ProjectFunction.PRODUCTION, sa_type=enum_type(ProjectFunction)
    )
    sector_code: str = Field(foreign_key="sector.code", index=True, max_length=32)
    capex_eur: int | None = Field(default=None, ge=0, sa_type=sa.BigInteger)
    capex_disclosure: CapexDisclosure = Field(
        default=CapexDisclosure.UNKNOWN, sa_type=enum_type(CapexDisclosure)
    )
    jobs_announced: int = Field(default=0, ge=0)
    jobs_kept: int = Field(default=0, ge=0)
    jobs_created: int = Field(default=0, ge=0)
    expected_decision_on: date | None = None
    competing_locations: str | None = Field(default=None, max_length=300)
    target_commune: str | None = Field(default=None, max_length=100)
    source_channel: SourceChannel = Field(
        default=SourceChannel.PROSPECTING, sa_type=enum_type(SourceChannel), index=True
    )
    source_chamber_id: int | None = Field(default=None, foreign_key="chamber.id", index=True)
    source_mission_id: int | None = Field(default=None, foreign_key="mission.id", index=True)
    owner: str | None = Field(default=None, max_length=120, index=True)
    first_site_france: bool = False
    first_site_europe: bool = False
    confidential: bool = False
    #: The project's own country of origin, when it is not its organisation's (a French
    #: group's project led by its Indian subsidiary, say); None: its organisation's.
    stated_origin_iso2: str | None = Field(
        default=None, foreign_key="country.iso2", max_length=2, schema_extra={"pattern": ISO2}
    )


class ProjectEdit(ProjectBase):
    """A project's own fields, as a correction changes them (its stage moves elsewhere)."""

    @model_validator(mode="after")
    def _capex_flag(self) -> ProjectEdit:
        if self.capex_eur is None and self.capex_disclosure != CapexDisclosure.UNKNOWN:
            raise ValueError("capex_disclosure needs capex_eur")
        return self


class ProjectCreate(ProjectEdit):
    """A new project enters the pipeline at ``stage`` on ``stage_on`` (default: Lead, today)."""

    stage: Stage = Stage.LEAD
    stage_on: date | None = None


class Project(ProjectBase, table=True):
    __table_args__ = (
        sa.CheckConstraint("jobs_announced >= 0", name="ck_project_jobs_announced"),
        sa.CheckConstraint("jobs_kept >= 0", name="ck_project_jobs_kept"),
        sa.CheckConstraint("jobs_created >= 0", name="ck_project_jobs_created"),
        sa.CheckConstraint("capex_eur IS NULL OR capex_eur >= 0", name="ck_project_capex"),
        sa.Index("ix_project_stage_decided", "stage", "decided_on"),
        # Covers the won figures (count, origin, jobs, capex by decision date): migration 0014.
        sa.Index(
            "ix_project_won_figures",
            "stage",
            "decided_on",
            "origin_country_iso2",
            "jobs_announced",
            "jobs_kept",
            "capex_disclosure",
            "capex_eur",
        ),
        # Covers the leads by origin (India's share and years): migration 0014.
        sa.Index("ix_project_lead_origin", "lead_on", "origin_country_iso2"),
    )
    id: int | None = Field(default=None, primary_key=True)
    stage: Stage = Field(default=Stage.LEAD, sa_type=enum_type(Stage), index=True)
    #: The country of origin the KPIs count: the stated one, else the organisation's country
    #: of control, else its HQ country; None when all are unknown ("origine inconnue").
    #: Kept by the database itself (migration 0009's triggers) on every insert and update of
    #: the project and every change of its organisation's countries, whatever the write path;
    #: stored so that the KPIs by origin need no join.
    origin_country_iso2: str | None = Field(
        default=None,
        foreign_key="country.iso2",
        index=True,
        max_length=2,
        sa_column_kwargs={
            "server_default": sa.FetchedValue(),
            "server_onupdate": sa.FetchedValue(),
        },
    )
    lead_on: date | None = Field(default=None, index=True)
    decided_on: date | None = Field(default=None, index=True)
    lost_reason: LostReason | None = Field(default=None, sa_type=enum_type(LostReason))
    lost_to_location: str | None = Field(default=None, max_length=120)
    is_demo: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class StageChange(SQLModel, table=True):
    """Every stage a project entered, with its date and author. Time-in-stage comes from here."""

    __table_args__ = (
        sa.Index("ix_stagechange_project_on", "project_id", "changed_on", "id", "to_stage"),
        sa.Index("ix_stagechange_left", "to_stage", "left_on", "changed_on", "project_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    from_stage: Stage | None = Field(default=None, sa_type=enum_type(Stage))
    to_stage: Stage = Field(sa_type=enum_type(Stage), index=True)
    changed_on: date = Field(index=True)
    author: str = Field(max_length=120)
    note: str | None = Field(default=None, max_length=500)
    recorded_at: datetime = Field(default_factory=utcnow, index=True)
    #: The date of the project's next change (None: its current stay), kept by the database
    #: (migration 0013_summaries); never written by the application.
    left_on: date | None = Field(default=None)


class MeetingCount(SQLModel, table=True):
    """Meetings logged and distinct organisations met per calendar year (``span`` "year") and
    month ("month") starting on ``starts_on``: kept by the database's triggers on interaction
    (migration 0013_summaries), rebuilt by ``manage.py rebuild-summaries``; never written by
    the application. A span's figures are the sum of its ``slot`` rows (migration
    0016_meeting_count_slots: on PostgreSQL an organisation's meetings count in slot
    ``organisation_id % 32``, so concurrent writers mostly update different rows; on SQLite
    every count is in slot 0)."""

    span: str = Field(primary_key=True, max_length=5)
    starts_on: date = Field(primary_key=True)
    slot: int = Field(
        default=0,
        primary_key=True,
        sa_column_kwargs={"autoincrement": False, "server_default": "0"},
    )
    meetings: int = 0
    organisations: int = 0


class MeetingOrigin(SQLModel, table=True):
    """Meetings logged and distinct organisations met per calendar month (``starts_on``, its
    first day) and origin of the organisation met (``country_iso2``: country of control, else
    headquarters), in ``slot`` rows summed by readers (the organisation's id modulo 32 on
    PostgreSQL, 0 on SQLite): kept by the database's triggers on interaction and on the
    organisation's countries (migration 0018_meetings_by_origin), rebuilt by ``manage.py
    rebuild-summaries``. Meetings without an organisation, or with one of unknown origin, are
    not in it."""

    __table_args__ = (sa.Index("ix_meetingorigin_country", "country_iso2", "starts_on"),)

    starts_on: date = Field(primary_key=True)
    country_iso2: str = Field(primary_key=True, max_length=2)
    slot: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    meetings: int = 0
    organisations: int = 0


class OrganisationYear(SQLModel, table=True):
    """Each organisation's first and last meeting of each calendar year it was met in, and
    whether it is a company (kind "company", ``core.measures.COMPANY_KINDS``): kept by the
    database's triggers on interaction and on the organisation's kind (migration
    0014_organisation_years), rebuilt by ``manage.py rebuild-summaries``. Organisations (and
    companies) met in a period of one calendar year starting on 1 January (or ending on 31
    December) are a range count on it: met by the end = first meeting of the year by then."""

    __table_args__ = (
        sa.Index("ix_organisationyear_first", "year", "first_met_on", "company"),
        sa.Index("ix_organisationyear_last", "year", "last_met_on", "company"),
    )

    organisation_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    first_met_on: date
    last_met_on: date
    company: bool


class ProjectPath(SQLModel, table=True):
    """Each project's path so far (no row: no stage change), kept by the database's triggers on
    stage changes (migration 0017_project_paths), rebuilt by ``manage.py rebuild-summaries``:
    ``entered_on``, the date it entered the pipeline in its current run
    (``core.measures.entered_pipeline_on``; None: no entry), which time to decision reads;
    ``furthest_rank``, the furthest place on ``STAGE_ORDER`` it reached (-1: only off the
    path), which the conversion reads."""

    project_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    entered_on: date | None = None
    furthest_rank: int


class OrganisationMet(SQLModel, table=True):
    """Each organisation's last meeting (no row: never met), kept by the database's triggers on
    interaction (migration 0013_summaries), rebuilt by ``manage.py rebuild-summaries``."""

    organisation_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_met_on: date = Field(index=True)


# ---------------------------------------------------------------------------------------------
# Interactions (meeting log)
# ---------------------------------------------------------------------------------------------


class InteractionBase(SQLModel):
    occurred_on: date = Field(index=True)
    kind: InteractionKind = Field(
        default=InteractionKind.MEETING, sa_type=enum_type(InteractionKind)
    )
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    mission_id: int | None = Field(default=None, foreign_key="mission.id", index=True)
    place: str | None = Field(default=None, max_length=120)
    outcome: InteractionOutcome = Field(
        default=InteractionOutcome.INFORMATION, sa_type=enum_type(InteractionOutcome)
    )
    summary: str | None = Field(default=None, max_length=4000)
    next_step: str | None = Field(default=None, max_length=300)
    next_step_due_on: date | None = Field(default=None, index=True)
    next_step_done: bool = False
    author: str = Field(min_length=1, max_length=120)
    owner: str | None = Field(default=None, max_length=120, index=True)

    @model_validator(mode="after")
    def _due_after_meeting(self) -> InteractionBase:
        if self.next_step_due_on is not None and self.next_step_due_on < self.occurred_on:
            raise ValueError("next_step_due_on must not be before occurred_on")
        return self


class InteractionCreate(InteractionBase):
    participant_ids: list[int] = Field(default_factory=list)


class Interaction(InteractionBase, table=True):
    __table_args__ = (
        sa.Index("ix_interaction_on_org", "occurred_on", "organisation_id"),
        sa.Index("ix_interaction_org_on", "organisation_id", "occurred_on"),
        sa.Index("ix_interaction_project_on", "project_id", "occurred_on"),
        sa.CheckConstraint(
            "next_step_due_on IS NULL OR next_step_due_on >= occurred_on",
            name="ck_interaction_due",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    is_demo: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class InteractionParticipant(SQLModel, table=True):
    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(
        foreign_key="person.id", primary_key=True, index=True, ondelete="CASCADE"
    )


# ---------------------------------------------------------------------------------------------
# Targets and dataset metadata
# ---------------------------------------------------------------------------------------------


class TargetBase(SQLModel):
    year: int = Field(ge=2000, le=2100)
    kpi: TargetKpi = Field(sa_type=enum_type(TargetKpi))
    value: int = Field(ge=0, sa_type=sa.BigInteger)
    source: str | None = Field(default=None, max_length=200)


class TargetCreate(TargetBase):
    pass


class Target(TargetBase, table=True):
    __table_args__ = (
        sa.UniqueConstraint("year", "kpi", name="uq_target_year_kpi"),
        sa.CheckConstraint("value >= 0", name="ck_target_value"),
    )
    id: int | None = Field(default=None, primary_key=True)
    is_demo: bool = Field(default=False, index=True)


class SectorTargetCreate(TargetBase):
    sector_code: str = Field(foreign_key="sector.code", index=True, max_length=32)


class SectorTarget(SectorTargetCreate, table=True):
    """A yearly target of one strategic sector (the Sectors page compares each with its actual)."""

    __table_args__ = (
        sa.UniqueConstraint("year", "sector_code", "kpi", name="uq_sectortarget_year_sector_kpi"),
        sa.CheckConstraint("value >= 0", name="ck_sectortarget_value"),
    )
    id: int | None = Field(default=None, primary_key=True)
    is_demo: bool = Field(default=False, index=True)


class Role(StrEnum):
    """Who may do what (issue 5): officials read, staff log and edit, admins administer; a
    partner (a chamber of the network, issue 11) refers leads and follows its own referrals,
    and opens nothing else (a separate branch, outside the agency's ordered roles)."""

    VIEWER = "viewer"
    STAFF = "staff"
    ADMIN = "admin"
    PARTNER = "partner"


class UserAccount(SQLModel, table=True):
    """A local account (argon2id hash), or one signed in through OpenID Connect (no hash).
    A partner's account belongs to exactly one chamber; no other account has one."""

    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'partner' AND chamber_id IS NOT NULL) "
            "OR (role <> 'partner' AND chamber_id IS NULL)",
            name="ck_useraccount_partner_chamber",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(min_length=3, max_length=60, unique=True)
    display_name: str = Field(min_length=1, max_length=120)
    role: Role = Field(sa_type=enum_type(Role))
    chamber_id: int | None = Field(default=None, foreign_key="chamber.id", index=True)
    password_hash: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, unique=True)
    active: bool = True
    is_demo: bool = Field(default=False, index=True)
    failed_attempts: int = Field(default=0, ge=0)
    last_failed_at: datetime | None = None
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class UserSession(SQLModel, table=True):
    """A signed-in session: its token's hash, when it was last used, when it ended."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="useraccount.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class SharedUpdateCreate(SQLModel):
    """What the agency tells the referring chamber about a referred lead: the only text of a
    project a partner ever reads."""

    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    text: str = Field(min_length=1, max_length=500)
    written_on: date


class SharedUpdate(SharedUpdateCreate, table=True):
    id: int | None = Field(default=None, primary_key=True)
    author: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=utcnow)


class AccessLogEntry(SQLModel, table=True):
    """Who viewed people's personal data (contact details), and what: kept 12 months."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    username: str = Field(max_length=60, index=True)
    what: str = Field(max_length=200)


class RequestKind(StrEnum):
    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    OBJECTION = "objection"


class RequestStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    REFUSED = "refused"


class DataRequestCreate(SQLModel):
    """A data-subject request (GDPR art. 15 to 21) as it was received."""

    person_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="SET NULL"
    )
    requester: str = Field(min_length=1, max_length=160)
    kind: RequestKind = Field(sa_type=enum_type(RequestKind))
    received_on: date
    note: str | None = Field(default=None, max_length=1000)


class DataRequest(DataRequestCreate, table=True):
    """The register of data-subject requests: each answered within one month (``due_on``)."""

    id: int | None = Field(default=None, primary_key=True)
    due_on: date = Field(index=True)
    status: RequestStatus = Field(
        default=RequestStatus.OPEN, sa_type=enum_type(RequestStatus), index=True
    )
    closed_on: date | None = None
    handled_by: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(default_factory=utcnow)


class AuditAction(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


class AuditEntry(SQLModel, table=True):
    """One write to one record: who, when, what, the values before and after. Append-only:
    the database refuses to change or delete an entry (triggers of migration 0003), except to
    redact its values once when the person they name is anonymised (``redacted_at``)."""

    __table_args__ = (sa.Index("ix_auditentry_record", "table_name", "row_key", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=120, index=True)
    action: AuditAction = Field(sa_type=enum_type(AuditAction))
    table_name: str = Field(max_length=64, index=True)
    row_key: str = Field(max_length=64)
    before: dict | None = Field(default=None, sa_type=sa.JSON)
    after: dict | None = Field(default=None, sa_type=sa.JSON)
    redacted_at: datetime | None = None


class KpiSnapshot(SQLModel, table=True):
    """The figures of one period frozen as announced (a press conference), with the version of
    the KPI definitions they were computed with, when and by whom. Never changed: the database
    refuses updates, and deletes except of snapshots made on demo data (triggers of migration
    0007), so that a figure announced can be shown identically a year later."""

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(min_length=1, max_length=160)
    period_start: date = Field(index=True)
    period_end: date
    definitions_version: str = Field(max_length=20)
    home_country: str = Field(max_length=2, schema_extra={"pattern": ISO2})
    figures: dict = Field(sa_type=sa.JSON)
    frozen_at: datetime = Field(default_factory=utcnow, index=True)
    frozen_by: str = Field(max_length=120)
    note: str | None = Field(default=None, max_length=1000)
    is_demo: bool = Field(default=False, index=True)


class DatasetInfo(SQLModel, table=True):
    """Key/value facts about the data held: whether demo data is loaded, its seed and scale."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=500)
    updated_at: datetime = Field(default_factory=utcnow)


# ---------------------------------------------------------------------------------------------
# Results: aftercare check-ins, attribution claims, notes on the trend (issue 14)
# ---------------------------------------------------------------------------------------------


class EvidenceKind(StrEnum):
    """What a check-in's figures rest on."""

    COMPANY_DECLARATION = "company_declaration"
    SITE_VISIT = "site_visit"
    PUBLIC_REGISTRY = "public_registry"
    PRESS = "press"


class CheckInCreate(SQLModel):
    """What a won project actually delivered, to date, as its owner checked it."""

    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    checked_on: date
    #: New jobs actually created and still there on ``checked_on``.
    jobs_created: int = Field(ge=0, le=1_000_000)
    #: Existing jobs actually kept (a takeover, an extension), on ``checked_on``.
    jobs_kept: int = Field(default=0, ge=0, le=1_000_000)
    capex_spent_eur: int | None = Field(default=None, ge=0, sa_type=sa.BigInteger)
    evidence: EvidenceKind = Field(sa_type=enum_type(EvidenceKind))
    evidence_note: str | None = Field(default=None, max_length=500)
    #: The company has left the territory (site closed): nothing created nor kept any more.
    company_left: bool = False

    @model_validator(mode="after")
    def _left_means_nothing(self) -> CheckInCreate:
        if self.company_left and (self.jobs_created or self.jobs_kept):
            raise ValueError("a company that left keeps no jobs")
        return self


class CheckIn(CheckInCreate, table=True):
    """An aftercare check-in. Kept for good: never changed (the database refuses updates,
    migration 0012); a correction is a new check-in, and the latest one counts."""

    __table_args__ = (
        sa.Index("ix_checkin_project_on", "project_id", "checked_on", "id"),
        sa.CheckConstraint("jobs_created >= 0 AND jobs_kept >= 0", name="ck_checkin_jobs"),
        sa.CheckConstraint(
            "capex_spent_eur IS NULL OR capex_spent_eur >= 0", name="ck_checkin_capex"
        ),
        sa.CheckConstraint(
            "NOT company_left OR (jobs_created = 0 AND jobs_kept = 0)", name="ck_checkin_left"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    author: str = Field(max_length=120)
    is_demo: bool = Field(default=False, index=True)
    recorded_at: datetime = Field(default_factory=utcnow, index=True)


class ClaimantKind(StrEnum):
    CHAMBER = "chamber"
    EVENT = "event"
    STAFF = "staff"


class ClaimStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class ClaimCreate(SQLModel):
    """A chamber, an event (a mission) or a staff member says it brought a project."""

    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    claimant_kind: ClaimantKind = Field(sa_type=enum_type(ClaimantKind), index=True)
    chamber_id: int | None = Field(default=None, foreign_key="chamber.id", index=True)
    mission_id: int | None = Field(default=None, foreign_key="mission.id", index=True)
    staff_name: str | None = Field(default=None, max_length=120)
    claimed_on: date
    statement: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _one_claimant(self) -> ClaimCreate:
        given = {
            ClaimantKind.CHAMBER: self.chamber_id is not None,
            ClaimantKind.EVENT: self.mission_id is not None,
            ClaimantKind.STAFF: bool(self.staff_name and self.staff_name.strip()),
        }
        if not given[self.claimant_kind] or sum(given.values()) != 1:
            raise ValueError("a claim names exactly its claimant of its kind")
        return self


class Claim(ClaimCreate, table=True):
    """An attribution claim and the agency's decision on it (accepted or refused, with a
    reason). Only accepted claims count in the network's figures."""

    __table_args__ = (
        sa.CheckConstraint(
            "(claimant_kind = 'chamber' AND chamber_id IS NOT NULL AND mission_id IS NULL "
            "AND staff_name IS NULL) OR (claimant_kind = 'event' AND mission_id IS NOT NULL "
            "AND chamber_id IS NULL AND staff_name IS NULL) OR (claimant_kind = 'staff' "
            "AND staff_name IS NOT NULL AND chamber_id IS NULL AND mission_id IS NULL)",
            name="ck_claim_claimant",
        ),
        sa.CheckConstraint(
            "(status = 'pending' AND decided_on IS NULL AND decision_reason IS NULL) OR "
            "(status <> 'pending' AND decided_on IS NOT NULL AND decision_reason IS NOT NULL)",
            name="ck_claim_decision",
        ),
        # "has this project an accepted claim?" in one seek (core.measures.accepted_claim)
        sa.Index("ix_claim_project_status", "project_id", "status", "claimant_kind"),
    )
    id: int | None = Field(default=None, primary_key=True)
    status: ClaimStatus = Field(
        default=ClaimStatus.PENDING, sa_type=enum_type(ClaimStatus), index=True
    )
    decided_on: date | None = None
    decided_by: str | None = Field(default=None, max_length=120)
    decision_reason: str | None = Field(default=None, max_length=500)
    author: str = Field(max_length=120)
    is_demo: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class TrendNoteCreate(SQLModel):
    """A dated note drawn on the monthly trend: why a figure moved."""

    noted_on: date = Field(index=True)
    text: str = Field(min_length=1, max_length=160)


class TrendNote(TrendNoteCreate, table=True):
    id: int | None = Field(default=None, primary_key=True)
    author: str = Field(max_length=120)
    is_demo: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)


# ---------------------------------------------------------------------------------------------
# Name keys: kept on every write path
# ---------------------------------------------------------------------------------------------

#: Table -> the columns its ``name_key`` is made of.
NAME_KEY_SOURCES: dict[str, tuple[str, ...]] = {
    "organisation": ("name",),
    "person": ("first_name", "last_name"),
}


def name_key_of(row: Organisation | Person) -> str:
    """The key ``row`` must store, from its current name."""
    from core.normalise import organisation_key, person_key

    if isinstance(row, Organisation):
        return organisation_key(row.name)
    return person_key(row.first_name, row.last_name)


@sa.event.listens_for(Organisation, "before_insert")
@sa.event.listens_for(Organisation, "before_update")
@sa.event.listens_for(Person, "before_insert")
@sa.event.listens_for(Person, "before_update")
def _set_name_key(_mapper: object, _connection: object, row: Organisation | Person) -> None:
    row.name_key = name_key_of(row)
    # Always part of an UPDATE that changes a name, even when the key stays the same, so
    # that the check on Core updates below can tell a forgotten key from an unchanged one.
    state = sa.inspect(row)
    if any(state.attrs[c].history.has_changes() for c in NAME_KEY_SOURCES[row.__tablename__]):
        flag_modified(row, "name_key")


def _updated_columns(statement: sa.Update, multiparams: object, params: object) -> set[str]:
    columns = {getattr(c, "key", c) for c in (statement._values or {})}
    batches = multiparams if isinstance(multiparams, list | tuple) else [multiparams]
    for batch in [*batches, params]:
        if isinstance(batch, dict):
            columns |= set(batch)
    return columns


@sa.event.listens_for(sa.engine.Engine, "before_execute")
def _refuse_update_without_key(
    _conn: object, statement: object, multiparams: object, params: object, _options: object
) -> None:
    if not isinstance(statement, sa.Update):
        return
    sources = NAME_KEY_SOURCES.get(getattr(statement.table, "name", ""))
    if not sources:
        return
    columns = _updated_columns(statement, multiparams, params)
    if columns & set(sources) and "name_key" not in columns:
        raise ValueError(
            f"an UPDATE of {statement.table.name} that changes {', '.join(sources)} must set "
            "name_key too (core.normalise.organisation_key / person_key)"
        )
