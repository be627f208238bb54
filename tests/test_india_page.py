"""AppTest runs of the India focus page, in French and English, with and without filters, on
the hand-built data set of ``tests/test_india.py`` and on an empty database."""

from __future__ import annotations

import json

import pytest
from babel.numbers import format_percent

from core.i18n import t
from tests.apptest_support import ROOT, all_text, point_app_at, run_app
from tests.test_india import build_india_fixture
from tests.writers import writer

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "india.py")
YEAR_2025 = {"period": "year", "year": "2025"}


@pytest.fixture
def india_app(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as session:
        ids = build_india_fixture(session)
    point_app_at(monkeypatch, ref_engine, demo=False)
    return ids


def frame_rows(at, index: int) -> list[list[str]]:
    return [[str(v) for v in row] for row in at.dataframe[index].value.itertuples(index=False)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_india_page_2025(india_app, lang):
    at = run_app(PAGE, lang=lang, params=YEAR_2025)
    assert not at.exception
    # Leads 4 of 11, wins 4 of 8, jobs 270 of 360, meetings 6 of 11 (see tests/test_india.py).
    assert [(m.label, m.value) for m in at.metric] == [
        (t("india.share.leads", lang), format_percent(4 / 11, locale=lang)),
        (t("india.share.projects_won", lang), format_percent(0.5, locale=lang)),
        (t("india.share.jobs_announced", lang), format_percent(0.75, locale=lang)),
        (t("india.share.meetings", lang), format_percent(6 / 11, locale=lang)),
    ]
    assert at.metric[0].help.startswith(
        t("india.share.help", lang, india=4, world=11, definition="").strip()
    )
    # Yearly table, 2021 to 2025: India / all origins.
    assert frame_rows(at, 0) == [
        ["2021", "0 / 0", "0 / 0", "0 / 0"],
        ["2022", "0 / 0", "0 / 0", "0 / 0"],
        ["2023", "1 / 1", "0 / 0", "0 / 0"],
        ["2024", "1 / 1", "0 / 0", "0 / 0"],
        ["2025", "4 / 11", "4 / 8", "270 / 360"],
    ]
    # Open at the end of 2025: H2 qualified (20 jobs), H3 active (12 jobs).
    stages = {"fr": ["Qualifié", "Actif"], "en": ["Qualified", "Active"]}[lang]
    assert frame_rows(at, 1) == [[stages[0], "1", "20"], [stages[1], "1", "12"]]
    # Sectors: energy, digital, health (leads, wins, jobs).
    assert [row[1:] for row in frame_rows(at, 2)] == [
        ["2", "2", "120"],
        ["1", "2", "150"],
        ["1", "0", "0"],
    ]
    # Cities: Pune 2 (Maharashtra), Chennai 1, not recorded 1.
    places = frame_rows(at, 3)
    assert [places[0][0], places[0][2]] == ["Pune", "2"]
    assert [places[1][0], places[1][2]] == ["Chennai", "1"]
    assert places[2] == [t("common.unknown", lang), "", "1"]
    # The Indo-French chamber: 3 leads, 3 wins, 230 jobs, 1 mission.
    assert frame_rows(at, 4) == [
        ["Indo-French Chamber of Commerce and Industry", "3", "3", "230", "1"]
    ]
    # The fixture's coming actions (January and February 2026) are past by now.
    assert t("india.actions.empty", lang) in [i.value for i in at.info]


def test_country_filter_is_ignored_but_sector_filter_applies(india_app):
    at = run_app(PAGE, lang="fr", params={**YEAR_2025, "countries": "US"})
    assert not at.exception
    assert t("india.origin_filters_ignored", "fr") in all_text(at)
    assert at.metric[0].value == format_percent(4 / 11, locale="fr")
    at = run_app(PAGE, lang="en", params={**YEAR_2025, "sectors": "energy"})
    assert not at.exception
    # Energy: leads 2 of 5, wins 2 of 3, jobs 120 of 180, meetings 2 of 4.
    assert [m.value for m in at.metric] == [
        format_percent(2 / 5, locale="en"),
        format_percent(2 / 3, locale="en"),
        format_percent(120 / 180, locale="en"),
        format_percent(2 / 4, locale="en"),
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_database(engine, monkeypatch, lang):
    point_app_at(monkeypatch, engine, demo=False)
    at = run_app(PAGE, lang=lang)
    assert not at.exception
    assert at.title[0].value == t("india.title", lang)
    assert [m.value for m in at.metric] == ["—"] * 4  # no share without any figure
    infos = [i.value for i in at.info]
    for key in ("india.no_data", "india.pipeline.empty", "india.places.empty"):
        assert t(key, lang) in infos


def test_the_leads_of_a_city_on_the_map(india_app):
    at = run_app(PAGE, lang="en", params=YEAR_2025)
    picker = at.selectbox(key="india_places_drill")
    # One choice per known city (the leads of unknown city have no dot).
    assert picker.options == ["Pune — Leads", "Chennai — Leads"]
    picker.set_value("Pune — Leads").run()
    assert not at.exception
    records = [df.value for df in at.dataframe if "Code name" in df.value.columns]
    assert len(records) == 1
    # Pune's two Indian leads of 2025, as the places table counts them.
    assert len(records[0]) == 2
    assert set(records[0]["Country of origin"]) == {"India"}


def _city_dots(at) -> tuple[list[str], list[tuple[str, list[float], float, str]]]:
    """The map as sent to the browser: the ids of the shapes drawn under the dots, and each
    dot's name, position, radius and detail."""
    (chart,) = at.get("deck_gl_json_chart")
    shapes, cities = json.loads(chart.proto.json)["layers"]
    return (
        [f["id"] for f in shapes["data"]["features"]],
        [(d["name"], d["position"], d["radius"], d["detail"]) for d in cities["data"]],
    )


def test_the_map_of_cities_is_sent_again_as_it_was_and_follows_the_filters(india_app):
    """The map's JSON is cached per places shown: a cached run sends the same map, tooltip and
    selection; a sector filter draws another map."""
    at = run_app(PAGE, lang="fr", params=YEAR_2025)
    (chart,) = at.get("deck_gl_json_chart")
    assert json.loads(chart.proto.tooltip) == {
        "html": "<b>{name}</b><br/>{detail}",
        "style": {"fontSize": "15px"},
    }
    assert list(chart.proto.selection_mode) == [0]  # single object
    leads = t("india.col.leads", "fr")
    # India's shape only (ISO 356). Pune 2 leads, Chennai 1 (tests/test_india.py): radius
    # 5 + 11 * sqrt(leads / 2), i.e. 16 and 5 + 7.778 = 12.78 pixels.
    assert _city_dots(at) == (
        ["356"],
        [
            ("Pune (Mahārāshtra)", [73.8554, 18.5196], 16.0, f"{leads} : 2"),
            ("Chennai (Tamil Nādu)", [80.2785, 13.0878], 12.78, f"{leads} : 1"),
        ],
    )
    at.run()
    (again,) = at.get("deck_gl_json_chart")
    assert (again.proto.json, again.proto.tooltip, again.proto.id) == (
        chart.proto.json,
        chart.proto.tooltip,
        chart.proto.id,
    )
    # Health: Chennai Health's lead alone, the largest dot; in English.
    at = run_app(PAGE, lang="en", params={**YEAR_2025, "sectors": "health"})
    assert not at.exception
    assert _city_dots(at) == (
        ["356"],
        [("Chennai (Tamil Nādu)", [80.2785, 13.0878], 16.0, f"{t('india.col.leads', 'en')}: 1")],
    )
