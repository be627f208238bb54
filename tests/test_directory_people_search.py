"""Directory: a person is found by their name, accents and case aside, whether they came in by
an import (bulk insert) or by the form (the ORM): the search matches the stored name keys.
On the page, people are searched in the People tab (the first search box is the
Organisations tab's, which finds organisations only)."""

from __future__ import annotations

import pytest

from core.directory import search_people
from core.importing import apply_import, guess_mapping, plan_import, read_table
from core.records import create_person
from models import Person, PersonCreate
from tests.apptest_support import DIRECTORY, point_app_at, run_app
from tests.writers import writer

FILE = (
    "Prénom;Nom;E-mail;Société;Pays\r\n"
    "Hélène;Dupré-Aignan;helene@sandjourney.ae;Sand Journey LLC;Émirats arabes unis\r\n"
).encode("cp1252")


def _people(session) -> None:
    table = read_table(FILE, "people.csv")
    mapping = guess_mapping(table.headers, "people")
    apply_import(session, plan_import(session, table, mapping, "people"), author="t")
    create_person(
        session=session,
        data=PersonCreate(first_name="Élise", last_name="Noël", data_source="form"),
        author="t",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hélène", ["Dupré-Aignan"]),
        ("helene", ["Dupré-Aignan"]),
        ("HELENE DUPRE", ["Dupré-Aignan"]),
        ("dupre-aignan", ["Dupré-Aignan"]),
        ("Dupré Aignan", ["Dupré-Aignan"]),
        ("Hélène Dupré-Aignan", ["Dupré-Aignan"]),
        ("Sand Journey", ["Dupré-Aignan"]),  # by the organisation's name
        ("Noel", ["Noël"]),
        ("élise noël", ["Noël"]),
        ("ELISE", ["Noël"]),
        ("e", ["Dupré-Aignan", "Noël"]),
        ("Hélène Noël", []),
    ],
)
def test_imported_and_form_people_found_by_name(session, text, expected):
    _people(session)
    found, total = search_people(session, text=text)
    assert list(found["last_name"]) == expected
    assert total == len(expected)


def test_the_people_tab_finds_an_imported_person_by_name(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as session:
        _people(session)
        assert session.get(Person, 1).name_key == "helene dupre aignan"
    point_app_at(monkeypatch, ref_engine, demo=False)
    at = run_app(DIRECTORY, lang="en")
    at.text_input(key="people_text").input("helene dupre").run()
    assert not at.exception
    shown = [df.value for df in at.dataframe]
    rows = [r for df in shown if "Last name" in df.columns for r in df["Last name"]]
    assert rows == ["Dupré-Aignan"]
