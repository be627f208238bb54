"""What the database keeps summarised (migration 0013_summaries, core.summaries) stays equal
to a full recomputation after every kind of write, and holds the hand-worked values of the
shared fixture (tests/fixtures.py).

Hand-worked from the fixture's interactions (I1..I21):
  2023: I1..I6   6 meetings, organisations O1, O2, O3, O7, O4            -> 5
  2024: I7..I15  9 meetings, organisations O4, O5, O2, O3, O7            -> 5
  2025: I16..I21 6 meetings, organisations O2, O1, O3, O9 (I20 has none) -> 4
  months: 2024-03 I9 (O5), I10 (O2) -> 2 and 2; 2024-10 I12 (O5), I13 (O2) -> 2 and 2;
          2025-06 I18 (O2) -> 1 and 1; 2025-11 I20 (no organisation) -> 1 and 0.
Organisations' years (organisationyear: first and last meeting of the year, company; O5 is
an investor, the others companies):
  2023: O1 01-20..02-10, O2 03-01, O3 06-01, O7 11-07, O4 12-31
  2024: O4 01-01..02-15, O5 03-01..10-15 (not a company), O2 03-01..10-16, O3 04-10..12-31,
        O7 11-05
  2025: O2 01-01..06-11, O1 01-15, O3 09-30, O9 12-15
Stage stays' ends, P12: lead 2024-06-01 -> 2024-12-31; on hold 2024-12-31 -> 2024-12-31 (the
same day's later change); lead 2024-12-31 -> 2025-09-30; won 2025-09-30 -> none (current).
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core import lookups, records
from core.demo import clear_demo, seed_demo
from core.edits import update_interaction
from core.importing import apply_import, guess_mapping, plan_import, read_table
from core.kpis import get_headline_kpis
from core.meetings import log_meeting
from core.merging import merge_organisations
from core.performance import get_performance_kpis
from core.periods import Period
from core.personal_data import anonymise_person
from core.summaries import (
    POSTGRES_SLOTS,
    organisations_met_by_year,
    rebuild_summaries,
    summary_differences,
)
from models import (
    Interaction,
    InteractionCreate,
    InteractionKind,
    InteractionOutcome,
    MeetingCount,
    MeetingOrigin,
    Organisation,
    OrganisationKind,
    OrganisationMet,
    OrganisationYear,
    ProjectPath,
    Stage,
    StageChange,
)
from tests.fixtures import build_fixture

D = date.fromisoformat
FIXTURE_YEARS = {2023: (6, 5), 2024: (9, 5), 2025: (6, 4)}
CLEAN = {
    "stage_stays": 0,
    "meeting_counts": 0,
    "organisations_met": 0,
    "organisation_years": 0,
    "project_paths": 0,
    "meetings_by_origin": 0,
}
#: Each organisation's last meeting (organisationmet), from I1..I21.
FIXTURE_LAST_MET = {
    "O1": "2025-01-15",  # I17
    "O2": "2025-06-11",  # I18
    "O3": "2025-09-30",  # I19
    "O4": "2024-02-15",  # I8
    "O5": "2024-10-15",  # I12
    "O7": "2024-11-05",  # I14
    "O9": "2025-12-15",  # I21
}


#: (organisation, year): (first meeting, last meeting, company), from I1..I21.
FIXTURE_ORG_YEARS = {
    ("O1", 2023): ("2023-01-20", "2023-02-10", True),
    ("O2", 2023): ("2023-03-01", "2023-03-01", True),
    ("O3", 2023): ("2023-06-01", "2023-06-01", True),
    ("O7", 2023): ("2023-11-07", "2023-11-07", True),
    ("O4", 2023): ("2023-12-31", "2023-12-31", True),
    ("O4", 2024): ("2024-01-01", "2024-02-15", True),
    ("O5", 2024): ("2024-03-01", "2024-10-15", False),
    ("O2", 2024): ("2024-03-01", "2024-10-16", True),
    ("O3", 2024): ("2024-04-10", "2024-12-31", True),
    ("O7", 2024): ("2024-11-05", "2024-11-05", True),
    ("O2", 2025): ("2025-01-01", "2025-06-11", True),
    ("O1", 2025): ("2025-01-15", "2025-01-15", True),
    ("O3", 2025): ("2025-09-30", "2025-09-30", True),
    ("O9", 2025): ("2025-12-15", "2025-12-15", True),
}


@pytest.fixture
def ids(session):
    return build_fixture(session)


def _spans(session, span: str) -> dict[date, tuple[int, int]]:
    """The stored counts of each year or month, their slots summed (one slot on SQLite)."""
    totals: dict[date, tuple[int, int]] = {}
    for r in session.exec(select(MeetingCount).where(MeetingCount.span == span)).all():
        meetings, organisations = totals.get(r.starts_on, (0, 0))
        totals[r.starts_on] = (meetings + r.meetings, organisations + r.organisations)
    return totals


def _years(session) -> dict[int, tuple[int, int]]:
    return {on.year: counts for on, counts in _spans(session, "year").items() if counts[0]}


def _last_met(session, ids) -> dict[str, str]:
    session.expire_all()
    keys = {v: k for k, v in ids.items() if k.startswith("O")}
    rows = session.exec(select(OrganisationMet)).all()
    return {keys[r.organisation_id]: r.last_met_on.isoformat() for r in rows}


def _org_years(session, ids) -> dict[tuple[str, int], tuple[str, str, bool]]:
    session.expire_all()
    keys = {v: k for k, v in ids.items() if k.startswith("O")}
    rows = session.exec(select(OrganisationYear)).all()
    return {
        (keys[r.organisation_id], r.year): (
            r.first_met_on.isoformat(),
            r.last_met_on.isoformat(),
            bool(r.company),
        )
        for r in rows
    }


def _month(session, on: str) -> tuple[int, int] | None:
    return _spans(session, "month").get(D(on))


def _stays(session, project_id: int) -> list[tuple[Stage, date, date | None]]:
    session.expire_all()
    rows = session.exec(
        select(StageChange)
        .where(StageChange.project_id == project_id)
        .order_by(StageChange.changed_on, StageChange.id)
    ).all()
    return [(r.to_stage, r.changed_on, r.left_on) for r in rows]


def test_fixture_holds_the_hand_worked_summaries(session, ids, ref_engine):
    assert _years(session) == FIXTURE_YEARS
    assert _month(session, "2024-03-01") == (2, 2)
    assert _month(session, "2024-10-01") == (2, 2)
    assert _month(session, "2025-06-01") == (1, 1)
    assert _month(session, "2025-11-01") == (1, 0)
    assert _month(session, "2024-05-01") is None
    assert _last_met(session, ids) == FIXTURE_LAST_MET
    assert _org_years(session, ids) == FIXTURE_ORG_YEARS
    assert _stays(session, ids["P12"]) == [
        (Stage.LEAD, D("2024-06-01"), D("2024-12-31")),
        (Stage.ON_HOLD, D("2024-12-31"), D("2024-12-31")),
        (Stage.LEAD, D("2024-12-31"), D("2025-09-30")),
        (Stage.WON, D("2025-09-30"), None),
    ]
    assert summary_differences(ref_engine) == CLEAN


def test_logged_meeting_and_corrected_date(session, ids, ref_engine):
    # O1 met again in 2024 (not met that year yet): one more meeting and organisation.
    log_meeting(
        session=session,
        meeting=InteractionCreate(
            occurred_on=D("2024-05-05"),
            kind=InteractionKind.MEETING,
            organisation_id=ids["O1"],
            author="alice",
        ),
    )
    assert _years(session) == {**FIXTURE_YEARS, 2024: (10, 6)}
    assert _month(session, "2024-05-01") == (1, 1)
    # I21 (O9, 2025-12-15) moved to 2024-12-15: 2025 loses O9, 2024 gains it.
    row = session.get(Interaction, ids["I21"])
    data = InteractionCreate.model_validate({**row.model_dump(), "occurred_on": D("2024-12-15")})
    update_interaction(session, interaction_id=ids["I21"], data=data, author="alice")
    assert _years(session) == {2023: (6, 5), 2024: (11, 7), 2025: (5, 3)}
    assert _last_met(session, ids) == {**FIXTURE_LAST_MET, "O9": "2024-12-15"}
    moved = {k: v for k, v in FIXTURE_ORG_YEARS.items() if k != ("O9", 2025)}
    assert _org_years(session, ids) == {
        **moved,
        ("O1", 2024): ("2024-05-05", "2024-05-05", True),
        ("O9", 2024): ("2024-12-15", "2024-12-15", True),
    }
    assert _month(session, "2025-12-01") in (None, (0, 0))
    assert summary_differences(ref_engine) == CLEAN


def test_merge_of_two_organisations_met_the_same_year(session, ids, ref_engine):
    # O4 merged into O1: in 2023 both were met (I1, I2 and I6): one organisation fewer.
    merge_organisations(session, keep_id=ids["O1"], merge_id=ids["O4"])
    assert _years(session) == {2023: (6, 4), 2024: (9, 5), 2025: (6, 4)}
    merged = {k: v for k, v in FIXTURE_LAST_MET.items() if k != "O4"}
    assert _last_met(session, ids) == merged  # O1's last (2025-01-15) is after O4's
    # O1's 2023 widens to O4's 2023-12-31; O4's 2024 becomes O1's.
    kept = {k: v for k, v in FIXTURE_ORG_YEARS.items() if k[0] != "O4"}
    assert _org_years(session, ids) == {
        **kept,
        ("O1", 2023): ("2023-01-20", "2023-12-31", True),
        ("O1", 2024): ("2024-01-01", "2024-02-15", True),
    }
    assert summary_differences(ref_engine) == CLEAN


def test_imported_meetings(session, ids, ref_engine):
    text = (
        "Date;Entreprise;Type\n"
        "05/05/2024;Alpha Data SAS;Rendez-vous\n"
        "02/02/2025;Atelier d'Azur;Appel\n"
    )
    table = read_table(text.encode("utf-8"), "rdv.csv")
    plan = plan_import(session, table, guess_mapping(table.headers, "interactions"), "interactions")
    apply_import(session, plan, author="test")
    # O1 new in 2024; O9 already met in 2025 (I21).
    assert _years(session) == {2023: (6, 5), 2024: (10, 6), 2025: (7, 4)}
    assert summary_differences(ref_engine) == CLEAN


def test_anonymised_person_changes_no_count(session, ids, ref_engine):
    anonymise_person(session, person_id=ids["Pe1"], author="admin")
    assert _years(session) == FIXTURE_YEARS
    assert summary_differences(ref_engine) == CLEAN


def test_stage_change_ends_the_current_stay(session, ids, ref_engine):
    # P7: lead 2024-11-05, active 2025-03-01 (open): moved to negotiation on 2025-05-01.
    records.change_stage(
        session=session,
        project_id=ids["P7"],
        to_stage=Stage.NEGOTIATION,
        on=D("2025-05-01"),
        author="bob",
    )
    assert _stays(session, ids["P7"]) == [
        (Stage.LEAD, D("2024-11-05"), D("2025-03-01")),
        (Stage.ACTIVE, D("2025-03-01"), D("2025-05-01")),
        (Stage.NEGOTIATION, D("2025-05-01"), None),
    ]
    assert summary_differences(ref_engine) == CLEAN


#: Each project's path, worked out from the fixture's histories: (pipeline entry, the first
#: move into an open stage after its last loss or abandonment; furthest place on the main
#: path, Target 0 ... Landed 7). P6 was lost and P11 abandoned after their open moves, P10
#: never left Target, P13 was created won: no entry. P5 entered at its Lead (after Target);
#: P9's and P12's On hold are no loss.
FIXTURE_PATHS = {
    "P1": ("2023-02-10", 7), "P2": ("2023-09-01", 6), "P3": ("2024-02-01", 6),
    "P4": ("2023-06-01", 6), "P5": ("2024-02-15", 6), "P6": (None, 2),
    "P7": ("2024-11-05", 3), "P8": ("2025-01-15", 6), "P9": ("2023-03-01", 2),
    "P10": (None, 0), "P11": (None, 1), "P12": ("2024-06-01", 6), "P13": (None, 6),
}  # fmt: skip


def _paths(session, ids) -> dict[str, tuple[str | None, int]]:
    session.expire_all()
    keys = {v: k for k, v in ids.items() if k.startswith("P")}
    rows = session.exec(select(ProjectPath)).all()
    return {
        keys[r.project_id]: (r.entered_on and r.entered_on.isoformat(), r.furthest_rank)
        for r in rows
    }


def test_project_paths_follow_the_stage_history(session, ids, ref_engine):
    assert _paths(session, ids) == FIXTURE_PATHS
    # P6, lost on 2025-02-10, comes back as a lead on 2025-05-01: a new run, a new entry.
    records.change_stage(
        session=session, project_id=ids["P6"], to_stage=Stage.LEAD, on=D("2025-05-01"),
        author="bob",
    )  # fmt: skip
    assert _paths(session, ids) == {**FIXTURE_PATHS, "P6": ("2025-05-01", 2)}
    # P7 moves on to negotiation: further on the path, same entry.
    records.change_stage(
        session=session, project_id=ids["P7"], to_stage=Stage.NEGOTIATION, on=D("2025-05-01"),
        author="bob",
    )  # fmt: skip
    assert _paths(session, ids)["P7"] == ("2024-11-05", 5)
    with ref_engine.begin() as conn:  # plain SQL: P1's lead moved, P6's comeback removed
        conn.execute(
            sa.update(StageChange)
            .where(StageChange.project_id == ids["P1"], StageChange.to_stage == Stage.LEAD)
            .values(changed_on=D("2023-01-05"))
        )
        conn.execute(
            sa.delete(StageChange).where(
                StageChange.project_id == ids["P6"], StageChange.changed_on == D("2025-05-01")
            )
        )
        # P8's lead turned into a loss by correction: no open move left after it.
        conn.execute(
            sa.update(StageChange)
            .where(StageChange.project_id == ids["P8"], StageChange.to_stage == Stage.LEAD)
            .values(to_stage=Stage.LOST)
        )
        # P10's only change deleted: no path at all.
        conn.execute(sa.delete(StageChange).where(StageChange.project_id == ids["P10"]))
    expected = {k: v for k, v in FIXTURE_PATHS.items() if k != "P10"}
    expected |= {"P1": ("2023-01-05", 7), "P7": ("2024-11-05", 5), "P8": (None, 6)}
    assert _paths(session, ids) == expected
    assert summary_differences(ref_engine) == CLEAN
    with ref_engine.begin() as conn:  # lost rows are found and repaired
        conn.execute(sa.text("DELETE FROM projectpath"))
    assert summary_differences(ref_engine)["project_paths"] == 12
    rebuild_summaries(ref_engine)
    assert _paths(session, ids) == expected


#: Meetings (and organisations) per month with Indian organisations: O2's I3, I10, I13, I16,
#: I18 (O6 and O10, Indian too, have no interaction).
FIXTURE_INDIA = {
    "2023-03-01": (1, 1), "2024-03-01": (1, 1), "2024-10-01": (1, 1), "2025-01-01": (1, 1),
    "2025-06-01": (1, 1),
}  # fmt: skip


def _origins(session, country: str) -> dict[str, tuple[int, int]]:
    session.expire_all()
    totals: dict[str, tuple[int, int]] = {}
    rows = session.exec(select(MeetingOrigin).where(MeetingOrigin.country_iso2 == country))
    for r in rows.all():
        meetings, organisations = totals.get(r.starts_on.isoformat(), (0, 0))
        totals[r.starts_on.isoformat()] = (meetings + r.meetings, organisations + r.organisations)
    return {on: counts for on, counts in totals.items() if counts != (0, 0)}


def test_meetings_by_origin_follow_meetings_and_countries(session, ids, ref_engine):
    assert _origins(session, "IN") == FIXTURE_INDIA
    assert _origins(session, "US") == {  # O3 (HQ DE, control US): I4, I11, I15, I19
        "2023-06-01": (1, 1), "2024-04-01": (1, 1), "2024-12-01": (1, 1), "2025-09-01": (1, 1),
    }  # fmt: skip
    for organisation, on in (("O2", "2024-03-05"), ("O10", "2024-03-20")):
        log_meeting(
            session=session,
            meeting=InteractionCreate(
                occurred_on=D(on), organisation_id=ids[organisation], author="alice"
            ),
        )
    # March 2024: I10 and the new meeting of O2 (one organisation), then O10's.
    assert _origins(session, "IN") == {**FIXTURE_INDIA, "2024-03-01": (3, 2)}
    assert _origins(session, "FR").get("2024-03-01") is None  # no French meeting then
    with ref_engine.begin() as conn:  # O10 turns out to be French: its meeting moves
        conn.execute(
            sa.update(Organisation)
            .where(Organisation.id == ids["O10"])
            .values(hq_country_iso2="FR")
        )
    assert _origins(session, "IN") == {**FIXTURE_INDIA, "2024-03-01": (2, 1)}
    assert _origins(session, "FR")["2024-03-01"] == (1, 1)
    assert summary_differences(ref_engine) == CLEAN
    with ref_engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM meetingorigin WHERE country_iso2 = 'US'"))
    assert summary_differences(ref_engine)["meetings_by_origin"] == 4
    rebuild_summaries(ref_engine)
    assert summary_differences(ref_engine) == CLEAN


def test_plain_sql_is_followed_and_rebuild_repairs(session, ids, ref_engine):
    with ref_engine.begin() as conn:  # the database keeps them whoever writes
        conn.execute(sa.delete(Interaction).where(Interaction.id == ids["I17"]))
        conn.execute(
            sa.update(StageChange)
            .where(StageChange.project_id == ids["P9"], StageChange.to_stage == Stage.ON_HOLD)
            .values(changed_on=D("2024-01-15"))
        )
        # Two meetings of O1 in 2022 in one multi-row statement: one organisation.
        rows = [
            {
                "occurred_on": D(on),
                "kind": InteractionKind.CALL,
                "organisation_id": ids["O1"],
                "outcome": InteractionOutcome.INFORMATION,
                "author": "sql",
                "next_step_done": False,
                "is_demo": False,
                "created_at": datetime(2026, 1, 1, tzinfo=UTC),
            }
            for on in ("2022-03-01", "2022-03-02")
        ]
        conn.execute(sa.insert(Interaction).values(rows))
    # I17 was O1's only meeting of 2025: 2025 keeps O2, O3 and O9; O1's last is now I2.
    assert _years(session) == {2022: (2, 1), **FIXTURE_YEARS, 2025: (5, 3)}
    assert _last_met(session, ids) == {**FIXTURE_LAST_MET, "O1": "2023-02-10"}
    without = {k: v for k, v in FIXTURE_ORG_YEARS.items() if k != ("O1", 2025)}
    assert _org_years(session, ids) == {
        **without,
        ("O1", 2022): ("2022-03-01", "2022-03-02", True),
    }
    assert _stays(session, ids["P9"]) == [
        (Stage.LEAD, D("2023-03-01"), D("2024-01-15")),
        (Stage.ON_HOLD, D("2024-01-15"), D("2024-09-01")),
        (Stage.LEAD, D("2024-09-01"), D("2025-04-01")),
        (Stage.QUALIFIED, D("2025-04-01"), None),
    ]
    assert summary_differences(ref_engine) == CLEAN
    with ref_engine.begin() as conn:  # a summary broken behind the triggers' back
        conn.execute(sa.update(MeetingCount).values(meetings=0, organisations=0))
        conn.execute(sa.update(StageChange).values(left_on=None))
        conn.execute(sa.delete(OrganisationMet).where(OrganisationMet.organisation_id == ids["O2"]))
        conn.execute(
            sa.update(OrganisationYear)
            .where(OrganisationYear.organisation_id == ids["O3"])
            .values(company=False)
        )
    broken = summary_differences(ref_engine)
    assert broken["meeting_counts"] > 0 and broken["stage_stays"] > 0
    assert broken["organisations_met"] == 1
    assert broken["organisation_years"] == 3  # O3's 2023, 2024 and 2025
    assert rebuild_summaries(ref_engine)["stage_stays"] == broken["stage_stays"]
    assert summary_differences(ref_engine) == CLEAN
    session.expire_all()
    assert _years(session) == {2022: (2, 1), **FIXTURE_YEARS, 2025: (5, 3)}


def test_demo_inserts_and_deletion(session, ids, ref_engine):
    seed_demo(ref_engine, scale=0.05, anchor=D("2026-11-28"))
    assert summary_differences(ref_engine) == CLEAN
    session.expire_all()
    assert _years(session)[2026][0] > 0
    clear_demo(ref_engine)
    session.expire_all()
    assert _years(session) == FIXTURE_YEARS
    assert _last_met(session, ids) == FIXTURE_LAST_MET
    assert _org_years(session, ids) == FIXTURE_ORG_YEARS
    assert summary_differences(ref_engine) == CLEAN


def test_organisation_kind_change_sets_its_years_flag(session, ids, ref_engine):
    o5 = session.get(Organisation, ids["O5"])
    o5.kind = OrganisationKind.COMPANY  # an investor recorded as a company after all
    session.add(o5)
    session.commit()
    assert _org_years(session, ids)[("O5", 2024)] == ("2024-03-01", "2024-10-15", True)
    with ref_engine.begin() as conn:  # and back, by plain SQL
        conn.execute(
            sa.update(Organisation)
            .where(Organisation.id == ids["O2"])
            .values(kind=OrganisationKind.PUBLIC_BODY)
        )
    years = _org_years(session, ids)
    assert [years[("O2", y)][2] for y in (2023, 2024, 2025)] == [False, False, False]
    assert summary_differences(ref_engine) == CLEAN


def test_organisations_met_from_the_years(session, ids):
    # From 1 January to 15 October 2024: O4, O5, O2, O3 met (first meetings by then); O5 is
    # an investor: 3 companies. I7..I12: 6 meetings.
    ytd = Period(D("2024-01-01"), D("2024-10-15"))
    assert organisations_met_by_year(session, ytd) == (4, 3)
    kpis = get_headline_kpis(session, ytd, today=D("2026-11-28"))
    assert (kpis.meetings, kpis.organisations_met, kpis.companies_met) == (6, 4, 3)
    assert get_performance_kpis(session, ytd).organisations_met == 4
    # From 1 April to 31 December 2024 (last meetings from then): O5, O2, O3, O7.
    assert organisations_met_by_year(session, Period(D("2024-04-01"), D("2024-12-31"))) == (4, 3)
    # Whole year 2023: O1, O2, O3, O7, O4, all companies.
    assert organisations_met_by_year(session, Period(D("2023-01-01"), D("2023-12-31"))) == (5, 5)
    # Neither from 1 January nor to 31 December, or over two years: counted from the rows.
    assert organisations_met_by_year(session, Period(D("2024-02-01"), D("2024-11-30"))) is None
    assert organisations_met_by_year(session, Period(D("2023-01-01"), D("2024-06-30"))) is None
    cut = get_headline_kpis(
        session, Period(D("2024-02-01"), D("2024-11-30")), today=D("2026-11-28")
    )
    # I8..I14: O4, O5, O2, O3, O7 (O5 not a company).
    assert (cut.meetings, cut.organisations_met, cut.companies_met) == (7, 5, 4)


def test_filter_bar_choices_by_skipping(session, ids):
    # Owners: none in the fixture; countries: the HQ or control countries of O1..O12.
    assert lookups.list_owners(session) == []
    assert lookups.list_organisation_countries(session) == ["AE", "CN", "DE", "FR", "IN", "US"]
    records.create_interaction(
        session=session,
        data=InteractionCreate(
            occurred_on=D("2024-05-05"),
            kind=InteractionKind.CALL,
            organisation_id=ids["O1"],
            author="alice",
            owner="Zoé",
        ),
    )
    assert lookups.list_owners(session) == ["Zoé"]


def test_monthly_trend_mixes_stored_months_and_cut_ones(session, ids):
    from core.kpis import get_monthly_trend
    from core.periods import Period

    # Whole months March..September read meetingcount (March: I9, I10; April: I11); February
    # and October are cut by the period: I8 (2024-02-15) is before it, I12 (2024-10-15) in
    # it, I13 (2024-10-16) after it.
    trend = get_monthly_trend(session, Period(D("2024-02-20"), D("2024-10-15")))
    assert [m.isoformat() for m in trend["month"]] == [f"2024-{m:02d}-01" for m in range(2, 11)]
    assert list(trend["meetings"]) == [0, 2, 1, 0, 0, 0, 0, 0, 1]


def test_directory_organisations_met_since_a_date(session, ids):
    from core.directory import get_organisations_met

    # Nothing is logged after 2026-12-31: the count and the first names come from
    # organisationmet. Met since 2024: O4, O5, O2, O3, O7, O1, O9; hosted by M1, M2, M4:
    # O5, O2, O10, O3; O10 (hosted only) counts: 8.
    total, frame = get_organisations_met(session, D("2024-01-01"), D("2026-12-31"), limit=3)
    assert total == 8
    assert list(frame["id"]) == [ids["O1"], ids["O9"], ids["O2"]]
    assert list(frame["meetings"]) == [1, 1, 4]  # I17; I21; I10, I13, I16, I18
    assert [d.isoformat() for d in frame["first_met_on"]] == [
        "2025-01-15",
        "2025-12-15",
        "2024-03-01",
    ]
    # O2's last contact is M2's last day (2025-06-12), after I18 (2025-06-11).
    assert [d.isoformat() for d in frame["last_met_on"]] == [
        "2025-01-15",
        "2025-12-15",
        "2025-06-12",
    ]


def test_demo_loaded_with_deferred_summaries(session, ids, ref_engine):
    # On PostgreSQL the load disables the summaries' triggers and computes them once; on
    # SQLite the option changes nothing. Either way the summaries equal a full recomputation
    # and the triggers follow the next writes (the demo's deletion).
    seed_demo(ref_engine, scale=0.05, anchor=D("2026-11-28"), defer_summaries=True)
    assert summary_differences(ref_engine) == CLEAN
    if ref_engine.dialect.name == "postgresql":
        with ref_engine.connect() as conn:
            states = dict(
                conn.execute(
                    sa.text(
                        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgname IN "
                        "('interaction_count', 'interaction_origin', 'interaction_year', "
                        "'stagechange_left', 'stagechange_path')"
                    )
                ).all()
            )
        assert states == dict.fromkeys(
            (
                "interaction_count",
                "interaction_origin",
                "interaction_year",
                "stagechange_left",
                "stagechange_path",
            ),
            "O",
        )
    session.expire_all()
    meetings_2026 = _years(session)[2026][0]
    clear_demo(ref_engine)
    session.expire_all()
    assert _years(session) == FIXTURE_YEARS
    assert meetings_2026 > 0
    assert summary_differences(ref_engine) == CLEAN


def _meeting_of(organisation_id: int, on: str) -> dict:
    return {
        "occurred_on": D(on),
        "kind": InteractionKind.CALL,
        "organisation_id": organisation_id,
        "outcome": InteractionOutcome.INFORMATION,
        "author": "sql",
        "next_step_done": False,
        "is_demo": False,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
    }


def _log_while_another_is_open(engine, first: dict, second: dict) -> bool:
    """Insert ``first`` in an open transaction, then ``second`` from another thread; True
    when the second finished before the first committed (it did not wait for it)."""
    done = threading.Event()

    def write_second() -> None:
        with engine.begin() as conn:
            conn.execute(sa.insert(Interaction).values(second))
        done.set()

    with engine.connect() as conn:
        with conn.begin():
            conn.execute(sa.insert(Interaction).values(first))
            writer = threading.Thread(target=write_second)
            writer.start()
            finished_first = done.wait(timeout=5)
        writer.join(timeout=30)
    assert done.is_set()
    return finished_first


def test_concurrent_writers_of_one_organisation_count_it_once(session, ids, ref_engine):
    if ref_engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite holds one writer at a time)")
    # O1 in March 2022 twice, from two transactions at once: the second waits for the first
    # (same organisation, same slot's row) and sees its meeting: one organisation.
    waited = not _log_while_another_is_open(
        ref_engine, _meeting_of(ids["O1"], "2022-03-01"), _meeting_of(ids["O1"], "2022-03-02")
    )
    assert waited
    assert _years(session)[2022] == (2, 1)
    assert _month(session, "2022-03-01") == (2, 1)
    # O1 and O2 (ids in different slots) in April 2022 at once: neither waits for the other.
    assert (ids["O1"] - ids["O2"]) % POSTGRES_SLOTS != 0
    assert _log_while_another_is_open(
        ref_engine, _meeting_of(ids["O1"], "2022-04-01"), _meeting_of(ids["O2"], "2022-04-01")
    )
    session.expire_all()
    assert _years(session)[2022] == (4, 2)
    assert _month(session, "2022-04-01") == (2, 2)
    assert summary_differences(ref_engine) == CLEAN
