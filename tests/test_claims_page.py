"""The attribution claims page (issue 14): staff record a claim, administrators decide the
pending ones with a reason in view of the contact history. Data: tests/fixtures_results.py
(one pending claim, C4: Gone Co, claimed by the staff member "carla" on 2023-02-15; the
company's first contact I1 on 2022-11-15, I2 on 2023-02-20 after the claim)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from core import clock
from models import Claim, ClaimantKind, ClaimStatus, Role
from tests.apptest_support import ROOT, as_user, point_app_at, reset_caches, run_app
from tests.fixtures_results import build_results
from tests.writers import writer

D = date.fromisoformat
PAGE = str(ROOT / "pages" / "claims.py")


@pytest.fixture
def claims_app(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as s:
        ids = build_results(s)
    point_app_at(monkeypatch, ref_engine, demo=False)
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 12, 2, 13, 5, tzinfo=UTC))
    yield ids
    reset_caches()


def click(at, label):
    return next(b for b in at.button if b.label == label).click().run()


def errors(at):
    return [e.value for e in at.error]


def test_an_admin_decides_a_claim_seeing_the_contact_history(ref_engine, claims_app):
    ids = claims_app
    at = run_app(PAGE, lang="en", user=as_user("Anne", Role.ADMIN))
    assert not at.exception
    assert at.selectbox(key="decide_claim_0").options == [
        "Gone Co — Forge Provence SAS: carla (Staff member), Feb 15, 2023"
    ]
    assert [w.value for w in at.warning] == [
        "Already in contact since Nov 15, 2022: 1 exchange(s) with the company before the claim."
    ]
    history = next(df.value for df in at.dataframe if "Outcome" in df.value.columns)
    assert list(history["Date"]) == [D("2022-11-15")]  # I2 came after the claim
    # Nothing chosen, no reason: each message beside its field.
    click(at, "Record the decision")
    assert errors(at) == ["Required field.", "Give the reason for the decision."]
    key = f"_{ids['C4']}_0"
    at.radio(key="decide_accept" + key).set_value(False)
    at.text_area(key="decide_reason" + key).set_value("already in contact since 2022-11-15")
    at.date_input(key="decide_on" + key).set_value(D("2023-01-31"))
    click(at, "Record the decision")
    assert errors(at) == ["The decision cannot come before the claim (Feb 15, 2023)."]
    assert at.text_area(key="decide_reason" + key).value == "already in contact since 2022-11-15"
    assert at.radio(key="decide_accept" + key).value is False
    with writer(ref_engine) as s:
        assert s.get(Claim, ids["C4"]).status == ClaimStatus.PENDING  # nothing half-written
    at.date_input(key="decide_on" + key).set_value(D("2026-11-30"))
    click(at, "Record the decision")
    assert not at.exception
    assert [s.value for s in at.success] == ["Claim on Gone Co refused."]
    assert "No claim awaiting a decision." in [c.value for c in at.caption]
    with writer(ref_engine) as s:
        row = s.get(Claim, ids["C4"])
        assert (row.status, row.decided_on, row.decided_by, row.decision_reason) == (
            ClaimStatus.REFUSED,
            D("2026-11-30"),
            "Anne",
            "already in contact since 2022-11-15",
        )
    table = next(df.value for df in at.dataframe if "Claimant" in df.value.columns)
    # C1..C5 decided, latest claim first: C2 2023-05-02, C5 03-01, C4 02-15, C3 02-01, C1 01-10
    assert list(table["Claimant"])[2] == "carla"
    assert list(table["Status"]) == ["Refused", "Accepted", "Refused", "Accepted", "Accepted"]
    assert list(table["Reason"])[2] == "already in contact since 2022-11-15"


def test_staff_record_a_claim_and_do_not_decide(ref_engine, claims_app):
    ids = claims_app
    at = run_app(PAGE, lang="en", user=as_user("Sam", Role.STAFF))
    assert not at.exception
    assert not [b for b in at.button if b.label == "Record the decision"]
    assert not [s for s in at.subheader if s.value == "Decide the pending claims"]
    at.text_input(key="claim_search_0").set_value("fresh").run()
    assert at.selectbox(key="claim_pick_0").value == ids["R5"]
    assert at.selectbox(key="claim_kind_0").value == ClaimantKind.CHAMBER
    at.text_area(key="claim_statement_0").set_value("Introduced at the Mumbai forum")
    click(at, "Record the claim")
    assert errors(at) == ["Required field."]  # no chamber chosen
    assert at.text_area(key="claim_statement_0").value == "Introduced at the Mumbai forum"
    at.selectbox(key="claim_chamber_0").set_value(ids["CH1"])
    at.date_input(key="claim_claimed_on_0").set_value(D("2026-12-05"))
    click(at, "Record the claim")
    assert errors(at) == ["The date cannot be after today."]
    at.date_input(key="claim_claimed_on_0").set_value(D("2026-11-02"))
    click(at, "Record the claim")
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Claim recorded on Fresh Win: awaiting the agency's decision."
    ]
    assert at.text_input(key="claim_search_1").value == ""  # a new, empty form
    with writer(ref_engine) as s:
        rows = s.execute(
            sa.select(
                Claim.claimant_kind, Claim.chamber_id, Claim.claimed_on, Claim.statement,
                Claim.status, Claim.author,
            ).where(Claim.project_id == ids["R5"])
        ).all()  # fmt: skip
    assert rows == [
        (ClaimantKind.CHAMBER, ids["CH1"], D("2026-11-02"), "Introduced at the Mumbai forum",
         ClaimStatus.PENDING, "Sam")
    ]  # fmt: skip


def test_a_staff_members_claim_in_french(ref_engine, claims_app):
    ids = claims_app
    at = run_app(PAGE, lang="fr", user=as_user("Anne", Role.ADMIN))
    assert [w.value for w in at.warning] == [
        "Déjà en contact depuis le 15 nov. 2022 : 1 échange(s) avec l'entreprise avant la demande."
    ]
    at.text_input(key="claim_search_0").set_value("vitrolles").run()
    at.selectbox(key="claim_kind_0").set_value(ClaimantKind.STAFF).run()
    at.text_input(key="claim_staff_0").set_value("   ")
    at.date_input(key="claim_claimed_on_0").set_value(D("2023-04-01"))
    click(at, "Enregistrer la demande")
    assert errors(at) == ["Champ obligatoire."]
    at.text_input(key="claim_staff_0").set_value(" Carla Ruiz ")
    click(at, "Enregistrer la demande")
    assert [s.value for s in at.success] == [
        "Demande enregistrée sur Vitrolles Labs : en attente de la décision de l'agence."
    ]
    with writer(ref_engine) as s:
        row = s.execute(
            sa.select(Claim.staff_name, Claim.claimed_on).where(
                Claim.project_id == ids["R2"], Claim.claimant_kind == ClaimantKind.STAFF
            )
        ).one()
    assert tuple(row) == ("Carla Ruiz", D("2023-04-01"))
    # Two claims now pending: the new one (the latest) comes first.
    assert at.selectbox(key="decide_claim_0").options[0] == (
        "Vitrolles Labs — Forge Provence SAS : Carla Ruiz (Collaborateur), 1 avr. 2023"
    )


def test_the_decision_form_says_a_chambers_reason_is_shown_to_it(ref_engine, claims_app):
    """A chamber's pending claim: the form says the reason goes to that chamber (its partners
    read it, core.partners.list_chamber_claims); a staff member's claim (C4) says nothing."""
    ids = claims_app
    from core import claims
    from models import Chamber, ClaimCreate

    with writer(ref_engine) as s:
        chamber = s.get(Chamber, ids["CH1"]).name
        claims.create_claim(
            session=s,
            data=ClaimCreate(
                project_id=ids["R5"], claimant_kind=ClaimantKind.CHAMBER,
                chamber_id=ids["CH1"], claimed_on=D("2026-11-20"),
            ),
            author="Sam",
        )  # fmt: skip
    at = run_app(PAGE, lang="en", user=as_user("Anne", Role.ADMIN))
    assert not at.exception
    shown = f"The reason will be shown to the claiming chamber ({chamber}), on its partner pages."
    assert shown in [c.value for c in at.caption]  # the newest pending claim comes first
    at.selectbox(key="decide_claim_0").set_value(ids["C4"]).run()
    assert not [c.value for c in at.caption if "claiming chamber" in c.value]
    fr = run_app(PAGE, lang="fr", user=as_user("Anne", Role.ADMIN))
    assert (
        f"Le motif sera montré à la chambre qui a fait la demande ({chamber}), sur ses pages "
        "partenaires."
    ) in [c.value for c in fr.caption]


def test_a_confidential_projects_reason_is_not_shown_to_the_chamber(ref_engine, claims_app):
    """A chamber's pending claim on a confidential project: the form says the chamber will see
    the decision only (core.partners.list_chamber_claims shows it its status alone)."""
    ids = claims_app
    from core import claims
    from models import Chamber, ClaimCreate, Project

    with writer(ref_engine) as s:
        chamber = s.get(Chamber, ids["CH2"]).name
        project = s.get(Project, ids["R5"])
        project.confidential = True
        s.add(project)
        s.commit()
        claims.create_claim(
            session=s,
            data=ClaimCreate(
                project_id=ids["R5"], claimant_kind=ClaimantKind.CHAMBER,
                chamber_id=ids["CH2"], claimed_on=D("2026-11-20"),
            ),
            author="Sam",
        )  # fmt: skip
    at = run_app(PAGE, lang="en", user=as_user("Anne", Role.ADMIN))
    assert not at.exception
    assert (
        f"Confidential project: the claiming chamber ({chamber}) will see the decision only, "
        "neither the company, nor the dates, nor the reason."
    ) in [c.value for c in at.caption]
    assert not [c.value for c in at.caption if "will be shown" in c.value]
