"""AppTest of the missions entry page: a new mission (valid, and dates in the wrong order), and
organisations and people recorded as met at a mission."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from core.records import create_mission, create_organisation, create_person
from models import (
    Mission,
    MissionCreate,
    MissionKind,
    MissionOrganisation,
    MissionPerson,
    OrganisationCreate,
    PersonCreate,
)
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app, sign_in
from tests.writers import writer

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "mission_edit.py")


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def data(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as s:
        org = create_organisation(
            session=s, data=OrganisationCreate(name="Emirates Ports Test"), author="t"
        )
        people = [
            create_person(
                session=s,
                data=PersonCreate(
                    first_name=first, last_name="Test", organisation_id=org.id, data_source="t"
                ),
                author="t",
            ).id
            for first in ("Aisha", "Omar")
        ]
        mission = create_mission(
            session=s,
            data=MissionCreate(
                name="GITEX 2026",
                kind=MissionKind.TRADE_FAIR,
                starts_on=date(2026, 10, 12),
                ends_on=date(2026, 10, 16),
                country_iso2="AE",
            ),
            author="t",
        )
    point_app_at(monkeypatch, ref_engine, demo=False)
    return {"engine": ref_engine, "org": org.id, "people": people, "mission": mission.id}


def _widget(at, kind: str, prefix: str):
    found = [w for w in at.get(kind) if (w.key or "").startswith(prefix)]
    assert len(found) == 1, f"{len(found)} {kind} for {prefix}"
    return found[0]


def _open(lang: str = "en"):
    at = run_app(PAGE, lang=lang)
    sign_in(at, "Claire Martin").run()
    return at


def _submit(at):
    next(b for b in at.get("button") if b.proto.form_id).click().run()
    return at


def test_create_a_mission(data):
    at = _open(lang="fr")
    _widget(at, "text_input", "new_mission_name_").input("Mission Inde 2027")
    _widget(at, "selectbox", "new_mission_kind_").set_value(MissionKind.OUTBOUND)
    _widget(at, "date_input", "new_mission_starts_").set_value(date(2027, 2, 1))
    _widget(at, "date_input", "new_mission_ends_").set_value(date(2027, 2, 5))
    _widget(at, "selectbox", "new_mission_country_").set_value("IN")
    _widget(at, "number_input", "new_mission_budget_").set_value(45000)
    _submit(at)
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert [s.value for s in at.success] == ["Mission « Mission Inde 2027 » créée."]
    with writer(data["engine"]) as s:
        row = s.exec(select(Mission).where(Mission.name == "Mission Inde 2027")).one()
    assert (row.kind, row.starts_on, row.ends_on, row.country_iso2, row.budget_eur) == (
        MissionKind.OUTBOUND,
        date(2027, 2, 1),
        date(2027, 2, 5),
        "IN",
        45000,
    )


def test_a_mission_ending_before_it_starts_is_refused(data):
    at = _open()
    _widget(at, "text_input", "new_mission_name_").input("Backwards")
    _widget(at, "date_input", "new_mission_starts_").set_value(date(2027, 2, 5))
    _widget(at, "date_input", "new_mission_ends_").set_value(date(2027, 2, 1))
    _submit(at)
    assert [e.value for e in at.error] == [
        "The end cannot be before the start.",
        "Required field.",
    ]
    with writer(data["engine"]) as s:
        assert s.exec(select(Mission.name)).all() == ["GITEX 2026"]
    assert _widget(at, "text_input", "new_mission_name_").value == "Backwards"


def test_record_who_was_met_at_a_mission(data):
    at = _open()
    _widget(at, "selectbox", "mission_people_mission_").set_value(data["mission"]).run()
    assert "Met at this mission: 0 organisation(s), 0 person(s)." in [m.value for m in at.markdown]
    _widget(at, "text_input", "mission_people_org_search_").input("emirates").run()
    _widget(at, "multiselect", "mission_people_people_").set_value([data["people"][1]]).run()
    _widget(at, "button", "mission_people_add_").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ['Added to "GITEX 2026 (2026-10-12)".']
    assert "Met at this mission: 1 organisation(s), 1 person(s)." in [m.value for m in at.markdown]
    with writer(data["engine"]) as s:
        assert s.exec(select(MissionOrganisation.organisation_id)).all() == [data["org"]]
        assert s.exec(select(MissionPerson.person_id)).all() == [data["people"][1]]
    # Recorded by mistake: the person taken off again, the organisation stays.
    _widget(at, "multiselect", "mission_remove_people_").set_value([data["people"][1]]).run()
    _widget(at, "button", "mission_remove_go_").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        '1 participant(s) removed from "GITEX 2026 (2026-10-12)".'
    ]
    assert "Met at this mission: 1 organisation(s), 0 person(s)." in [m.value for m in at.markdown]
    with writer(data["engine"]) as s:
        assert s.exec(select(MissionOrganisation.organisation_id)).all() == [data["org"]]
        assert s.exec(select(MissionPerson.person_id)).all() == []
