"""Imports of messy spreadsheet files: both separators, three encodings, Excel, blank lines,
missing columns, bad e-mails, unknown countries; a dry run writes nothing; importing the same
file twice creates nothing the second time. Also through ``python manage.py import``."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from sqlmodel import Session, select

import manage
from core.importing import apply_import, guess_mapping, plan_import, read_table
from core.records import create_organisation
from models import Organisation, OrganisationCreate, Person

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


def _import(session, data: bytes, name: str, kind: str, dry: bool = False):  # noqa: ANN001, ANN202
    table = read_table(data, name)
    plan = plan_import(session, table, guess_mapping(table.headers, kind), kind)
    if not dry:
        apply_import(session, plan, author="test")
    return table, plan


def _count(session, model) -> int:  # noqa: ANN001
    return session.exec(select(sa.func.count()).select_from(model)).one()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_french_semicolon_file_in_three_encodings(session, encoding):  # noqa: ANN001
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


def test_english_comma_people_file_and_a_dry_run(session):  # noqa: ANN001
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


def test_excel_file_and_missing_columns(session):  # noqa: ANN001
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


def test_an_existing_organisation_is_recognised_by_its_website(session):  # noqa: ANN001
    create_organisation(
        session=session,
        data=OrganisationCreate(name="SG India", hq_country_iso2="IN", domain="sgindia.co.in"),
        author="t",
    )
    _, plan = _import(session, ORGS_FR.encode("utf-8"), "orgs.csv", "organisations", dry=True)
    assert plan.rows[0].action == "exists"


def test_the_command_line_import(ref_engine, tmp_path, capsys):  # noqa: ANN001
    url = ref_engine.url.render_as_string(hide_password=False)
    path = tmp_path / "orgs.csv"
    path.write_bytes(ORGS_FR.encode("cp1252"))
    args = ["--database-url", url, "import", str(path), "--kind", "organisations"]
    assert manage.main([*args, "--dry-run"]) == 1  # two rows rejected
    out = capsys.readouterr().out
    assert "line 5: rejected: name: required" in out
    assert "line 6: rejected: country: unknown country Atlantide" in out
    assert "2 to create, 1 already there, 2 rejected" in out
    with Session(ref_engine) as session:
        assert _count(session, Organisation) == 0
    manage.main(args)
    with Session(ref_engine) as session:
        assert _count(session, Organisation) == 2
