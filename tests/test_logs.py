"""Structured logs (core.logs): a page run's line and a write's line carry the user's id, the
page and the duration, as JSON; no line carries a name, an e-mail or a value of a row, even
where core's modules name the author or SQLAlchemy quotes the statement's values."""

from __future__ import annotations

import io
import json
import logging
import time
from datetime import date

import pytest
import sqlalchemy as sa

from core import logs
from core.importing import apply_import, guess_mapping, plan_import, read_table
from core.meetings import log_meeting
from core.permissions import SignedIn
from models import InteractionCreate, OrganisationCreate, PersonCreate, Role
from tests.writers import writer

JEANNE = SignedIn(7, "jeanne.testeuse", "Jeanne Testeuse", Role.STAFF)
#: Everything personal the journey below types: none of it may reach the log.
PERSONAL = ["Jeanne", "Testeuse", "jeanne.testeuse", "Asha", "Rao", "asha.rao@example.org"]


@pytest.fixture
def lines():
    """The JSON lines the app's loggers write during the test, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    saved = {}
    for name in ("dashboard", "core"):
        logger = logging.getLogger(name)
        saved[name] = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    logs.install()
    token = logs.current_page.set("/log_meeting")

    def read() -> list[dict]:
        return [json.loads(text) for text in stream.getvalue().splitlines()]

    read.raw = lambda: stream.getvalue()  # type: ignore[attr-defined]
    yield read
    logs.current_page.reset(token)
    for name, level in saved.items():
        logging.getLogger(name).removeHandler(handler)
        logging.getLogger(name).setLevel(level)


def assert_nothing_personal(text: str) -> None:
    for word in PERSONAL:
        assert word not in text


def test_a_page_run_is_one_line_with_user_page_and_duration(lines):
    started = time.perf_counter() - 0.25
    logs.log_request(page="/overview", user=JEANNE, started=started, outcome="ok")
    (line,) = lines()
    assert {k: line[k] for k in ("level", "logger", "event", "page", "user_id", "role")} == {
        "level": "info",
        "logger": "dashboard",
        "event": "request",
        "page": "/overview",
        "user_id": 7,
        "role": "staff",
    }
    assert line["outcome"] == "ok"
    assert 250 <= line["duration_ms"] < 60_000
    assert_nothing_personal(lines.raw())


def test_a_signed_out_run_has_no_user(lines):
    logs.log_request(page="/", user=None, started=time.perf_counter(), outcome="stop")
    (line,) = lines()
    assert (line["user_id"], line["role"], line["outcome"]) == (None, None, "stop")


def test_a_meeting_logged_is_one_write_line_with_ids_only(ref_engine, lines):
    with writer(ref_engine, JEANNE) as s:
        meeting = log_meeting(
            session=s,
            meeting=InteractionCreate(
                occurred_on=date(2026, 3, 2), author="Jeanne Testeuse", summary="Asha Rao"
            ),
            new_organisation=OrganisationCreate(name="Rao Industries", hq_country_iso2="IN"),
            new_people=[
                PersonCreate(
                    first_name="Asha",
                    last_name="Rao",
                    email="asha.rao@example.org",
                    data_source="test",
                )
            ],
        )
        meeting_id = meeting.id
    writes = [line for line in lines() if line["event"] == "write"]
    assert len(writes) == 1
    (write,) = writes
    assert (write["page"], write["user_id"]) == ("/log_meeting", 7)
    assert write["changes"] == {
        "interaction.insert": 1,
        "interactionparticipant.insert": 1,
        "organisation.insert": 1,
        "person.insert": 1,
    }
    assert 0 <= write["duration_ms"] < 60_000
    # core.meetings says what was done, with the ids; its author's name is masked.
    said = [line["event"] for line in lines() if line["logger"] == "core.meetings"]
    assert said == [f"interaction {meeting_id} logged by *** (1 new people***)"]
    text = lines.raw()
    assert_nothing_personal(text)
    assert "Rao Industries" not in text


def test_an_import_batch_counts_the_rows_it_writes_in_bulk(ref_engine, lines):
    # Two people of one new company, by the people import's bulk inserts (Core statements the
    # ORM's flush does not see): one transaction, one write line with every row counted.
    data = (
        "Prénom;Nom;E-mail;Société;Pays\r\n"
        "Asha;Rao;asha.rao@example.org;Rao Industries;Inde\r\n"
        "Ravi;Rao;ravi.rao@example.org;Rao Industries;Inde\r\n"
    ).encode()
    with writer(ref_engine, JEANNE) as s:
        table = read_table(data, "people.csv")
        plan = plan_import(s, table, guess_mapping(table.headers, "people"), "people")
        report = apply_import(s, plan, author="Jeanne Testeuse")
    assert (report.created, report.organisations) == (2, 1)
    writes = [line for line in lines() if line["event"] == "write"]
    assert [w["changes"] for w in writes] == [{"organisation.insert": 1, "person.insert": 2}]
    assert_nothing_personal(lines.raw())


def test_an_error_logged_loses_the_values_sqlalchemy_quotes(lines):
    error = sa.exc.IntegrityError(
        "INSERT INTO person (first_name, email) VALUES (?, ?)",
        ("Asha", "asha.rao@example.org"),
        Exception(
            'duplicate key value violates unique constraint "ix_person_email"\n'
            "DETAIL:  Key (email)=(asha.rao@example.org) already exists."
        ),
    )
    try:
        raise error
    except sa.exc.IntegrityError:
        logging.getLogger("dashboard").exception("write failed")
    (line,) = lines()
    assert line["event"] == "write failed"
    assert "IntegrityError" in line["error"]
    assert "INSERT INTO person (first_name, email) VALUES (?, ?)" in line["error"]
    assert_nothing_personal(lines.raw())


def test_masking_keeps_numbers_and_plain_loggers():
    def record(name: str, msg: str, *args) -> logging.LogRecord:
        return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)

    assert (
        logs.safe_message(record("core.records", "organisation %s created by %s", 12, "Jeanne"))
        == "organisation 12 created by ***"
    )
    assert (
        logs.safe_message(record("core.refdata", "%s: %d inserted, %d updated", "sectors", 7, 0))
        == "sectors: 7 inserted, 0 updated"
    )
    assert logs.safe_message(record("core.auth", "no arguments")) == "no arguments"
