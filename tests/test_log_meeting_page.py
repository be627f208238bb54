"""AppTest of the "log a meeting outcome" form: the valid cases, each invalid case (the
message beside its field, nothing written, what was typed kept), and caches cleared after a
write. Expected rows are read back from the database with plain queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.records import create_mission, create_organisation, create_person, create_project
from models import (
    Interaction,
    InteractionOutcome,
    InteractionParticipant,
    MissionCreate,
    MissionKind,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
    ProjectCreate,
)
from tests.apptest_support import APP, ROOT, as_user, point_app_at, reset_caches, run_app, sign_in
from tests.writers import writer

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "log_meeting.py")
TODAY = date.today()


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def records(ref_engine, monkeypatch):
    """Infosys Test (India) with one contact and one project; a mission under way today."""
    with writer(ref_engine, expire_on_commit=False) as s:
        org = create_organisation(
            session=s,
            data=OrganisationCreate(
                name="Infosys Test", hq_country_iso2="IN", domain="infosys.test"
            ),
            author="t",
        )
        person = create_person(
            session=s,
            data=PersonCreate(
                first_name="Asha", last_name="Rao", organisation_id=org.id, data_source="t"
            ),
            author="t",
        )
        project = create_project(
            session=s,
            data=ProjectCreate(code_name="Delta", organisation_id=org.id, sector_code="digital"),
            author="t",
        )
        mission = create_mission(
            session=s,
            data=MissionCreate(
                name="GITEX Test",
                kind=MissionKind.TRADE_FAIR,
                country_iso2="AE",
                starts_on=TODAY - timedelta(days=1),
                ends_on=TODAY + timedelta(days=1),
            ),
            author="t",
        )
    point_app_at(monkeypatch, ref_engine, demo=False)
    return {
        "engine": ref_engine,
        "org": org.id,
        "person": person.id,
        "project": project.id,
        "mission": mission.id,
    }


def _open(lang: str = "fr", author: str | None = "Claire Martin"):
    return run_app(PAGE, lang=lang, user=as_user(author) if author else None)


def _widget(at, kind: str, prefix: str):
    """The widget whose key starts with ``meeting_<prefix>_`` (keys end with a generation)."""
    found = [w for w in at.get(kind) if (w.key or "").startswith(f"meeting_{prefix}_")]
    assert len(found) == 1, f"{len(found)} {kind} for {prefix}"
    return found[0]


def _pick_infosys(at):
    _widget(at, "text_input", "org_search").input("infos").run()
    return at


def _submit(at):
    button = next(b for b in at.get("button") if b.proto.form_id)
    button.click().run()
    return at


def _interactions(engine) -> list[Interaction]:
    with writer(engine) as s:
        return list(s.exec(select(Interaction)).all())


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_log_a_meeting_with_an_organisation_on_record(records):
    at = _pick_infosys(_open())
    assert not at.exception
    # The search finds Infosys; the mission under way today is chosen by default.
    assert _widget(at, "selectbox", "org_pick").value == records["org"]
    assert _widget(at, "selectbox", "mission").value == records["mission"]
    _widget(at, "selectbox", "project").set_value(records["project"])
    _widget(at, "multiselect", "participants").set_value([records["person"]])
    _widget(at, "selectbox", "outcome").set_value(InteractionOutcome.NEW_LEAD)
    _widget(at, "text_area", "summary").input("Wants a site in Marseille.")
    _widget(at, "text_input", "next_step").input("Send the land offer")
    _widget(at, "date_input", "due").set_value(TODAY + timedelta(days=7))
    _submit(at)
    assert not at.exception
    assert _errors(at) == []
    [row] = _interactions(records["engine"])
    assert (row.occurred_on, row.organisation_id, row.project_id, row.mission_id) == (
        TODAY,
        records["org"],
        records["project"],
        records["mission"],
    )
    assert (row.outcome, row.summary, row.next_step) == (
        "new_lead",
        "Wants a site in Marseille.",
        "Send the land offer",
    )
    assert (row.next_step_due_on, row.author, row.owner) == (
        TODAY + timedelta(days=7),
        "Claire Martin",
        "Claire Martin",
    )
    with writer(records["engine"]) as s:
        assert s.exec(select(InteractionParticipant.person_id)).all() == [records["person"]]
    # A fresh, empty form and the confirmation.
    assert [m.value for m in at.success] == [f"Rendez-vous du {TODAY.isoformat()} enregistré."]
    assert _widget(at, "text_input", "org_search").value == ""


def test_meeting_with_a_new_organisation_and_contact_is_one_write(records):
    at = _open(lang="en")
    _widget(at, "radio", "org_mode").set_value("new").run()
    _widget(at, "text_input", "new_org_name").input("Tata Hydrogen")
    _widget(at, "selectbox", "new_org_country").set_value("IN")
    _widget(at, "text_input", "new_org_domain").input("tatahydrogen.in")
    _widget(at, "text_input", "new_first").input("Ravi")
    _widget(at, "text_input", "new_last").input("Kumar")
    _widget(at, "text_input", "new_email").input("ravi.kumar@tatahydrogen.in")
    _submit(at)
    assert not at.exception
    assert _errors(at) == []
    with writer(records["engine"]) as s:
        org = s.exec(select(Organisation).where(Organisation.name == "Tata Hydrogen")).one()
        person = s.exec(select(Person).where(Person.last_name == "Kumar")).one()
        [row] = s.exec(select(Interaction)).all()
        links = s.exec(select(InteractionParticipant.person_id)).all()
    assert (org.hq_country_iso2, org.domain) == ("IN", "tatahydrogen.in")
    assert (person.organisation_id, person.email) == (org.id, "ravi.kumar@tatahydrogen.in")
    assert person.data_source == "Entered by Claire Martin after a meeting"
    assert row.organisation_id == org.id
    assert links == [person.id]


def test_a_bad_email_is_shown_beside_its_field_and_nothing_is_written(records):
    at = _pick_infosys(_open())
    _widget(at, "text_input", "new_first").input("Ravi")
    _widget(at, "text_input", "new_last").input("Kumar")
    _widget(at, "text_input", "new_email").input("ravi.kumar@")
    _widget(at, "text_area", "summary").input("Long talk about hydrogen.")
    _submit(at)
    assert not at.exception
    assert _errors(at) == ["Adresse e-mail invalide (exemple : prenom.nom@societe.com)."]
    assert _interactions(records["engine"]) == []
    with writer(records["engine"]) as s:
        assert s.exec(select(sa.func.count()).select_from(Person)).one() == 1
    # What was typed is still there.
    assert _widget(at, "text_area", "summary").value == "Long talk about hydrogen."
    assert _widget(at, "text_input", "new_email").value == "ravi.kumar@"


def test_a_due_date_before_the_meeting_is_refused(records):
    at = _pick_infosys(_open(lang="en"))
    _widget(at, "text_input", "next_step").input("Call back")
    _widget(at, "date_input", "due").set_value(TODAY - timedelta(days=1))
    _submit(at)
    assert _errors(at) == ["The due date cannot be before the meeting date."]
    assert _interactions(records["engine"]) == []
    assert _widget(at, "text_input", "next_step").value == "Call back"


def test_a_missing_organisation_is_explained(records):
    at = _open(lang="en")
    _submit(at)
    assert _errors(at) == ["Choose the organisation met (or create it)."]
    assert _interactions(records["engine"]) == []


def test_a_new_organisation_with_a_known_website_is_refused(records):
    at = _open(lang="en")
    _widget(at, "radio", "org_mode").set_value("new").run()
    _widget(at, "text_input", "new_org_name").input("Infosys Again")
    _widget(at, "text_input", "new_org_domain").input("infosys.test")
    _widget(at, "text_input", "new_first").input("Ravi")
    _widget(at, "text_input", "new_last").input("Kumar")
    _submit(at)
    assert _errors(at) == [
        "An organisation with the website infosys.test already exists: pick it rather than "
        "creating another."
    ]
    # Nothing half-written: no meeting, no person, no second organisation.
    assert _interactions(records["engine"]) == []
    with writer(records["engine"]) as s:
        assert s.exec(select(sa.func.count()).select_from(Person)).one() == 1
        assert s.exec(select(sa.func.count()).select_from(Organisation)).one() == 1


def test_a_logged_meeting_shows_at_once_on_the_overview(records):
    at = run_app(APP, lang="en")
    before = {m.label: m.value for m in at.metric}["Meetings logged"]
    assert before == "0"
    at.switch_page("pages/log_meeting.py").run()
    sign_in(at, "Claire Martin").run()
    _pick_infosys(at)
    _submit(at)
    assert _errors(at) == []
    at.switch_page("pages/overview.py").run()
    # The overview's cached figures were cleared by the write.
    assert {m.label: m.value for m in at.metric}["Meetings logged"] == "1"


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Consigner un rendez-vous"), ("en", "Log a meeting outcome")]
)
def test_the_form_on_an_empty_database(engine, monkeypatch, lang, title):
    point_app_at(monkeypatch, engine, demo=False)
    at = _open(lang=lang)
    assert not at.exception
    assert at.title[0].value == title
    _widget(at, "text_input", "org_search").input("anything").run()
    assert not at.exception
    assert len(at.warning) == 1  # nothing found: the message says how to go on
    # No mission under way: the meeting is outside any mission by default.
    assert _widget(at, "selectbox", "mission").value is None
