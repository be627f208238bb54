"""The people import at size keeps the model's rules and the audit trail: e-mail addresses are
accepted and stored exactly as the model's ``EmailStr`` would (the fast path of core.emails
answers only when it is sure), and people and organisations inserted in bulk get their name
keys and the very audit entries the ORM writes. Expected values are written out by hand."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import select

from core.emails import known_valid
from core.importing import apply_import, guess_mapping, plan_import, read_table
from core.records import create_mission, create_organisation, create_person
from models import (
    AuditEntry,
    MissionCreate,
    MissionKind,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
)

LONG_LOCAL = "x" * 65 + "@example.com"  # over 64 before the @: only a strict check refuses it
TOO_LONG = "x" * 64 + "@" + ("d" * 62 + ".") * 3 + "com"  # 257 characters: over 254
#: (address as the file has it, what the model stores or None when it refuses it), by hand.
ADDRESSES = [
    ("priya.sharma@example-tech.in", "priya.sharma@example-tech.in"),
    ("Priya.Sharma@Example-Tech.IN", "priya.sharma@example-tech.in"),  # the import lowers
    ("a@b.co", "a@b.co"),
    ("first.last+tag@sub.example.org", "first.last+tag@sub.example.org"),
    ("o'brien@example.ie", "o'brien@example.ie"),
    ("user%example.com@example.org", "user%example.com@example.org"),
    ("POSTMASTER@EXAMPLE.COM", "postmaster@example.com"),
    ("Jean <jean@example.com>", "jean@example.com"),  # a display name: the address kept
    ("josé@example.fr", "josé@example.fr"),
    ("a@bücher.de", "a@bücher.de"),
    ("a@xn--bcher-kva.de", "a@bücher.de"),  # IDNA written as ASCII: stored in Unicode
    (LONG_LOCAL, LONG_LOCAL),
    ("jean.dupre@", None),
    ("@example.com", None),
    ("a..b@example.com", None),
    (".a@example.com", None),
    ("a.@example.com", None),
    ("a@example", None),
    ("a@localhost", None),
    ("a@example.test", None),
    ("a@sub.example.invalid", None),
    ("a@example.onion", None),
    ("a@-example.com", None),
    ("a@example-.com", None),
    ("a@exa_mple.com", None),
    ("a@example.123", None),
    ("a@example.com.", None),
    ("a@b@example.com", None),
    ("a b@example.com", None),
    ('"quoted"@example.com', None),
    ("a@[192.168.0.1]", None),
    ("a@xn--zz.com", None),
    (TOO_LONG, None),
]


def _model_email(address: str) -> str | None:
    try:
        return PersonCreate(first_name="A", last_name="B", data_source="t", email=address).email
    except ValidationError:
        return None


def test_fast_path_answers_only_what_the_model_says():
    for address, expected in ADDRESSES:
        lowered = address.lower()
        assert _model_email(lowered) == expected, address
        assert known_valid(lowered) in (None, expected), address
    # The plain addresses of a file take the fast path.
    assert known_valid("priya.sharma@example-tech.in") == "priya.sharma@example-tech.in"
    assert known_valid("a@xn--bcher-kva.de") == "a@bücher.de"
    assert known_valid("postmaster@example.com") is None  # left to the model
    assert known_valid("a..b@example.com") is None


def _people_file(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    out = csv.writer(text, delimiter=";", lineterminator="\r\n")
    out.writerow(["Prénom", "Nom", "E-mail", "Société", "Site web", "Pays", "Téléphone"])
    out.writerows(rows)
    return text.getvalue().encode("utf-8")


def _plan(session, data: bytes, **options):
    table = read_table(data, "people.csv")
    mapping = guess_mapping(table.headers, "people")
    return plan_import(session, table, mapping, "people", **options)


def test_import_accepts_and_stores_addresses_as_the_model(session):
    rows = [[f"P{i}", "T", address, "", "", "", ""] for i, (address, _e) in enumerate(ADDRESSES)]
    plan = _plan(session, _people_file(rows))
    assert len(plan.rows) == len(ADDRESSES)
    for row, (address, expected) in zip(plan.rows, ADDRESSES, strict=True):
        if expected is None:
            assert row.errors == [("email", "value_error", {})], address
        else:
            assert row.errors == [], address
            assert row.data.email == expected, address
    report = apply_import(session, plan, author="alice")
    # The second address is the first once lowered: that row is the first one repeated.
    assert (report.created, report.existing, len(report.rejected)) == (11, 1, 21)
    assert plan.rows[1].status == "repeated"
    stored = session.exec(select(Person.email).order_by(Person.id)).all()
    assert stored == [e for i, (_a, e) in enumerate(ADDRESSES) if e is not None and i != 1]


@pytest.fixture
def example_tech(session) -> int:
    data = OrganisationCreate(name="Example Tech Pvt Ltd", hq_country_iso2="IN")
    return create_organisation(session=session, data=data, author="t").id


def _new_entries(session, since: int) -> list[AuditEntry]:
    return list(
        session.exec(select(AuditEntry).where(AuditEntry.id > since).order_by(AuditEntry.id))
    )


ORGANISATION_KEYS = ["name", "kind", "domain", "registration_number", "hq_country_iso2",
                     "control_country_iso2", "sector_code", "size", "city", "parent_id",
                     "chamber_id", "id", "is_demo", "created_at"]  # fmt: skip
PERSON_KEYS = ["first_name", "last_name", "job_title", "organisation_id", "email", "phone",
               "country_iso2", "tags", "data_source", "lawful_basis", "notice_sent_on",
               "objection", "last_inbound_contact_on", "id", "is_demo", "anonymised_at",
               "created_at"]  # fmt: skip


def _created_at(session, model, record_id: int) -> datetime:
    value = session.exec(select(model.created_at).where(model.id == record_id)).one()
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_bulk_import_writes_the_orms_audit_entries_and_name_keys(session, example_tech):
    mission = create_mission(
        session=session,
        data=MissionCreate(name="GITEX Global 2026", kind=MissionKind.TRADE_FAIR,
                           starts_on=date(2026, 10, 12), ends_on=date(2026, 10, 16),
                           country_iso2="AE"),
        author="t",
    )  # fmt: skip
    since = session.exec(select(sa.func.max(AuditEntry.id))).one()
    data = _people_file(
        [
            ["Hélène", "Dupré-Aignan", "Helene@GulfSolar.ae", "Gulf Solar LLC", "gulfsolar.ae",
             "Émirats arabes unis", "050 123 4567"],
            ["Zoé", "Noël", "", "Example Tech", "", "Inde", ""],
        ]
    )  # fmt: skip
    plan = _plan(session, data, mission_id=mission.id, source="GITEX 2026", lawful_basis="consent")
    started = datetime.now(UTC)
    report = apply_import(session, plan, author="alice")
    ended = datetime.now(UTC)
    assert (report.created, report.organisations, report.attendances) == (2, 1, 2)

    gulf = session.exec(select(Organisation).where(Organisation.domain == "gulfsolar.ae")).one()
    helene, zoe = session.exec(select(Person).order_by(Person.id)).all()
    # Name keys filled by the column default on the bulk insert.
    assert gulf.name_key == "gulf solar"
    assert (helene.name_key, zoe.name_key) == ("helene dupre aignan", "zoe noel")

    entries = _new_entries(session, since)
    assert [(e.table_name, e.action.value, e.row_key, e.actor, e.before) for e in entries] == [
        ("organisation", "insert", str(gulf.id), "alice", None),
        ("person", "insert", str(helene.id), "alice", None),
        ("person", "insert", str(zoe.id), "alice", None),
        ("missionperson", "insert", f"{mission.id}/{helene.id}", "alice", None),
        ("missionorganisation", "insert", f"{mission.id}/{gulf.id}", "alice", None),
        ("missionperson", "insert", f"{mission.id}/{zoe.id}", "alice", None),
        ("missionorganisation", "insert", f"{mission.id}/{example_tech}", "alice", None),
    ]
    organisation, first, second = (e.after for e in entries[:3])
    assert list(organisation) == ORGANISATION_KEYS
    assert organisation == {
        "name": "Gulf Solar LLC", "kind": "company", "domain": "gulfsolar.ae",
        "registration_number": None, "hq_country_iso2": "AE", "control_country_iso2": None,
        "sector_code": None, "size": None, "city": None, "parent_id": None,
        "chamber_id": None, "id": gulf.id, "is_demo": False,
        "created_at": organisation["created_at"],
    }  # fmt: skip
    assert list(first) == PERSON_KEYS and list(second) == PERSON_KEYS
    assert first == {
        "first_name": "Hélène", "last_name": "Dupré-Aignan", "job_title": None,
        "organisation_id": gulf.id, "email": "helene@gulfsolar.ae", "phone": "+971501234567",
        "country_iso2": "AE", "tags": None, "data_source": "GITEX 2026",
        "lawful_basis": "consent", "notice_sent_on": None, "objection": False,
        "last_inbound_contact_on": None, "id": helene.id, "is_demo": False,
        "anonymised_at": None, "created_at": first["created_at"],
    }  # fmt: skip
    assert second == {
        **first, "first_name": "Zoé", "last_name": "Noël", "organisation_id": example_tech,
        "email": None, "phone": None, "country_iso2": "IN", "id": zoe.id,
        "created_at": second["created_at"],
    }  # fmt: skip
    for after, model, record_id in [
        (organisation, Organisation, gulf.id),
        (first, Person, helene.id),
        (second, Person, zoe.id),
    ]:
        written = datetime.fromisoformat(after["created_at"])
        assert started <= written <= ended
        assert written == _created_at(session, model, record_id)
    assert [e.after for e in entries[3:]] == [
        {"mission_id": mission.id, "person_id": helene.id},
        {"mission_id": mission.id, "organisation_id": gulf.id},
        {"mission_id": mission.id, "person_id": zoe.id},
        {"mission_id": mission.id, "organisation_id": example_tech},
    ]


def test_bulk_entries_are_those_of_a_person_created_by_the_form(session):
    """The same person through the form (the ORM's flush) and through the import: the same
    entry but for the id and the time."""
    by_form = create_person(
        session=session,
        data=PersonCreate(first_name="Zoé", last_name="Noël", country_iso2="IN",
                          data_source="GITEX 2026", lawful_basis="consent"),
        author="alice",
    )  # fmt: skip
    since = session.exec(select(sa.func.max(AuditEntry.id))).one()
    # No organisation: a person of the same name is not "already there" (only within one).
    data = _people_file([["Zoé", "Noël", "", "", "", "Inde", ""]])
    plan = _plan(session, data, source="GITEX 2026", lawful_basis="consent")
    assert plan.totals()["to_create"] == 1
    apply_import(session, plan, author="alice")
    (imported,) = _new_entries(session, since)
    (form,) = [
        e
        for e in session.exec(select(AuditEntry).where(AuditEntry.table_name == "person"))
        if e.row_key == str(by_form.id)
    ]
    assert (imported.actor, imported.action, imported.table_name) == (
        form.actor,
        form.action,
        form.table_name,
    )
    assert list(imported.after) == list(form.after)
    differ = {k for k in form.after if form.after[k] != imported.after[k]}
    assert differ == {"id", "created_at"}
