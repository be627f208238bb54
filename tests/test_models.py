"""The Create models refuse invalid input with a clear error, and the database repeats the
essential checks as constraints."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from models import (
    InteractionCreate,
    MissionCreate,
    Organisation,
    OrganisationCreate,
    PersonCreate,
    Project,
    ProjectCreate,
)

D = date.fromisoformat


def project(**changes: object) -> ProjectCreate:
    fields = {"code_name": "Blue Harbour", "organisation_id": 1, "sector_code": "energy"}
    return ProjectCreate(**(fields | changes))


def person(**changes: object) -> PersonCreate:
    fields = {"first_name": "Priya", "last_name": "Sharma", "data_source": "GITEX 2025"}
    return PersonCreate(**(fields | changes))


def error_of(exc: pytest.ExceptionInfo[ValidationError]) -> tuple[tuple, str]:
    """(field path, message) of the only error."""
    (error,) = exc.value.errors()
    return error["loc"], error["msg"]


def test_valid_models_are_accepted() -> None:
    assert project(jobs_announced=0, capex_eur=0).jobs_announced == 0
    assert person(email="priya@bharat-energy.in", phone="+919812345678").phone == "+919812345678"
    assert OrganisationCreate(name="A", hq_country_iso2="FR").hq_country_iso2 == "FR"
    mission = MissionCreate(
        name="GITEX", kind="trade_fair", starts_on=D("2025-10-13"), ends_on=D("2025-10-13"),
        country_iso2="AE",
    )  # fmt: skip
    assert mission.ends_on == mission.starts_on


@pytest.mark.parametrize("field", ["jobs_announced", "jobs_kept", "jobs_created", "capex_eur"])
def test_negative_figures_are_refused(field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        project(**{field: -1})
    assert error_of(exc) == ((field,), "Input should be greater than or equal to 0")


@pytest.mark.parametrize("value", ["fr", "Fr", "F1"])
def test_lowercase_or_odd_iso_code_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        OrganisationCreate(name="Alpha", hq_country_iso2=value)
    assert error_of(exc) == (("hq_country_iso2",), "String should match pattern '^[A-Z]{2}$'")


def test_three_letter_iso_code_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        OrganisationCreate(name="Alpha", control_country_iso2="FRA")
    assert error_of(exc) == (("control_country_iso2",), "String should have at most 2 characters")
    with pytest.raises(ValidationError) as exc:
        person(country_iso2="IND")
    assert error_of(exc)[0] == ("country_iso2",)


@pytest.mark.parametrize("value", ["priya", "priya@", "@bharat.in", "priya sharma@bharat.in"])
def test_bad_email_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        person(email=value)
    loc, msg = error_of(exc)
    assert loc == ("email",)
    assert msg.startswith("value is not a valid email address")


@pytest.mark.parametrize("value", ["0612345678", "+33 6 12 34 56 78", "+0612345678", "+3361"])
def test_bad_phone_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        person(phone=value)
    assert error_of(exc) == (("phone",), "String should match pattern '^\\+[1-9][0-9]{6,14}$'")


def test_empty_names_are_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        OrganisationCreate(name="")
    assert error_of(exc) == (("name",), "String should have at least 1 character")
    with pytest.raises(ValidationError) as exc:
        person(last_name="")
    assert error_of(exc) == (("last_name",), "String should have at least 1 character")
    with pytest.raises(ValidationError) as exc:
        project(code_name="")
    assert error_of(exc) == (("code_name",), "String should have at least 1 character")


def test_too_long_names_are_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        OrganisationCreate(name="x" * 201)
    assert error_of(exc) == (("name",), "String should have at most 200 characters")
    assert OrganisationCreate(name="x" * 200).name == "x" * 200
    with pytest.raises(ValidationError) as exc:
        person(first_name="x" * 81)
    assert error_of(exc) == (("first_name",), "String should have at most 80 characters")


def test_bad_domain_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        OrganisationCreate(name="Alpha", domain="https://alpha.fr")
    assert error_of(exc)[0] == ("domain",)


def test_mission_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        MissionCreate(
            name="CIIE", kind="outbound", starts_on=D("2025-11-05"), ends_on=D("2025-11-04"),
            country_iso2="CN",
        )  # fmt: skip
    assert error_of(exc) == ((), "Value error, ends_on must not be before starts_on")


def test_next_step_due_before_the_meeting_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        InteractionCreate(
            occurred_on=D("2025-03-10"), next_step_due_on=D("2025-03-09"), author="alice"
        )
    assert error_of(exc) == ((), "Value error, next_step_due_on must not be before occurred_on")
    same_day = InteractionCreate(
        occurred_on=D("2025-03-10"), next_step_due_on=D("2025-03-10"), author="alice"
    )
    assert same_day.next_step_due_on == D("2025-03-10")


@pytest.mark.parametrize("flag", ["disclosed", "estimated"])
def test_capex_flag_without_amount_is_refused(flag: str) -> None:
    with pytest.raises(ValidationError) as exc:
        project(capex_disclosure=flag)
    assert error_of(exc) == ((), "Value error, capex_disclosure needs capex_eur")
    assert project(capex_disclosure="unknown").capex_eur is None


def test_database_refuses_negative_jobs_inserted_directly(session) -> None:
    org_id = session.execute(
        sa.insert(Organisation).values(name="Alpha", kind="company").returning(Organisation.id)
    ).scalar_one()
    session.commit()
    values = {
        "code_name": "Blue Harbour",
        "organisation_id": org_id,
        "sector_code": "energy",
        "project_type": "creation",
        "function": "production",
        "capex_disclosure": "unknown",
        "jobs_kept": 0,
        "jobs_created": 0,
        "source_channel": "prospecting",
        "first_site_france": False,
        "first_site_europe": False,
        "confidential": False,
        "stage": "lead",
        "is_demo": False,
    }
    with pytest.raises(sa.exc.IntegrityError, match="ck_project_jobs_announced"):
        session.execute(sa.insert(Project).values(**values, jobs_announced=-1))
        session.commit()
    session.rollback()
    with pytest.raises(sa.exc.IntegrityError, match="ck_project_capex"):
        session.execute(sa.insert(Project).values(**values, jobs_announced=1, capex_eur=-5))
        session.commit()
    session.rollback()
    # The same row with valid figures goes in: the constraint, not another column, refused it.
    session.execute(sa.insert(Project).values(**values, jobs_announced=1, capex_eur=5))
    session.commit()
    assert session.execute(sa.select(Project.jobs_announced)).scalars().all() == [1]
