"""AppTest runs of the Pipeline page on the hand-made data set of ``tests/fixtures_pipeline.py``,
in French and English, with and without filters, and on an empty database.

The period is 2025, entirely before the real today, so every figure is read from the stage
history exactly as in ``tests/test_pipeline.py``; expected values are the hand-worked ones
listed there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.numbers import format_compact_currency, format_percent

from tests.apptest_support import ROOT, all_text, point_app_at, reset_caches, run_app
from tests.fixtures_pipeline import build_pipeline_fixture
from tests.writers import writer

pytestmark = pytest.mark.slow

PIPELINE = str(Path(ROOT) / "pages" / "pipeline.py")
Y2025 = {"period": "custom", "from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def pipeline_app(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as session:
        ids = build_pipeline_fixture(session)
    point_app_at(monkeypatch, ref_engine, demo=False)
    return ids


@pytest.fixture
def empty_app(engine, monkeypatch):
    point_app_at(monkeypatch, engine, demo=False)
    return engine


def _table(at, column: str):
    """The first dataframe of the run holding ``column``."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _rows(frame) -> list[tuple]:
    return [
        tuple("" if v is None or v != v else v for v in row)
        for row in frame.itertuples(index=False)
    ]


def eur(value: int, lang: str) -> str:
    return format_compact_currency(value, "EUR", locale=lang, fraction_digits=1)


def test_pipeline_page_in_french(pipeline_app) -> None:
    ids = pipeline_app
    at = run_app(PIPELINE, lang="fr", params=Y2025)
    assert not at.exception
    funnel = {row[0]: row[1:] for row in _rows(_table(at, "Capex public"))}
    assert funnel["Qualifié"] == ("2", "240", eur(8_000_000, "fr"), eur(100_000_000, "fr"))
    assert funnel["Gagné"] == ("2", "15", eur(3_000_000, "fr"), "0\xa0€")
    assert funnel["En pause"][0] == "0"
    conversion = _rows(_table(at, "Passage"))
    assert conversion[0] == ("Piste → Qualifié", "7", "5", format_percent(5 / 7, locale="fr"))
    assert conversion[-1] == ("Gagné → Implanté", "2", "1", format_percent(0.5, locale="fr"))
    # Median days: lead 30 over 7 stays, qualified 60 over 3, on hold 61 over 1.
    times = {row[0]: row[1:] for row in _rows(_table(at, "Médiane (jours)"))}
    assert (times["Piste"], times["Qualifié"], times["En pause"]) == (
        ("7", "30"), ("3", "60"), ("1", "61")
    )  # fmt: skip
    assert times["Cible"] == ("0", "—")
    text = all_text(at)
    assert "Projets ouverts sans contact depuis au moins 90 jours au 31 déc. 2025 : **2**." in text
    open_projects = at.dataframe[-1].value
    assert list(open_projects["Nom de code"]) == ["Pipe Q4", "Pipe Q3", "Pipe Q5", "Pipe Q8"]
    assert list(open_projects["Jours dans l'étape"]) == [295, 334, 152, 0]
    assert list(open_projects["Organisation"])[:2] == ["Confidentiel", "Bharat Power"]
    links = list(open_projects["Annuaire"])
    assert links[1:] == [
        f"/directory?org={ids['B']}&lang=fr",
        f"/directory?org={ids['D']}&lang=fr",
        f"/directory?org={ids['B']}&lang=fr",
    ]
    assert links[0] is None or links[0] != links[0]  # confidential: no link
    assert _rows(_table(at, "Localisation choisie")) == [
        ("Rotterdam", "2", "112"),
        ("Barcelona", "1", "30"),
    ]
    assert _rows(_table(at, "Motif")) == [("Coûts", "2", "112"), ("Foncier / site", "1", "30")]
    assert "4 lignes affichées sur 4." in text
    assert [b.key for b in at.get("download_button")] == [
        f"{table}_{kind}"
        for table in (
            "pipeline_funnel_table",
            "pipeline_conversion_table",
            "pipeline_time_table",
            "pipeline_stale",
            "pipeline_lost_reasons_table",
            "pipeline_lost_locations_table",
            "pipeline_open",
        )
        for kind in ("csv", "xlsx")
    ]


def test_pipeline_page_in_english(pipeline_app) -> None:
    ids = pipeline_app
    at = run_app(PIPELINE, lang="en", params=Y2025)
    assert not at.exception
    assert at.title[0].value == "Project pipeline"
    funnel = {row[0]: row[1:] for row in _rows(_table(at, "Capex disclosed"))}
    assert funnel["Qualified"][:2] == ("2", "240")
    assert _rows(_table(at, "Reason")) == [("Cost", "2", "112"), ("Site", "1", "30")]
    open_projects = at.dataframe[-1].value
    assert list(open_projects["Days in stage"]) == [295, 334, 152, 0]
    assert list(open_projects["Directory"])[1] == f"/directory?org={ids['B']}&lang=en"
    assert "Open projects without contact for at least 90 days on Dec 31, 2025: **2**." in (
        all_text(at)
    )


def test_stale_threshold_is_a_number_input(pipeline_app) -> None:
    at = run_app(PIPELINE, lang="fr", params=Y2025)
    # Days without contact on 31 Dec 2025: Q4 305, Q3 303, Q5 41, Q8 0.
    at.number_input(key="pipeline_stale_days").set_value(304).run()
    assert not at.exception
    assert "sans contact depuis au moins 304 jours au 31 déc. 2025 : **1**." in all_text(at)
    at.number_input(key="pipeline_stale_days").set_value(306).run()
    assert [s.value for s in at.success] == [
        "Aucun projet ouvert sans contact depuis 306 jours au 31 déc. 2025."
    ]


def test_pipeline_page_with_a_sector_filter(pipeline_app) -> None:
    at = run_app(PIPELINE, lang="fr", params={**Y2025, "sectors": "health"})
    assert not at.exception
    # Health: Q4 active (open, confidential); Q7 lost on 31 Dec (site); Q12 lost in Feb (cost).
    funnel = {row[0]: row[1] for row in _rows(_table(at, "Capex public"))}
    assert {k: v for k, v in funnel.items() if v != "0"} == {"Actif": "1"}
    assert list(at.dataframe[-1].value["Nom de code"]) == ["Pipe Q4"]
    assert _rows(_table(at, "Motif")) == [("Coûts", "1", "12"), ("Foncier / site", "1", "30")]
    # Cohort: Q4 and Q7 became leads in 2025; Q4 went on to Active (skipping Qualified).
    assert _rows(_table(at, "Passage"))[0][:3] == ("Piste → Qualifié", "2", "1")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_database_shows_no_data_messages(empty_app, lang) -> None:
    at = run_app(PIPELINE, lang=lang)
    assert not at.exception
    infos = [i.value for i in at.info]
    expected = {
        "fr": [
            "Aucun projet dans le pipeline pour cette sélection.",
            "Aucun projet n'est devenu piste dans la période.",
            "Aucun changement d'étape dans la période.",
            "Aucune décision (gagné ou perdu) dans la période.",
            "Aucun projet perdu dans la période.",
            "Aucun projet ouvert pour cette sélection.",
        ],
        "en": [
            "No project in the pipeline for this selection.",
            "No project became a lead in the period.",
            "No stage change in the period.",
            "No decision (won or lost) in the period.",
            "No project lost in the period.",
            "No open project for this selection.",
        ],
    }[lang]
    assert infos == expected
    assert len(at.success) == 1  # no stale project
    assert len(at.dataframe) == 0


def test_pipeline_lost_reason_drilldown(pipeline_app) -> None:
    at = run_app(PIPELINE, lang="fr", params=Y2025)
    picker = at.selectbox(key="pipeline_lost_reasons_drill")
    assert picker.options == ["Perdus — Coûts", "Perdus — Foncier / site"]
    picker.set_value("Perdus — Coûts").run()
    assert not at.exception
    records = _table(at, "Motif de perte")
    # Lost for cost in 2025: two projects, 112 jobs between them (the reasons table above).
    assert list(records["Motif de perte"]) == ["Coûts", "Coûts"]
    assert int(records["Emplois annoncés"].sum()) == 112
    assert "2 enregistrement(s), 2 affiché(s)" in all_text(at)
