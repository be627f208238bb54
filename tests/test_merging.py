"""Merging duplicates (admins only): everything that pointed at the duplicate moves to the
record kept, its empty fields are filled, the duplicate goes, the KPIs do not move, and the
audit trail tells what happened."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.audit import record_history
from core.meetings import log_meeting
from core.merging import merge_organisations, merge_people
from core.permissions import AccessDenied, SignedIn, act_as
from core.records import (
    add_mission_organisation,
    add_mission_person,
    create_mission,
    create_organisation,
    create_person,
    create_project,
)
from models import (
    InteractionCreate,
    InteractionParticipant,
    MissionCreate,
    MissionKind,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
    Project,
    ProjectCreate,
    Role,
)
from tests.writers import writer

ADMIN = SignedIn(1, "anne", "Anne Admin", Role.ADMIN)
STAFF = SignedIn(2, "claire", "Claire Martin", Role.STAFF)


@pytest.fixture
def twins(session):
    """ "Tata Hydrogen" (kept) and "Tata H2" (the duplicate, with the website), each with a
    person, a project, a meeting and the same mission."""
    kept = create_organisation(
        session=session, data=OrganisationCreate(name="Tata Hydrogen", hq_country_iso2="IN"),
        author="t",
    )  # fmt: skip
    dup = create_organisation(
        session=session,
        data=OrganisationCreate(name="Tata H2", domain="tatah2.in", city="Mumbai"),
        author="t",
    )
    mission = create_mission(
        session=session,
        data=MissionCreate(
            name="GITEX", kind=MissionKind.TRADE_FAIR, starts_on=date(2026, 10, 12),
            ends_on=date(2026, 10, 16), country_iso2="AE",
        ),
        author="t",
    )  # fmt: skip
    ids = {"kept": kept.id, "dup": dup.id, "mission": mission.id}
    for key, org in (("kept", kept), ("dup", dup)):
        person = create_person(
            session=session,
            data=PersonCreate(
                first_name="Meera", last_name="Iyer", organisation_id=org.id, data_source="t",
                email="meera@tatah2.in" if key == "dup" else None,
            ),
            author="t",
        )  # fmt: skip
        project = create_project(
            session=session,
            data=ProjectCreate(code_name=f"H2 {key}", organisation_id=org.id, sector_code="energy"),
            author="t",
        )
        log_meeting(
            session=session,
            meeting=InteractionCreate(
                occurred_on=date(2026, 10, 14), organisation_id=org.id, author="t",
                mission_id=mission.id, participant_ids=[person.id],
            ),
        )  # fmt: skip
        add_mission_organisation(session=session, mission_id=mission.id, organisation_id=org.id)
        add_mission_person(session=session, mission_id=mission.id, person_id=person.id)
        ids[f"person_{key}"], ids[f"project_{key}"] = person.id, project.id
    return ids


def test_only_admins_merge(session, twins):
    with pytest.raises(AccessDenied):
        merge_organisations(act_as(session, STAFF), keep_id=twins["kept"], merge_id=twins["dup"])
    with pytest.raises(AccessDenied):
        merge_people(
            act_as(session, None), keep_id=twins["person_kept"], merge_id=twins["person_dup"]
        )
    assert session.get(Organisation, twins["dup"]) is not None


def test_two_organisations_merged(session, twins):
    moved = merge_organisations(
        act_as(session, ADMIN), keep_id=twins["kept"], merge_id=twins["dup"]
    )
    assert moved == {
        "people": 1,
        "projects": 1,
        "interactions": 1,
        "subsidiaries": 0,
        "missions": 0,  # the kept one was already met at GITEX
    }
    session.expire_all()
    assert session.get(Organisation, twins["dup"]) is None
    kept = session.get(Organisation, twins["kept"])
    # Its own values stay; the empty ones take the duplicate's (website, city).
    assert (kept.name, kept.hq_country_iso2, kept.domain, kept.city) == (
        "Tata Hydrogen",
        "IN",
        "tatah2.in",
        "Mumbai",
    )
    projects = session.exec(
        select(Project.code_name).where(Project.organisation_id == twins["kept"])
    ).all()
    assert sorted(projects) == ["H2 dup", "H2 kept"]
    assert session.exec(select(MissionOrganisation.organisation_id)).all() == [twins["kept"]]
    history = record_history(session, "organisation", twins["dup"])
    assert [(e.actor, e.action) for e in history][-2:] == [
        ("Anne Admin", "update"),  # its website freed for the kept one
        ("Anne Admin", "delete"),
    ]
    with pytest.raises(ValueError, match="into itself"):
        merge_organisations(act_as(session, ADMIN), keep_id=twins["kept"], merge_id=twins["kept"])


def test_two_people_merged(session, twins):
    moved = merge_people(
        act_as(session, ADMIN), keep_id=twins["person_kept"], merge_id=twins["person_dup"]
    )
    assert moved == {"meetings": 1, "missions": 0, "requests": 0}
    session.expire_all()
    assert session.get(Person, twins["person_dup"]) is None
    assert session.get(Person, twins["person_kept"]).email == "meera@tatah2.in"
    participants = session.exec(
        select(InteractionParticipant.person_id).order_by(InteractionParticipant.interaction_id)
    ).all()
    assert participants == [twins["person_kept"], twins["person_kept"]]
    assert session.exec(select(MissionPerson.person_id)).all() == [twins["person_kept"]]
    assert session.exec(select(sa.func.count()).select_from(Person)).one() == 1


def test_the_merge_page(ref_engine, monkeypatch, twins):
    """An admin picks the two organisations, sees them side by side, confirms and merges."""

    from tests.apptest_support import ROOT, as_user, point_app_at, reset_caches, run_app

    point_app_at(monkeypatch, ref_engine, demo=False)
    try:
        at = run_app(
            str(ROOT / "pages" / "merge_records.py"), lang="fr", user=as_user("Anne Admin")
        )
        keep = next(w for w in at.text_input if w.key.startswith("merge_organisation_keep_"))
        keep.input("tata hydrogen").run()
        dup = next(w for w in at.text_input if w.key.startswith("merge_organisation_dup_"))
        dup.input("tata h2").run()
        compare = at.dataframe[0].value
        assert list(compare.columns) == ["Champ", "Fiche à garder", "Doublon à fusionner"]
        assert list(compare["Doublon à fusionner"])[:3] == ["Tata H2", "company", "tatah2.in"]
        go = next(b for b in at.button if b.key.startswith("merge_organisation_go_"))
        assert go.disabled  # not before the confirmation
        next(c for c in at.checkbox if c.key.startswith("merge_organisation_sure_")).check().run()
        next(b for b in at.button if b.key.startswith("merge_organisation_go_")).click().run()
        assert not at.exception
        assert [s.value for s in at.success] == ["Fiches fusionnées : 3 élément(s) déplacé(s)."]
        with writer(ref_engine) as s:
            assert s.get(Organisation, twins["dup"]) is None
            assert history_actor(s, twins["dup"]) == "Anne Admin"
    finally:
        reset_caches()


def history_actor(session, organisation_id: int) -> str:
    return record_history(session, "organisation", organisation_id)[-1].actor
