"""Corrections of existing records: new values written, invalid ones refused with nothing
changed, an unknown id, a website already taken."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlmodel import Session

from core.edits import update_mission, update_organisation, update_person
from core.meetings import DuplicateDomainError
from core.records import create_mission, create_organisation, create_person
from models import (
    Mission,
    MissionCreate,
    MissionKind,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
)


@pytest.fixture
def ids(session: Session) -> dict[str, int]:
    acme = create_organisation(
        session=session, data=OrganisationCreate(name="Acme", domain="acme.fr"), author="t"
    ).id
    tata = create_organisation(
        session=session, data=OrganisationCreate(name="Tata", domain="tata.in"), author="t"
    ).id
    person = create_person(
        session=session,
        data=PersonCreate(
            first_name="Asha", last_name="Rao", organisation_id=tata, data_source="t"
        ),
        author="t",
    ).id
    mission = create_mission(
        session=session,
        data=MissionCreate(
            name="GITEX",
            kind=MissionKind.TRADE_FAIR,
            starts_on=date(2026, 10, 12),
            ends_on=date(2026, 10, 16),
            country_iso2="AE",
        ),
        author="t",
    ).id
    return {"acme": acme, "tata": tata, "person": person, "mission": mission}


def test_an_organisation_corrected(session, ids):
    data = OrganisationCreate(name="Acme Santé", domain="acme-sante.fr", hq_country_iso2="FR")
    update_organisation(session, organisation_id=ids["acme"], data=data, author="t")
    session.expire_all()
    org = session.get(Organisation, ids["acme"])
    assert (org.name, org.domain, org.hq_country_iso2) == ("Acme Santé", "acme-sante.fr", "FR")


def test_a_website_already_taken_is_refused(session, ids):
    with pytest.raises(DuplicateDomainError):
        update_organisation(
            session,
            organisation_id=ids["acme"],
            data=OrganisationCreate(name="Acme", domain="tata.in"),
            author="t",
        )
    session.expire_all()
    assert session.get(Organisation, ids["acme"]).domain == "acme.fr"


def test_a_person_corrected_and_an_invalid_change_refused(session, ids):
    data = PersonCreate(
        first_name="Asha", last_name="Rao-Menon", email="asha@tata.in", data_source="t",
        organisation_id=ids["tata"],
    )  # fmt: skip
    update_person(session, person_id=ids["person"], data=data, author="t")
    bad = PersonCreate.model_construct(**{**data.model_dump(), "email": "not-an-email"})
    with pytest.raises(ValidationError):
        update_person(session, person_id=ids["person"], data=bad, author="t")
    session.expire_all()
    person = session.get(Person, ids["person"])
    assert (person.last_name, person.email) == ("Rao-Menon", "asha@tata.in")
    with pytest.raises(LookupError):
        update_person(session, person_id=999_999, data=data, author="t")


def test_a_mission_corrected(session, ids):
    data = MissionCreate(
        name="GITEX Global 2026", kind=MissionKind.TRADE_FAIR, starts_on=date(2026, 10, 13),
        ends_on=date(2026, 10, 17), country_iso2="AE", budget_eur=90_000,
    )  # fmt: skip
    update_mission(session, mission_id=ids["mission"], data=data, author="t")
    session.expire_all()
    mission = session.get(Mission, ids["mission"])
    assert (mission.name, mission.starts_on, mission.budget_eur) == (
        "GITEX Global 2026",
        date(2026, 10, 13),
        90_000,
    )


@pytest.fixture
def logged(session: Session, ids: dict[str, int]) -> dict[str, int]:
    """A project of Tata, a second person at Tata, a meeting with Asha about the project."""
    from core.meetings import log_meeting
    from core.records import add_mission_organisation, add_mission_person, create_project
    from models import InteractionCreate, ProjectCreate

    project = create_project(
        session=session,
        data=ProjectCreate(
            code_name="Hydra", organisation_id=ids["tata"], sector_code="energy", jobs_announced=40
        ),
        author="t",
    ).id
    ravi = create_person(
        session=session,
        data=PersonCreate(
            first_name="Ravi", last_name="Kumar", organisation_id=ids["tata"], data_source="t"
        ),
        author="t",
    ).id
    meeting = log_meeting(
        session=session,
        meeting=InteractionCreate(
            occurred_on=date(2026, 10, 14),
            organisation_id=ids["tata"],
            project_id=project,
            mission_id=ids["mission"],
            summary="Premier contact",
            author="Claire",
            participant_ids=[ids["person"]],
        ),
    ).id
    add_mission_organisation(
        session=session, mission_id=ids["mission"], organisation_id=ids["tata"]
    )
    add_mission_organisation(
        session=session, mission_id=ids["mission"], organisation_id=ids["acme"]
    )
    add_mission_person(session=session, mission_id=ids["mission"], person_id=ids["person"])
    add_mission_person(session=session, mission_id=ids["mission"], person_id=ravi)
    return {**ids, "project": project, "ravi": ravi, "meeting": meeting}


def _project_values(session: Session, project_id: int, **changes):
    from core.edits import get_record
    from models import Project, ProjectEdit

    record = get_record(session, Project, project_id)
    keep = {k: v for k, v in record.items() if k in ProjectEdit.model_fields}
    return ProjectEdit.model_validate({**keep, **changes})


def test_a_project_corrected_keeps_its_stage_and_organisation(session, logged):
    from core.edits import update_project
    from models import Project, Stage

    data = _project_values(
        session, logged["project"], code_name="Hydra II", jobs_announced=55, capex_eur=12_000_000,
        capex_disclosure="disclosed", target_commune="Fos-sur-Mer",
    )  # fmt: skip
    update_project(session, project_id=logged["project"], data=data, author="t")
    session.expire_all()
    project = session.get(Project, logged["project"])
    assert (project.code_name, project.jobs_announced, project.capex_eur) == (
        "Hydra II",
        55,
        12_000_000,
    )
    assert (project.target_commune, project.stage, project.organisation_id) == (
        "Fos-sur-Mer",
        Stage.LEAD,
        logged["tata"],
    )
    # Another organisation, or a disclosure without an amount: refused, nothing changed.
    with pytest.raises(ValueError, match="keeps its organisation"):
        update_project(
            session,
            project_id=logged["project"],
            data=_project_values(session, logged["project"], organisation_id=logged["acme"]),
            author="t",
        )
    with pytest.raises(ValidationError):
        _project_values(session, logged["project"], capex_eur=None, capex_disclosure="disclosed")
    session.expire_all()
    assert session.get(Project, logged["project"]).organisation_id == logged["tata"]


def test_a_meeting_corrected_with_its_participants(session, logged):
    from core.edits import get_interaction_participants, update_interaction
    from models import Interaction, InteractionCreate

    data = InteractionCreate(
        occurred_on=date(2026, 10, 15),
        organisation_id=logged["tata"],
        project_id=logged["project"],
        mission_id=logged["mission"],
        outcome="new_lead",
        summary="Premier contact, visite de Fos prévue",
        next_step="Envoyer le dossier foncier",
        next_step_due_on=date(2026, 10, 30),
        author="someone else",
        participant_ids=[logged["ravi"], logged["person"], logged["ravi"]],
    )
    update_interaction(session, interaction_id=logged["meeting"], data=data, author="Léa")
    session.expire_all()
    meeting = session.get(Interaction, logged["meeting"])
    assert (meeting.occurred_on, meeting.outcome, meeting.next_step_due_on, meeting.author) == (
        date(2026, 10, 15),
        "new_lead",
        date(2026, 10, 30),
        "Claire",  # who logged it stays
    )
    assert get_interaction_participants(session, logged["meeting"]) == sorted(
        [logged["person"], logged["ravi"]]
    )
    # A project of another organisation: refused, participants untouched.
    other = data.model_copy(update={"organisation_id": logged["acme"], "participant_ids": []})
    with pytest.raises(ValueError, match="another organisation"):
        update_interaction(session, interaction_id=logged["meeting"], data=other, author="Léa")
    assert len(get_interaction_participants(session, logged["meeting"])) == 2


def test_mission_participants_removed(session, logged):
    from core.edits import remove_mission_participants
    from core.meetings import get_mission_participants
    from models import Interaction

    removed = remove_mission_participants(
        session,
        mission_id=logged["mission"],
        organisation_ids=[logged["acme"]],
        person_ids=[logged["ravi"]],
        author="t",
    )
    assert removed == 2
    met = get_mission_participants(session, logged["mission"])
    assert list(met["organisations"]) == [logged["tata"]]
    assert list(met["people"]) == [logged["person"]]
    # The meeting logged at the mission is a record of its own: it stays.
    assert session.get(Interaction, logged["meeting"]).mission_id == logged["mission"]
    with pytest.raises(LookupError):
        remove_mission_participants(
            session, mission_id=999_999, organisation_ids=[1], person_ids=[], author="t"
        )
