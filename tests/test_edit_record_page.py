"""AppTest of the corrections page: an organisation corrected (prefilled form), a website already
taken refused beside its field, a person's bad e-mail refused with nothing changed."""

from __future__ import annotations

import pytest

from core.records import create_organisation, create_person
from models import Organisation, OrganisationCreate, Person, PersonCreate
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app, sign_in
from tests.writers import writer

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "edit_record.py")


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def ids(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as s:
        acme = create_organisation(
            session=s, data=OrganisationCreate(name="Acme", domain="acme.fr"), author="t"
        )
        create_organisation(
            session=s, data=OrganisationCreate(name="Tata", domain="tata.in"), author="t"
        )
        asha = create_person(
            session=s,
            data=PersonCreate(
                first_name="Asha", last_name="Rao", organisation_id=acme.id, data_source="t"
            ),
            author="t",
        )
    point_app_at(monkeypatch, ref_engine, demo=False)
    return {"engine": ref_engine, "acme": acme.id, "asha": asha.id}


def _widget(at, kind: str, prefix: str):
    found = [w for w in at.get(kind) if (w.key or "").startswith(prefix)]
    assert len(found) == 1, f"{len(found)} {kind} for {prefix}"
    return found[0]


def _submit(at, form: str):
    next(b for b in at.get("button") if b.proto.form_id.startswith(form)).click().run()


def test_correct_an_organisation(ids):
    at = run_app(PAGE, lang="en")
    sign_in(at, "Claire Martin").run()
    _widget(at, "text_input", "edit_org_org_search_").input("acme").run()
    name = _widget(at, "text_input", "edit_org_name_")
    assert name.value == "Acme"  # prefilled
    assert _widget(at, "text_input", "edit_org_web_").value == "acme.fr"
    _widget(at, "text_input", "edit_org_web_").input("tata.in")
    _submit(at, "edit_org")
    assert [e.value for e in at.error] == [
        "An organisation with the website tata.in already exists: pick it rather than creating "
        "another."
    ]
    _widget(at, "text_input", "edit_org_name_").input("Acme Santé")
    _widget(at, "text_input", "edit_org_web_").input("https://www.acme-sante.fr/")
    _submit(at, "edit_org")
    assert [s.value for s in at.success] == ['"Acme Santé" corrected.']
    with writer(ids["engine"]) as s:
        org = s.get(Organisation, ids["acme"])
    assert (org.name, org.domain) == ("Acme Santé", "acme-sante.fr")


def test_a_bad_email_changes_nothing(ids):
    at = run_app(PAGE, lang="fr")
    sign_in(at, "Claire Martin").run()
    at.text_input(key="edit_person_search").input("rao").run()
    _widget(at, "text_input", "edit_person_email_").input("asha@")
    _submit(at, "edit_person")
    assert [e.value for e in at.error] == [
        "Adresse e-mail invalide (exemple : prenom.nom@societe.com)."
    ]
    with writer(ids["engine"]) as s:
        assert s.get(Person, ids["asha"]).email is None


@pytest.fixture
def logged(ids):
    """A project of Acme and a meeting with Asha about it."""
    from datetime import date

    from core.meetings import log_meeting
    from core.records import create_project
    from models import InteractionCreate, ProjectCreate

    with writer(ids["engine"], expire_on_commit=False) as s:
        project = create_project(
            session=s,
            data=ProjectCreate(
                code_name="Hydra", organisation_id=ids["acme"], sector_code="energy"
            ),
            author="t",
        )
        meeting = log_meeting(
            session=s,
            meeting=InteractionCreate(
                occurred_on=date(2026, 10, 14),
                organisation_id=ids["acme"],
                summary="Premier contact",
                author="Claire",
            ),
        )
    return {**ids, "project": project.id, "meeting": meeting.id}


def test_correct_a_project(logged):
    from models import CapexDisclosure, Project

    at = run_app(PAGE, lang="en")
    sign_in(at, "Claire Martin").run()
    at.text_input(key="edit_project_search").input("hydra").run()
    assert _widget(at, "text_input", "edit_project_code_").value == "Hydra"  # prefilled
    # A disclosed capex without its amount: refused beside the field, the form kept.
    _widget(at, "text_input", "edit_project_code_").input("Hydra II")
    _widget(at, "selectbox", "edit_project_disclosure_").set_value(CapexDisclosure.DISCLOSED)
    _submit(at, "edit_project")
    assert [e.value for e in at.error] == ["Enter an amount to qualify the capex."]
    assert _widget(at, "text_input", "edit_project_code_").value == "Hydra II"
    with writer(logged["engine"]) as s:
        assert s.get(Project, logged["project"]).code_name == "Hydra"
    _widget(at, "number_input", "edit_project_capex_").set_value(8_000_000)
    _widget(at, "number_input", "edit_project_jobs_").set_value(35)
    _submit(at, "edit_project")
    assert [s.value for s in at.success] == ['"Hydra II" corrected.']
    with writer(logged["engine"]) as s:
        project = s.get(Project, logged["project"])
    assert (project.code_name, project.capex_eur, project.capex_disclosure) == (
        "Hydra II",
        8_000_000,
        "disclosed",
    )
    assert (project.jobs_announced, project.stage) == (35, "lead")


def test_state_and_clear_a_projects_origin(logged):
    from models import Project

    at = run_app(PAGE, lang="fr")
    sign_in(at, "Claire Martin").run()
    at.text_input(key="edit_project_search").input("hydra").run()
    origin = _widget(at, "selectbox", "edit_project_origin_")
    # Acme states no country: the project's origin is its organisation's, i.e. unknown.
    assert (origin.value, origin.format_func(None)) == (
        None,
        "Celui de son organisation (pays de contrôle, sinon siège)",
    )
    origin.set_value("IN")
    _submit(at, "edit_project")
    assert [s.value for s in at.success] == ["« Hydra » corrigé(e)."]
    with writer(logged["engine"]) as s:
        project = s.get(Project, logged["project"])
        assert (project.stated_origin_iso2, project.origin_country_iso2) == ("IN", "IN")
    assert _widget(at, "selectbox", "edit_project_origin_").value == "IN"
    _widget(at, "selectbox", "edit_project_origin_").select_index(0)  # its organisation's
    _submit(at, "edit_project")
    with writer(logged["engine"]) as s:
        project = s.get(Project, logged["project"])
        assert (project.stated_origin_iso2, project.origin_country_iso2) == (None, None)


def test_correct_a_meeting(logged):
    from datetime import date

    from core.edits import get_interaction_participants
    from models import Interaction

    at = run_app(PAGE, lang="fr")
    sign_in(at, "Léa Dupont").run()
    _widget(at, "text_input", "edit_meeting_org_search_").input("acme").run()
    assert _widget(at, "text_area", "edit_meeting_summary_").value == "Premier contact"
    # A due date before the meeting: the message beside the field, the text kept.
    _widget(at, "text_area", "edit_meeting_summary_").input("Premier contact, à relancer")
    _widget(at, "text_input", "edit_meeting_next_").input("Envoyer l'offre")
    _widget(at, "date_input", "edit_meeting_due_").set_value(date(2026, 10, 1))
    _submit(at, "edit_meeting")
    assert [e.value for e in at.error] == [
        "L'échéance ne peut pas précéder la date du rendez-vous."
    ]
    assert _widget(at, "text_area", "edit_meeting_summary_").value == "Premier contact, à relancer"
    _widget(at, "date_input", "edit_meeting_due_").set_value(date(2026, 10, 30))
    _widget(at, "multiselect", "edit_meeting_people_").set_value([logged["asha"]])
    _submit(at, "edit_meeting")
    assert [s.value for s in at.success] == ["Rendez-vous du 14 oct. 2026 corrigé."]
    with writer(logged["engine"]) as s:
        meeting = s.get(Interaction, logged["meeting"])
        people = get_interaction_participants(s, logged["meeting"])
    assert (meeting.summary, meeting.next_step, meeting.next_step_due_on, meeting.author) == (
        "Premier contact, à relancer",
        "Envoyer l'offre",
        date(2026, 10, 30),
        "Claire",
    )
    assert people == [logged["asha"]]
