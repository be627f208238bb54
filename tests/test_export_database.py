"""The whole database out (``python manage.py export``): every table, every row, readable back."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

import manage
from core.dump import table_names
from core.records import create_organisation, create_person
from models import OrganisationCreate, PersonCreate
from tests.writers import writer


def _fill(engine) -> None:
    with writer(engine) as s:
        org = create_organisation(
            session=s,
            data=OrganisationCreate(name="Société Générale Inde", hq_country_iso2="IN"),
            author="t",
        )
        create_person(
            session=s,
            data=PersonCreate(
                first_name="Asha", last_name="Rao", organisation_id=org.id, data_source="t"
            ),
            author="t",
        )


def test_export_as_csv_files_and_as_a_workbook(ref_engine, tmp_path):
    _fill(ref_engine)
    url = ref_engine.url.render_as_string(hide_password=False)
    zip_path, xlsx_path = tmp_path / "all.zip", tmp_path / "all.xlsx"
    assert manage.main(["--database-url", url, "export", "--output", str(zip_path)]) == 0
    assert (
        manage.main(
            ["--database-url", url, "export", "--format", "xlsx", "--output", str(xlsx_path)]
        )
        == 0
    )
    with zipfile.ZipFile(zip_path) as archive:
        assert sorted(archive.namelist()) == sorted(f"{n}.csv" for n in table_names())
        text = archive.read("organisation.csv").decode("utf-8-sig")
        people = archive.read("person.csv").decode("utf-8-sig")
        sectors = archive.read("sector.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [(r["name"], r["hq_country_iso2"]) for r in rows] == [("Société Générale Inde", "IN")]
    assert [r["last_name"] for r in csv.DictReader(io.StringIO(people), delimiter=";")] == ["Rao"]
    # Reference data is there too: the six strategic sectors and "other".
    assert len(list(csv.DictReader(io.StringIO(sectors), delimiter=";"))) == 7
    workbook = load_workbook(xlsx_path, read_only=True)
    assert sorted(workbook.sheetnames) == sorted(n[:31] for n in table_names())
    sheet = list(workbook["organisation"].iter_rows(values_only=True))
    header = list(sheet[0])
    assert sheet[1][header.index("name")] == "Société Générale Inde"
    assert len(sheet) == 2
