"""The write functions: what each stores, the stage change rules, and that a failing write
leaves nothing behind."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core import records
from core.errors import DuplicateDomainError
from models import (
    CapexDisclosure,
    Interaction,
    InteractionCreate,
    InteractionParticipant,
    LostReason,
    Mission,
    MissionCreate,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
    Project,
    ProjectCreate,
    Stage,
    StageChange,
    Target,
    TargetCreate,
)

D = date.fromisoformat


def count(session, model) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def history(session, project_id: int) -> list[tuple]:
    rows = session.exec(
        select(StageChange)
        .where(StageChange.project_id == project_id)
        .order_by(StageChange.changed_on, StageChange.id)
    ).all()
    return [(r.from_stage, r.to_stage, r.changed_on, r.author) for r in rows]


def organisation(session, name: str = "Kraftwerk GmbH", **fields) -> Organisation:
    data = OrganisationCreate(name=name, **fields)
    return records.create_organisation(session=session, data=data, author="alice")


def project(session, org_id: int, **fields) -> Project:
    data = ProjectCreate(
        **({"code_name": "Rhine Turbines", "organisation_id": org_id, "sector_code": "energy"}
           | fields)
    )  # fmt: skip
    return records.create_project(session=session, data=data, author="alice")


# ---------------------------------------------------------------------------------------------
# Organisations and people
# ---------------------------------------------------------------------------------------------


def test_create_organisation(session) -> None:
    parent = organisation(session, "Kraftwerk Holding Inc", hq_country_iso2="US")
    org = organisation(
        session,
        hq_country_iso2="DE",
        control_country_iso2="US",
        sector_code="energy",
        domain="kraftwerk-energy.de",
        parent_id=parent.id,
    )
    session.expire_all()
    stored = session.get(Organisation, org.id)
    assert (stored.name, stored.hq_country_iso2, stored.control_country_iso2) == (
        "Kraftwerk GmbH",
        "DE",
        "US",
    )
    assert (stored.domain, stored.parent_id, stored.kind) == (
        "kraftwerk-energy.de",
        parent.id,
        "company",
    )
    assert count(session, Organisation) == 2


def test_duplicate_domain_is_refused_and_nothing_written(session) -> None:
    first = organisation(session, "Alpha Data SAS", domain="alpha-data.fr")
    with pytest.raises(DuplicateDomainError) as refused:
        organisation(session, "Alpha Data (copy)", domain="alpha-data.fr")
    assert (refused.value.existing_id, refused.value.field, str(refused.value)) == (
        first.id,
        "domain",
        "An organisation with the website alpha-data.fr already exists: pick it rather than "
        "creating another.",
    )
    assert count(session, Organisation) == 1


def test_unknown_parent_is_refused(session) -> None:
    with pytest.raises(LookupError, match="no parent organisation with id 4242"):
        organisation(session, parent_id=4242)
    assert count(session, Organisation) == 0


def test_model_changed_after_validation_is_checked_again(session) -> None:
    data = OrganisationCreate(name="Alpha")
    data.hq_country_iso2 = "fra"  # assignment is not validated by pydantic
    with pytest.raises(ValueError, match="hq_country_iso2"):
        records.create_organisation(session=session, data=data, author="alice")
    assert count(session, Organisation) == 0


def test_create_person(session) -> None:
    org = organisation(session)
    data = PersonCreate(
        first_name="Hans",
        last_name="Müller",
        organisation_id=org.id,
        email="hans@kraftwerk-energy.de",
        phone="+4915112345678",
        country_iso2="DE",
        data_source="GITEX 2025",
    )
    person = records.create_person(session=session, data=data, author="alice")
    session.expire_all()
    stored = session.get(Person, person.id)
    assert (stored.last_name, stored.organisation_id, stored.email, stored.phone) == (
        "Müller",
        org.id,
        "hans@kraftwerk-energy.de",
        "+4915112345678",
    )
    assert stored.anonymised_at is None


def test_person_with_unknown_organisation_is_refused(session) -> None:
    data = PersonCreate(first_name="Hans", last_name="Müller", organisation_id=77, data_source="x")
    with pytest.raises(LookupError, match="no organisation with id 77"):
        records.create_person(session=session, data=data, author="alice")
    assert count(session, Person) == 0


# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------


def test_create_project_takes_origin_from_country_of_control(session) -> None:
    org = organisation(session, hq_country_iso2="DE", control_country_iso2="US")
    created = project(
        session,
        org.id,
        jobs_announced=80,
        capex_eur=12_000_000,
        capex_disclosure=CapexDisclosure.DISCLOSED,
        stage_on=D("2024-04-10"),
    )
    session.expire_all()
    stored = session.get(Project, created.id)
    assert (stored.origin_country_iso2, stored.stage, stored.lead_on, stored.decided_on) == (
        "US",
        Stage.LEAD,
        D("2024-04-10"),
        None,
    )
    assert (stored.jobs_announced, stored.capex_eur, stored.capex_disclosure) == (
        80,
        12_000_000,
        CapexDisclosure.DISCLOSED,
    )
    assert history(session, created.id) == [(None, Stage.LEAD, D("2024-04-10"), "alice")]


def test_create_project_origin_falls_back_to_hq_then_none(session) -> None:
    french = organisation(session, "Santé Plus", hq_country_iso2="FR")
    unknown = organisation(session, "Unknown Origin SARL")
    assert project(session, french.id).origin_country_iso2 == "FR"
    assert project(session, unknown.id).origin_country_iso2 is None


def test_create_project_defaults_to_lead_today(session) -> None:
    org = organisation(session)
    created = project(session, org.id)
    assert (created.stage, created.lead_on) == (Stage.LEAD, date.today())
    assert history(session, created.id) == [(None, Stage.LEAD, date.today(), "alice")]


def test_create_project_as_target_has_no_lead_date(session) -> None:
    org = organisation(session)
    created = project(session, org.id, stage=Stage.TARGET, stage_on=D("2024-01-10"))
    assert (created.stage, created.lead_on, created.decided_on) == (Stage.TARGET, None, None)


def test_create_project_as_won_is_decided_that_day(session) -> None:
    org = organisation(session)
    created = project(session, org.id, stage=Stage.WON, stage_on=D("2025-03-15"))
    assert (created.lead_on, created.decided_on) == (D("2025-03-15"), D("2025-03-15"))


def test_create_project_as_lost_is_refused(session) -> None:
    org = organisation(session)
    with pytest.raises(
        ValueError, match="^A project cannot be created as lost: create it, then mark it lost.$"
    ):
        project(session, org.id, stage=Stage.LOST, stage_on=D("2025-03-15"))
    assert (count(session, Project), count(session, StageChange)) == (0, 0)


def test_create_project_for_unknown_organisation_is_refused(session) -> None:
    with pytest.raises(LookupError, match="no organisation with id 999"):
        project(session, 999)
    assert count(session, Project) == 0


def test_failing_project_write_leaves_nothing_behind(session) -> None:
    """The project row is flushed, then its first stage change fails (no author): the
    transaction is rolled back and neither row remains."""
    org = organisation(session)
    data = ProjectCreate(code_name="Half", organisation_id=org.id, sector_code="energy")
    with pytest.raises(sa.exc.IntegrityError):
        records.create_project(session=session, data=data, author=None)
    assert (count(session, Project), count(session, StageChange)) == (0, 0)
    # The session is usable again afterwards.
    assert project(session, org.id).id is not None


# ---------------------------------------------------------------------------------------------
# Stage changes
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def lead(session) -> Project:
    org = organisation(session, hq_country_iso2="IN")
    return project(session, org.id, stage=Stage.TARGET, stage_on=D("2024-01-10"), jobs_announced=10)


def test_change_stage_walks_the_pipeline(session, lead) -> None:
    moved = records.change_stage(
        session=session, project_id=lead.id, to_stage=Stage.LEAD, on=D("2024-02-15"), author="bob"
    )
    assert (moved.stage, moved.lead_on, moved.decided_on) == (Stage.LEAD, D("2024-02-15"), None)
    records.change_stage(
        session=session,
        project_id=lead.id,
        to_stage=Stage.QUALIFIED,
        on=D("2024-03-01"),
        author="bob",
        note="criteria known",
    )
    won = records.change_stage(
        session=session,
        project_id=lead.id,
        to_stage=Stage.WON,
        on=D("2024-05-20"),
        author="carol",
        jobs_announced=15,
        capex_eur=3_000_000,
        capex_disclosure=CapexDisclosure.DISCLOSED,
    )
    assert (won.stage, won.lead_on, won.decided_on) == (Stage.WON, D("2024-02-15"), D("2024-05-20"))
    assert (won.jobs_announced, won.capex_eur, won.capex_disclosure) == (
        15,
        3_000_000,
        CapexDisclosure.DISCLOSED,
    )
    landed = records.change_stage(
        session=session, project_id=lead.id, to_stage=Stage.LANDED, on=D("2024-09-01"), author="b"
    )
    assert landed.decided_on == D("2024-05-20")  # landing does not move the decision
    assert history(session, lead.id) == [
        (None, Stage.TARGET, D("2024-01-10"), "alice"),
        (Stage.TARGET, Stage.LEAD, D("2024-02-15"), "bob"),
        (Stage.LEAD, Stage.QUALIFIED, D("2024-03-01"), "bob"),
        (Stage.QUALIFIED, Stage.WON, D("2024-05-20"), "carol"),
        (Stage.WON, Stage.LANDED, D("2024-09-01"), "b"),
    ]
    notes = session.exec(select(StageChange.note).where(StageChange.project_id == lead.id)).all()
    assert sorted(n for n in notes if n) == ["criteria known"]


def test_change_stage_sets_updated_at(session, lead) -> None:
    before = session.get(Project, lead.id).updated_at
    moved = records.change_stage(
        session=session, project_id=lead.id, to_stage=Stage.LEAD, on=D("2024-02-15"), author="b"
    )
    assert moved.updated_at > before


def test_first_lead_date_is_kept(session, lead) -> None:
    for stage, on in [(Stage.ACTIVE, "2024-02-01"), (Stage.ON_HOLD, "2024-03-01"),
                      (Stage.LEAD, "2024-09-01")]:  # fmt: skip
        moved = records.change_stage(
            session=session, project_id=lead.id, to_stage=stage, on=D(on), author="bob"
        )
    # Entering Active (a later main stage) set it; coming back to Lead did not move it.
    assert moved.lead_on == D("2024-02-01")


def test_lost_needs_a_reason_and_records_it(session, lead) -> None:
    with pytest.raises(ValueError, match="^A lost project needs the reason it was lost.$"):
        records.change_stage(
            session=session, project_id=lead.id, to_stage=Stage.LOST, on=D("2025-02-10"), author="b"
        )
    lost = records.change_stage(
        session=session,
        project_id=lead.id,
        to_stage=Stage.LOST,
        on=D("2025-02-10"),
        author="bob",
        lost_reason=LostReason.COST,
        lost_to_location="Rotterdam",
    )
    session.expire_all()
    stored = session.get(Project, lost.id)
    assert (stored.stage, stored.decided_on, stored.lost_reason, stored.lost_to_location) == (
        Stage.LOST,
        D("2025-02-10"),
        LostReason.COST,
        "Rotterdam",
    )
    assert len(history(session, lead.id)) == 2


def test_lost_reason_for_another_stage_is_refused(session, lead) -> None:
    with pytest.raises(ValueError, match="^A lost reason only applies to a lost project.$"):
        records.change_stage(
            session=session,
            project_id=lead.id,
            to_stage=Stage.WON,
            on=D("2025-02-10"),
            author="bob",
            lost_reason=LostReason.COST,
        )


def test_change_dated_before_the_last_one_is_refused(session, lead) -> None:
    with pytest.raises(
        ValueError,
        match="^The date cannot be before the last stage change \\(Jan 10, 2024\\).$",
    ):
        records.change_stage(
            session=session, project_id=lead.id, to_stage=Stage.LEAD, on=D("2024-01-09"), author="b"
        )
    # The same day as the last change is allowed.
    same_day = records.change_stage(
        session=session, project_id=lead.id, to_stage=Stage.LEAD, on=D("2024-01-10"), author="b"
    )
    assert same_day.stage == Stage.LEAD


def test_change_to_the_same_stage_is_refused(session, lead) -> None:
    with pytest.raises(ValueError, match="^The project is already at this stage.$"):
        records.change_stage(
            session=session,
            project_id=lead.id,
            to_stage=Stage.TARGET,
            on=D("2024-02-01"),
            author="b",
        )


def test_negative_figures_at_a_stage_change_are_refused(session, lead) -> None:
    with pytest.raises(ValueError, match="^The number of jobs must not be negative.$"):
        records.change_stage(
            session=session,
            project_id=lead.id,
            to_stage=Stage.WON,
            on=D("2024-05-20"),
            author="b",
            jobs_announced=-3,
        )


def test_refused_stage_changes_leave_nothing_behind(session, lead) -> None:
    for kwargs in (
        {"to_stage": Stage.LEAD, "on": D("2023-12-31"), "author": "b"},
        {"to_stage": Stage.LOST, "on": D("2024-02-01"), "author": "b"},
        {"to_stage": Stage.WON, "on": D("2024-02-01"), "author": None},  # fails in the database
    ):
        with pytest.raises((ValueError, sa.exc.IntegrityError)):
            records.change_stage(session=session, project_id=lead.id, **kwargs)
    session.expire_all()
    stored = session.get(Project, lead.id)
    assert (stored.stage, stored.lead_on, stored.decided_on) == (Stage.TARGET, None, None)
    assert history(session, lead.id) == [(None, Stage.TARGET, D("2024-01-10"), "alice")]


def test_change_stage_of_unknown_project(session) -> None:
    with pytest.raises(LookupError, match="no project with id 31337"):
        records.change_stage(
            session=session, project_id=31337, to_stage=Stage.WON, on=D("2024-01-01"), author="b"
        )


# ---------------------------------------------------------------------------------------------
# Interactions, missions, targets
# ---------------------------------------------------------------------------------------------


def test_create_interaction_with_participants(session) -> None:
    org = organisation(session)
    people = [
        records.create_person(
            session=session,
            data=PersonCreate(first_name=f, last_name="X", organisation_id=org.id, data_source="s"),
            author="alice",
        ).id
        for f in ("Hans", "Greta")
    ]
    data = InteractionCreate(
        occurred_on=D("2025-03-10"),
        kind="site_visit",
        organisation_id=org.id,
        summary="Visited the Fos-sur-Mer site",
        next_step="Send the offer",
        next_step_due_on=D("2025-03-20"),
        author="alice",
        participant_ids=[people[0], people[1], people[0]],
    )
    created = records.create_interaction(session=session, data=data)
    session.expire_all()
    stored = session.get(Interaction, created.id)
    assert (stored.kind, stored.organisation_id, stored.next_step_due_on, stored.author) == (
        "site_visit",
        org.id,
        D("2025-03-20"),
        "alice",
    )
    participants = session.exec(
        select(InteractionParticipant.person_id).where(
            InteractionParticipant.interaction_id == created.id
        )
    ).all()
    assert sorted(participants) == sorted(people)


def test_interaction_with_unknown_participant_writes_nothing(session) -> None:
    org = organisation(session)
    data = InteractionCreate(
        occurred_on=D("2025-03-10"), organisation_id=org.id, author="alice", participant_ids=[5, 6]
    )
    with pytest.raises(LookupError, match="no person with id 5, 6"):
        records.create_interaction(session=session, data=data)
    assert (count(session, Interaction), count(session, InteractionParticipant)) == (0, 0)


@pytest.mark.parametrize("field", ["organisation_id", "project_id", "mission_id"])
def test_interaction_with_unknown_reference_is_refused(session, field) -> None:
    data = InteractionCreate(occurred_on=D("2025-03-10"), author="alice", **{field: 404})
    with pytest.raises(LookupError, match="with id 404"):
        records.create_interaction(session=session, data=data)
    assert count(session, Interaction) == 0


def test_create_mission_and_its_links(session) -> None:
    data = MissionCreate(
        name="Indian delegation in Provence",
        kind="inbound",
        starts_on=D("2025-06-10"),
        ends_on=D("2025-06-12"),
        country_iso2="FR",
        city="Marseille",
    )
    mission = records.create_mission(session=session, data=data, author="alice")
    org = organisation(session, "Chennai Robotics Pvt Ltd", hq_country_iso2="IN")
    person = records.create_person(
        session=session,
        data=PersonCreate(first_name="Priya", last_name="Sharma", data_source="delegation"),
        author="alice",
    )
    for _ in range(2):  # adding twice is a no-op
        records.add_mission_organisation(
            session=session, mission_id=mission.id, organisation_id=org.id
        )
        records.add_mission_person(session=session, mission_id=mission.id, person_id=person.id)
    assert session.get(Mission, mission.id).ends_on == D("2025-06-12")
    assert session.exec(select(MissionOrganisation.organisation_id)).all() == [org.id]
    assert session.exec(select(MissionPerson.person_id)).all() == [person.id]
    with pytest.raises(LookupError, match="no mission with id 12345"):
        records.add_mission_organisation(session=session, mission_id=12345, organisation_id=org.id)
    with pytest.raises(LookupError, match="no person with id 12345"):
        records.add_mission_person(session=session, mission_id=mission.id, person_id=12345)
    assert (count(session, MissionOrganisation), count(session, MissionPerson)) == (1, 1)


def test_set_target_inserts_then_replaces(session) -> None:
    first = records.set_target(
        session=session, data=TargetCreate(year=2025, kpi="projects_won", value=70)
    )
    second = records.set_target(
        session=session,
        data=TargetCreate(year=2025, kpi="projects_won", value=80, source="Board 2025-01"),
    )
    records.set_target(session=session, data=TargetCreate(year=2025, kpi="meetings", value=650))
    assert second.id == first.id
    rows = session.exec(select(Target.kpi, Target.value, Target.source).order_by(Target.kpi)).all()
    assert [tuple(r) for r in rows] == [
        ("meetings", 650, None),
        ("projects_won", 80, "Board 2025-01"),
    ]
