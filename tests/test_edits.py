"""Corrections of existing records: new values written, invalid ones refused with nothing
changed, an unknown id, a website already taken."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlmodel import Session

from core.edits import update_mission, update_organisation, update_person
from core.meetings import DuplicateDomainError
from core.records import create_mission, create_organisation, create_person
from models import (
    Mission,
    MissionCreate,
    MissionKind,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
)


@pytest.fixture
def ids(session: Session) -> dict[str, int]:
    acme = create_organisation(
        session=session, data=OrganisationCreate(name="Acme", domain="acme.fr"), author="t"
    ).id
    tata = create_organisation(
        session=session, data=OrganisationCreate(name="Tata", domain="tata.in"), author="t"
    ).id
    person = create_person(
        session=session,
        data=PersonCreate(
            first_name="Asha", last_name="Rao", organisation_id=tata, data_source="t"
        ),
        author="t",
    ).id
    mission = create_mission(
        session=session,
        data=MissionCreate(
            name="GITEX",
            kind=MissionKind.TRADE_FAIR,
            starts_on=date(2026, 10, 12),
            ends_on=date(2026, 10, 16),
            country_iso2="AE",
        ),
        author="t",
    ).id
    return {"acme": acme, "tata": tata, "person": person, "mission": mission}


def test_an_organisation_corrected(session, ids):  # noqa: ANN001
    data = OrganisationCreate(name="Acme Santé", domain="acme-sante.fr", hq_country_iso2="FR")
    update_organisation(session, organisation_id=ids["acme"], data=data, author="t")
    session.expire_all()
    org = session.get(Organisation, ids["acme"])
    assert (org.name, org.domain, org.hq_country_iso2) == ("Acme Santé", "acme-sante.fr", "FR")


def test_a_website_already_taken_is_refused(session, ids):  # noqa: ANN001
    with pytest.raises(DuplicateDomainError):
        update_organisation(
            session,
            organisation_id=ids["acme"],
            data=OrganisationCreate(name="Acme", domain="tata.in"),
            author="t",
        )
    session.expire_all()
    assert session.get(Organisation, ids["acme"]).domain == "acme.fr"


def test_a_person_corrected_and_an_invalid_change_refused(session, ids):  # noqa: ANN001
    data = PersonCreate(
        first_name="Asha", last_name="Rao-Menon", email="asha@tata.in", data_source="t",
        organisation_id=ids["tata"],
    )  # fmt: skip
    update_person(session, person_id=ids["person"], data=data, author="t")
    bad = PersonCreate.model_construct(**{**data.model_dump(), "email": "not-an-email"})
    with pytest.raises(ValidationError):
        update_person(session, person_id=ids["person"], data=bad, author="t")
    session.expire_all()
    person = session.get(Person, ids["person"])
    assert (person.last_name, person.email) == ("Rao-Menon", "asha@tata.in")
    with pytest.raises(LookupError):
        update_person(session, person_id=999_999, data=data, author="t")


def test_a_mission_corrected(session, ids):  # noqa: ANN001
    data = MissionCreate(
        name="GITEX Global 2026", kind=MissionKind.TRADE_FAIR, starts_on=date(2026, 10, 13),
        ends_on=date(2026, 10, 17), country_iso2="AE", budget_eur=90_000,
    )  # fmt: skip
    update_mission(session, mission_id=ids["mission"], data=data, author="t")
    session.expire_all()
    mission = session.get(Mission, ids["mission"])
    assert (mission.name, mission.starts_on, mission.budget_eur) == (
        "GITEX Global 2026",
        date(2026, 10, 13),
        90_000,
    )
