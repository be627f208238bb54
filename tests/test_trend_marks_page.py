"""The Overview in AppTest, on its default period (the current year to date): the month's
mission and administrator's note marked on the monthly trend ("M+N"), the tooltip naming both
(tests/fixtures_trend_marks.py). The chart is an unknown element to AppTest: its Plotly
specification is read instead (tests/test_trend_marks_browser.py sees it drawn)."""

from __future__ import annotations

import base64
import json

import numpy as np

from core import clock
from core.formatting import format_month
from models import Role
from tests.apptest_support import ROOT, as_user, point_app_at, reset_caches, run_app
from tests.fixtures_trend_marks import build_trend_marks, expected_tooltip
from tests.writers import writer

PAGE = str(ROOT / "pages" / "overview.py")


def _trend_spec(at) -> dict:
    """The Plotly specification of the page's chart that carries the marks."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    (trend,) = [s for s in specs if any(d.get("name") == "Missions et notes" for d in s["data"])]
    return trend


def _values(array) -> list:
    """A Plotly array as a list (numbers come base64-packed: ``{"bdata", "dtype"}``)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_the_overview_marks_this_months_mission_and_note(ref_engine, monkeypatch):
    today = clock.today()
    with writer(ref_engine, expire_on_commit=False) as s:
        build_trend_marks(s, today)
    point_app_at(monkeypatch, ref_engine, demo=False)
    try:
        at = run_app(PAGE, lang="fr", user=as_user("Anne", Role.ADMIN))
        assert not at.exception
        spec = _trend_spec(at)
        won, met, marks = spec["data"]
        # January to this month; the one meeting on this month's first day, no win.
        assert _values(met["y"]) == [0] * (today.month - 1) + [1]
        assert _values(won["y"]) == [0] * today.month
        month = format_month(today.replace(day=1), "fr")
        assert marks["x"] == [month] and marks["text"] == ["M+N"]
        assert marks["hovertext"] == ["<br>".join(expected_tooltip(today, "fr"))]
    finally:
        reset_caches()
