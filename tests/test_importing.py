"""Imports of messy spreadsheet files: both separators, three encodings, Excel, blank lines,
missing columns, bad e-mails, unknown countries; a dry run writes nothing; importing the same
file twice creates nothing the second time. Also through ``python manage.py import``."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from sqlmodel import select

import manage
from core.importing import apply_import, guess_mapping, plan_import, read_table
from core.records import create_organisation
from models import Organisation, OrganisationCreate, Person
from tests.writers import writer

ORGS_FR = (
    "Raison sociale;Pays;Site web;Secteur\n"
    "Société Générale Inde;Inde;https://www.sgindia.co.in/;Numérique\n"
    "\n"
    "Tata Hydrogen Pvt Ltd;IN;tatah2.in;Énergie verte et nucléaire\n"
    ";France;;\n"
    "Mystère SA;Atlantide;;\n"
    "Tata Hydrogen;India;;\n"
)
PEOPLE_EN = (
    "First name,Last name,Email,Phone,Company,Country\n"
    "Asha,Rao,asha.rao@sgindia.co.in,+91 98200 12345,Société Générale Inde,IN\n"
    "Ravi,Kumar,ravi.kumar@,,Tata Hydrogen,India\n"
    "Meera,Iyer,meera@tatah2.in,98200 54321,Tata Hydrogen,India\n"
)


def _import(session, data: bytes, name: str, kind: str, dry: bool = False):
    table = read_table(data, name)
    plan = plan_import(session, table, guess_mapping(table.headers, kind), kind)
    if not dry:
        apply_import(session, plan, author="test")
    return table, plan


def _count(session, model) -> int:
    return session.exec(select(sa.func.count()).select_from(model)).one()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_french_semicolon_file_in_three_encodings(session, encoding):
    table, plan = _import(session, ORGS_FR.encode(encoding), "orgs.csv", "organisations")
    assert table.headers == ["Raison sociale", "Pays", "Site web", "Secteur"]
    assert guess_mapping(table.headers, "organisations") == {
        "name": "Raison sociale",
        "country": "Pays",
        "website": "Site web",
        "sector": "Secteur",
    }
    # Line 3 is blank; line 5 has no name; line 6's country is unknown; line 7 is line 4's
    # organisation again (same name once "Pvt Ltd" is dropped, same country).
    assert [(r.line, r.action, [e[:2] for e in r.errors]) for r in plan.rows] == [
        (2, "create", []),
        (4, "create", []),
        (5, "create", [("name", "missing")]),
        (6, "create", [("country", "unknown_country")]),
        (7, "exists", []),
    ]
    orgs = session.exec(select(Organisation).order_by(Organisation.name)).all()
    assert [(o.name, o.hq_country_iso2, o.domain, o.sector_code) for o in orgs] == [
        ("Société Générale Inde", "IN", "sgindia.co.in", "digital"),
        ("Tata Hydrogen Pvt Ltd", "IN", "tatah2.in", "energy"),
    ]
    # The same file again: everything valid is already there.
    _, again = _import(session, ORGS_FR.encode(encoding), "orgs.csv", "organisations")
    assert (again.count("create"), again.count("exists"), again.count("rejected")) == (0, 3, 2)
    assert _count(session, Organisation) == 2


def test_english_comma_people_file_and_a_dry_run(session):
    _import(session, ORGS_FR.encode("utf-8"), "orgs.csv", "organisations")
    _, dry = _import(session, PEOPLE_EN.encode("utf-8"), "people.csv", "people", dry=True)
    assert _count(session, Person) == 0  # a dry run writes nothing
    assert [(r.line, [e[:2] for e in r.errors]) for r in dry.rows] == [
        (2, []),
        (3, [("email", "value_error")]),
        (4, []),
    ]
    _import(session, PEOPLE_EN.encode("utf-8"), "people.csv", "people")
    people = session.exec(select(Person).order_by(Person.last_name)).all()
    tata = session.exec(select(Organisation.id).where(Organisation.domain == "tatah2.in")).one()
    # Phone numbers in E.164, read in the row's country when they have no prefix.
    assert [(p.last_name, p.phone, p.organisation_id is not None) for p in people] == [
        ("Iyer", "+919820054321", True),
        ("Rao", "+919820012345", True),
    ]
    assert people[0].organisation_id == tata
    _, again = _import(session, PEOPLE_EN.encode("utf-8"), "people.csv", "people")
    assert again.count("create") == 0
    assert _count(session, Person) == 2


def test_excel_file_and_missing_columns(session):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Company", "Country"])
    sheet.append(["Nordic Wind AS", "Denmark"])
    sheet.append([None, None])
    sheet.append(["Infosys", "Inde"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table, plan = _import(session, buffer.getvalue(), "orgs.xlsx", "organisations")
    assert table.lines == [2, 4]
    assert [
        o.hq_country_iso2 for o in session.exec(select(Organisation).order_by(Organisation.name))
    ] == ["IN", "DK"]
    # A people file without a last-name column: every row says what is missing.
    table = read_table(b"Prenom;Courriel\nAsha;asha@x.in\n", "people.csv")
    plan = plan_import(session, table, guess_mapping(table.headers, "people"), "people")
    assert [e[:2] for e in plan.rows[0].errors] == [("last_name", "missing")]


def test_an_existing_organisation_is_recognised_by_its_website(session):
    create_organisation(
        session=session,
        data=OrganisationCreate(name="SG India", hq_country_iso2="IN", domain="sgindia.co.in"),
        author="t",
    )
    _, plan = _import(session, ORGS_FR.encode("utf-8"), "orgs.csv", "organisations", dry=True)
    assert plan.rows[0].action == "exists"


def test_the_command_line_import(ref_engine, tmp_path, capsys):
    url = ref_engine.url.render_as_string(hide_password=False)
    path = tmp_path / "orgs.csv"
    path.write_bytes(ORGS_FR.encode("cp1252"))
    args = ["--database-url", url, "import", str(path), "--kind", "organisations"]
    assert manage.main([*args, "--dry-run"]) == 1  # two rows rejected
    out = capsys.readouterr().out
    assert "line 5: rejected: Name: required" in out
    assert 'line 6: rejected: Country: unknown country "Atlantide"' in out
    assert "2 to create, 1 already there, 2 rejected" in out
    with writer(ref_engine) as session:
        assert _count(session, Organisation) == 0
    assert manage.main(args) == 1  # all or nothing by default: two rows rejected, none written
    with writer(ref_engine) as session:
        assert _count(session, Organisation) == 0
    manage.main([*args, "--valid-only"])
    with writer(ref_engine) as session:
        assert _count(session, Organisation) == 2


MEETINGS_FR = (
    "Date;Entreprise;Type;Résultat;Compte-rendu;Prochaine étape;Échéance;Participants;"
    "Projet;Mission;Responsable\n"
    "14/10/2026;Société Générale Inde;Rendez-vous;Nouvelle piste;Intérêt pour un centre de "
    "données à Marseille;Envoyer l'offre foncière;30/10/2026;asha.rao@sgindia.co.in;"
    "SG Data Hub;GITEX Global 2026;Claire Martin\n"
    "2026-10-15;tatah2.in;Appel;Info;Point d'étape;;;meera@tatah2.in, asha.rao@sgindia.co.in;;;"
    "\n"
    "\n"
    "16/10/2026;Tata Hydrogen;Visio;A relancer;Relance;Rappeler;10/10/2026;;;;\n"
    "31/02/2026;Inconnue SARL;Déjeuner;;;;;nobody@nowhere.in;Projet X;Salon Y;\n"
    "14/10/2026;Société Générale Inde;rdv;;Intérêt pour un centre de données à Marseille;;;;;;\n"
)


@pytest.fixture
def on_record(session):
    """The organisations and people of the files above, a project of SG India, a mission."""
    from core.records import create_mission, create_project
    from models import MissionCreate, MissionKind, ProjectCreate

    _import(session, ORGS_FR.encode("utf-8"), "orgs.csv", "organisations")
    _import(session, PEOPLE_EN.encode("utf-8"), "people.csv", "people")
    sg = session.exec(select(Organisation.id).where(Organisation.domain == "sgindia.co.in")).one()
    project = create_project(
        session=session,
        data=ProjectCreate(code_name="SG Data Hub", organisation_id=sg, sector_code="digital"),
        author="t",
    )
    mission = create_mission(
        session=session,
        data=MissionCreate(
            name="GITEX Global 2026",
            kind=MissionKind.TRADE_FAIR,
            starts_on="2026-10-12",
            ends_on="2026-10-16",
            country_iso2="AE",
        ),
        author="t",
    )
    return sg, project.id, mission.id


def test_meetings_file_names_records_on_file(session, on_record):
    from datetime import date

    from models import Interaction, InteractionParticipant

    sg, project_id, mission_id = on_record
    table, plan = _import(session, MEETINGS_FR.encode("cp1252"), "rdv.csv", "interactions")
    assert guess_mapping(table.headers, "interactions") == {
        "date": "Date",
        "organisation": "Entreprise",
        "kind": "Type",
        "outcome": "Résultat",
        "summary": "Compte-rendu",
        "next_step": "Prochaine étape",
        "due_on": "Échéance",
        "participants": "Participants",
        "project": "Projet",
        "mission": "Mission",
        "owner": "Responsable",
    }
    # Line 4 is blank; line 5: a due date before the meeting ("Visio" is a call, "A relancer" a
    # follow-up: both known); line 6: an impossible date, an unknown organisation, kind, person
    # and mission; line 7 is line 2 again ("rdv" is a meeting: same day, organisation, summary).
    assert [(r.line, r.action, [e[:2] for e in r.errors]) for r in plan.rows] == [
        (2, "create", []),
        (3, "create", []),
        (5, "create", [("due_on", "due_before_date")]),
        (
            6,
            "create",
            [
                ("date", "bad_date"),
                ("kind", "unknown_value"),
                ("project", "unknown_project"),  # of an organisation not on record
                ("mission", "unknown_mission"),
                ("participants", "unknown_person"),
            ],
        ),
        (7, "exists", []),
    ]
    meetings = session.exec(select(Interaction).order_by(Interaction.occurred_on)).all()
    assert [
        (m.occurred_on, m.kind, m.outcome, m.organisation_id == sg, m.project_id, m.mission_id)
        for m in meetings
    ] == [
        (date(2026, 10, 14), "meeting", "new_lead", True, project_id, mission_id),
        (date(2026, 10, 15), "call", "information", False, None, None),
    ]
    first, second = meetings
    assert (first.next_step, first.next_step_due_on) == (
        "Envoyer l'offre foncière",
        date(2026, 10, 30),
    )
    assert (first.author, first.owner) == ("test", "Claire Martin")
    participants = session.exec(
        select(Person.email)
        .join(InteractionParticipant, InteractionParticipant.person_id == Person.id)
        .where(InteractionParticipant.interaction_id == second.id)
        .order_by(Person.email)
    ).all()
    assert participants == ["asha.rao@sgindia.co.in", "meera@tatah2.in"]
    # The same file again creates nothing.
    _, again = _import(session, MEETINGS_FR.encode("utf-8"), "rdv.csv", "interactions")
    assert (again.count("create"), again.count("exists"), again.count("rejected")) == (0, 3, 2)
    assert _count(session, Interaction) == 2
    assert _count(session, InteractionParticipant) == 3


def test_meetings_from_excel_dates(session, on_record):
    from datetime import date, datetime

    from models import Interaction

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Meeting date", "Company", "Summary", "Due date", "Next step"])
    sheet.append([datetime(2026, 11, 3), "Tata Hydrogen", "Site visit follow-up", None, None])
    sheet.append(
        [date(2026, 11, 4), "Société Générale Inde", "Call", datetime(2026, 11, 20), "Send"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    _, plan = _import(session, buffer.getvalue(), "meetings.xlsx", "interactions")
    assert [r.errors for r in plan.rows] == [[], []]
    found = session.exec(
        select(Interaction.occurred_on, Interaction.next_step_due_on, Interaction.kind).order_by(
            Interaction.occurred_on
        )
    ).all()
    assert found == [
        (date(2026, 11, 3), None, "meeting"),
        (date(2026, 11, 4), date(2026, 11, 20), "meeting"),
    ]


def test_the_command_line_imports_meetings(ref_engine, tmp_path, capsys):
    url = ref_engine.url.render_as_string(hide_password=False)
    orgs, meetings = tmp_path / "orgs.csv", tmp_path / "rdv.csv"
    orgs.write_bytes(ORGS_FR.encode("utf-8"))
    meetings.write_bytes(
        b"Date;Organisation;Compte rendu\n"
        b"05/11/2026;Tata Hydrogen;Premier contact\n"
        b"06/11/2026;Atlantis Corp;?\n"
        b"31/02/2026;Nowhere Ltd;Jamais\n"
    )
    base = ["--database-url", url, "import"]
    manage.main([*base, str(orgs), "--kind", "organisations", "--valid-only"])
    kind = ["--kind", "interactions", "--author", "cli", "--valid-only"]
    status = manage.main([*base, str(meetings), *kind])
    out = capsys.readouterr().out
    # "Atlantis Corp" is not on record: created with its meeting. Line 4: no 31 February, so
    # neither the meeting nor its organisation is written.
    assert 'line 4: rejected: Date: unreadable date "31/02/2026"' in out
    assert "2 to create, 0 already there, 1 rejected; 1 new organisations" in out
    assert status == 1  # a rejected row makes the command fail, the valid rows are written
    from models import Interaction

    with writer(ref_engine) as session:
        rows = session.exec(
            select(Interaction.summary, Interaction.author, Organisation.name).join(
                Organisation, Organisation.id == Interaction.organisation_id
            )
        ).all()
    assert sorted(rows) == [
        ("?", "cli", "Atlantis Corp"),
        ("Premier contact", "cli", "Tata Hydrogen Pvt Ltd"),
    ]
