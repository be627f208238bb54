"""People files bring their organisations (issue 10): a contacts file as French Excel saves it,
the matching rules (website variants, legal forms, accents, one name in two countries, a
near-tie held for a choice), the rejected rows' round trip, a list attached to a mission, and
the files that are no table. Every figure below is counted by hand from the files."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

import manage
from core.errors import RuleError
from core.i18n import t
from core.importing import (
    ImportFileError,
    apply_import,
    guess_mapping,
    plan_import,
    read_table,
    rejected_rows_file,
    row_status,
)
from core.measures import met_or_hosted_ids
from core.periods import Period
from core.records import create_mission, create_organisation
from models import (
    LawfulBasis,
    MissionCreate,
    MissionKind,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    OrganisationCreate,
    Person,
)
from tests.writers import writer

HEADER = "Prénom;Nom;E-mail;Société;Site web;Pays;Téléphone;Fonction"
#: Line 4 is blank, line 5's e-mail is invalid, line 6 repeats line 2, line 7 names line 2's
#: company by another spelling of its website.
CONTACTS = "\r\n".join(
    [
        HEADER,
        "Priya;Sharma;priya.sharma@example-tech.in;Example Tech Pvt Ltd;"
        "https://www.example-tech.in/;Inde;098200 12345;Directrice",
        "Omar;Haddad;omar@gulfsolar.ae;Gulf Solar LLC;gulfsolar.ae;Émirats arabes unis;"
        "050 123 4567;Président",
        "",
        "Jean;Dupré;jean.dupre@;Provence Robotique SAS;;France;06 12 34 56 78;Fondateur",
        "Priya;Sharma;priya.sharma@example-tech.in;Example Tech Pvt Ltd;"
        "https://www.example-tech.in/;Inde;098200 12345;Directrice",
        "Wei;Zhang;wei.zhang@example-tech.in;EXAMPLE TECH;example-tech.in;Inde;;CTO",
        "",
    ]
).encode("cp1252")
SOURCE = "Liste des exposants GITEX 2026"


def _plan(session, data: bytes, name: str = "contacts.csv", **options):
    table = read_table(data, name)
    return table, plan_import(session, table, guess_mapping(table.headers, "people"), "people",
                              **options)  # fmt: skip


def _count(session, model) -> int:
    return session.exec(select(sa.func.count()).select_from(model)).one()


def test_french_excel_contacts_file(session):
    table, plan = _plan(session, CONTACTS, source=SOURCE, lawful_basis="consent")
    assert guess_mapping(table.headers, "people") == {
        "first_name": "Prénom",
        "last_name": "Nom",
        "email": "E-mail",
        "phone": "Téléphone",
        "job_title": "Fonction",
        "organisation": "Société",
        "website": "Site web",
        "country": "Pays",
    }
    assert [(r.line, row_status(r, "fr")) for r in plan.rows] == [
        (2, "nouvelle personne · nouvelle organisation Example Tech Pvt Ltd"),
        (3, "nouvelle personne · nouvelle organisation Gulf Solar LLC"),
        (5, "refusée : E-mail : valeur invalide (adresse e-mail ?)"),
        (6, "répétée (déjà ligne 2)"),
        (7, "nouvelle personne · nouvelle organisation Example Tech Pvt Ltd"),
    ]
    assert row_status(plan.rows[3], "en") == "repeated (see line 2)"
    assert plan.totals() == {
        "to_create": 3,
        "organisations": 2,
        "matched": 0,
        "duplicates": 1,
        "to_choose": 0,
        "rejected": 1,
        "attendances": 0,
    }
    assert (_count(session, Person), _count(session, Organisation)) == (0, 0)  # a dry run
    # All or nothing refuses the file (one row rejected) and writes nothing.
    with pytest.raises(RuleError) as refused:
        apply_import(session, plan, author="Claire Martin", all_or_nothing=True)
    assert refused.value.message("en").startswith("“All or nothing”: 1 row(s) rejected and 0")
    assert (_count(session, Person), _count(session, Organisation)) == (0, 0)

    report = apply_import(session, plan, author="Claire Martin")
    assert (report.created, report.organisations, len(report.rejected)) == (3, 2, 1)
    people = session.exec(
        select(
            Person.last_name, Person.phone, Person.country_iso2, Organisation.name,
            Person.data_source, Person.lawful_basis,
        ).join(Organisation).order_by(Person.last_name)
    ).all()  # fmt: skip
    assert people == [
        ("Haddad", "+971501234567", "AE", "Gulf Solar LLC", SOURCE, LawfulBasis.CONSENT),
        ("Sharma", "+919820012345", "IN", "Example Tech Pvt Ltd", SOURCE, LawfulBasis.CONSENT),
        ("Zhang", None, "IN", "Example Tech Pvt Ltd", SOURCE, LawfulBasis.CONSENT),
    ]
    orgs = session.exec(
        select(Organisation.name, Organisation.domain, Organisation.hq_country_iso2,
               Organisation.kind).order_by(Organisation.name)
    ).all()  # fmt: skip
    assert orgs == [
        ("Example Tech Pvt Ltd", "example-tech.in", "IN", "company"),
        ("Gulf Solar LLC", "gulfsolar.ae", "AE", "company"),
    ]
    # The same file again adds nothing.
    _, again = _plan(session, CONTACTS)
    assert [row_status(r, "en") for r in again.rows] == [
        "already on record (same e-mail)",
        "already on record (same e-mail)",
        "rejected: Email: invalid value (email address?)",
        "repeated (see line 2)",
        "already on record (same e-mail)",
    ]
    assert again.totals()["to_create"] == 0 and again.totals()["organisations"] == 0
    apply_import(session, again, author="Claire Martin")
    assert (_count(session, Person), _count(session, Organisation)) == (3, 2)


@pytest.fixture
def on_record(session):
    ids = {}
    for key, name, country, domain in (
        ("ET", "Example Tech Pvt Ltd", "IN", "example-tech.in"),
        ("EDP", "Électricité de Provence SA", "FR", None),
        ("MR1", "Marseille Robotique Industrie", "FR", None),
        ("MR2", "Marseille Robotiques Industries SAS", "FR", None),
    ):
        data = OrganisationCreate(name=name, hq_country_iso2=country, domain=domain)
        ids[key] = create_organisation(session=session, data=data, author="t").id
    return ids


def test_matching_rules(session, on_record):
    ids = on_record
    rows = [
        "Asha;Rao;;ExTech;http://example-tech.in;Inde;;",
        "Ravi;Kumar;;Example Tech India;WWW.EXAMPLE-TECH.IN/contact;IN;;",
        "Anne;Roux;;ÉLECTRICITÉ DE PROVENCE S.A.S.;;France;;",
        "Paul;Blanc;;Electricite de Provence;;FR;;",
        "Lars;Berg;;Nordwind AG;;Allemagne;;",
        "Nils;Holm;;Nordwind AS;;Danemark;;",
        "Eva;Gris;;Marseille Robotique Industries;;France;;",
        "Ines;Noir;;Electricité de Provence;;Inde;;",
    ]
    data = "\r\n".join([HEADER, *rows]).encode("cp1252")
    _, plan = _plan(session, data)
    assert [(r.line, r.action, r.organisation_id, r.params.get("reason")) for r in plan.rows] == [
        (2, "create", ids["ET"], "domain"),
        (3, "create", ids["ET"], "domain"),
        (4, "create", ids["EDP"], "name"),
        (5, "create", ids["EDP"], "name"),
        (6, "create", None, None),
        (7, "create", None, None),
        (8, "choose", None, None),
        (9, "create", None, None),  # the same name in another country: another organisation
    ]
    assert row_status(plan.rows[0], "en") == (
        f"new person · matched to Example Tech Pvt Ltd (#{ids['ET']}, same website)"
    )
    # One name, two countries: two organisations; the near-tie is held, never guessed.
    assert [(o.name, o.hq_country_iso2) for o in plan.organisations.values()] == [
        ("Nordwind AG", "DE"),
        ("Nordwind AS", "DK"),
        ("Electricité de Provence", "IN"),
    ]
    held = list(plan.held.values())
    # Both one letter away from the file's name (equally similar): by name, then.
    assert [(h.name, [c[0] for c in h.candidates], h.lines) for h in held] == [
        ("Marseille Robotique Industries", [ids["MR1"], ids["MR2"]], [8])
    ]
    assert row_status(plan.rows[6], "en").startswith(
        "to choose: 2 organisations like “Marseille Robotique Industries” ("
    )
    assert plan.totals()["to_choose"] == 1 and plan.totals()["matched"] == 2
    report = apply_import(session, plan, author="t")
    assert (report.created, report.organisations, report.held) == (7, 3, 1)
    assert _count(session, Organisation) == 7
    # The user chooses the second one: the row is imported with it, nothing else twice.
    _, chosen = _plan(session, data, choices={held[0].key: ids["MR2"]})
    assert chosen.rows[6].organisation_id == ids["MR2"]
    assert chosen.totals()["to_create"] == 1
    apply_import(session, chosen, author="t")
    assert (_count(session, Person), _count(session, Organisation)) == (8, 7)


def test_rejected_rows_round_trip(session):
    table, plan = _plan(session, CONTACTS)
    apply_import(session, plan, author="t")
    back = rejected_rows_file(table, plan, "fr", "csv")
    text = back.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [
        [*HEADER.split(";"), "Motif"],
        ["Jean", "Dupré", "jean.dupre@", "Provence Robotique SAS", "", "France",
         "06 12 34 56 78", "Fondateur", "refusée : E-mail : valeur invalide (adresse e-mail ?)"],
    ]  # fmt: skip
    workbook = read_table(rejected_rows_file(table, plan, "en", "xlsx"), "back.xlsx")
    assert workbook.headers == [*HEADER.split(";"), "Reason"]
    assert workbook.rows[0][2] == "jean.dupre@"
    fixed = text.replace("jean.dupre@;", "jean.dupre@provence-robotique.fr;").encode("utf-8-sig")
    _, again = _plan(session, fixed, "lignes-non-importees.csv")
    assert [row_status(r, "en") for r in again.rows] == [
        "new person · new organisation Provence Robotique SAS"
    ]
    apply_import(session, again, author="t")
    assert (_count(session, Person), _count(session, Organisation)) == (4, 3)
    # The whole file once more: nothing is missing any more.
    _, whole = _plan(
        session, CONTACTS.replace(b"jean.dupre@;", b"jean.dupre@provence-robotique.fr;")
    )
    assert whole.totals()["to_create"] == 0


def test_a_list_attached_to_a_mission(session, on_record):
    mission = create_mission(
        session=session,
        data=MissionCreate(
            name="GITEX Global 2026",
            kind=MissionKind.TRADE_FAIR,
            starts_on=date(2026, 10, 12),
            ends_on=date(2026, 10, 16),
            country_iso2="AE",
        ),  # fmt: skip
        author="t",
    )
    _, plan = _plan(session, CONTACTS, mission_id=mission.id)
    # Priya and Wei's Example Tech is on record (same website): matched, not created.
    assert plan.totals()["organisations"] == 1 and plan.totals()["attendances"] == 3
    apply_import(session, plan, author="t")
    assert _count(session, MissionPerson) == 3
    names = session.exec(
        select(Organisation.name).join(MissionOrganisation).order_by(Organisation.name)
    ).all()
    assert names == ["Example Tech Pvt Ltd", "Gulf Solar LLC"]

    def met(start: date, end: date) -> int:
        ids = met_or_hosted_ids(Period(start, end)).subquery()
        return session.exec(select(sa.func.count()).select_from(ids)).one()

    assert met(date(2026, 10, 1), date(2026, 10, 31)) == 2
    assert met(date(2026, 11, 1), date(2026, 11, 30)) == 0
    # Again: the attendances are there already.
    _, again = _plan(session, CONTACTS, mission_id=mission.id)
    assert again.totals()["attendances"] == 0
    assert apply_import(session, again, author="t").attendances == 0
    assert _count(session, MissionPerson) == 3
    with pytest.raises(RuleError):
        _plan(session, CONTACTS, mission_id=mission.id + 99)


NO_HEADER, DUPLICATE = "import.file.no_header", "import.file.duplicate_columns"
BAD_FILES = [
    ("list.pdf", b"%PDF-1.4 ...", "import.file.not_spreadsheet", {}),
    ("list.csv", b"PK\x03\x04\x00\x00binary", "import.file.not_spreadsheet", {}),
    ("list.xlsx", b"Prenom;Nom\nAsha;Rao\n", "import.file.not_workbook", {}),
    ("list.csv", b"", "import.file.empty", {}),
    ("list.csv", b"\r\n;;\r\n", "import.file.empty", {}),
    ("list.csv", b"asha@x.in;+91 98200 12345\nravi@y.in;+91 98200 5432\n", NO_HEADER, {}),
    ("list.csv", "Prénom;Nom;NOM\n".encode("cp1252"), DUPLICATE, {"name": "NOM"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "key", "params"), BAD_FILES)
def test_files_that_are_no_table(name, data, key, params):
    with pytest.raises(ImportFileError) as error:
        read_table(data, name)
    assert (error.value.message_key, error.value.params, error.value.field) == (key, params, "file")


def test_a_file_over_the_limit_and_the_french_messages():
    with pytest.raises(ImportFileError) as error:
        read_table(b"Nom\n" + b"x\n" * 600_000, "big.csv", max_bytes=1024 * 1024)
    assert error.value.message("fr") == "Le fichier dépasse la taille permise (1 Mo) : découpez-le."
    with pytest.raises(ImportFileError) as error:
        read_table("Prénom;Nom;NOM\n".encode(), "list.csv")
    assert error.value.message("fr") == t("import.file.duplicate_columns", "fr", name="NOM")
    assert error.value.message("fr").startswith("Deux colonnes portent le même nom « NOM »")


def test_the_command_line_with_a_mission(ref_engine, tmp_path, capsys):
    url = ref_engine.url.render_as_string(hide_password=False)
    with writer(ref_engine) as session:
        mission = create_mission(
            session=session,
            data=MissionCreate(
                name="CIIE 2026",
                kind=MissionKind.TRADE_FAIR,
                starts_on=date(2026, 11, 5),
                ends_on=date(2026, 11, 10),
                country_iso2="CN",
            ),  # fmt: skip
            author="t",
        ).id
    path = tmp_path / "ciie.csv"
    path.write_bytes(CONTACTS)
    base = ["--database-url", url, "import", str(path), "--kind", "people", "--mission"]
    assert manage.main([*base, str(mission), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "line 5: rejected: Email: invalid value (email address?)" in out
    assert "3 to create, 1 already there, 1 rejected; 2 new organisations, 0 matched" in out
    assert manage.main([*base, str(mission), "--source", SOURCE]) == 1  # all or nothing
    with writer(ref_engine) as session:
        assert _count(session, Person) == 0
    assert manage.main([*base, str(mission), "--source", SOURCE, "--valid-only"]) == 1
    captured = capsys.readouterr()
    assert "Created 3, organisations 2, attendances 3." in captured.out
    assert "[##############################] 5/5 checked" in captured.err
    with writer(ref_engine) as session:
        assert _count(session, MissionPerson) == 3
        assert set(session.exec(select(Person.data_source)).all()) == {SOURCE}
    path.write_bytes(b"%PDF")
    assert manage.main(["--database-url", url, "import", str(path), "--kind", "people"]) == 2
    assert "neither a CSV nor an Excel" in capsys.readouterr().err
