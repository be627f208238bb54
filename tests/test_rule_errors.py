"""Every refusal of a write reaches the user in their language.

Each rule of core's write functions is broken through the real function on the test database,
the refusal is rendered by ``components.forms.run_write`` (what every form uses), and the
message is compared with the catalog's exact text in French and in English, with the values
written by hand. The French message never carries a fragment of the English one (the defect:
"Enregistrement refusé : an organisation with the domain tcs.com already exists (id 1)").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from components import auth as components_auth
from components.forms import run_write
from core import (
    aftercare,
    audit,
    auth,
    claims,
    clock,
    edits,
    followups,
    importing,
    meetings,
    merging,
    personal_data,
    records,
    referrals,
    trend_notes,
)
from core.errors import RuleError
from core.i18n import load_catalog
from core.import_files import RawTable
from core.permissions import SignedIn, act_as
from models import (
    CapexDisclosure,
    Chamber,
    CheckInCreate,
    ClaimantKind,
    ClaimCreate,
    DataRequestCreate,
    EvidenceKind,
    InteractionCreate,
    LawfulBasis,
    LostReason,
    OrganisationCreate,
    PersonCreate,
    ProjectCreate,
    ProjectEdit,
    RequestKind,
    RequestStatus,
    Role,
    SharedUpdateCreate,
    Stage,
    TrendNoteCreate,
)
from tests.writers import TEST_ADMIN, writer

ROOT = Path(__file__).resolve().parent.parent
#: Rules no single-user test can break: a concurrent writer taking the same website between
#: the check and the write (the database's unique index refuses it).
NOT_TRIGGERED = {"rule.organisation.not_written"}
D = date.fromisoformat


@pytest.fixture
def world(ref_engine, monkeypatch) -> dict[str, Any]:
    """TCS (tcs.com) with project Falcon (Lead 2024-01-10), a person and a meeting of
    2024-02-01 with a follow-up; Infosys (infosys.com) with project Kite; an open request;
    TCS's project Heron won on 2025-03-14; two claims of Falcon made on 2026-01-10 by staff,
    one pending, one accepted; a partner of CCI France Allemagne and the lead it referred
    (Wipro, project Lotus)."""
    with writer(ref_engine, expire_on_commit=False) as s:
        tcs = records.create_organisation(
            session=s, data=OrganisationCreate(name="TCS", domain="tcs.com"), author="t"
        )
        infosys = records.create_organisation(
            session=s, data=OrganisationCreate(name="Infosys", domain="infosys.com"), author="t"
        )
        falcon = records.create_project(
            session=s,
            data=ProjectCreate(
                code_name="Falcon",
                organisation_id=tcs.id,
                sector_code="digital",
                stage_on=D("2024-01-10"),
            ),
            author="t",
        )
        kite = records.create_project(
            session=s,
            data=ProjectCreate(code_name="Kite", organisation_id=infosys.id, sector_code="digital"),
            author="t",
        )
        asha = records.create_person(
            session=s,
            data=PersonCreate(
                first_name="Asha", last_name="Rao", organisation_id=tcs.id, data_source="t"
            ),
            author="t",
        )
        meeting = meetings.log_meeting(
            session=s,
            meeting=InteractionCreate(
                occurred_on=D("2024-02-01"),
                organisation_id=tcs.id,
                next_step="Send the offer",
                next_step_due_on=D("2024-02-15"),
                author="t",
            ),
        )
        personal_data.anonymise_person(s, person_id=asha.id, author="t")
        request = personal_data.create_request(
            s,
            data=DataRequestCreate(
                requester="Meera Rao", kind=RequestKind.ACCESS, received_on=D("2024-03-01")
            ),
            author="t",
        )
        heron = records.create_project(
            session=s,
            data=ProjectCreate(
                code_name="Heron",
                organisation_id=tcs.id,
                sector_code="digital",
                stage_on=D("2025-01-06"),
            ),
            author="t",
        )
        records.change_stage(
            session=s, project_id=heron.id, to_stage=Stage.WON, on=D("2025-03-14"), author="t"
        )
        pending, accepted = (
            claims.create_claim(
                session=s,
                data=ClaimCreate(
                    project_id=falcon.id,
                    claimant_kind=ClaimantKind.STAFF,
                    staff_name="Sam",
                    claimed_on=D("2026-01-10"),
                ),
                author="t",
            )
            for _ in range(2)
        )
        claims.decide_claim(
            session=s,
            claim_id=accepted.id,
            accept=True,
            reason="First contact at the Mumbai fair",
            on=D("2026-02-02"),
            author="t",
        )
        chamber = s.exec(select(Chamber.id).where(Chamber.name == "CCI France Allemagne")).one()
        partner = SignedIn(40, "pia", "Pia Partner", Role.PARTNER, chamber_id=chamber)
        lotus = referrals.refer_lead(session=act_as(s, partner), data=_referral())
        act_as(s, TEST_ADMIN)
    monkeypatch.setattr(components_auth, "current_user", lambda: TEST_ADMIN)
    # The territory's today: 2026-12-03.
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 12, 3, 11, 0, tzinfo=UTC))
    return {
        "url": ref_engine.url.render_as_string(hide_password=False),
        "engine": ref_engine,
        "tcs": tcs.id,
        "infosys": infosys.id,
        "falcon": falcon.id,
        "kite": kite.id,
        "asha": asha.id,
        "meeting": meeting.id,
        "request": request.id,
        "heron": heron.id,
        "pending_claim": pending.id,
        "accepted_claim": accepted.id,
        "chamber": chamber,
        "partner": partner,
        "lotus": lotus,
    }


def _referral(**values: Any) -> referrals.ReferralCreate:
    base = {
        "company": "Wipro",
        "country_iso2": "IN",
        "sector_code": "digital",
        "first_name": "Ravi",
        "last_name": "Iyer",
        "email": "ravi.iyer@wipro.example",
        "lawful_basis": LawfulBasis.LEGITIMATE_INTEREST,
    }
    return referrals.ReferralCreate(**(base | values))


def _refer(w: dict, partner: SignedIn | None = None, **values: Any) -> Any:
    user = partner or w["partner"]
    return lambda s: referrals.refer_lead(session=act_as(s, user), data=_referral(**values))


def _checkin(w: dict, project: str = "heron", on: str = "2026-11-30") -> Any:
    data = CheckInCreate(
        project_id=w[project],
        checked_on=D(on),
        jobs_created=12,
        evidence=EvidenceKind.COMPANY_DECLARATION,
    )
    return lambda s: aftercare.record_checkin(session=s, data=data, author="t")


def _decide(w: dict, claim: str = "pending_claim", **values: Any) -> Any:
    base = {"accept": False, "reason": "Already in contact", "on": D("2026-12-01")}
    return lambda s: claims.decide_claim(
        session=s, claim_id=w[claim], author="t", **(base | values)
    )


def _account(role: Role, chamber_id: int | None) -> Any:
    return lambda s: auth.create_user(
        s,
        username="pia2",
        display_name="Pia",
        role=role,
        password=None,
        author="t",
        chamber_id=chamber_id,
    )


def _import_people(mission_id: int | None = None, *, all_or_nothing: bool = False) -> Any:
    """Two people, the second without a last name (rejected)."""
    table = RawTable(
        headers=["first_name", "last_name"],
        rows=[["Asha", "Menon"], ["Ravi", ""]],
        lines=[2, 3],
    )
    mapping = {"first_name": "first_name", "last_name": "last_name"}

    def write(s: Session) -> Any:
        plan = importing.plan_import(s, table, mapping, "people", mission_id=mission_id)
        return importing.apply_import(s, plan, author="t", all_or_nothing=all_or_nothing)

    return write


def _meeting(**values: Any) -> InteractionCreate:
    return InteractionCreate(occurred_on=D("2024-03-05"), author="t", **values)


def _stage(w: dict, **values: Any) -> Any:
    base = {"project_id": w["falcon"], "to_stage": Stage.QUALIFIED, "on": D("2024-02-01")}
    return lambda s: records.change_stage(session=s, author="t", **(base | values))


def _first_insert(session: Session) -> int:
    return audit.record_history(session, "organisation", 1)[0].id


#: (what is refused, the write, the field its message is shown beside, the catalog key, the
#: parameters as the message writes them in French and in English).
CASES: list[tuple[str, Any, str, str, dict[str, str], dict[str, str]]] = [
    (
        "a new organisation with a website on file",
        lambda w: (
            lambda s: records.create_organisation(
                session=s, data=OrganisationCreate(name="TCS bis", domain="tcs.com"), author="t"
            )
        ),
        "domain",
        "form.error.domain_taken",
        {"domain": "tcs.com"},
        {"domain": "tcs.com"},
    ),
    (
        "a meeting with a new organisation whose website is on file",
        lambda w: (
            lambda s: meetings.log_meeting(
                session=s,
                meeting=_meeting(),
                new_organisation=OrganisationCreate(name="TCS bis", domain="tcs.com"),
            )
        ),
        "domain",
        "form.error.domain_taken",
        {"domain": "tcs.com"},
        {"domain": "tcs.com"},
    ),
    (
        "a correction giving an organisation another's website",
        lambda w: (
            lambda s: edits.update_organisation(
                s,
                organisation_id=w["infosys"],
                data=OrganisationCreate(name="Infosys", domain="tcs.com"),
                author="t",
            )
        ),
        "domain",
        "form.error.domain_taken",
        {"domain": "tcs.com"},
        {"domain": "tcs.com"},
    ),
    (
        "a project created as lost",
        lambda w: (
            lambda s: records.create_project(
                session=s,
                data=ProjectCreate(
                    code_name="Gone",
                    organisation_id=w["tcs"],
                    sector_code="digital",
                    stage=Stage.LOST,
                ),
                author="t",
            )
        ),
        "",
        "rule.project.created_lost",
        {},
        {},
    ),
    (
        "a move to the stage it is at",
        lambda w: _stage(w, to_stage=Stage.LEAD),
        "to_stage",
        "stage.error.same",
        {},
        {},
    ),  # fmt: skip
    (
        "a move dated before the last one",
        lambda w: _stage(w, on=D("2024-01-09")),
        "on",
        "stage.error.before_last",
        {"day": "10 janv. 2024"},
        {"day": "Jan 10, 2024"},
    ),
    (
        "a loss without its reason",
        lambda w: _stage(w, to_stage=Stage.LOST),
        "lost_reason",
        "rule.stage.lost_needs_reason",
        {},
        {},
    ),  # fmt: skip
    (
        "a loss reason on a move that is not a loss",
        lambda w: _stage(w, lost_reason=LostReason.COST),
        "",
        "rule.stage.reason_not_lost",
        {},
        {},
    ),
    (
        "negative jobs",
        lambda w: _stage(w, jobs_announced=-1),
        "jobs_announced",
        "rule.negative.jobs_announced",
        {},
        {},
    ),  # fmt: skip
    (
        "negative capex",
        lambda w: _stage(w, capex_eur=-1),
        "capex_eur",
        "rule.negative.capex_eur",
        {},
        {},
    ),  # fmt: skip
    (
        "a note of 501 characters",
        lambda w: _stage(w, note="x" * 501),
        "note",
        "rule.stage.note_too_long",
        {"max_length": "500"},
        {"max_length": "500"},
    ),  # fmt: skip
    (
        "a move dated after today",
        lambda w: _stage(w, to_stage=Stage.WON, on=D("2026-12-20")),
        "on",
        "rule.stage.future",
        {"today": "3 déc. 2026"},
        {"today": "Dec 3, 2026"},
    ),
    (
        "capex on the Won form without its flag",
        lambda w: _stage(w, to_stage=Stage.WON, capex_eur=12_000_000),
        "capex_disclosure",
        "rule.stage.capex_needs_flag",
        {},
        {},
    ),
    (
        "a capex flag without an amount",
        lambda w: _stage(w, to_stage=Stage.WON, capex_disclosure=CapexDisclosure.DISCLOSED),
        "capex_eur",
        "form.error.capex_flag",
        {},
        {},
    ),
    (
        "a meeting dated after today",
        lambda w: (
            lambda s: meetings.log_meeting(
                session=s, meeting=InteractionCreate(occurred_on=D("2026-12-04"), author="t")
            )
        ),
        "occurred_on",
        "rule.meeting.future",
        {"today": "3 déc. 2026"},
        {"today": "Dec 3, 2026"},
    ),
    (
        "a meeting corrected to a date after today",
        lambda w: (
            lambda s: edits.update_interaction(
                s,
                interaction_id=w["meeting"],
                data=InteractionCreate(
                    occurred_on=D("2026-12-04"), organisation_id=w["tcs"], author="t"
                ),
                author="t",
            )
        ),
        "occurred_on",
        "rule.meeting.future",
        {"today": "3 déc. 2026"},
        {"today": "Dec 3, 2026"},
    ),
    (
        "a meeting about another organisation's project",
        lambda w: (
            lambda s: meetings.log_meeting(
                session=s, meeting=_meeting(organisation_id=w["tcs"], project_id=w["kite"])
            )
        ),
        "",
        "rule.meeting.project_elsewhere",
        {},
        {},
    ),
    (
        "a corrected meeting about another organisation's project",
        lambda w: (
            lambda s: edits.update_interaction(
                s,
                interaction_id=w["meeting"],
                data=_meeting(organisation_id=w["tcs"], project_id=w["kite"]),
                author="t",
            )
        ),
        "",
        "rule.meeting.project_elsewhere",
        {},
        {},
    ),
    (
        "a project moved to another organisation",
        lambda w: (
            lambda s: edits.update_project(
                s,
                project_id=w["falcon"],
                data=ProjectEdit(
                    code_name="Falcon", organisation_id=w["infosys"], sector_code="digital"
                ),
                author="t",
            )
        ),
        "",
        "rule.project.keeps_organisation",
        {},
        {},
    ),
    (
        "a follow-up moved before its meeting",
        lambda w: (
            lambda s: followups.reschedule_followup(
                s, interaction_id=w["meeting"], due_on=D("2024-01-31"), author="t"
            )
        ),
        "due_on",
        "form.error.due",
        {},
        {},
    ),
    (
        "an organisation merged into itself",
        lambda w: lambda s: merging.merge_organisations(s, keep_id=w["tcs"], merge_id=w["tcs"]),
        "",
        "rule.merge.itself",
        {},
        {},
    ),  # fmt: skip
    (
        "a person merged into themself",
        lambda w: lambda s: merging.merge_people(s, keep_id=w["asha"], merge_id=w["asha"]),
        "",
        "rule.merge.itself",
        {},
        {},
    ),  # fmt: skip
    (
        "a person anonymised twice",
        lambda w: lambda s: personal_data.anonymise_person(s, person_id=w["asha"], author="t"),
        "",
        "rule.person.already_anonymised",
        {},
        {},
    ),  # fmt: skip
    (
        "a request closed as open",
        lambda w: (
            lambda s: personal_data.close_request(
                s,
                request_id=w["request"],
                status=RequestStatus.OPEN,
                closed_on=D("2024-03-02"),
                author="t",
            )
        ),  # fmt: skip
        "",
        "rule.request.close_open",
        {},
        {},
    ),
    (
        "a restore of a field the entry did not change",
        lambda w: (
            lambda s: audit.restore_value(s, entry_id=_first_insert(s), field="name", actor="t")
        ),
        "",
        "rule.audit.no_such_change",
        {"entry": "1", "column": "name"},
        {"entry": "1", "column": "name"},
    ),
    (
        "an account with a short password",
        lambda w: (
            lambda s: auth.create_user(
                s,
                username="vera",
                display_name="Vera",
                role=Role.VIEWER,
                password="short",
                author="t",
            )
        ),  # fmt: skip
        "password",
        "rule.user.password_short",
        {"min_length": "10"},
        {"min_length": "10"},
    ),
    (
        "an account with a name taken",
        lambda w: (
            lambda s: auth.create_user(
                s,
                username=" TEST ",
                display_name="T",
                role=Role.VIEWER,
                password="0123456789",
                author="t",
            )
        ),  # fmt: skip
        "username",
        "rule.user.name_taken",
        {"username": "test"},
        {"username": "test"},
    ),
    (
        "a partner account without its chamber",
        lambda w: _account(Role.PARTNER, None),
        "chamber",
        "rule.user.partner_chamber",
        {},
        {},
    ),  # fmt: skip
    (
        "a partner account with a chamber not on record",
        lambda w: _account(Role.PARTNER, 999_999),
        "chamber",
        "rule.user.partner_chamber",
        {},
        {},
    ),  # fmt: skip
    (
        "an agency account given a chamber",
        lambda w: _account(Role.STAFF, w["chamber"]),
        "chamber",
        "rule.user.chamber_not_partner",
        {},
        {},
    ),  # fmt: skip
    (
        "a referral by a partner account without a chamber",
        lambda w: _refer(w, SignedIn(41, "pat", "Pat", Role.PARTNER), company="Infy"),
        "",
        "rule.referral.no_chamber",
        {},
        {},
    ),  # fmt: skip
    (
        "a referral from a country not on record",
        lambda w: _refer(w, company="Infy", country_iso2="ZZ"),
        "country_iso2",
        "rule.referral.country",
        {},
        {},
    ),  # fmt: skip
    (
        "a referral in a sector not on record",
        lambda w: _refer(w, company="Infy", sector_code="spaceships"),
        "sector_code",
        "rule.referral.sector",
        {},
        {},
    ),  # fmt: skip
    (
        "a referral expecting its decision yesterday",
        lambda w: _refer(w, company="Infy", expected_decision_on=D("2026-12-02")),
        "expected_decision_on",
        "rule.referral.timing_past",
        {},
        {},
    ),  # fmt: skip
    (
        "a shared update on a project no chamber referred",
        lambda w: (
            lambda s: referrals.add_shared_update(
                session=s,
                data=SharedUpdateCreate(
                    project_id=w["falcon"], text="Site visit held", written_on=D("2026-12-01")
                ),
                author="t",
            )
        ),
        "project",
        "rule.shared_update.not_referred",
        {},
        {},
    ),
    (
        "a shared update dated after today",
        lambda w: (
            lambda s: referrals.add_shared_update(
                session=s,
                data=SharedUpdateCreate(
                    project_id=w["lotus"], text="Site visit held", written_on=D("2026-12-04")
                ),
                author="t",
            )
        ),
        "written_on",
        "rule.shared_update.future",
        {},
        {},
    ),
    (
        "a check-in of a project not won",
        lambda w: _checkin(w, "falcon"),
        "project_id",
        "rule.checkin.not_won",
        {},
        {},
    ),  # fmt: skip
    (
        "a check-in dated after today",
        lambda w: _checkin(w, on="2026-12-04"),
        "checked_on",
        "rule.checkin.future",
        {},
        {},
    ),  # fmt: skip
    (
        "a check-in dated before the project's decision",
        lambda w: _checkin(w, on="2025-03-13"),
        "checked_on",
        "rule.checkin.before_decision",
        {"day": "14 mars 2025"},
        {"day": "Mar 14, 2025"},
    ),
    (
        "a claim dated after today",
        lambda w: (
            lambda s: claims.create_claim(
                session=s,
                data=ClaimCreate(
                    project_id=w["falcon"],
                    claimant_kind=ClaimantKind.CHAMBER,
                    chamber_id=w["chamber"],
                    claimed_on=D("2026-12-04"),
                ),
                author="t",
            )
        ),
        "claimed_on",
        "rule.claim.future",
        {},
        {},
    ),
    (
        "a claim decided a second time",
        lambda w: _decide(w, "accepted_claim"),
        "decision",
        "rule.claim.decided",
        {"status": "Acceptée"},
        {"status": "Accepted"},
    ),
    (
        "a decision without its reason",
        lambda w: _decide(w, reason="   "),
        "reason",
        "rule.claim.reason",
        {},
        {},
    ),  # fmt: skip
    (
        "a decision with a reason of 501 characters",
        lambda w: _decide(w, reason="x" * 501),
        "reason",
        "rule.claim.reason_long",
        {"max_length": "500"},
        {"max_length": "500"},
    ),  # fmt: skip
    (
        "a decision dated after today",
        lambda w: _decide(w, on=D("2026-12-04")),
        "decided_on",
        "rule.claim.future",
        {},
        {},
    ),  # fmt: skip
    (
        "a decision dated before the claim",
        lambda w: _decide(w, on=D("2026-01-09")),
        "decided_on",
        "rule.claim.before_claim",
        {"day": "10 janv. 2026"},
        {"day": "Jan 10, 2026"},
    ),
    (
        "a trend note of blanks only",
        lambda w: (
            lambda s: trend_notes.create_note(
                session=s, data=TrendNoteCreate(noted_on=D("2026-11-02"), text="   "), author="t"
            )
        ),
        "text",
        "rule.note.empty",
        {},
        {},
    ),
    (
        "an import of people met at a mission not on record",
        lambda w: _import_people(mission_id=999_999),
        "mission",
        "import.error.no_such_mission",
        {"id": "999999"},
        {"id": "999999"},
    ),
    (
        "an all-or-nothing import with a rejected row",
        lambda w: _import_people(all_or_nothing=True),
        "",
        "import.error.not_all_valid",
        {"rejected": "1", "held": "0"},
        {"rejected": "1", "held": "0"},
    ),
]


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[\w'.-]+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


@pytest.mark.parametrize(
    ("what", "make", "field", "key", "fr", "en"), CASES, ids=[c[0] for c in CASES]
)
def test_a_refusal_is_shown_beside_its_field_in_french_and_english(
    world, what, make, field, key, fr, en
):
    if key == "rule.user.name_taken":
        with writer(world["engine"]) as s:  # an account named "test" exists
            auth.create_user(
                s, username="test", display_name="T", role=Role.VIEWER, password=None, author="t"
            )
    if key == "rule.audit.no_such_change":
        with writer(world["engine"]) as s:
            assert _first_insert(s) == 1  # the entry of TCS's creation: an insert
    shown = {}
    for lang, params in (("fr", fr), ("en", en)):
        errors: dict[str, str] = {}
        assert run_write(make(world), world["url"], lang, errors) is None
        shown[lang] = errors
        assert errors == {field: load_catalog(lang)[key].format(**params)}, what
    french, english = shown["fr"][field], shown["en"][field]
    assert english not in french
    assert _trigrams(french) & _trigrams(english) == set(), (french, english)


def test_a_rule_error_says_its_message_in_english_for_logs_and_the_command_line():
    error = RuleError("stage.error.before_last", field="on", day=D("2024-01-10"))
    assert str(error) == "The date cannot be before the last stage change (Jan 10, 2024)."
    assert error.message("fr") == (
        "La date ne peut pas précéder le dernier changement d'étape (10 janv. 2024)."
    )
    assert isinstance(error, ValueError)


def test_every_rule_of_core_is_broken_above():
    """A rule added to core without a case here fails this test."""
    found: set[str] = set()
    for path in ROOT.glob("core/**/*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"""\bRuleError\(\s*["']([\w.]+)["']""", text))
        found |= set(re.findall(r"""["'](rule\.[\w.]+[a-z])["']""", text))  # keys passed on
        found |= {
            f"{prefix}{name}"
            for prefix in re.findall(r"""\bRuleError\(\s*f["']([\w.]+)\{""", text)
            for name in ("jobs_announced", "capex_eur")
        }
    found |= {"form.error.domain_taken", "form.error.due"}  # DuplicateDomainError, DueBefore...
    assert found - NOT_TRIGGERED == {case[3] for case in CASES}
