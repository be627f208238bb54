"""Every page x every role, each page run on its own as a deep link would: a page opens for
the roles it allows; for the others it shows a refusal and nothing of its content; signed out,
only the sign-in form. And the menu lists what the role may open."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.i18n import t
from core.page_registry import PAGES
from core.permissions import BRANCHES, can
from models import Role
from tests.apptest_support import APP, ROOT, as_user, point_app_at, reset_caches, run_app
from tests.writers import writer

pytestmark = pytest.mark.slow

ROLES = (None, Role.VIEWER, Role.STAFF, Role.ADMIN, Role.PARTNER)
PAGE_ROLES = {page.stem: page.role for page in PAGES}


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """One small demo database for the whole matrix (SQLite: access does not depend on the
    backend)."""
    monkeypatch = pytest.MonkeyPatch()
    from core.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('access') / 'demo.sqlite3'}")
    point_app_at(monkeypatch, engine, demo=True, scale=0.05)
    yield engine
    monkeypatch.undo()
    reset_caches()
    engine.dispose()


def user_of(role: Role):
    """Claire Martin in ``role``; a partner belongs to a chamber (the first one)."""
    user = as_user("Claire Martin", role)
    return replace(user, chamber_id=1) if role in BRANCHES else user


def _content(at) -> dict[str, int]:
    return {
        "dataframes": len(at.dataframe),
        "metrics": len(at.metric),
        "selectboxes": len(at.selectbox),
        "text_areas": len(at.text_area),
        "file_uploaders": len(at.get("file_uploader")),
    }


@pytest.mark.parametrize("stem", sorted(PAGE_ROLES))
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "signed-out")
def test_page_by_role(demo_app, stem, role):
    user = user_of(role) if role else None
    at = run_app(str(ROOT / "pages" / f"{stem}.py"), lang="en", user=user)
    assert not at.exception
    errors = [e.value for e in at.error]
    needed = PAGE_ROLES[stem]
    if role is None:
        assert [x.label for x in at.text_input] == ["User name", "Password"]
        assert [x.value for x in at.title] == ["Sign in"]
        assert _content(at) == dict.fromkeys(_content(at), 0)
    elif can(role, needed):
        assert not any("needs the" in e for e in errors)
        assert at.title and at.title[0].value != "Sign in"
        assert f"Signed in: Claire Martin ({t(f'enum.Role.{role.value}', 'en')})" in [
            c.value for c in at.sidebar.caption
        ]
    elif needed in BRANCHES:
        assert errors == [t("auth.forbidden.partner_page", "en")]
    elif role in BRANCHES:
        assert errors == [t("auth.forbidden.agency_page", "en")]
    else:
        assert errors == [
            f'This page needs the "{t(f"enum.Role.{needed.value}", "en")}" role or above.'
        ]
        assert [x.value for x in at.title] == []
        assert _content(at) == dict.fromkeys(_content(at), 0)
        assert len(at.text_input) == 0


def test_the_roles_of_the_issue():
    """Viewers read the dashboards and the directory; staff also log and edit; imports are
    for staff (trade-fair and delegation lists, issue 10); merges and the rest are for admins."""
    dashboards = {"overview", "sectors", "pipeline", "missions", "world_map", "india"}
    reading = dashboards | {"directory", "definitions", "presentation", "network"}
    entry = {"log_meeting", "followups", "new_record", "edit_record", "project_stage"}
    entry |= {"mission_edit", "import_data", "claims"}  # claims: recorded by staff
    opened = {
        role: {stem for stem, needed in PAGE_ROLES.items() if can(role, needed)} for role in Role
    }
    assert opened[Role.VIEWER] == reading
    assert opened[Role.PARTNER] == {"my_referrals", "refer_lead", "network_results"}
    assert opened[Role.STAFF] == reading | entry
    assert opened[Role.ADMIN] == reading | entry | {
        "merge_records",
        "audit_trail",
        "personal_data",
        "frozen_figures",
    }


def test_the_app_opens_for_each_role(demo_app):
    for role in Role:
        at = run_app(APP, lang="en", user=user_of(role))
        assert not at.exception
        assert not at.error


def test_demo_accounts_are_offered_and_sign_in(demo_app):
    at = run_app(str(ROOT / "pages" / "overview.py"), lang="fr", user=None)
    assert [b.label for b in at.button if (b.key or "").startswith("sign_in_demo_")] == [
        "Démo : lecture (élus)",
        "Démo : équipe",
        "Démo : administration",
        "Démo : partenaire CCI France Émirats arabes unis",
        "Démo : partenaire Indo-French Chamber of Commerce and Industry",
    ]
    assert t("auth.demo", "fr") in [i.value for i in at.info]
    at.button(key="sign_in_demo_viewer").click().run()
    assert not at.exception
    assert "Connecté(e) : Démo lecture (Lecture)" in [c.value for c in at.sidebar.caption]
    assert at.title[0].value != "Connexion"


def test_a_wrong_password_is_refused_in_the_users_language(demo_app):
    at = run_app(str(ROOT / "pages" / "overview.py"), lang="fr", user=None)
    at.text_input(key="sign_in_username").input("demo-admin")
    at.text_input(key="sign_in_pw").input("not the password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Nom d'utilisateur ou mot de passe incorrect."]
    assert [x.value for x in at.title] == ["Connexion"]


@pytest.fixture
def confidential(ref_engine, monkeypatch):
    """An organisation with a contact (e-mail, phone), one confidential project and one not."""

    from core.records import create_organisation, create_person, create_project
    from models import OrganisationCreate, PersonCreate, ProjectCreate

    with writer(ref_engine, expire_on_commit=False) as s:
        org = create_organisation(
            session=s, data=OrganisationCreate(name="Nordwind AS"), author="t"
        )
        create_person(
            session=s,
            data=PersonCreate(
                first_name="Ingrid",
                last_name="Berg",
                email="ingrid@nordwind.no",
                phone="+4791234567",
                organisation_id=org.id,
                data_source="t",
            ),
            author="t",
        )
        for name, secret in (("Projet Mistral", True), ("Projet Calanque", False)):
            create_project(
                session=s,
                data=ProjectCreate(
                    code_name=name, organisation_id=org.id, sector_code="energy",
                    confidential=secret,
                ),
                author="t",
            )  # fmt: skip
    point_app_at(monkeypatch, ref_engine, demo=False)
    return org.id


def _shown(at) -> str:
    return " | ".join(
        f"{list(df.value.columns)} {df.value.to_numpy().ravel().tolist()}" for df in at.dataframe
    )


@pytest.mark.parametrize("role", [Role.VIEWER, Role.STAFF], ids=lambda r: r.value)
def test_viewers_see_no_contact_details_nor_confidential_names(confidential, role):
    directory = str(ROOT / "pages" / "directory.py")
    record = run_app(
        directory, lang="en", params={"org": str(confidential)}, user=as_user("Élu", role)
    )
    assert not record.exception
    people = run_app(directory, lang="en", user=as_user("Élu", role))
    people.text_input(key="people_text").input("berg").run()
    shown = _shown(record) + _shown(people)
    assert "Projet Calanque" in shown and "Ingrid" in shown
    if role == Role.VIEWER:
        # An organisation's record lists no confidential project for a viewer (its row beside
        # the company's name would reveal who is behind the masked win).
        assert "Projet Mistral" not in shown and "Confidential project" not in shown
        assert "ingrid@nordwind.no" not in shown and "+4791234567" not in shown
        assert "'Email'" not in shown and "'Phone'" not in shown
        # Nor can they find a person by an e-mail they may not see.
        people.text_input(key="people_text").input("ingrid@nordwind").run()
        assert not any("Ingrid" in str(df.value.to_numpy()) for df in people.dataframe)
    else:
        assert "Projet Mistral" in shown and "Confidential project" not in shown
        assert "ingrid@nordwind.no" in shown and "+4791234567" in shown
        people.text_input(key="people_text").input("ingrid@nordwind").run()
        assert any("Ingrid" in str(df.value.to_numpy()) for df in people.dataframe)


def test_admin_pages_audit_trail_and_personal_data(confidential, ref_engine):
    """The trail lists the writes and puts a value back; one person's data are exported and
    anonymised from the personal-data page."""
    from sqlmodel import select

    from models import Organisation, Person

    admin = as_user("Anne Admin")
    trail = run_app(str(ROOT / "pages" / "audit_trail.py"), lang="en", user=admin)
    assert not trail.exception
    shown = trail.dataframe[0].value
    assert sorted(set(shown["Table"])) == ["organisation", "person", "project", "stagechange"]
    trail.selectbox(key="audit_table").set_value("organisation").run()
    assert list(trail.dataframe[0].value["Record (id)"]) == [str(confidential)]

    privacy = run_app(str(ROOT / "pages" / "personal_data.py"), lang="fr", user=admin)
    assert not privacy.exception
    with writer(ref_engine) as s:
        person = s.exec(select(Person.id)).one()
    privacy.number_input(key="privacy_person").set_value(person).run()
    assert "**Ingrid Berg** — Nordwind AS" in [m.value for m in privacy.markdown]
    privacy.checkbox(key="privacy_sure").check().run()
    privacy.button(key="privacy_anonymise").click().run()
    assert [s.value for s in privacy.success] == [f"Personne n° {person} anonymisée."]
    with writer(ref_engine) as s:
        ingrid = s.get(Person, person)
        assert (ingrid.first_name, ingrid.email) == ("Anonyme", None)
        assert s.get(Organisation, confidential).name == "Nordwind AS"


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN], ids=lambda r: r.value)
def test_an_admin_sees_the_history_of_a_record(confidential, role):
    at = run_app(
        str(ROOT / "pages" / "directory.py"),
        lang="fr",
        params={"org": str(confidential)},
        user=as_user("Anne Admin", role),
    )
    assert not at.exception
    shown = [m.value for m in at.markdown]
    if role == Role.ADMIN:
        assert "**Historique de la fiche**" in shown
        history = next(df.value for df in at.dataframe if "Avant" in df.value.columns)
        assert list(history["Auteur"]) == ["t"]
        assert list(history["Action"]) == ["Création"]
        assert "name: Nordwind AS" in history["Après"].iloc[0]
    else:
        assert "**Historique de la fiche**" not in shown


def test_a_request_without_requester_is_refused_beside_the_field(confidential, ref_engine):
    from sqlmodel import select

    from models import DataRequest

    at = run_app(str(ROOT / "pages" / "personal_data.py"), lang="fr", user=as_user("Anne Admin"))
    next(b for b in at.button if b.proto.form_id == "privacy_new_request").click().run()
    assert [e.value for e in at.error] == ["Champ obligatoire."]
    with writer(ref_engine) as s:
        assert s.exec(select(DataRequest)).all() == []
