"""AppTest of the corrections page: an organisation corrected (prefilled form), a website already
taken refused beside its field, a person's bad e-mail refused with nothing changed."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from core.records import create_organisation, create_person
from models import Organisation, OrganisationCreate, Person, PersonCreate
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "edit_record.py")


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def ids(ref_engine, monkeypatch):  # noqa: ANN001
    with Session(ref_engine, expire_on_commit=False) as s:
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


def _widget(at, kind: str, prefix: str):  # noqa: ANN001, ANN202
    found = [w for w in at.get(kind) if (w.key or "").startswith(prefix)]
    assert len(found) == 1, f"{len(found)} {kind} for {prefix}"
    return found[0]


def _submit(at, form: str):  # noqa: ANN001, ANN202
    next(b for b in at.get("button") if b.proto.form_id.startswith(form)).click().run()


def test_correct_an_organisation(ids):  # noqa: ANN001
    at = run_app(PAGE, lang="en")
    at.sidebar.text_input(key="author").input("Claire Martin").run()
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
    with Session(ids["engine"]) as s:
        org = s.get(Organisation, ids["acme"])
    assert (org.name, org.domain) == ("Acme Santé", "acme-sante.fr")


def test_a_bad_email_changes_nothing(ids):  # noqa: ANN001
    at = run_app(PAGE, lang="fr")
    at.sidebar.text_input(key="author").input("Claire Martin").run()
    at.text_input(key="edit_person_search").input("rao").run()
    _widget(at, "text_input", "edit_person_email_").input("asha@")
    _submit(at, "edit_person")
    assert [e.value for e in at.error] == [
        "Adresse e-mail invalide (exemple : prenom.nom@societe.com)."
    ]
    with Session(ids["engine"]) as s:
        assert s.get(Person, ids["asha"]).email is None
