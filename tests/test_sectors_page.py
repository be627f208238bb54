"""AppTest runs of the Sectors page on the hand-made data set of ``tests/fixtures_sectors.py``,
with and without filters, in both languages, on an empty database and on demo data.

Expected cells are the figures worked out by hand in that module, formatted here with babel
directly (not with the code under test).
"""

from __future__ import annotations

import pytest
from babel.numbers import format_compact_currency, format_currency, format_percent

from tests.apptest_support import ROOT, all_text, point_app_at, run_app
from tests.fixtures_sectors import build_sector_fixture
from tests.writers import writer

pytestmark = pytest.mark.slow

SECTORS_PAGE = str(ROOT / "pages" / "sectors.py")
YEAR_2025 = {"period": "year", "year": "2025"}
TITLES = {"fr": "Les six secteurs stratégiques", "en": "The six strategic sectors"}
DIGITAL = {"fr": "Numérique", "en": "Digital"}
ENERGY = {"fr": "Énergie verte et nucléaire", "en": "Green and nuclear energy"}


@pytest.fixture
def sector_app(ref_engine, monkeypatch):
    with writer(ref_engine) as session:
        build_sector_fixture(session)
    point_app_at(monkeypatch, ref_engine, demo=False)
    return ref_engine


@pytest.fixture
def empty_app(engine, monkeypatch):
    point_app_at(monkeypatch, engine, demo=False)
    return engine


def eur(value: int, lang: str) -> str:
    return format_compact_currency(value, "EUR", locale=lang, fraction_digits=1)


def zero_eur(lang: str) -> str:
    pattern = "#,##0\xa0¤" if lang == "fr" else "¤#,##0"
    return format_currency(0, "EUR", format=pattern, locale=lang, currency_digits=False)


def comparison_rows(at) -> dict[str, list[str]]:
    frame = at.dataframe[0].value
    return {row[0]: list(row[1:]) for row in frame.itertuples(index=False)}


def progress_texts(at) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sectors_2025_show_the_hand_counted_figures(sector_app, lang):
    at = run_app(SECTORS_PAGE, lang=lang, params=YEAR_2025)
    assert not at.exception
    assert at.title[0].value == TITLES[lang]
    rows = comparison_rows(at)
    assert len(rows) == 7
    # Digital: leads S2, S3; qualified S1, S2, S3; won S1, S2 (80 jobs, 10 M / 4 M); 2 / 3.
    assert rows[DIGITAL[lang]] == [
        "2", "3", "2", "80", eur(10_000_000, lang), eur(4_000_000, lang),
        format_percent(2 / 3, locale=lang),
    ]  # fmt: skip
    # Energy: 3 leads, 2 qualified, S5 won (100 jobs, 50 M disclosed); 1 / 2.
    assert rows[ENERGY[lang]] == [
        "3", "2", "1", "100", eur(50_000_000, lang), zero_eur(lang),
        format_percent(0.5, locale=lang),
    ]  # fmt: skip
    # Health: nothing qualified, so no conversion rate.
    assert rows["Santé" if lang == "fr" else "Health"][-1] == "—"
    # Targets of 2025, digital first: 2 won of 4, 80 jobs of 100.
    texts = progress_texts(at)
    assert len(texts) == 6
    won = "Projets gagnés" if lang == "fr" else "Projects won"
    assert texts[0] == f"{won} — 2 / 4 — {format_percent(0.5, locale=lang)}"


def test_sectors_matrix_table_and_csv(sector_app):
    at = run_app(SECTORS_PAGE, lang="fr", params=YEAR_2025)
    matrix = at.dataframe[1].value
    # Leads 2025: India 3, then AE, DE, FR, US with 1 each (by ISO code), unknown 1 (S11).
    assert list(matrix.columns) == [
        "Secteur", "Inde", "Émirats arabes unis", "Allemagne", "France", "États-Unis",
        "Non renseigné", "Total",
    ]  # fmt: skip
    energy = matrix[matrix["Secteur"] == ENERGY["fr"]].iloc[0]
    assert list(energy[1:]) == ["3", "0", "0", "0", "0", "0", "3"]
    # CSV downloads of the comparison table and of the matrix.
    assert [b.proto.label for b in at.get("download_button")] == [
        "Télécharger (CSV)",
        "Télécharger (Excel)",
    ] * 2
    at.radio(key="sectors_matrix_measure").set_value("won").run()
    assert not at.exception
    won = at.dataframe[1].value
    # Won 2025: DE, FR, IN, US 1 each, unknown 1; no "others" column.
    assert list(won.columns)[1:-1] == [
        "Allemagne", "France", "Inde", "États-Unis", "Non renseigné",
    ]  # fmt: skip


def test_sectors_with_a_country_filter(sector_app):
    at = run_app(SECTORS_PAGE, lang="en", params={**YEAR_2025, "countries": "IN"})
    assert not at.exception
    rows = comparison_rows(at)
    assert rows[ENERGY["en"]][:4] == ["3", "2", "1", "100"]
    assert rows[DIGITAL["en"]][:4] == ["0", "0", "0", "0"]
    # Targets compare whole sectors: the page says the country filter does not apply.
    assert "filters other than the sector do not apply" in all_text(at)


def test_sectors_with_a_sector_filter(sector_app):
    at = run_app(SECTORS_PAGE, lang="fr", params={**YEAR_2025, "sectors": "energy"})
    assert not at.exception
    assert list(comparison_rows(at)) == [ENERGY["fr"]]
    texts = progress_texts(at)
    # Energy targets only: 1 won of 2; 100 jobs against a zero target (no share).
    assert texts == [
        f"Projets gagnés — 1 / 2 — {format_percent(0.5, locale='fr')}",
        "Emplois annoncés — 100 / 0 — —",
    ]


def test_targets_need_a_calendar_year(sector_app):
    at = run_app(
        SECTORS_PAGE,
        lang="en",
        params={"period": "custom", "from": "2025-01-02", "to": "2025-12-30"},
    )
    assert not at.exception
    assert any("Sector targets are yearly" in i.value for i in at.info)
    assert progress_texts(at) == []
    # 2 Jan - 30 Dec: S5's win on 1 Jan and S2's on 31 Dec are outside.
    rows = comparison_rows(at)
    assert rows[DIGITAL["en"]][:3] == ["2", "2", "1"]
    assert rows[ENERGY["en"]][:3] == ["2", "2", "0"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_database_shows_no_data_messages(empty_app, lang):
    at = run_app(SECTORS_PAGE, lang=lang, params=YEAR_2025)
    assert not at.exception
    infos = [i.value for i in at.info]
    expected = {
        "fr": ("Aucune donnée pour cette période", "Aucun objectif par secteur"),
        "en": ("No data for this period", "No sector target is recorded for 2025"),
    }[lang]
    for start in expected:
        assert any(v.startswith(start) for v in infos), start
    assert len(infos) == 4  # summary, trend, matrix, targets
    assert set(comparison_rows(at)[DIGITAL[lang]][:4]) == {"0"}


def test_sectors_on_demo_data(ref_engine, monkeypatch):
    point_app_at(monkeypatch, ref_engine, demo=True, scale=0.1)
    at = run_app(SECTORS_PAGE, lang="fr", params=YEAR_2025)
    assert not at.exception
    # The demo writes projects-won and jobs targets for the six strategic sectors.
    assert len(progress_texts(at)) == 12
    assert len(comparison_rows(at)) == 7


def test_sectors_matrix_cell_drilldown(sector_app):
    at = run_app(SECTORS_PAGE, lang="fr", params=YEAR_2025)
    picker = at.selectbox(key="sectors_matrix_drill")
    label = f"{ENERGY['fr']} — Inde — Nouveaux leads"
    assert label in picker.options
    # "Other countries" and "unknown" columns are sums: no drill of theirs.
    assert not [o for o in picker.options if "Non renseigné" in o]
    picker.set_value(label).run()
    assert not at.exception
    records = [df.value for df in at.dataframe if "Nom de code" in df.value.columns]
    assert len(records) == 1
    # The matrix's cell: 3 energy leads from India in 2025.
    assert len(records[0]) == 3
    assert set(records[0]["Secteur"]) == {ENERGY["fr"]}
    assert set(records[0]["Pays d'origine"]) == {"Inde"}
