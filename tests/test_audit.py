"""The audit trail: every write leaves who, when, what, before and after; a rolled-back write
leaves nothing; the trail refuses changes; a record's history; an earlier value restored."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, select

from core.audit import AuditFilters, list_entries, record_history, restore_value
from core.edits import remove_mission_participants, update_interaction, update_organisation
from core.followups import mark_followup_done
from core.meetings import log_meeting
from core.records import add_mission_person, create_mission, create_organisation, create_person
from models import (
    AuditEntry,
    InteractionCreate,
    MissionCreate,
    MissionKind,
    Organisation,
    OrganisationCreate,
    PersonCreate,
)
from tests.writers import writer


def _trail(session: Session) -> list[tuple]:
    return [
        (e.actor, e.action, e.table_name, e.before, e.after)
        for e in session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    ]


def test_a_creation_and_a_correction_are_recorded(session):
    org = create_organisation(
        session=session,
        data=OrganisationCreate(name="Acme", domain="acme.fr", hq_country_iso2="FR"),
        author="Claire",
    )
    update_organisation(
        session,
        organisation_id=org.id,
        data=OrganisationCreate(name="Acme Santé", domain="acme.fr", hq_country_iso2="FR"),
        author="Léa",
    )
    (created, corrected) = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert (created.actor, created.action, created.table_name, created.row_key) == (
        "Claire",
        "insert",
        "organisation",
        str(org.id),
    )
    assert created.before is None
    assert (created.after["name"], created.after["domain"], created.after["kind"]) == (
        "Acme",
        "acme.fr",
        "company",
    )
    # Only what changed, before and after.
    assert (corrected.actor, corrected.action) == ("Léa", "update")
    assert (corrected.before, corrected.after) == ({"name": "Acme"}, {"name": "Acme Santé"})


def test_a_refused_write_leaves_no_entry(session):
    create_organisation(
        session=session, data=OrganisationCreate(name="Acme", domain="acme.fr"), author="Claire"
    )
    with pytest.raises(ValueError, match="already exists"):
        create_organisation(
            session=session, data=OrganisationCreate(name="Acme 2", domain="acme.fr"), author="X"
        )
    with pytest.raises(ValidationError):
        log_meeting(
            session=session,
            meeting=InteractionCreate(
                occurred_on=date(2026, 10, 14),
                next_step_due_on=date(2026, 10, 1),
                author="X",
            ),
            new_organisation=OrganisationCreate(name="Beta", domain="beta.fr"),
        )
    assert [(actor, table) for actor, _a, table, _b, _c in _trail(session)] == [
        ("Claire", "organisation")
    ]


def test_a_meeting_its_participants_and_a_removal(session):
    org = create_organisation(session=session, data=OrganisationCreate(name="Tata"), author="C")
    asha = create_person(
        session=session,
        data=PersonCreate(
            first_name="Asha", last_name="Rao", organisation_id=org.id, data_source="t"
        ),
        author="C",
    )
    mission = create_mission(
        session=session,
        data=MissionCreate(
            name="GITEX",
            kind=MissionKind.TRADE_FAIR,
            starts_on=date(2026, 10, 12),
            ends_on=date(2026, 10, 16),
            country_iso2="AE",
        ),
        author="C",
    )
    meeting = log_meeting(
        session=session,
        meeting=InteractionCreate(
            occurred_on=date(2026, 10, 14),
            organisation_id=org.id,
            next_step="Call back",
            next_step_due_on=date(2026, 10, 20),
            author="Claire",
            participant_ids=[asha.id],
        ),
    )
    add_mission_person(session=session, mission_id=mission.id, person_id=asha.id, author="Léa")
    start = session.exec(select(sa.func.max(AuditEntry.id))).one()
    mark_followup_done(session, interaction_id=meeting.id, author="Léa")
    update_interaction(
        session,
        interaction_id=meeting.id,
        data=InteractionCreate(
            occurred_on=date(2026, 10, 14),
            organisation_id=org.id,
            next_step="Call back",
            next_step_due_on=date(2026, 10, 20),
            next_step_done=True,
            author="Claire",
            participant_ids=[],
        ),
        author="Hugo",
    )
    remove_mission_participants(
        session, mission_id=mission.id, organisation_ids=[], person_ids=[asha.id], author="Hugo"
    )
    later = session.exec(
        select(AuditEntry).where(AuditEntry.id > start).order_by(AuditEntry.id)
    ).all()
    assert [(e.actor, e.action, e.table_name, e.row_key) for e in later] == [
        ("Léa", "update", "interaction", str(meeting.id)),
        ("Hugo", "delete", "interactionparticipant", f"{meeting.id}/{asha.id}"),
        ("Hugo", "delete", "missionperson", f"{mission.id}/{asha.id}"),
    ]
    assert (later[0].before, later[0].after) == (
        {"next_step_done": False},
        {"next_step_done": True},
    )
    assert later[2].before == {"mission_id": mission.id, "person_id": asha.id}


def test_the_trail_is_append_only(session):
    create_organisation(session=session, data=OrganisationCreate(name="Acme"), author="Claire")
    for statement in (
        sa.update(AuditEntry).values(actor="someone else"),
        sa.delete(AuditEntry),
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            session.exec(statement)
            session.commit()
        session.rollback()
    assert [e.actor for e in session.exec(select(AuditEntry)).all()] == ["Claire"]


def test_history_filters_and_a_restored_value(session):
    org = create_organisation(
        session=session, data=OrganisationCreate(name="Acme", city="Lyon"), author="Claire"
    )
    for name, city, author in (("Acme SA", "Lyon", "Léa"), ("Acme SA", "Paris", "Hugo")):
        update_organisation(
            session,
            organisation_id=org.id,
            data=OrganisationCreate(name=name, city=city),
            author=author,
        )
    history = record_history(session, "organisation", org.id)
    assert [(e.actor, e.action, e.after) for e in history[1:]] == [
        ("Léa", "update", {"name": "Acme SA"}),
        ("Hugo", "update", {"city": "Paris"}),
    ]
    assert [e.actor for e in list_entries(session, AuditFilters(actor="Hugo"))] == ["Hugo"]
    assert len(list_entries(session, AuditFilters(table_name="organisation"))) == 3
    assert list_entries(session, AuditFilters(table_name="person")) == []
    # Hugo's change of city was a mistake: the admin puts Lyon back.
    restore_value(session, entry_id=history[2].id, field="city", actor="admin")
    session.expire_all()
    assert session.get(Organisation, org.id).city == "Lyon"
    last = record_history(session, "organisation", org.id)[-1]
    assert (last.actor, last.before, last.after) == ("admin", {"city": "Paris"}, {"city": "Lyon"})
    with pytest.raises(ValueError, match="changed no field"):
        restore_value(session, entry_id=history[2].id, field="name", actor="admin")


def test_the_command_line_lists_and_restores(ref_engine, capsys):
    import manage

    with writer(ref_engine, expire_on_commit=False) as s:
        org = create_organisation(session=s, data=OrganisationCreate(name="Acme"), author="C")
        update_organisation(
            s, organisation_id=org.id, data=OrganisationCreate(name="Acme SA"), author="Léa"
        )
        entry = record_history(s, "organisation", org.id)[-1].id
    url = ref_engine.url.render_as_string(hide_password=False)
    assert manage.main(["--database-url", url, "audit", "--actor", "Léa"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 entry"
    assert out[0].endswith(
        f"Léa update organisation {org.id} before={{'name': 'Acme'}} after={{'name': 'Acme SA'}}"
    )
    base = ["--database-url", url, "restore"]
    assert manage.main([*base, str(entry), "city", "--author", "admin"]) == 1
    assert manage.main([*base, str(entry), "name", "--author", "admin"]) == 0
    with writer(ref_engine) as s:
        assert s.get(Organisation, org.id).name == "Acme"
