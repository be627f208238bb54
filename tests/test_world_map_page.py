"""AppTest runs of the World map page, in French and English, with and without filters, on
the hand-built data set of ``tests/fixtures_geo.py`` and on an empty database.

AppTest sees the pydeck map as an unknown element: the figures are checked on the tiles and
the top-countries table; the browser test checks the map itself.
"""

from __future__ import annotations

import json

import pytest
from babel.numbers import format_percent

from core.i18n import t
from tests.apptest_support import ROOT, all_text, point_app_at, run_app
from tests.fixtures_geo import build_geo_fixture
from tests.writers import writer

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "world_map.py")
YEAR_2025 = {"period": "year", "year": "2025"}


def pct(value: float, lang: str) -> str:
    return format_percent(value, locale=lang)


@pytest.fixture
def geo_app(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as session:
        ids = build_geo_fixture(session)
    point_app_at(monkeypatch, ref_engine, demo=False)
    return ids


def tiles(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def top_table(at) -> list[list[str]]:
    frame = at.dataframe[0].value
    return [[str(v) for v in row] for row in frame.itertuples(index=False)]


def test_projects_won_in_french(geo_app):
    at = run_app(PAGE, lang="fr", params=YEAR_2025)
    assert not at.exception
    # Projects won in 2025 by origin: India 3 (G1, G2, G10), United States 2, France 1;
    # G7 has no origin.
    assert tiles(at) == [
        ("Projets gagnés (origine connue)", "6"),
        ("Pays d'origine", "3"),
        ("Origine non renseignée", "1"),
    ]
    assert top_table(at) == [
        ["1", "Inde", "3", pct(0.5, "fr")],
        ["2", "États-Unis", "2", pct(2 / 6, "fr")],
        ["3", "France", "1", pct(1 / 6, "fr")],
    ]
    text = all_text(at)
    assert t("map.definition.projects_won", "fr") in text
    # Chambers that brought leads in 2025: CAE (G3, G9), CUS (G4, G5), IFCCI (G1).
    assert at.expander[0].label == t("map.chambers.title", "fr", n="3")
    chambers = at.dataframe[1].value
    assert list(chambers.iloc[:, 0]) == [
        "CCI France Émirats arabes unis",
        "French-American Chamber of Commerce New York",
        "Indo-French Chamber of Commerce and Industry",
    ]
    assert list(chambers.iloc[:, 3]) == ["2", "2", "1"]
    assert at.query_params["metric"] == "projects_won"


def _map_layers(at) -> tuple[dict[str, str], dict[str, str], dict[str, float]]:
    """The map's figures as drawn: each country's detail (those with a figure), each flow's
    detail and each chamber dot's radius, read from the JSON the page sends the browser."""
    (chart,) = at.get("deck_gl_json_chart")
    countries, flows, dots = json.loads(chart.proto.json)["layers"]
    return (
        {
            f["properties"]["iso2"]: f["properties"]["detail"]
            for f in countries["data"]["features"]
            if not f["properties"]["detail"].endswith(" 0")
        },
        {f["iso2"]: f["detail"] for f in flows["data"]},
        {d["name"]: d["radius"] for d in dots["data"]},
    )


def test_the_map_follows_the_figure_chosen_and_keeps_its_tooltip(geo_app):
    """The deck's JSON is cached per figures shown: a cached run sends the same map, with its
    tooltip; another figure draws another map."""
    at = run_app(PAGE, lang="fr", params=YEAR_2025)
    (chart,) = at.get("deck_gl_json_chart")
    assert json.loads(chart.proto.tooltip) == {
        "html": "<b>{name}</b><br/>{detail}",
        "style": {"fontSize": "15px"},
    }
    won = t("map.metric.projects_won", "fr")
    # Projects won in 2025 (see above): India 3, United States 2, France 1 (home: no flow).
    # Chambers' leads: CAE 2, CUS 2, IFCCI 1, radius 4 + 5 * sqrt(leads / 2).
    assert _map_layers(at) == (
        {"IN": f"{won} : 3", "US": f"{won} : 2", "FR": f"{won} : 1"},
        {"IN": f"{won} : 3", "US": f"{won} : 2"},
        {
            "CCI France Émirats arabes unis": 9.0,
            "French-American Chamber of Commerce New York": 9.0,
            "Indo-French Chamber of Commerce and Industry": 7.54,
        },
    )
    at.run()
    (again,) = at.get("deck_gl_json_chart")
    assert (again.proto.json, again.proto.tooltip) == (chart.proto.json, chart.proto.tooltip)

    at.segmented_control(key="map_metric").set_value("leads").run()
    assert not at.exception
    leads = t("map.metric.leads", "fr")
    # Leads in 2025: US 3, AE 2, France 1, India 1 (see the English test below).
    countries, flows, dots = _map_layers(at)
    assert countries == {
        "US": f"{leads} : 3",
        "AE": f"{leads} : 2",
        "FR": f"{leads} : 1",
        "IN": f"{leads} : 1",
    }
    assert flows == {"US": f"{leads} : 3", "AE": f"{leads} : 2", "IN": f"{leads} : 1"}


def test_metric_from_the_url_in_english(geo_app):
    at = run_app(PAGE, lang="en", params={**YEAR_2025, "metric": "leads"})
    assert not at.exception
    # Leads in 2025: US 3 (G4, G5, G11), AE 2 (G3, G9), France 1 (G6), India 1 (G1); G7 unknown.
    assert tiles(at) == [
        ("Leads (known origin)", "7"),
        ("Countries of origin", "4"),
        ("Origin not recorded", "1"),
    ]
    assert [row[1:3] for row in top_table(at)] == [
        ["United States", "3"],
        ["United Arab Emirates", "2"],
        ["France", "1"],
        ["India", "1"],
    ]
    assert at.segmented_control(key="map_metric").value == "leads"


def test_shared_filters_narrow_the_page(geo_app):
    params = {**YEAR_2025, "metric": "jobs_announced", "sectors": "digital"}
    at = run_app(PAGE, lang="fr", params=params)
    assert not at.exception
    # Digital projects won in 2025: G1 100 + G10 50 (IN), G11 15 (US), G6 10 (FR).
    assert tiles(at)[0] == ("Emplois annoncés (origine connue)", "175")
    assert [row[1:3] for row in top_table(at)] == [
        ["Inde", "150"],
        ["États-Unis", "15"],
        ["France", "10"],
    ]
    at = run_app(PAGE, lang="fr", params={**YEAR_2025, "metric": "meetings", "countries": "US"})
    assert not at.exception
    # Meetings of 2025 with US-controlled organisations: F (03-03) and B (12-31).
    assert tiles(at) == [
        ("Rendez-vous (origine connue)", "2"),
        ("Pays d'origine", "1"),
        ("Origine non renseignée", "0"),
    ]


def test_a_period_without_data_says_so(geo_app):
    at = run_app(PAGE, lang="en", params={"period": "year", "year": "2024"})
    assert not at.exception
    # 2024 holds no win: G2's lead (2024-12-31) is the only 2024 event of projects.
    assert tiles(at)[0] == ("Projects won (known origin)", "0")
    assert t("map.no_data", "en") in [i.value for i in at.info]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_database(engine, monkeypatch, lang):
    point_app_at(monkeypatch, engine, demo=False)
    at = run_app(PAGE, lang=lang)
    assert not at.exception
    assert at.title[0].value == t("map.title", lang)
    assert [m.value for m in at.metric] == ["0", "0", "0"]
    infos = [i.value for i in at.info]
    assert t("map.no_data", lang) in infos
    assert at.expander[0].label == t("map.chambers.title", lang, n="0")


# ---------------------------------------------------------------------------------------------
# The map's pieces (no database)
# ---------------------------------------------------------------------------------------------


def test_colour_classes():
    from components.map_views import PALETTE, class_breaks, class_colours, class_of, legend_labels

    assert class_breaks([3, 1, 0, 3]) == [1, 3]  # few values: one class each, zeros apart
    # Ten values, five classes: the 2nd, 4th, 6th, 8th and 10th smallest are the bounds.
    assert class_breaks([1, 1, 2, 2, 3, 4, 5, 8, 20, 90]) == [1, 2, 4, 8, 90]
    assert [class_of(v, [1, 2, 4, 8, 90]) for v in (0, 1, 3, 8, 9, 90)] == [None, 0, 2, 3, 4, 4]
    assert class_colours([1, 3]) == [PALETTE[0], PALETTE[-1]]
    assert class_colours([7]) == [PALETTE[-1]]
    assert legend_labels([1, 3, 1200], "en") == ["1", "2 – 3", "4 – 1,200"]
    assert legend_labels([1, 3, 1200], "fr")[2] == "4 – 1\u202f200"


def test_flows_skip_the_home_country_and_dots_follow_leads():
    import pandas as pd

    from components.map_views import build_chamber_dots, build_flows

    figures = pd.DataFrame(
        {"iso2": ["FR", "IN", "US"], "name": ["France", "Inde", "États-Unis"],
         "lat": [46.0, 20.0, 38.0], "lon": [2.0, 77.0, -97.0], "value": [9, 4, 1]}
    )  # fmt: skip
    flows = build_flows(
        figures, home=(43.3, 5.4), home_country="FR", lang="fr", metric_label="Leads"
    )
    # France is home: no arc. Widths 1.5 + 7.5 * sqrt(value / 4): 9.0 and 5.25.
    assert [(f["iso2"], f["source"], f["target"], f["width"]) for f in flows] == [
        ("IN", [77.0, 20.0], [5.4, 43.3], 9.0),
        ("US", [-97.0, 38.0], [5.4, 43.3], 5.25),
    ]
    assert (flows[0]["name"], flows[0]["detail"]) == ("Inde", "Leads : 4")
    chambers = pd.DataFrame(
        {"name": ["A", "B"], "lat": [1.0, 2.0], "lon": [3.0, 4.0], "leads": [4, 1]}
    )
    dots = build_chamber_dots(chambers, "en")
    assert [(d["position"], d["radius"]) for d in dots] == [([3.0, 1.0], 9.0), ([4.0, 2.0], 6.5)]
    assert (dots[1]["name"], dots[1]["detail"]) == ("B", "Leads brought: 1")


def test_the_deck_asks_for_no_basemap():
    """No map provider and pydeck's default style sentinel: Streamlit then draws no basemap.
    ``map_style=None`` would make Streamlit fetch CARTO's style from the internet."""
    import json

    from components.map_views import build_world_deck

    spec = json.loads(
        build_world_deck(
            {"type": "FeatureCollection", "features": []}, [], [], home=(43.3, 5.4)
        ).to_json()
    )
    assert "mapProvider" not in spec
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert [layer["@@type"] for layer in spec["layers"]] == [
        "GeoJsonLayer",
        "ArcLayer",
        "ScatterplotLayer",
    ]
    assert spec["layers"][2]["radiusUnits"] == "pixels"
    # Countries are picked by their fill only: picking the border paths took ~270 ms a click in
    # software WebGL, longer than the 250 ms deck.gl allows a click, so clicks were lost.
    assert spec["layers"][0]["pickable"] is True
    assert spec["layers"][0]["_subLayerProps"] == {"polygons-stroke": {"pickable": False}}


def test_country_records_follow_the_country_filter(geo_app):
    # A click on India sets the country filter to India: its records open at once.
    at = run_app(PAGE, lang="en", params={**YEAR_2025, "countries": "IN"})
    assert not at.exception
    picker = at.selectbox(key="map_country_drill")
    assert picker.value == "India — Projects won"
    records = [df.value for df in at.dataframe if "Code name" in df.value.columns]
    assert len(records) == 1
    # India's projects won in 2025: G1, G2 and G10 (see the tiles test above).
    assert sorted(records[0]["Code name"]) == ["Geo G1", "Geo G10", "Geo G2"]
    assert set(records[0]["Country of origin"]) == {"India"}
