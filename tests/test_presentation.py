"""core.presentation: which missions a slide has room for, and the success story's refusal of a
confidential project."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from core.periods import year_period
from core.presentation import get_success_story, list_success_candidates, pick_missions
from tests.fixtures import add_confidential_win, build_fixture


def test_a_slide_shows_the_coming_missions_and_the_latest_of_the_period():
    start = date(2025, 1, 6)
    rows = [(i, f"M{i}", start + timedelta(weeks=3 * i), "past") for i in range(10)]
    rows += [(10 + i, f"C{i}", date(2026, 1, 5) + timedelta(weeks=i), "coming") for i in range(4)]
    missions = pd.DataFrame(rows, columns=["id", "name", "starts_on", "status"])
    shown, left_out = pick_missions(missions)
    # 8 places: the first 3 coming ones, then the 5 latest of the period (M5..M9).
    assert list(shown["name"]) == ["M5", "M6", "M7", "M8", "M9", "C0", "C1", "C2"]
    assert left_out == 6
    few, none_left = pick_missions(missions.head(3))
    assert (list(few["name"]), none_left) == (["M0", "M1", "M2"], 0)


def test_a_confidential_project_is_never_a_success_story(session):
    ids = build_fixture(session)
    secret = add_confidential_win(session, ids, jobs=500)  # the most jobs, yet never offered
    candidates = list_success_candidates(session, year_period(2024))
    # Won in 2024, not confidential, most jobs first: P2 (120), P4 (80), P5 (15).
    assert list(candidates["code_name"]) == ["Mumbai Solar", "Rhine Turbines", "Vital Lab"]
    with pytest.raises(ValueError, match="confidential"):
        get_success_story(session, secret, "fr")
    story = get_success_story(session, ids["P4"], "en")
    assert (story["organisation"], story["country"], story["capex_eur"]) == (
        "Kraftwerk GmbH",
        "United States",
        12_000_000,
    )
