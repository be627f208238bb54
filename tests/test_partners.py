"""The partner's readers and writes in core (issue 11): a chamber's referrals and figures,
hand-worked (tests/fixtures_partners.py); the referral write (its chamber from the session,
the match to a company on record); shared updates; the network page's figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from core.confidentiality import Masking
from core.errors import RuleError
from core.network import list_chamber_records, list_chamber_results
from core.partners import PartnerScope, get_referral_figures, list_referrals, partner_scope
from core.periods import Period
from core.permissions import AccessDenied, SignedIn
from core.referrals import ReferralCreate, add_shared_update, list_leads_to_qualify, refer_lead
from models import (
    LawfulBasis,
    Organisation,
    Person,
    Project,
    Role,
    SharedUpdateCreate,
    SourceChannel,
    Stage,
    StageChange,
)
from tests.fixtures_partners import AS_OF, build_network
from tests.writers import writer

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def net(ref_engine):
    return build_network(ref_engine)


def partner(chamber: int, ident: int = 77) -> SignedIn:
    return SignedIn(ident, f"partner{ident}", "IFCCI Desk", Role.PARTNER, chamber_id=chamber)


def test_partner_scope_only_for_a_partner():
    assert partner_scope(partner(3)) == PartnerScope(3)
    with pytest.raises(AccessDenied):
        partner_scope(SignedIn(1, "v", "V", Role.VIEWER))
    with pytest.raises(AccessDenied):
        partner_scope(SignedIn(1, "p", "P", Role.PARTNER))  # no chamber


def test_my_referrals_show_only_what_a_partner_may_read(ref_engine, net):
    with writer(ref_engine) as s:
        frame = list_referrals(s, PartnerScope(net["chamber_a"], "projet confidentiel"))
    rows = frame.to_dict("records")
    assert [r["id"] for r in rows] == [net[k] for k in ("A3", "A2", "A1", "A5", "A4")]
    by_id = {r["id"]: r for r in rows}
    assert by_id[net["A3"]] == {
        "id": net["A3"],
        "company": "Wipro Green",
        "stage": "lead",
        "stage_on": date(2025, 9, 1),
        "referred_on": date(2025, 9, 1),
        "owner": "Claire Martin",
        "update": "Site visit held in Fos",
        "update_on": date(2025, 10, 1),
    }
    assert by_id[net["A4"]] == {
        "id": net["A4"],
        "company": "projet confidentiel",
        "stage": "won",
        "stage_on": None,
        "referred_on": None,
        "owner": None,
        "update": None,
        "update_on": None,
    }
    assert (by_id[net["A1"]]["stage"], by_id[net["A1"]]["stage_on"]) == ("won", date(2025, 6, 1))
    assert (by_id[net["A2"]]["stage"], by_id[net["A2"]]["stage_on"]) == ("lost", date(2025, 7, 1))
    assert list(frame.columns) == [
        "id",
        "company",
        "stage",
        "stage_on",
        "referred_on",
        "owner",
        "update",
        "update_on",
    ]


def test_the_chamber_figures_beside_the_network(ref_engine, net):
    with writer(ref_engine) as s:
        both = get_referral_figures(s, PartnerScope(net["chamber_a"]), YEAR)
    a, everyone = both["chamber"], both["network"]
    assert (a.referred, a.qualified, a.won, a.jobs_announced) == (4, 3, 2, 50)
    assert (a.conversion, a.median_days_to_decision) == (0.5, 152.0)
    assert (everyone.referred, everyone.qualified, everyone.won) == (6, 4, 3)
    assert (everyone.jobs_announced, everyone.conversion) == (150, 0.5)
    assert everyone.median_days_to_decision == 120.0
    with writer(ref_engine) as s:
        b = get_referral_figures(s, PartnerScope(net["chamber_b"]), YEAR)["chamber"]
    assert (b.referred, b.qualified, b.won, b.jobs_announced, b.conversion) == (2, 1, 1, 100, 0.5)
    assert b.median_days_to_decision == 61.0


def test_network_page_ranks_chambers_and_lists_the_records(ref_engine, net):
    with writer(ref_engine) as s:
        results = list_chamber_results(s, YEAR, as_of=AS_OF)
        won = list_chamber_records(
            s, YEAR, figure="won", chamber_id=None, masking=None, as_of=AS_OF
        )
        masked = list_chamber_records(
            s,
            YEAR,
            figure="won",
            chamber_id=net["chamber_a"],
            masking=Masking("PC", "CC"),
            as_of=AS_OF,
        )
    assert results[
        ["chamber", "referred", "qualified", "won", "jobs_announced"]
    ].values.tolist() == [
        ["Indo-French Chamber of Commerce and Industry", 4, 3, 2, 50],
        ["CCI France Émirats arabes unis", 2, 1, 1, 100],
    ]
    assert won["id"].tolist() == [net["A1"], net["B1"], net["A4"]]
    assert masked[["id", "code_name", "organisation_name"]].values.tolist() == [
        [net["A1"], "A1", "Mahindra Aero"],
        [net["A4"], "PC", "CC"],
    ]


def referral(**change) -> ReferralCreate:
    values = {
        "company": "Tata Elxsi",
        "website": "tataelxsi.example",
        "country_iso2": "IN",
        "sector_code": "digital",
        "first_name": "Anil",
        "last_name": "Rao",
        "email": "anil.rao@tataelxsi.example",
        "phone": "+912212345679",
        "jobs": 25,
        "capex_eur": 2_000_000,
        "description": "Looking at Sophia or Marseille for a design centre",
        "lawful_basis": LawfulBasis.CONSENT,
    }
    values.update(change)
    return ReferralCreate.model_validate(values)


def test_refer_a_lead_creates_organisation_person_and_lead(ref_engine, net):
    a, b = net["chamber_a"], net["chamber_b"]
    with writer(ref_engine, partner(a)) as s:
        project_id = refer_lead(session=s, data=referral())
    with writer(ref_engine) as s:
        project = s.get(Project, project_id)
        org = s.get(Organisation, project.organisation_id)
        person = s.exec(select(Person).where(Person.organisation_id == org.id)).one()
        first = s.exec(select(StageChange).where(StageChange.project_id == project_id)).one()
        assert (project.stage, project.source_channel, project.source_chamber_id) == (
            Stage.LEAD,
            SourceChannel.CHAMBER,
            a,
        )
        assert (project.jobs_announced, project.capex_eur, project.capex_disclosure.value) == (
            25,
            2_000_000,
            "estimated",
        )
        assert (org.name, org.domain, org.hq_country_iso2) == (
            "Tata Elxsi",
            "tataelxsi.example",
            "IN",
        )
        assert (person.email, person.phone, person.lawful_basis) == (
            "anil.rao@tataelxsi.example",
            "+912212345679",
            LawfulBasis.CONSENT,
        )
        assert person.data_source == "Referral: Indo-French Chamber of Commerce and Industry"
        assert (first.author, first.note) == (
            "IFCCI Desk",
            "Looking at Sophia or Marseille for a design centre",
        )
        assert b != a


def test_a_referral_matches_a_company_on_record_and_returns_nothing_of_it(ref_engine, net):
    """Mahindra Aero is on record (chamber A's own A1 here): the referral joins it; the
    partner gets the new project's id only, the organisation is not changed."""
    with writer(ref_engine) as s:
        before = s.exec(select(Organisation).where(Organisation.name == "Emirates Robotics")).one()
        before = (before.id, before.hq_country_iso2, before.domain)
    with writer(ref_engine, partner(net["chamber_a"])) as s:
        answer = refer_lead(
            session=s,
            data=referral(company="Emirates Robotics", website=None, country_iso2="AE"),
        )
    assert isinstance(answer, int)
    with writer(ref_engine) as s:
        project = s.get(Project, answer)
        org = s.get(Organisation, project.organisation_id)
        assert (org.id, org.hq_country_iso2, org.domain) == before
        assert s.exec(
            select(Organisation).where(Organisation.name == "Emirates Robotics")
        ).all() == [org]
        # The partner's own list shows the company it typed, nothing else of the record.
        rows = list_referrals(s, PartnerScope(net["chamber_a"])).to_dict("records")
    assert [r["company"] for r in rows if r["id"] == answer] == ["Emirates Robotics"]


def test_only_a_partner_refers_and_only_for_its_own_chamber(ref_engine, net):
    with writer(ref_engine) as s:  # an administrator
        with pytest.raises(AccessDenied):
            refer_lead(session=s, data=referral())
    with writer(ref_engine, SignedIn(5, "v", "V", Role.VIEWER)) as s:
        with pytest.raises(AccessDenied):
            refer_lead(session=s, data=referral())
    # The data carry no chamber: a tampered field is ignored, the session's chamber counts.
    tampered = referral().model_dump() | {"source_chamber_id": net["chamber_b"]}
    with writer(ref_engine, partner(net["chamber_a"])) as s:
        project_id = refer_lead(session=s, data=ReferralCreate.model_validate(tampered))
    with writer(ref_engine) as s:
        assert s.get(Project, project_id).source_chamber_id == net["chamber_a"]
    with writer(ref_engine, partner(net["chamber_a"])) as s:
        with pytest.raises(RuleError) as bad:
            refer_lead(session=s, data=referral(sector_code="nope"))
    assert bad.value.field == "sector_code"


def test_shared_updates_are_staff_writes_on_referred_leads(ref_engine, net):
    staff = SignedIn(2, "claire", "Claire Martin", Role.STAFF)
    with writer(ref_engine, partner(net["chamber_a"])) as s:
        with pytest.raises(AccessDenied):
            add_shared_update(
                session=s,
                data=SharedUpdateCreate(
                    project_id=net["A3"], text="x", written_on=date(2025, 11, 1)
                ),
                author="p",
            )
    with writer(ref_engine, staff) as s:
        with pytest.raises(RuleError) as not_referred:
            add_shared_update(
                session=s,
                data=SharedUpdateCreate(
                    project_id=net["P1"], text="x", written_on=date(2025, 11, 1)
                ),
                author="Claire Martin",
            )
        assert not_referred.value.message_key == "rule.shared_update.not_referred"
        add_shared_update(
            session=s,
            data=SharedUpdateCreate(
                project_id=net["A3"], text="Decision expected in Q2", written_on=date(2025, 11, 2)
            ),
            author="Claire Martin",
        )
    with writer(ref_engine) as s:
        rows = list_referrals(s, PartnerScope(net["chamber_a"])).to_dict("records")
        queue = list_leads_to_qualify(s, masking=None)
    a3 = next(r for r in rows if r["id"] == net["A3"])
    assert (a3["update"], a3["update_on"]) == ("Decision expected in Q2", date(2025, 11, 2))
    assert queue[["id", "chamber"]].values.tolist() == [
        [net["A5"], "Indo-French Chamber of Commerce and Industry"],
        [net["B2"], "CCI France Émirats arabes unis"],
        [net["A3"], "Indo-French Chamber of Commerce and Industry"],
    ]


def test_demo_partners_have_referrals_at_every_stage_and_updates(ref_engine):
    import sqlalchemy as sa

    from core.auth import demo_partner_accounts
    from core.demo import clear_demo, seed_demo
    from core.demo.referrals import REFERRAL_STAGES
    from models import SharedUpdate

    seed_demo(ref_engine, scale=0.1, anchor=date(2026, 6, 30))
    with writer(ref_engine) as s:
        accounts = demo_partner_accounts(s)
        assert [(u.username, name) for u, name in accounts] == [
            ("demo-partner-ae", "CCI France Émirats arabes unis"),
            ("demo-partner-in", "Indo-French Chamber of Commerce and Industry"),
        ]
        mumbai = next(u for u, _name in accounts if u.username == "demo-partner-in")
        rows = list_referrals(s, partner_scope(mumbai))
        assert set(rows["stage"]) == {stage.value for stage in REFERRAL_STAGES}
        # Every referral past Lead carries an update; a lead has none yet.
        past_lead = rows[rows["stage"] != "lead"]
        assert (
            past_lead["update"].notna().all()
            or (past_lead["company"] == "projet confidentiel").any()
        )
        assert rows[rows["stage"] == "lead"]["update"].isna().all()
    clear_demo(ref_engine)
    with writer(ref_engine) as s:
        assert s.exec(sa.select(sa.func.count()).select_from(SharedUpdate)).one()[0] == 0
        assert demo_partner_accounts(s) == []


def test_a_change_of_source_moves_the_figure_and_stays_in_the_history(ref_engine, net):
    """Attribution follows the chamber recorded now; the former one is in the audit trail."""
    from core.audit import record_history
    from core.edits import update_project
    from models import ProjectEdit

    with writer(ref_engine) as s:
        project = s.get(Project, net["A2"])
        data = ProjectEdit.model_validate(
            project.model_dump(include=set(ProjectEdit.model_fields))
            | {"source_chamber_id": net["chamber_b"]}
        )
        update_project(s, project_id=net["A2"], data=data, author="Claire Martin")
    with writer(ref_engine) as s:
        figures = {
            key: get_referral_figures(s, PartnerScope(net[key]), YEAR)["chamber"].referred
            for key in ("chamber_a", "chamber_b")
        }
        changes = [
            (e.actor, e.before.get("source_chamber_id"), e.after.get("source_chamber_id"))
            for e in record_history(s, "project", net["A2"])
            if e.action.value == "update" and "source_chamber_id" in (e.after or {})
        ]
    assert figures == {"chamber_a": 3, "chamber_b": 3}
    assert changes == [("Claire Martin", net["chamber_a"], net["chamber_b"])]
