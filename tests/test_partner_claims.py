"""A partner reads its chamber's attribution claims (issue 14), scoped in core
(``core.partners.list_chamber_claims``): hand-worked from tests/fixtures_partners.py (claims
K1-K8, check-ins of A1, B1 and P1, read on AS_OF = 2026-12-02)."""

from __future__ import annotations

from datetime import date

import pytest

from components.partner_views import claim_rows
from core.export import csv_bytes
from core.partners import CLAIM_COLUMNS, PartnerScope, list_chamber_claims
from tests.fixtures_partners import AS_OF, B_ONLY, INTERNAL, NOT_REFERRED, build_network
from tests.writers import writer

D = date.fromisoformat


@pytest.fixture
def net(ref_engine):
    return build_network(ref_engine)


def claims_of(engine, chamber: int, as_of: date = AS_OF):
    with writer(engine) as s:
        return list_chamber_claims(s, PartnerScope(chamber, "projet confidentiel"), as_of=as_of)


def test_a_partner_reads_its_chamber_claims_as_it_may_see_them(ref_engine, net):
    frame = claims_of(ref_engine, net["chamber_a"])
    assert list(frame.columns) == list(CLAIM_COLUMNS)
    # Pending first, then the latest claimed. K1 names its company (A's referral) with the
    # latest check-in of A1 (34 jobs on 2026-11-20); K3 (P1, no chamber's referral) and K4
    # (B1, B's) are not named; K2's project is confidential: its status only, last.
    assert frame.drop(columns=["id"]).values.tolist() == [
        ["Wipro Green", D("2025-10-15"), "pending", None, None, None, None],
        [
            "Mahindra Aero",
            D("2025-05-15"),
            "accepted",
            D("2025-06-10"),
            "Introduced at the Mumbai forum",
            34,
            D("2026-11-20"),
        ],
        [None, D("2025-04-20"), "accepted", D("2025-05-02"), "Organised the first meeting", None,
         None],
        [None, D("2025-04-15"), "refused", D("2025-05-20"), "Referred by another chamber", None,
         None],
        ["projet confidentiel", None, "accepted", None, None, None, None],
    ]  # fmt: skip
    assert frame["id"].tolist() == [net[k] for k in ("K7", "K1", "K3", "K4", "K2")]


def test_the_latest_check_in_to_the_reading_date(ref_engine, net):
    """Read on 2026-07-01, A1's latest check-in is the one of 2026-06-05 (30 jobs); before
    any check-in the cells are empty."""
    early = claims_of(ref_engine, net["chamber_a"], D("2026-07-01"))
    k1 = early[early["id"] == net["K1"]].iloc[0]
    assert (k1["jobs_verified"], k1["checked_on"]) == (30, D("2026-06-05"))
    before = claims_of(ref_engine, net["chamber_a"], D("2026-01-01"))
    k1 = before[before["id"] == net["K1"]].iloc[0]
    assert (k1["jobs_verified"], k1["checked_on"]) == (None, None)


def test_chamber_b_reads_its_own_two_claims_only(ref_engine, net):
    frame = claims_of(ref_engine, net["chamber_b"])
    assert frame[["id", "company", "status", "reason", "jobs_verified"]].values.tolist() == [
        [net["K5"], None, "accepted", "B's reason on P1", None],
        [net["K6"], "Emirates Robotics", "accepted", "B's secret reason", 80],
    ]


def test_nothing_of_another_chamber_nor_of_other_claimants(ref_engine, net):
    """A's list, as its page shows and downloads it: none of B's claims or reasons, no staff
    claim (K8), no code name, no company it did not refer."""
    frame = claims_of(ref_engine, net["chamber_a"])
    for lang in ("fr", "en"):
        data = csv_bytes(claim_rows(frame, lang)).decode("utf-8-sig")
        for secret in (*B_ONLY, *INTERNAL, *NOT_REFERRED, "Emirates", "A1", "P1"):
            assert secret not in data, (secret, lang)
    shown = claim_rows(frame, "fr")
    assert shown["Projet (entreprise)"].tolist() == [
        "Wipro Green",
        "Mahindra Aero",
        "projet non recommandé par votre chambre",
        "projet non recommandé par votre chambre",
        "projet confidentiel",
    ]
    assert shown["Décision"].tolist() == [
        "En attente",
        "Acceptée",
        "Acceptée",
        "Refusée",
        "Acceptée",
    ]


def test_a_chamber_without_claims_reads_none(ref_engine, net):
    with writer(ref_engine) as s:
        from sqlmodel import select

        from models import Chamber

        other = s.exec(
            select(Chamber.id).where(Chamber.id.not_in([net["chamber_a"], net["chamber_b"]]))
        ).first()
    frame = claims_of(ref_engine, int(other))
    assert frame.empty and list(frame.columns) == list(CLAIM_COLUMNS)
