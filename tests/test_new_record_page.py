"""AppTest of the "new record" page: a new organisation, person and project; each invalid
case (message beside the field, nothing written, input kept); the duplicate suggestion and
its confirmation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.records import create_organisation, create_person
from models import (
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
    Project,
    Stage,
)
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app, sign_in
from tests.writers import writer

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "new_record.py")


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def data(ref_engine, monkeypatch):
    """Tata Consultancy Services (India, tcs.com) with Ravi Kumar (ravi.kumar@tcs.com)."""
    with writer(ref_engine, expire_on_commit=False) as s:
        org = create_organisation(
            session=s,
            data=OrganisationCreate(
                name="Tata Consultancy Services Ltd", hq_country_iso2="IN", domain="tcs.com"
            ),
            author="t",
        )
        person = create_person(
            session=s,
            data=PersonCreate(
                first_name="Ravi",
                last_name="Kumar",
                email="ravi.kumar@tcs.com",
                organisation_id=org.id,
                country_iso2="IN",
                data_source="t",
            ),
            author="t",
        )
    point_app_at(monkeypatch, ref_engine, demo=False)
    return {"engine": ref_engine, "org": org.id, "person": person.id}


def _widget(at, kind: str, prefix: str):
    found = [w for w in at.get(kind) if (w.key or "").startswith(prefix)]
    assert len(found) == 1, f"{len(found)} {kind} for {prefix}"
    return found[0]


def _open(lang: str = "en"):
    at = run_app(PAGE, lang=lang)
    sign_in(at, "Claire Martin").run()
    return at


def _submit(at, form: str):
    button = next(b for b in at.get("button") if b.proto.form_id.startswith(form))
    button.click().run()
    return at


def _count(engine, model) -> int:
    with writer(engine) as s:
        return s.exec(select(sa.func.count()).select_from(model)).one()


def test_new_organisation_with_its_website_cleaned(data):
    at = _open()
    _widget(at, "text_input", "new_org_name_").input("Infosys")
    _widget(at, "text_input", "new_org_website_").input("https://www.Infosys.com/about")
    _widget(at, "selectbox", "new_org_hq_").set_value("IN")
    _submit(at, "new_org")
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert [s.value for s in at.success] == ['Organisation "Infosys" created.']
    with writer(data["engine"]) as s:
        org = s.exec(select(Organisation).where(Organisation.name == "Infosys")).one()
    # The domain from the address; the country of control defaults to the head office's.
    assert (org.domain, org.hq_country_iso2, org.control_country_iso2) == (
        "infosys.com",
        "IN",
        "IN",
    )


def test_a_look_alike_organisation_is_shown_before_creating(data):
    at = _open()
    _widget(at, "text_input", "new_org_name_").input("TATA Consultancy Services Pvt. Ltd.")
    _widget(at, "selectbox", "new_org_hq_").set_value("IN")
    _submit(at, "new_org")
    # Nothing written yet: the existing record is shown, with the reason.
    assert _count(data["engine"], Organisation) == 1
    assert [w.value for w in at.warning][0].startswith("Organisations that look alike")
    assert f"/directory?org={data['org']}&lang=en" in " ".join(m.value for m in at.markdown)
    assert "similar name (100 %), same country" in " ".join(m.value for m in at.markdown)
    assert [e.value for e in at.error] == [
        "Look-alike records exist (see above): open the right one, or tick the confirmation "
        "and save again."
    ]
    # Confirmed as new: created.
    _widget(at, "checkbox", "new_org_confirm_new_").check().run()
    _submit(at, "new_org")
    assert [e.value for e in at.error] == []
    assert _count(data["engine"], Organisation) == 2


def test_new_person_with_phone_in_e164_and_bad_cases(data):
    at = _open(lang="fr")
    _widget(at, "text_input", "new_person_org_search_").input("tata").run()
    _widget(at, "text_input", "new_person_first_").input("Asha")
    _widget(at, "text_input", "new_person_last_").input("Rao")
    _widget(at, "text_input", "new_person_email_").input("asha.rao@")
    _widget(at, "text_input", "new_person_phone_").input("98200 12345")
    _widget(at, "selectbox", "new_person_country_").set_value("IN")
    _submit(at, "new_person")
    assert [e.value for e in at.error] == [
        "Adresse e-mail invalide (exemple : prenom.nom@societe.com)."
    ]
    assert _count(data["engine"], Person) == 1
    assert _widget(at, "text_input", "new_person_first_").value == "Asha"  # kept
    _widget(at, "text_input", "new_person_email_").input("asha.rao@tcs.com")
    _submit(at, "new_person")
    assert [e.value for e in at.error] == []
    with writer(data["engine"]) as s:
        person = s.exec(select(Person).where(Person.last_name == "Rao")).one()
    assert (person.organisation_id, person.phone, person.email) == (
        data["org"],
        "+919820012345",
        "asha.rao@tcs.com",
    )
    assert person.data_source == "Saisie manuelle par Claire Martin"


def test_the_same_email_is_a_likely_duplicate(data):
    at = _open()
    _widget(at, "text_input", "new_person_org_search_").input("tata").run()
    _widget(at, "text_input", "new_person_first_").input("R.")
    _widget(at, "text_input", "new_person_last_").input("Kumar")
    _widget(at, "text_input", "new_person_email_").input("Ravi.Kumar@tcs.com")
    _submit(at, "new_person")
    assert "same email address" in " ".join(m.value for m in at.markdown)
    assert _count(data["engine"], Person) == 1


def test_new_project_as_a_lead(data):
    at = _open()
    _widget(at, "text_input", "new_project_org_search_").input("tata").run()
    _widget(at, "text_input", "new_project_code_").input("Project Lotus")
    _widget(at, "selectbox", "new_project_sector_").set_value("digital")
    _widget(at, "number_input", "new_project_jobs_").set_value(120)
    _submit(at, "new_project")
    assert [e.value for e in at.error] == []
    with writer(data["engine"]) as s:
        project = s.exec(select(Project)).one()
    assert (project.code_name, project.organisation_id, project.stage) == (
        "Project Lotus",
        data["org"],
        Stage.LEAD,
    )
    assert (project.jobs_announced, project.owner, project.origin_country_iso2) == (
        120,
        "Claire Martin",
        "IN",
    )


def test_a_project_needs_its_organisation_and_sector(data):
    at = _open()
    _widget(at, "text_input", "new_project_code_").input("Orphan")
    _submit(at, "new_project")
    assert sorted(e.value for e in at.error) == [
        "Choose the organisation (or create it).",
        "Required field.",
    ]
    assert _count(data["engine"], Project) == 0
