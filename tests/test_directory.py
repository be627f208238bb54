"""Directory readers against the hand-made fixture of ``tests/fixtures.py``.

Organisation names in name order (digits first): 100% Digital_Labs (O8), Alpha Data SAS (O1),
Atelier d'Azur (O9), Bharat Energy Ltd (O2), Chennai Robotics Pvt Ltd (O10), Gulf Ports LLC
(O5), Indo-French Chamber of Commerce and Industry (O6), Kraftwerk GmbH (O3), Kraftwerk Holding
Inc (O11), Santé Plus (O4), Shanghai Tourism Co (O7), Unknown Origin SARL (O12).
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.directory import (
    count_organisations_met,
    get_organisation_detail,
    get_organisations_met,
    list_organisations_met,
    search_organisations,
    search_people,
)
from models import Organisation, OrganisationKind
from tests.fixtures import build_fixture

D = date.fromisoformat

NAME_ORDER = ["O8", "O1", "O9", "O2", "O10", "O5", "O6", "O3", "O11", "O4", "O7", "O12"]


@pytest.fixture
def ids(session):
    return build_fixture(session)


def names(frame) -> list[str]:
    return frame["name"].tolist()


# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------


def test_search_organisations_without_filter_pages_by_name(session, ids):
    pages = [search_organisations(session, page=p, page_size=5) for p in (1, 2, 3, 4)]
    assert [total for _, total in pages] == [12, 12, 12, 12]
    assert [frame["id"].tolist() for frame, _ in pages] == [
        [ids[k] for k in NAME_ORDER[:5]],
        [ids[k] for k in NAME_ORDER[5:10]],
        [ids[k] for k in NAME_ORDER[10:]],
        [],
    ]
    first, _ = pages[0]
    assert list(first.columns) == [
        "id", "name", "kind", "country_iso2", "sector_code", "city", "domain",
    ]  # fmt: skip
    assert first.iloc[1].to_dict() == {
        "id": ids["O1"],
        "name": "Alpha Data SAS",
        "kind": "company",
        "country_iso2": "FR",
        "sector_code": "digital",
        "city": "Marseille",
        "domain": "alpha-data.fr",
    }


def test_search_organisations_by_text_in_name_or_domain(session, ids):
    # "Bharat Energy Ltd" by its name, Kraftwerk GmbH by its domain kraftwerk-energy.de.
    frame, total = search_organisations(session, text="ENERGY")
    assert (names(frame), total) == (["Bharat Energy Ltd", "Kraftwerk GmbH"], 2)
    frame, total = search_organisations(session, text="  kraftwerk ")
    assert (names(frame), total) == (["Kraftwerk GmbH", "Kraftwerk Holding Inc"], 2)


def test_search_organisations_by_country_sector_and_kind(session, ids):
    # HQ or control in India: O2, O6, O10. In the US: O3 (control) and O11 (HQ).
    frame, total = search_organisations(session, country="IN")
    assert (frame["id"].tolist(), total) == ([ids["O2"], ids["O10"], ids["O6"]], 3)
    frame, total = search_organisations(session, country="US")
    assert (names(frame), total) == (["Kraftwerk GmbH", "Kraftwerk Holding Inc"], 2)
    frame, total = search_organisations(session, sector="digital")
    assert (names(frame), total) == (
        ["100% Digital_Labs", "Alpha Data SAS", "Chennai Robotics Pvt Ltd"],
        3,
    )
    frame, total = search_organisations(session, kind=OrganisationKind.INVESTOR)
    assert (names(frame), total) == (["Gulf Ports LLC"], 1)
    frame, total = search_organisations(session, kind="chamber", country="IN")
    assert (names(frame), total) == (["Indo-French Chamber of Commerce and Industry"], 1)
    frame, total = search_organisations(session, text="a", country="FR", sector="tourism")
    assert (names(frame), total) == (["Atelier d'Azur"], 1)


def test_search_text_is_literal(session, ids):
    # "%" and "_" match themselves only: just "100% Digital_Labs" has them.
    assert names(search_organisations(session, text="%")[0]) == ["100% Digital_Labs"]
    assert search_organisations(session, text="_")[1] == 1
    assert search_organisations(session, text="0%_")[1] == 0
    assert names(search_organisations(session, text="d'azur")[0]) == ["Atelier d'Azur"]


@pytest.mark.parametrize(
    "text",
    ["x' OR '1'='1", "'; DROP TABLE organisation; --", '" OR 1=1 --', "%' OR name LIKE '%"],
)
def test_search_with_injection_like_text_finds_nothing_and_changes_nothing(
    session,
    ids,
    text,
):
    frame, total = search_organisations(session, text=text)
    assert (len(frame), total) == (0, 0)
    frame, total = search_people(session, text=text)
    assert (len(frame), total) == (0, 0)
    assert session.execute(sa.select(sa.func.count()).select_from(Organisation)).scalar() == 12
    assert search_organisations(session)[1] == 12


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


def test_search_people_leaves_anonymised_people_out(session, ids):
    # Six people, Ravi Kumar (Pe4) anonymised. Order: Dupont, Martin, Müller, Patel, Sharma.
    frame, total = search_people(session)
    assert total == 5
    assert frame["last_name"].tolist() == ["Dupont", "Martin", "Müller", "Patel", "Sharma"]
    assert list(frame.columns) == [
        "id", "first_name", "last_name", "job_title", "organisation_id", "organisation_name",
        "country_iso2", "email", "phone",
    ]  # fmt: skip
    sharma = frame.iloc[4].to_dict()
    assert sharma | {"job_title": None} == {
        "id": ids["Pe1"],
        "first_name": "Priya",
        "last_name": "Sharma",
        "job_title": None,
        "organisation_id": ids["O2"],
        "organisation_name": "Bharat Energy Ltd",
        "country_iso2": "IN",
        "email": "priya.sharma@bharat-energy.in",
        "phone": "+919812345678",
    }
    assert search_people(session, text="ravi")[1] == 0


def test_search_people_by_text(session, ids):
    # "energy": Priya Sharma (organisation and email), Hans Müller (email at kraftwerk-energy).
    frame, total = search_people(session, text="Energy")
    assert (frame["last_name"].tolist(), total) == (["Müller", "Sharma"], 2)
    frame, total = search_people(session, text="priya sharma")
    assert (frame["id"].tolist(), total) == ([ids["Pe1"]], 1)
    frame, total = search_people(session, text="@example.com")
    assert (frame["last_name"].tolist(), total) == (["Patel"], 1)
    frame, total = search_people(session, text="santé")
    assert (frame["last_name"].tolist(), total) == (["Martin"], 1)


def test_search_people_by_country_sector_kind_and_page(session, ids):
    frame, total = search_people(session, country="IN")
    assert (frame["last_name"].tolist(), total) == (["Patel", "Sharma"], 2)
    frame, total = search_people(session, sector="energy")
    assert (frame["last_name"].tolist(), total) == (["Müller", "Sharma"], 2)
    # Amit Patel has no organisation, so a kind filter leaves him out.
    frame, total = search_people(session, kind="company")
    assert (frame["last_name"].tolist(), total) == (["Dupont", "Martin", "Müller", "Sharma"], 4)
    frame, total = search_people(session, page=2, page_size=2)
    assert (frame["last_name"].tolist(), total) == (["Müller", "Patel"], 5)


# ---------------------------------------------------------------------------------------------
# One organisation's file
# ---------------------------------------------------------------------------------------------


def test_organisation_detail(session, ids):
    detail = get_organisation_detail(session, ids["O2"])
    assert detail is not None
    org = detail.organisation
    assert (org["id"], org["name"], org["kind"]) == (ids["O2"], "Bharat Energy Ltd", "company")
    assert (org["hq_country_iso2"], org["control_country_iso2"], org["sector_code"]) == (
        "IN",
        "IN",
        "energy",
    )
    assert (org["domain"], org["city"], org["parent_name"]) == ("bharat-energy.in", "Mumbai", None)
    # Ravi Kumar is anonymised.
    assert detail.people["id"].tolist() == [ids["Pe1"]]
    assert detail.projects["code_name"].tolist() == ["Pune Battery", "Delhi Grid", "Mumbai Solar"]
    assert detail.projects["stage"].tolist() == ["qualified", "won", "won"]
    # Stage history of P2 (3 changes), P3 (3) and P9 (4), newest first.
    history = detail.stage_history
    assert len(history) == 10
    assert history[["project_code_name", "from_stage", "to_stage", "changed_on"]].head(
        3
    ).values.tolist() == [
        ["Pune Battery", "lead", "qualified", D("2025-04-01")],
        ["Delhi Grid", "negotiation", "won", D("2025-01-01")],
        ["Mumbai Solar", "active", "won", D("2024-12-31")],
    ]
    assert history["author"].unique().tolist() == ["fixture"]
    interactions = detail.interactions
    assert interactions["id"].tolist() == [ids[k] for k in ("I18", "I16", "I13", "I10", "I3")]
    assert interactions.iloc[0]["mission"] == "Indian delegation in Provence"
    assert interactions.iloc[1]["project_code_name"] == "Delhi Grid"
    assert interactions["kind"].tolist() == ["meeting", "meeting", "meeting", "call", "meeting"]
    assert detail.missions["name"].tolist() == ["Indian delegation in Provence"]


def test_organisation_detail_shows_parent(session, ids):
    detail = get_organisation_detail(session, ids["O3"])
    assert detail.organisation["parent_name"] == "Kraftwerk Holding Inc"
    assert detail.organisation["control_country_iso2"] == "US"
    assert detail.projects["code_name"].tolist() == ["Kraftwerk South", "Rhine Turbines"]


def test_organisation_detail_of_an_organisation_without_records(session, ids):
    detail = get_organisation_detail(session, ids["O12"])
    assert detail.organisation["name"] == "Unknown Origin SARL"
    assert detail.people.empty and detail.interactions.empty and detail.missions.empty
    assert detail.projects["code_name"].tolist() == ["Mystery Plant"]
    assert detail.stage_history["to_stage"].tolist() == ["won"]


def test_organisation_detail_not_found(session, ids):
    assert get_organisation_detail(session, 999_999) is None


# ---------------------------------------------------------------------------------------------
# The "five years question"
# ---------------------------------------------------------------------------------------------


def test_organisations_met_in_2025_includes_one_only_hosted(session, ids):
    # "Organisations met or hosted". Interactions: O2 (I16, I18), O1 (I17), O3 (I19), O9
    # (I21). Missions starting in 2025: M2 hosting O2 and O10 (only hosted). M4
    # (2024-12-30..2025-01-03, with O3) started in 2024: it counts there, not here.
    start, end = D("2025-01-01"), D("2025-12-31")
    assert count_organisations_met(session, start, end) == 5
    frame = list_organisations_met(session, start, end)
    assert list(frame.columns) == [
        "id", "name", "kind", "country_iso2", "sector_code", "first_met_on", "last_met_on",
        "meetings",
    ]  # fmt: skip
    assert frame.values.tolist() == [
        [ids["O1"], "Alpha Data SAS", "company", "FR", "digital", D("2025-01-15"),
         D("2025-01-15"), 1],
        [ids["O9"], "Atelier d'Azur", "company", "FR", "tourism", D("2025-12-15"),
         D("2025-12-15"), 1],
        # I16 on 01-01, I18 on 06-11, M2 until 06-12.
        [ids["O2"], "Bharat Energy Ltd", "company", "IN", "energy", D("2025-01-01"),
         D("2025-06-12"), 2],
        [ids["O10"], "Chennai Robotics Pvt Ltd", "company", "IN", "digital", D("2025-06-10"),
         D("2025-06-12"), 0],
        # I19 on 09-30 only (M4 belongs to 2024).
        [ids["O3"], "Kraftwerk GmbH", "company", "DE", "energy", D("2025-09-30"),
         D("2025-09-30"), 1],
    ]  # fmt: skip
    assert list_organisations_met(session, start, end, limit=2)["name"].tolist() == [
        "Alpha Data SAS",
        "Atelier d'Azur",
    ]
    # The page's one-pass reader: the same five organisations counted, the first two listed.
    total, first_two = get_organisations_met(session, start, end, limit=2)
    assert (total, first_two["name"].tolist()) == (5, ["Alpha Data SAS", "Atelier d'Azur"])
    assert get_organisations_met(session, start, end, limit=0)[0] == 5


def test_organisations_met_over_five_years(session, ids):
    # Everyone met or hosted at least once: O1, O2, O3, O4, O5, O7, O9, O10. Never met: O6,
    # O8, O11, O12.
    start, end = D("2021-01-01"), D("2025-12-31")
    assert count_organisations_met(session, start, end) == 8
    frame = list_organisations_met(session, start, end)
    assert frame["id"].tolist() == [
        ids[k] for k in ("O1", "O9", "O2", "O10", "O5", "O3", "O4", "O7")
    ]
    # O2: I3, I10, I13, I16, I18 = 5 meetings, from 2023-03-01 to M2's last day.
    bharat = frame[frame["id"] == ids["O2"]].iloc[0]
    assert (bharat["meetings"], bharat["first_met_on"], bharat["last_met_on"]) == (
        5,
        D("2023-03-01"),
        D("2025-06-12"),
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # M2's first day: O2 and O10 hosted, no interaction that day.
        ("2025-06-10", "2025-06-10", ["O2", "O10"]),
        # M2's last day: M2 started on 06-10, so it is not counted again.
        ("2025-06-12", "2025-06-12", []),
        # The day after M2 up to the day before I19: nobody.
        ("2025-06-13", "2025-09-29", []),
        # Up to I19's day.
        ("2025-06-13", "2025-09-30", ["O3"]),
        # Around the new year: I6 (12-31) and I7 (01-01), both with O4.
        ("2023-12-31", "2024-01-01", ["O4"]),
        # M4 starts on 2024-12-30; I15 (O3) on 12-31.
        ("2024-12-30", "2024-12-30", ["O3"]),
        # M4's last days, in 2025: M4 is 2024's; I16 (O2) on 01-01.
        ("2025-01-01", "2025-01-03", ["O2"]),
        # A day before M4: nobody.
        ("2024-12-29", "2024-12-29", []),
    ],
)
def test_organisations_met_boundaries(session, ids, start, end, expected):
    assert count_organisations_met(session, D(start), D(end)) == len(expected)
    frame = list_organisations_met(session, D(start), D(end))
    assert sorted(frame["id"].tolist()) == sorted(ids[k] for k in expected)


def test_organisations_met_meetings_around_new_year(session, ids):
    frame = list_organisations_met(session, D("2023-12-31"), D("2024-01-01"))
    assert frame[["name", "first_met_on", "last_met_on", "meetings"]].values.tolist() == [
        ["Santé Plus", D("2023-12-31"), D("2024-01-01"), 2]
    ]


def test_organisations_met_in_an_empty_range(session):
    assert count_organisations_met(session, D("2024-01-01"), D("2024-12-31")) == 0
    frame = list_organisations_met(session, D("2024-01-01"), D("2024-12-31"))
    assert frame.empty
    assert "first_met_on" in frame.columns
