"""AppTest runs of the Missions page on the hand-made data set of ``tests/fixtures_missions.py``,
with and without filters, in both languages, and on an empty database.

The page reads the real date as "today". Every fixture mission ended before 2025-12-01 and
every next step was due by 2025-07-01, so on any later day all missions are past and the
overdue follow-ups are I2 and I4 (GITEX), I6 and I7 (India): the figures below hold for any
run after that day. Expected cells are formatted here with babel directly.
"""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date
from babel.numbers import format_compact_currency, format_currency

from tests.apptest_support import ROOT, all_text, point_app_at, run_app
from tests.fixtures_missions import build_mission_fixture, chamber_ids
from tests.writers import writer

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "missions.py")
BOTH_YEARS = {"period": "custom", "from": "2024-01-01", "to": "2025-12-31"}
TITLES = {"fr": "Missions, salons et délégations", "en": "Missions, trade fairs and delegations"}
HEADLINE = {
    "fr": ("Missions", "Échanges", "Prospects créés", "Projets gagnés", "Emplois annoncés (gagnés)",
           "Suites en retard"),
    "en": ("Missions", "Meetings held", "Leads created", "Projects won", "Jobs announced (won)",
           "Follow-ups overdue"),
}  # fmt: skip
PAST = {"fr": "Passée", "en": "Past"}


@pytest.fixture
def mission_app(ref_engine, monkeypatch):
    assert date.today() > date(2025, 12, 1)  # see the module docstring
    with writer(ref_engine) as session:
        ids = build_mission_fixture(session)
        ids["chamber_IN"] = chamber_ids(session)["IN"]
    point_app_at(monkeypatch, ref_engine, demo=False)
    return ids


@pytest.fixture
def empty_app(ref_engine, monkeypatch):
    point_app_at(monkeypatch, ref_engine, demo=False)
    return ref_engine


def eur(value: float, lang: str) -> str:
    """What the page shows: compact from 100,000 EUR, else whole euros."""
    if value >= 100_000:
        return format_compact_currency(value, "EUR", locale=lang, fraction_digits=1)
    pattern = "#,##0\xa0¤" if lang == "fr" else "¤#,##0"
    return format_currency(value, "EUR", format=pattern, locale=lang, currency_digits=False)


def day(value: str, lang: str) -> str:
    return format_date(date.fromisoformat(value), format="medium", locale=lang)


def headline(at, lang: str) -> tuple[str, ...]:
    values = {m.label: m.value for m in at.metric}
    return tuple(values[label] for label in HEADLINE[lang])


def table_rows(at) -> dict[str, list[str]]:
    frame = at.dataframe[0].value
    return {row[0]: list(row[1:]) for row in frame.itertuples(index=False)}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_missions_of_2024_2025(mission_app, lang):
    at = run_app(PAGE, lang=lang, params=BOTH_YEARS)
    assert not at.exception
    assert at.title[0].value == TITLES[lang]
    # 4 missions (CIIE 2023 is outside); meetings 4 + 3 + 2; leads 3 + 2; won P1, P3, P5;
    # jobs 100 + 60 + 25; overdue I2, I4, I6, I7.
    assert headline(at, lang) == ("4", "9", "5", "3", "185", "4")
    rows = table_rows(at)
    assert list(rows) == [
        "GITEX Dubai 2024",
        "India mission 2025",
        "Delegation in Provence",
        "CIIE Shanghai 2025",
    ]
    gitex = rows["GITEX Dubai 2024"]
    assert gitex[1] == f"{day('2024-10-14', lang)} – {day('2024-10-18', lang)}"
    assert gitex[3] == "CCI France Émirats arabes unis"
    assert gitex[4] == PAST[lang]
    # budget, orgs, meetings, leads, won, jobs, done, overdue, cost per lead
    assert gitex[5:] == [
        eur(100_000, lang), "4", "4", "3", "2", "160", "1", "2", eur(100_000 / 3, lang),
    ]  # fmt: skip
    assert rows["India mission 2025"][5:] == [
        eur(60_000, lang), "2", "3", "2", "1", "25", "1", "2", eur(30_000, lang),
    ]  # fmt: skip
    # No budget, no lead: no cost per lead.
    assert rows["Delegation in Provence"][5] == "—"
    assert rows["Delegation in Provence"][-1] == "—"
    assert rows["CIIE Shanghai 2025"][-1] == "—"
    assert len(at.get("plotly_chart")) == 2  # timeline and leads / cost bars
    assert len(at.get("download_button")) == 2  # CSV and Excel


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sector_filter(mission_app, lang):
    at = run_app(PAGE, lang=lang, params={**BOTH_YEARS, "sectors": "energy"})
    assert not at.exception
    # Energy only: I3 and I5 (done), P3 (60 jobs) and P5 (25 jobs).
    assert headline(at, lang) == ("4", "2", "2", "2", "85", "0")
    assert table_rows(at)["GITEX Dubai 2024"][5:] == [
        eur(100_000, lang), "1", "1", "1", "1", "60", "0", "0", eur(100_000, lang),
    ]  # fmt: skip


def test_chamber_filter_keeps_the_missions_leads(mission_app):
    params = {**BOTH_YEARS, "chamber": str(mission_app["chamber_IN"])}
    at = run_app(PAGE, lang="en", params=params)
    assert not at.exception
    assert list(table_rows(at)) == ["India mission 2025"]
    assert headline(at, "en") == ("1", "3", "2", "1", "25", "2")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_detail_of_gitex(mission_app, lang):
    at = run_app(PAGE, lang=lang, params=BOTH_YEARS)
    at.selectbox(key="missions_detail").select(mission_app["M1"]).run()
    assert not at.exception
    assert "GITEX Dubai 2024" in [s.value for s in at.subheader]
    tabs = [tab.label for tab in at.tabs]
    if lang == "fr":
        assert tabs == [
            "Organisations rencontrées (4)",
            "Échanges (4)",
            "Prospects (3)",
            "Suites en retard (2)",
            "Personnes rencontrées (0)",  # none recorded as met in this fixture
        ]
    else:
        assert tabs == [
            "Organisations met (4)",
            "Meetings held (4)",
            "Leads (3)",
            "Overdue follow-ups (2)",
            "People met (0)",
        ]
    organisations = at.dataframe[1].value
    assert organisations.iloc[:, 0].tolist() == [
        "Gulf Ports LLC",
        "Bharat Energy Ltd",
        "Dubai Cloud FZ",
        "Mumbai Pharma",
    ]
    assert organisations.iloc[:, 3].tolist() == ["2", "1", "1", "0"]
    leads = at.dataframe[3].value
    assert leads.iloc[:, 0].tolist() == ["Gulf Terminal", "Bharat Grid", "Dubai Edge"]
    overdue = at.dataframe[4].value
    assert overdue.iloc[:, 0].tolist() == [day("2024-10-16", lang), day("2024-10-17", lang)]
    assert len(at.get("download_button")) == 10  # CSV and Excel of 5 tables


def test_empty_period(mission_app):
    at = run_app(PAGE, lang="fr", params={"period": "year", "year": str(date.today().year)})
    assert not at.exception
    assert "Aucune mission ne chevauche la période" in all_text(at)
    assert not at.dataframe


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_database(empty_app, lang):
    at = run_app(PAGE, lang=lang)
    assert not at.exception
    text = all_text(at)
    assert ("Aucune mission" if lang == "fr" else "No mission overlaps") in text


def test_calendar_adds_coming_missions_once():
    import pandas as pd

    from components.missions_views import timeline_frame

    period = pd.DataFrame({"id": [2, 1], "starts_on": [date(2025, 1, 5), date(2025, 3, 1)]})
    coming = pd.DataFrame({"id": [1, 3], "starts_on": [date(2025, 3, 1), date(2025, 2, 1)]})
    assert timeline_frame(period, coming)["id"].tolist() == [2, 3, 1]
    assert timeline_frame(period, coming.iloc[:1])["id"].tolist() == [2, 1]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_timeline_month_labels_come_from_babel(lang):
    from babel.dates import format_skeleton

    from components.missions_views import _month_ticks

    values, texts = _month_ticks(date(2025, 11, 20), date(2026, 2, 3), lang)
    months = [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert values == [m.isoformat() for m in months]
    assert texts == [format_skeleton("yMMM", m, locale=lang) for m in months]
    assert texts[0] == ("nov. 2025" if lang == "fr" else "Nov 2025")


def test_this_year_shows_the_ongoing_mission_and_announces_coming_ones(ref_engine, monkeypatch):
    from datetime import timedelta

    from core.records import create_mission
    from models import MissionCreate, MissionKind

    today = date.today()
    with writer(ref_engine) as session:
        for name, start, end in (
            ("Ongoing fair", today - timedelta(days=1), today + timedelta(days=1)),
            ("Coming mission", today + timedelta(days=30), today + timedelta(days=32)),
        ):
            data = MissionCreate(
                name=name,
                kind=MissionKind.TRADE_FAIR,
                starts_on=start,
                ends_on=end,
                country_iso2="IN",
            )
            create_mission(session=session, data=data, author="test")
    point_app_at(monkeypatch, ref_engine, demo=False)
    at = run_app(PAGE, lang="fr", params={"period": "ytd"})
    assert not at.exception
    # The year to date ends today: the table holds the ongoing fair only (it overlaps the
    # period even on 1 January), the calendar announces the coming year.
    rows = table_rows(at)
    assert list(rows) == ["Ongoing fair"]
    assert rows["Ongoing fair"][4] == "En cours"
    assert rows["Ongoing fair"][5] == "—"  # no budget
    assert "les 365 prochains jours" in all_text(at)
