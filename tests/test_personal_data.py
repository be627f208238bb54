"""Personal data: anonymising a person leaves every project and KPI exactly as before and
removes their identity everywhere (record, meeting texts, audit trail); the export of
everything held on one person; the retention list; the register of requests."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session, select

from core.audit import record_history
from core.edits import update_person
from core.meetings import log_meeting
from core.personal_data import (
    REDACTED,
    anonymise_person,
    close_request,
    create_request,
    export_person,
    list_requests,
    list_retention_due,
    person_export_json,
    person_export_text,
)
from core.records import create_organisation, create_person
from models import (
    DataRequestCreate,
    Interaction,
    InteractionCreate,
    OrganisationCreate,
    Person,
    PersonCreate,
    RequestKind,
    RequestStatus,
)
from tests.writers import writer


@pytest.fixture
def asha(session: Session) -> dict[str, int]:
    org = create_organisation(session=session, data=OrganisationCreate(name="Tata"), author="C")
    person = create_person(
        session=session,
        data=PersonCreate(
            first_name="Asha",
            last_name="Rao",
            job_title="CFO",
            email="asha.rao@tata.in",
            phone="+919820012345",
            organisation_id=org.id,
            data_source="GITEX 2026 business card",
            last_inbound_contact_on=date(2022, 5, 2),
        ),
        author="Claire",
    )
    update_person(
        session,
        person_id=person.id,
        data=PersonCreate(
            first_name="Asha",
            last_name="Rao",
            job_title="Group CFO",
            email="asha.rao@tata.in",
            phone="+919820012345",
            organisation_id=org.id,
            data_source="GITEX 2026 business card",
            last_inbound_contact_on=date(2022, 5, 2),
        ),
        author="Léa",
    )
    meeting = log_meeting(
        session=session,
        meeting=InteractionCreate(
            occurred_on=date(2026, 10, 14),
            organisation_id=org.id,
            summary="Met Asha Rao (asha.rao@tata.in): wants a site at Fos. RAO ASHA to call back.",
            next_step="Send Asha Rao the land offer",
            author="Claire",
            participant_ids=[person.id],
        ),
    )
    return {"org": org.id, "person": person.id, "meeting": meeting.id}


def test_anonymising_removes_the_identity_everywhere(session, asha):
    anonymise_person(session, person_id=asha["person"], author="admin")
    session.expire_all()
    person = session.get(Person, asha["person"])
    assert (person.first_name, person.last_name) == ("Anonyme", f"#{asha['person']}")
    assert (person.job_title, person.email, person.phone, person.last_inbound_contact_on) == (
        None,
        None,
        None,
        None,
    )
    assert person.organisation_id == asha["org"] and person.anonymised_at is not None
    meeting = session.get(Interaction, asha["meeting"])
    assert meeting.summary == (
        f"Met {REDACTED} ({REDACTED}): wants a site at Fos. {REDACTED} to call back."
    )
    assert meeting.next_step == f"Send {REDACTED} the land offer"
    # Nothing of the person is left in the audit trail either.
    trail = json.dumps(
        [
            (e.before, e.after)
            for table, key in (("person", asha["person"]), ("interaction", asha["meeting"]))
            for e in record_history(session, table, key)
        ]
    )
    for text in ("Asha", "Rao", "asha.rao", "9820012345", "CFO", "business card"):
        assert text not in trail
    with pytest.raises(ValueError, match="already anonymised"):
        anonymise_person(session, person_id=asha["person"], author="admin")


def test_anonymising_leaves_every_kpi_as_it_was(ref_engine):
    """On the demo portfolio: the headline figures, the five-year table, the sectors and every
    count of participants, before and after anonymising 40 people who took part in meetings."""
    from core.demo import seed_demo
    from core.filters import DashboardFilters
    from core.kpis import get_headline_kpis, get_yearly_summary
    from core.periods import Period
    from core.sectors import get_sector_summary
    from models import InteractionParticipant

    today = date(2026, 11, 28)
    seed_demo(ref_engine, scale=0.2, seed=3, anchor=today)
    period = Period(date(2022, 1, 1), today)
    filters = DashboardFilters(period=period)

    def figures(session: Session) -> tuple:
        return (
            get_headline_kpis(session, period, today=today),
            get_yearly_summary(session, 2022, 2026).to_dict("records"),
            get_sector_summary(session, filters).to_dict("records"),
            len(session.exec(select(InteractionParticipant.person_id)).all()),
        )

    with writer(ref_engine) as session:
        before = figures(session)
        people = session.exec(
            select(InteractionParticipant.person_id)
            .distinct()
            .order_by(InteractionParticipant.person_id)
            .limit(40)
        ).all()
        assert len(people) == 40
        for person_id in people:
            anonymise_person(session, person_id=person_id, author="admin")
        assert session.exec(
            select(Person.id).where(Person.anonymised_at.is_not(None)).order_by(Person.id)
        ).all() == list(people)
        assert figures(session) == before


def test_everything_held_on_a_person(session, asha):
    create_request(
        session,
        data=DataRequestCreate(
            person_id=asha["person"],
            requester="Asha Rao",
            kind=RequestKind.ACCESS,
            received_on=date(2026, 11, 2),
        ),
        author="admin",
    )
    data = export_person(session, asha["person"])
    assert data["person"]["email"] == "asha.rao@tata.in"
    assert data["organisation"] == "Tata"
    assert [(m["date"], m["logged_by"]) for m in data["meetings"]] == [("2026-10-14", "Claire")]
    assert [(c["by"], c["action"], c["after"]) for c in data["changes"]][1] == (
        "Léa",
        "update",
        {"job_title": "Group CFO"},
    )
    assert data["requests"] == [
        {"kind": "access", "received_on": "2026-11-02", "due_on": "2026-12-02", "status": "open"}
    ]
    assert json.loads(person_export_json(data)) == data
    text = person_export_text(data, "Provence Promotion")
    assert text.splitlines()[0] == (
        "# Données personnelles détenues par Provence Promotion / "
        "Personal data held by Provence Promotion"
    )
    assert "- email: asha.rao@tata.in" in text
    assert "## Rendez-vous / Meetings (1)" in text


def test_retention_list_and_request_register(session, asha):
    # Last contact initiated by Asha on 2 May 2022: over three years on 3 May 2025, not before.
    assert list_retention_due(session, date(2025, 5, 2)) == []
    due = list_retention_due(session, date(2025, 5, 3))
    assert [(p["name"], p["organisation"], p["last_contact_on"]) for p in due] == [
        ("Asha Rao", "Tata", date(2022, 5, 2))
    ]
    anonymise_person(session, person_id=asha["person"], author="admin")
    assert list_retention_due(session, date(2026, 11, 28)) == []

    first = create_request(
        session,
        data=DataRequestCreate(
            requester="Ravi Kumar", kind=RequestKind.ERASURE, received_on=date(2026, 1, 31)
        ),
        author="admin",
    )
    assert first.due_on == date(2026, 2, 28)  # one month later, the end of a short month
    second = create_request(
        session,
        data=DataRequestCreate(
            requester="Meera Iyer", kind=RequestKind.OBJECTION, received_on=date(2026, 11, 20)
        ),
        author="admin",
    )
    register = list_requests(session, date(2026, 11, 28))
    assert [(r["requester"], r["overdue"]) for r in register] == [
        ("Ravi Kumar", True),
        ("Meera Iyer", False),
    ]
    close_request(
        session,
        request_id=first.id,
        status=RequestStatus.DONE,
        closed_on=date(2026, 11, 28),
        author="admin",
    )
    assert [r["id"] for r in list_requests(session, date(2026, 11, 28), open_only=True)] == [
        second.id
    ]
    with pytest.raises(ValueError):
        close_request(
            session,
            request_id=second.id,
            status=RequestStatus.OPEN,
            closed_on=date(2026, 11, 28),
            author="admin",
        )


def test_the_command_line(ref_engine, tmp_path, capsys):
    import manage

    with writer(ref_engine, expire_on_commit=False) as s:
        person = create_person(
            session=s,
            data=PersonCreate(
                first_name="Ravi", last_name="Kumar", email="ravi@x.in", data_source="card"
            ),
            author="C",
        )
    base = ["--database-url", ref_engine.url.render_as_string(hide_password=False)]
    out = tmp_path / "ravi"
    assert manage.main([*base, "person-export", str(person.id), "--output", str(out)]) == 0
    assert json.loads(out.with_suffix(".json").read_text())["person"]["email"] == "ravi@x.in"
    assert "- email: ravi@x.in" in out.with_suffix(".md").read_text()
    args = ["requests", "add", "--requester", "Ravi Kumar", "--kind", "erasure"]
    assert manage.main([*base, *args, "--received", "2026-11-20", "--person", str(person.id)]) == 0
    assert "due on 2026-12-20" in capsys.readouterr().out
    assert manage.main([*base, "anonymise", str(person.id), "--author", "admin"]) == 0
    assert manage.main([*base, "anonymise", str(person.id), "--author", "admin"]) == 1
    with writer(ref_engine) as s:
        assert s.get(Person, person.id).email is None


def test_the_access_log_keeps_twelve_months(session, monkeypatch):
    from datetime import UTC, datetime

    import core.personal_data as pd_module
    from core.personal_data import list_access_log, log_personal_data_access

    moments = iter(
        [
            datetime(2025, 11, 1, 9, tzinfo=UTC),
            datetime(2026, 6, 1, 9, tzinfo=UTC),
            datetime(2026, 11, 28, 9, tzinfo=UTC),
        ]
    )
    monkeypatch.setattr(pd_module, "utcnow", lambda: next(moments))
    for who, what in (("claire", "people: berg"), ("lea", "organisation record #3"), ("anne", "x")):
        log_personal_data_access(session, username=who, what=what)
    # On 28 Nov 2026, the entry of 1 Nov 2025 is more than 12 months old: gone.
    assert [(e["username"], e["what"]) for e in list_access_log(session)] == [
        ("anne", "x"),
        ("lea", "organisation record #3"),
    ]


def test_staff_viewing_contacts_is_logged_once_viewers_never(ref_engine, monkeypatch):
    from core.personal_data import list_access_log
    from models import Role
    from tests.apptest_support import ROOT, as_user, point_app_at, reset_caches, run_app

    with writer(ref_engine, expire_on_commit=False) as s:
        org = create_organisation(session=s, data=OrganisationCreate(name="Tata"), author="t")
    point_app_at(monkeypatch, ref_engine, demo=False)
    try:
        page = str(ROOT / "pages" / "directory.py")
        for role in (Role.VIEWER, Role.STAFF):
            at = run_app(page, lang="en", params={"org": str(org.id)}, user=as_user("Léa", role))
            at.run()  # a rerun does not log again
            assert not at.exception
    finally:
        reset_caches()
    with writer(ref_engine) as s:
        log = list_access_log(s)
    assert [(e["username"], e["what"]) for e in log] == [("léa", f"organisation record #{org.id}")]
