"""The Network page's attributed results (issue 14): beside each chamber's leads, the projects
won in the period attributed to it by accepted claims, their verified jobs and the realisation
rate; the network's total, the presentation's figure; the records behind each. Hand-worked from
tests/fixtures_partners.py (2025, read on AS_OF = 2026-12-02):

  chamber A: A1, A4, P1 = 3 projects; checked A1 (34 of 40), P1 (5 of 7): 39 of 47, 83.0 %
  chamber B: B1, P1 = 2 projects; checked B1 (80 of 100), P1 (5 of 7): 85 of 107, 79.4 %
  network:   A1, A4, P1, B1 = 4 projects (P1 once), 34 + 5 + 80 = 119 verified jobs
Not counted: K4 (refused), K7 (pending, on an open lead), K8 (a staff member's claim).
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from core.confidentiality import Masking
from core.formatting import format_percent
from core.network import (
    ATTRIBUTION_RECORD_COLUMNS,
    list_chamber_records,
    list_chamber_results,
)
from core.periods import Period
from core.permissions import SignedIn
from core.results import results_figures
from models import Role
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app
from tests.fixtures_partners import AS_OF, build_network
from tests.writers import writer

D = date.fromisoformat
YEAR = Period(D("2025-01-01"), D("2025-12-31"))
CHAMBER_A = "Indo-French Chamber of Commerce and Industry"
CHAMBER_B = "CCI France Émirats arabes unis"


@pytest.fixture
def net(ref_engine):
    return build_network(ref_engine)


def records(engine, figure, chamber_id, masking=None, period=YEAR):
    with writer(engine) as s:
        return list_chamber_records(
            s, period, figure=figure, chamber_id=chamber_id, masking=masking, as_of=AS_OF
        )


def test_each_chamber_beside_its_leads_its_attributed_projects(ref_engine, net):
    with writer(ref_engine) as s:
        results = list_chamber_results(s, YEAR, as_of=AS_OF)
    assert results[
        ["chamber", "referred", "won", "jobs_announced", "attributed", "jobs_verified",
         "jobs_announced_checked"]
    ].values.tolist() == [
        [CHAMBER_A, 4, 2, 50, 3, 39, 47],
        [CHAMBER_B, 2, 1, 100, 2, 85, 107],
    ]  # fmt: skip
    assert results["realisation_rate"].tolist() == [
        pytest.approx(39 / 47),
        pytest.approx(85 / 107),
    ]


def test_the_network_total_is_the_presentation_figure(ref_engine, net):
    """Each project once (P1 is attributed to both chambers): 4 projects, 119 jobs, on the
    records of every chamber as in ``results_figures``."""
    every = records(ref_engine, "attributed", None)
    with writer(ref_engine) as s:
        figures = results_figures(s, YEAR, as_of=AS_OF)
    assert (figures["network_projects"], figures["network_jobs_verified"]) == (4, 119)
    assert len(every) == 4
    assert int(every["jobs_verified"].sum()) == 119


def test_the_records_behind_the_attributed_projects(ref_engine, net):
    every = records(ref_engine, "attributed", None)
    assert list(every.columns) == list(ATTRIBUTION_RECORD_COLUMNS)
    # Earliest decision first; P1's two chambers named together; A4 not checked yet.
    assert every[["id", "chamber", "decided_on", "jobs_announced"]].values.tolist() == [
        [net["P1"], f"{CHAMBER_B}, {CHAMBER_A}", D("2025-04-01"), 7],
        [net["B1"], CHAMBER_B, D("2025-05-01"), 100],
        [net["A1"], CHAMBER_A, D("2025-06-01"), 40],
        [net["A4"], CHAMBER_A, D("2025-11-01"), 10],
    ]
    assert every["jobs_verified"].tolist() == [5, 80, 34, pd.NA]
    assert every["checked_on"].tolist() == [D("2026-04-10"), D("2026-05-05"), D("2026-11-20"), None]
    mine = records(ref_engine, "attributed", net["chamber_a"])
    assert mine[["id", "chamber"]].values.tolist() == [
        [net["P1"], CHAMBER_A],
        [net["A1"], CHAMBER_A],
        [net["A4"], CHAMBER_A],
    ]


def test_the_records_behind_the_verified_jobs_and_the_rate(ref_engine, net):
    """The checked projects only: their verified jobs over their announced jobs is the rate."""
    checked = records(ref_engine, "jobs_verified", net["chamber_a"])
    assert checked[["id", "jobs_announced", "jobs_verified"]].values.tolist() == [
        [net["P1"], 7, 5],
        [net["A1"], 40, 34],
    ]
    b = records(ref_engine, "jobs_verified", net["chamber_b"])
    assert (int(b["jobs_verified"].sum()), int(b["jobs_announced"].sum())) == (85, 107)


def test_a_viewer_reads_the_confidential_project_masked(ref_engine, net):
    masked = records(ref_engine, "attributed", net["chamber_a"], Masking("PC", "CC"))
    assert masked[["id", "code_name", "organisation_name"]].values.tolist() == [
        [net["P1"], "P1", "Prospect Co"],
        [net["A1"], "A1", "Mahindra Aero"],
        [net["A4"], "PC", "CC"],
    ]


def test_a_chamber_attributed_without_a_lead_of_the_period_is_listed(ref_engine, net):
    """Leads referred in April 2025 only: A2 (A), none of B; wins of April: P1 (claims of A and
    B accepted). B is listed for its attribution with no lead; A4 and A1 are not April's."""
    april = Period(D("2025-04-01"), D("2025-04-30"))
    with writer(ref_engine) as s:
        results = list_chamber_results(s, april, as_of=AS_OF)
    assert results[
        ["chamber", "referred", "qualified", "won", "attributed", "jobs_verified"]
    ].values.tolist() == [[CHAMBER_A, 1, 1, 0, 1, 5], [CHAMBER_B, 0, 0, 0, 1, 5]]
    assert results["realisation_rate"].tolist() == [pytest.approx(5 / 7)] * 2


def test_before_any_check_in_the_rate_is_none(ref_engine, net):
    """Read on 2026-04-01 (cutoff 2025-04-01): only P1 is checkable, and not checked yet."""
    with writer(ref_engine) as s:
        results = list_chamber_results(s, YEAR, as_of=D("2026-04-01"))
    assert results[["attributed", "jobs_verified", "jobs_announced_checked"]].values.tolist() == [
        [3, 0, 0],
        [2, 0, 0],
    ]
    assert results["realisation_rate"].tolist() == [None, None]


def test_an_unknown_figure_is_an_error(ref_engine, net):
    with pytest.raises(ValueError, match="unknown figure 'nope'"):
        records(ref_engine, "nope", None)


# ---------------------------------------------------------------------------------------------
# The page (AppTest)
# ---------------------------------------------------------------------------------------------

NETWORK = str(ROOT / "pages" / "network.py")
YEAR_2025 = {"period": "custom", "from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture
def app(ref_engine, monkeypatch):
    ids = build_network(ref_engine)
    point_app_at(monkeypatch, ref_engine, demo=False)
    reset_caches()
    yield ids
    reset_caches()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_network_page_shows_the_attributed_results(app, lang):
    """Read today (after AS_OF: every check-in of the fixture is older, the same figures)."""
    viewer = SignedIn(3, "claire", "Claire Martin", Role.VIEWER)
    at = run_app(NETWORK, user=viewer, lang=lang, params=YEAR_2025)
    assert not at.exception
    captions = [c.value for c in at.caption]
    total = {
        "fr": "Attribué au réseau : 4 projets, 119 emplois vérifiés",
        "en": "Attributed to the network: 4 projects, 119 verified jobs",
    }[lang]
    assert total in captions
    ranking = at.dataframe[0].value
    rate = {
        True: format_percent(39 / 47, lang, digits=1),
        False: format_percent(85 / 107, lang, digits=1),
    }
    assert ranking.values.tolist() == [
        [CHAMBER_A, "IN", 4, 3, 2, 50, 3, 39, rate[True]],
        [CHAMBER_B, "AE", 2, 1, 1, 100, 2, 85, rate[False]],
    ]
    heads = {
        "fr": ["Attribués (demandes acceptées)", "Emplois vérifiés", "Taux de réalisation"],
        "en": ["Attributed (accepted claims)", "Jobs verified", "Realisation rate"],
    }[lang]
    assert list(ranking.columns)[-3:] == heads


@pytest.mark.slow
def test_network_map_is_sent_again_as_it_was(app):
    """The map's JSON is cached per results shown: a cached run sends the same map and
    tooltip. Dots at the chamber's city (Mumbai) or, without a known city, its country (the
    United Arab Emirates' centre: Dubai is not in data/cities.csv); won 2 and 1 make two
    classes, the palette's darkest (#253494) and palest (#C7E9B4)."""
    viewer = SignedIn(3, "claire", "Claire Martin", Role.VIEWER)
    at = run_app(NETWORK, user=viewer, lang="fr", params=YEAR_2025)
    assert not at.exception
    (chart,) = at.get("deck_gl_json_chart")
    assert json.loads(chart.proto.tooltip) == {
        "html": "<b>{name}</b><br/>{detail}",
        "style": {"fontSize": "15px"},
    }
    countries, chambers = json.loads(chart.proto.json)["layers"]
    # Every country grey (#E5E7EB), without a name: only the chambers show a tooltip.
    assert {json.dumps(f["properties"], sort_keys=True) for f in countries["data"]["features"]} == {
        json.dumps({"detail": "", "fill": [229, 231, 235, 255], "name": ""})
    }
    assert chambers["data"] == [
        {
            "position": [72.8826, 19.0728],
            "name": CHAMBER_A,
            "detail": "Recommandés : 4, Qualifiés : 3, Gagnés : 2, "
            "Attribués (demandes acceptées) : 3",
            "fill": [37, 52, 148, 255],
        },
        {
            "position": [54.0, 24.0],
            "name": CHAMBER_B,
            "detail": "Recommandés : 2, Qualifiés : 1, Gagnés : 1, "
            "Attribués (demandes acceptées) : 2",
            "fill": [199, 233, 180, 255],
        },
    ]
    at.run()
    (again,) = at.get("deck_gl_json_chart")
    assert (again.proto.json, again.proto.tooltip) == (chart.proto.json, chart.proto.tooltip)


@pytest.mark.slow
def test_network_page_lists_the_records_behind_the_verified_jobs(app):
    viewer = SignedIn(3, "claire", "Claire Martin", Role.VIEWER)
    at = run_app(NETWORK, user=viewer, lang="en", params=YEAR_2025)
    at.selectbox(key="network_figure").set_value("jobs_verified").run()
    at.selectbox(key="network_chamber").set_value(app["chamber_b"]).run()
    assert not at.exception
    shown = at.dataframe[1].value
    assert shown[["Code name", "Jobs announced", "Jobs verified"]].values.tolist() == [
        ["P1", 7, 5],
        ["B1", 100, 80],
    ]
    captions = [c.value for c in at.caption]
    assert "2 projects" in captions
    assert (
        "Jobs verified of these projects: 85, of 107 announced by those checked — "
        f"realisation rate {format_percent(85 / 107, 'en', digits=1)}."
    ) in captions
    # Every chamber, attributed: the network's four projects, the confidential one masked.
    at.selectbox(key="network_figure").set_value("attributed").run()
    at.selectbox(key="network_chamber").set_value(None).run()
    every = at.dataframe[1].value
    assert len(every) == 4
    assert "Project Falcon" not in every.to_string()
    assert "4 projects" in [c.value for c in at.caption]
