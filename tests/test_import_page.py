"""AppTest of the import page: a French CSV of organisations uploaded, its columns guessed, the
dry run row by row (nothing written), the import, and the rejected rows file."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from models import Organisation
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app, sign_in
from tests.test_importing import ORGS_FR
from tests.writers import writer

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "import_data.py")


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


def test_upload_check_and_import(ref_engine, monkeypatch):
    point_app_at(monkeypatch, ref_engine, demo=False)
    at = run_app(PAGE, lang="fr")
    sign_in(at, "Claire Martin").run()
    at.radio(key="import_kind").set_value("organisations").run()
    at.file_uploader[0].set_value(("orgs.csv", ORGS_FR.encode("cp1252"), "text/csv")).run()
    assert not at.exception
    # The columns guessed from the French headers.
    assert at.selectbox(key="import_map_organisations_name").value == "Raison sociale"
    assert at.selectbox(key="import_map_organisations_country").value == "Pays"
    assert [(m.label, m.value) for m in at.metric] == [
        ("À créer", "2"),
        ("Déjà présentes", "1"),
        ("Refusées", "2"),
    ]
    plan = next(df.value for df in at.dataframe if "Ce qui sera fait" in df.value.columns)
    assert list(plan["Ligne"]) == [2, 4, 5, 6, 7]
    assert list(plan["Ce qui sera fait"]) == [
        "à créer",
        "à créer",
        "refusée : Nom : obligatoire",
        "refusée : Pays : pays inconnu « Atlantide »",
        "répétée (déjà ligne 4)",
    ]
    with writer(ref_engine) as s:
        assert s.exec(select(sa.func.count()).select_from(Organisation)).one() == 0
    at.button(key="import_go").click().run()
    assert [s.value for s in at.success] == [
        "Import terminé : 2 créée(s), 1 déjà présente(s), 2 refusée(s)."
    ]
    with writer(ref_engine) as s:
        names = s.exec(select(Organisation.name).order_by(Organisation.name)).all()
    assert names == ["Société Générale Inde", "Tata Hydrogen Pvt Ltd"]


def test_meetings_file_in_english(ref_engine, monkeypatch):
    from core.importing import apply_import, guess_mapping, plan_import, read_table
    from models import Interaction
    from tests.test_importing import PEOPLE_EN

    with writer(ref_engine) as s:  # the organisations and people the meetings name
        for data, name, kind in (
            (ORGS_FR, "o.csv", "organisations"),
            (PEOPLE_EN, "p.csv", "people"),
        ):
            table = read_table(data.encode(), name)
            plan = plan_import(s, table, guess_mapping(table.headers, kind), kind)
            apply_import(s, plan, author="setup")
    point_app_at(monkeypatch, ref_engine, demo=False)
    at = run_app(PAGE, lang="en")
    sign_in(at, "Claire Martin").run()
    at.radio(key="import_kind").set_value("interactions").run()
    data = (
        "Date,Company,Kind,Summary,Due date,Participants\n"
        "20/11/2026,Tata Hydrogen,Call,Follow-up on the site,01/12/2026,meera@tatah2.in\n"
        "21/11/2026,Tata Hydrogen,Call,Second call,19/11/2026,\n"
    )
    at.file_uploader[0].set_value(("meetings.csv", data.encode(), "text/csv")).run()
    assert not at.exception
    assert at.selectbox(key="import_map_interactions_date").value == "Date"
    assert at.selectbox(key="import_map_interactions_due_on").value == "Due date"
    plan = next(df.value for df in at.dataframe if "What will happen" in df.value.columns)
    assert list(plan["What will happen"]) == [
        "to create",
        "rejected: Due date: before the meeting's date",
    ]
    at.button(key="import_go").click().run()
    assert [s.value for s in at.success] == ["Import done: 1 created, 0 already there, 1 rejected."]
    with writer(ref_engine) as s:
        rows = s.exec(select(Interaction.summary, Interaction.author)).all()
    assert rows == [("Follow-up on the site", "Claire Martin")]


def test_staff_import_a_trade_fair_list_for_a_mission(ref_engine, monkeypatch):
    from datetime import date

    from core.records import create_mission
    from models import MissionCreate, MissionKind, MissionPerson, Person, Role
    from tests.test_import_people import CONTACTS

    with writer(ref_engine) as s:
        mission = create_mission(
            session=s,
            data=MissionCreate(
                name="GITEX Global 2026",
                kind=MissionKind.TRADE_FAIR,
                starts_on=date(2026, 10, 12),
                ends_on=date(2026, 10, 16),
                country_iso2="AE",
            ),  # fmt: skip
            author="t",
        ).id
    point_app_at(monkeypatch, ref_engine, demo=False)
    at = run_app(PAGE, lang="fr")
    sign_in(at, "Samir Staff", role=Role.STAFF).run()
    assert not at.exception
    at.selectbox(key="import_mission").set_value(mission).run()
    at.file_uploader[0].set_value(("gitex.csv", CONTACTS, "text/csv")).run()
    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [
        ("À créer", "3"),
        ("Organisations à créer", "2"),
        ("Organisations reconnues", "0"),
        ("Déjà présentes", "1"),
        ("À choisir", "0"),
        ("Refusées", "1"),
    ]
    at.radio(key="import_mode").set_value("all").run()
    at.button(key="import_go").click().run()
    assert at.error[0].value.startswith("« Tout ou rien » : 1 ligne(s) refusée(s)")
    with writer(ref_engine) as s:
        assert s.exec(select(sa.func.count()).select_from(Person)).one() == 0
    at.radio(key="import_mode").set_value("valid").run()
    at.button(key="import_go").click().run()
    assert [s.value for s in at.success] == [
        "Import terminé : 3 personne(s) créée(s), 2 organisation(s) créée(s), 3 présence(s) "
        "enregistrée(s), 1 déjà présente(s), 0 à choisir, 1 refusée(s)."
    ]
    with writer(ref_engine) as s:
        sources = s.exec(select(Person.data_source)).all()
        attended = s.exec(select(sa.func.count()).select_from(MissionPerson)).one()
    assert (sources, attended) == (["GITEX Global 2026"] * 3, 3)
