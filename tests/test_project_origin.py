"""A project's country of origin follows its organisation (country of control, else HQ)
unless the project states its own; unknown when all are unknown. Both engines; every figure
worked out by hand from the records each test makes (home country FR, year 2025)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from core.db import alembic_config, upgrade_schema
from core.edits import update_organisation, update_project
from core.kpis import get_headline_kpis
from core.merging import merge_organisations
from core.periods import year_period
from core.records import create_organisation, create_project
from core.refdata import load_reference_data
from models import Organisation, OrganisationCreate, Project, ProjectCreate, ProjectEdit, Stage
from tests.writers import writer

YEAR = year_period(2025)


def _org(session: Session, name: str, hq: str | None, control: str | None) -> int:
    data = OrganisationCreate(name=name, hq_country_iso2=hq, control_country_iso2=control)
    return create_organisation(session=session, data=data, author="t").id


def _won(session: Session, code: str, organisation_id: int, **fields) -> int:
    data = dict(
        code_name=code,
        organisation_id=organisation_id,
        sector_code="digital",
        stage=Stage.WON,
        stage_on=date(2025, 3, 1),
        **fields,
    )
    return create_project(session=session, data=ProjectCreate(**data), author="t").id


def _origin(session: Session, project_id: int) -> str | None:
    return session.exec(select(Project.origin_country_iso2).where(Project.id == project_id)).one()


def _won_split(session: Session) -> tuple[int, int, int]:
    """(won, of which foreign, of which origin unknown) in 2025."""
    kpis = get_headline_kpis(session, YEAR, today=date(2025, 12, 31))
    return kpis.projects_won, kpis.projects_won_foreign, kpis.projects_won_unknown_origin


def test_a_corrected_control_moves_the_origin(session):
    acme = _org(session, "Acme Robotics", "US", "US")
    project = _won(session, "Robot Line", acme)
    assert (_origin(session, project), _won_split(session)) == ("US", (1, 1, 0))
    update_organisation(
        session,
        organisation_id=acme,
        data=OrganisationCreate(
            name="Acme Robotics", hq_country_iso2="US", control_country_iso2="FR"
        ),
        author="t",
    )
    # French-controlled now: a French project, no longer foreign.
    assert (_origin(session, project), _won_split(session)) == ("FR", (1, 0, 0))
    # Control unknown: the HQ decides (US again).
    update_organisation(
        session,
        organisation_id=acme,
        data=OrganisationCreate(name="Acme Robotics", hq_country_iso2="US"),
        author="t",
    )
    assert _origin(session, project) == "US"


def test_unknown_origin_is_counted_apart_not_as_french(session):
    mystery = _org(session, "Mystery Plant", None, None)
    project = _won(session, "Plant", mystery)
    assert (_origin(session, project), _won_split(session)) == (None, (1, 0, 1))


def test_a_stated_origin_stays_whatever_the_company(session):
    group = _org(session, "Provence Group", "FR", "FR")
    stated = _won(session, "Pune Lab", group, stated_origin_iso2="IN")
    derived = _won(session, "Aix Lab", group)
    assert (_origin(session, stated), _origin(session, derived)) == ("IN", "FR")
    assert _won_split(session) == (2, 1, 0)
    update_organisation(
        session,
        organisation_id=group,
        data=OrganisationCreate(
            name="Provence Group", hq_country_iso2="DE", control_country_iso2="DE"
        ),
        author="t",
    )
    assert (_origin(session, stated), _origin(session, derived)) == ("IN", "DE")
    assert _won_split(session) == (2, 2, 0)


def _edit(session: Session, project_id: int, **changes) -> None:
    row = session.get(Project, project_id)
    fields = row.model_dump(include=set(ProjectEdit.model_fields))
    update_project(
        session, project_id=project_id, data=ProjectEdit(**{**fields, **changes}), author="t"
    )


def test_the_correction_states_and_clears_an_origin(session):
    acme = _org(session, "Acme Robotics", "US", "US")
    project = _won(session, "Robot Line", acme)
    _edit(session, project, stated_origin_iso2="FR")
    assert (_origin(session, project), _won_split(session)) == ("FR", (1, 0, 0))
    _edit(session, project, stated_origin_iso2=None)
    assert (_origin(session, project), _won_split(session)) == ("US", (1, 1, 0))


def test_a_merge_moves_the_origin_with_the_projects(session):
    kept = _org(session, "Azur Robotique", None, None)  # the kept one knows no country
    dup = _org(session, "Azur Robotics", "US", "US")
    of_kept, of_dup = _won(session, "Kept", kept), _won(session, "Dup", dup)
    assert (_origin(session, of_kept), _origin(session, of_dup)) == (None, "US")
    merge_organisations(session, keep_id=kept, merge_id=dup)
    # The kept one takes the duplicate's countries (its gaps), and both projects their origin.
    assert (_origin(session, of_kept), _origin(session, of_dup)) == ("US", "US")
    third = _org(session, "Marseille Robotique", "FR", "FR")
    merge_organisations(session, keep_id=third, merge_id=kept)
    assert (_origin(session, of_kept), _origin(session, of_dup)) == ("FR", "FR")
    assert _won_split(session) == (2, 0, 0)


def test_plain_sql_writes_follow_the_rule_too(session):
    acme = _org(session, "Acme Robotics", "US", "US")
    project = _won(session, "Robot Line", acme)
    session.execute(
        sa.update(Organisation).where(Organisation.id == acme).values(control_country_iso2="FR")
    )
    session.commit()
    assert _origin(session, project) == "FR"
    # Nobody sets the origin by hand: it is put back to what the rule gives.
    session.execute(
        sa.update(Project).where(Project.id == project).values(origin_country_iso2="CN")
    )
    session.commit()
    assert _origin(session, project) == "FR"


def test_migration_recomputes_origins_copied_at_creation(engine):
    command.downgrade(alembic_config(engine), "0008_name_keys")
    with Session(engine) as session:
        load_reference_data(session)
        session.commit()
    with writer(engine) as session:
        acme = _org(session, "Acme Robotics", "US", "FR")  # corrected to FR after creation
        session.execute(
            sa.text(
                "INSERT INTO project (code_name, organisation_id, project_type, function, "
                "sector_code, capex_disclosure, jobs_announced, jobs_kept, jobs_created, "
                "source_channel, first_site_france, first_site_europe, confidential, stage, "
                "origin_country_iso2, is_demo, created_at, updated_at) VALUES ('Robot Line', "
                ":org, 'creation', 'production', 'digital', 'unknown', 0, 0, 0, 'prospecting', "
                "false, false, false, 'won', 'US', false, '2025-01-01', '2025-01-01')"
            ),
            {"org": acme},
        )
        session.commit()
    upgrade_schema(engine)
    with engine.connect() as conn:
        origins = conn.execute(sa.text("SELECT origin_country_iso2 FROM project")).scalars()
        assert list(origins) == ["FR"]
