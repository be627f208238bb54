"""Likely duplicates of a new organisation or person, on a small hand-made set."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from core.duplicates import find_organisation_matches, find_person_matches
from core.records import create_organisation, create_person
from models import OrganisationCreate, PersonCreate


@pytest.fixture
def data(session: Session) -> dict[str, int]:
    def org(name: str, iso2: str, domain: str | None = None) -> int:
        data = OrganisationCreate(name=name, hq_country_iso2=iso2, domain=domain)
        return create_organisation(session=session, data=data, author="t").id

    def person(first: str, last: str, org_id: int, email: str | None = None, iso2=None) -> int:
        data = PersonCreate(
            first_name=first,
            last_name=last,
            organisation_id=org_id,
            email=email,
            country_iso2=iso2,
            data_source="t",
        )
        return create_person(session=session, data=data, author="t").id

    ids = {
        "tcs": org("Tata Consultancy Services Ltd", "IN", "tcs.com"),
        "tata_steel": org("Tata Steel", "IN"),
        "tcs_us": org("Tata Consultancy Services", "US"),
        "infosys": org("Infosys", "IN", "infosys.com"),
    }
    ids["asha"] = person("Asha", "Rao", ids["infosys"], "asha.rao@infosys.com", "IN")
    ids["ravi"] = person("Ravi", "Kumar", ids["tcs"], None, "IN")
    return ids


def test_similar_name_in_the_same_country(session, data):
    found = find_organisation_matches(
        session, name="TATA CONSULTANCY SERVICES PVT. LTD.", country_iso2="IN"
    )
    # Same words once legal forms are dropped: 100. "Tata Steel" is not similar enough, and
    # the American company of the same name is in another country.
    assert [(m.id, m.reason, m.score) for m in found] == [(data["tcs"], "name", 100)]
    assert found[0].label == "Tata Consultancy Services Ltd — IN"


def test_same_website_whatever_the_name(session, data):
    found = find_organisation_matches(session, name="Totally New", domain="https://www.tcs.com/in")
    assert [(m.id, m.reason, m.score) for m in found] == [(data["tcs"], "domain", 100)]


def test_a_different_name_is_no_match(session, data):
    assert find_organisation_matches(session, name="Wipro", country_iso2="IN") == []
    # The record being edited does not match itself.
    found = find_organisation_matches(
        session, name="Infosys", country_iso2="IN", exclude_id=data["infosys"]
    )
    assert found == []


def test_people_by_email_and_by_name(session, data):
    by_email = find_person_matches(
        session, first_name="A.", last_name="R.", email="ASHA.RAO@infosys.com"
    )
    assert [(m.id, m.reason, m.organisation_id) for m in by_email] == [
        (data["asha"], "email", data["infosys"])
    ]
    by_name = find_person_matches(
        session, first_name="ravi", last_name="KUMAR", organisation_id=data["tcs"]
    )
    assert [(m.id, m.reason, m.score) for m in by_name] == [(data["ravi"], "name", 100)]
    assert by_name[0].label == "Ravi Kumar — Tata Consultancy Services Ltd"
    # Same name in another country and another organisation: not a match.
    assert (
        find_person_matches(session, first_name="Ravi", last_name="Kumar", country_iso2="FR") == []
    )
