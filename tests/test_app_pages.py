"""AppTest runs of the app and its pages, in French and English, on real databases.

Tile values are checked against a tiny portfolio built here through the real write functions,
whose figures are worked out by hand below (not by the KPI queries under test).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent

from core.export import csv_bytes
from core.records import (
    change_stage,
    create_interaction,
    create_organisation,
    create_project,
    set_target,
)
from models import (
    CapexDisclosure,
    InteractionCreate,
    InteractionKind,
    OrganisationCreate,
    OrganisationKind,
    ProjectCreate,
    Stage,
    TargetCreate,
    TargetKpi,
)
from tests.apptest_support import (
    DIRECTORY,
    OVERVIEW,
    all_text,
    has_demo_badge,
    metrics_by_label,
    point_app_at,
    reset_caches,
    run_app,
)
from tests.writers import writer

pytestmark = pytest.mark.slow

Y = date.today().year - 1  # the calendar year of the hand-built portfolio
P = Y - 1  # the year before, for the changes


def build_portfolio(engine) -> dict[str, int]:
    """Three organisations, four projects, six meetings, one target.

    Year Y: Infosys Test (India) wins P1 (120 jobs, 5 M EUR disclosed); Acme Santé (France)
    wins P2 (30 jobs, 10 kept, 2 M EUR estimated); Nordic Wind's P3 (50 jobs) is Qualified at
    the end of Y. Meetings in Y: 3 Infosys, 1 Acme, 1 Nordic. Year P: Acme wins P4 (40 jobs),
    1 meeting with Acme.
    """
    with writer(engine, expire_on_commit=False) as s:

        def org(name: str, iso2: str, sector: str) -> int:
            data = OrganisationCreate(
                name=name,
                kind=OrganisationKind.COMPANY,
                hq_country_iso2=iso2,
                control_country_iso2=iso2,
                sector_code=sector,
                city="Pune" if iso2 == "IN" else None,
            )
            return create_organisation(session=s, data=data, author="test").id

        def project(org_id: int, name: str, sector: str, lead_on: date, **fields) -> int:
            data = ProjectCreate(
                code_name=name,
                organisation_id=org_id,
                sector_code=sector,
                stage=Stage.LEAD,
                stage_on=lead_on,
                **fields,
            )
            return create_project(session=s, data=data, author="test").id

        def meet(org_id: int, on: date) -> None:
            data = InteractionCreate(
                occurred_on=on, kind=InteractionKind.MEETING, organisation_id=org_id, author="t"
            )
            create_interaction(session=s, data=data)

        infosys = org("Infosys Test", "IN", "digital")
        acme = org("Acme Santé", "FR", "health")
        nordic = org("Nordic Wind", "DK", "energy")
        p1 = project(
            infosys,
            "P1 Delta",
            "digital",
            date(Y, 1, 10),
            jobs_announced=120,
            capex_eur=5_000_000,
            capex_disclosure=CapexDisclosure.DISCLOSED,
        )
        change_stage(session=s, project_id=p1, to_stage=Stage.WON, on=date(Y, 3, 15), author="t")
        p2 = project(
            acme,
            "P2 Echo",
            "health",
            date(Y, 2, 1),
            jobs_announced=30,
            jobs_kept=10,
            capex_eur=2_000_000,
            capex_disclosure=CapexDisclosure.ESTIMATED,
        )
        change_stage(session=s, project_id=p2, to_stage=Stage.WON, on=date(Y, 6, 20), author="t")
        p3 = project(nordic, "P3 Fjord", "energy", date(Y, 4, 1), jobs_announced=50)
        change_stage(
            session=s, project_id=p3, to_stage=Stage.QUALIFIED, on=date(Y, 5, 1), author="t"
        )
        p4 = project(acme, "P4 Alpha", "health", date(P, 1, 5), jobs_announced=40)
        change_stage(session=s, project_id=p4, to_stage=Stage.WON, on=date(P, 9, 1), author="t")
        for on in (date(Y, 1, 10), date(Y, 2, 15), date(Y, 3, 1)):
            meet(infosys, on)
        meet(acme, date(Y, 2, 1))
        meet(nordic, date(Y, 4, 1))
        meet(acme, date(P, 8, 1))
        set_target(
            session=s, data=TargetCreate(year=Y, kpi=TargetKpi.PROJECTS_WON, value=4, source="t")
        )
    return {"infosys": infosys, "acme": acme, "nordic": nordic}


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def known_app(ref_engine, monkeypatch):
    ids = build_portfolio(ref_engine)
    point_app_at(monkeypatch, ref_engine, demo=False)
    return ids


@pytest.fixture
def demo_app(engine, monkeypatch):
    point_app_at(monkeypatch, engine, demo=True, scale=0.1)
    return engine


@pytest.fixture
def empty_app(engine, monkeypatch):
    point_app_at(monkeypatch, engine, demo=False)
    return engine


def n(value: int, lang: str) -> str:
    return format_decimal(value, locale=lang)


def eur(value: int, lang: str) -> str:
    return format_compact_currency(value, "EUR", locale=lang, fraction_digits=1)


# ---------------------------------------------------------------------------------------------
# Overview on the hand-built portfolio
# ---------------------------------------------------------------------------------------------

LABELS = {
    "fr": (
        "Projets gagnés",
        "Emplois annoncés",
        "Investissements annoncés",
        "Rendez-vous enregistrés",
        "Organisations rencontrées",
        "Projets en cours",
    ),
    "en": (
        "Projects won",
        "Jobs announced",
        "Capex disclosed",
        "Meetings logged",
        "Organisations met",
        "Open pipeline",
    ),
}


#: The second row (catalogue 1.2): time to decision, organisations met per project won,
#: delegations received, missions held, projects won by origin.
MORE_LABELS = {
    "fr": (
        "Délai de décision",
        "Organisations rencontrées par projet gagné",
        "Délégations accueillies",
        "Missions réalisées",
        "Projets gagnés : français, étrangers, origine inconnue",
    ),
    "en": (
        "Time to decision",
        "Organisations met per project won",
        "Delegations received",
        "Missions held",
        "Projects won: French, foreign, unknown origin",
    ),
}
DAYS = {"fr": "{} jours", "en": "{} days"}


def days(value: float, lang: str) -> str:
    return DAYS[lang].format(format_decimal(value, format="#,##0.#", locale=lang))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_tiles_show_the_hand_counted_figures(known_app, lang):
    at = run_app(lang=lang, params={"period": "year", "year": str(Y)})
    assert not at.exception
    values = metrics_by_label(at)
    won, jobs, capex, meetings, orgs, pipeline = LABELS[lang]
    decision, per_win, delegations, missions, origins = MORE_LABELS[lang]
    # P1 lead 10 Jan -> won 15 Mar, P2 lead 1 Feb -> won 20 Jun: the median of two is their
    # mean (counted on the calendar: February has 29 days in a leap year Y).
    p1, p2 = (date(Y, 3, 15) - date(Y, 1, 10)).days, (date(Y, 6, 20) - date(Y, 2, 1)).days
    assert values == {
        won: "2",
        jobs: n(150, lang),
        capex: eur(5_000_000, lang),
        meetings: "5",
        orgs: "3",
        pipeline: "1",
        decision: days((p1 + p2) / 2, lang),
        per_win: format_decimal(1.5, locale=lang),  # 3 organisations / 2 wins
        delegations: "0",
        missions: "0",
        origins: "1 · 1 · 0",  # P2 (Acme, FR), P1 (Infosys, IN), none unknown
    }
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas[won] == "+1"
    assert deltas[jobs] == "+110"
    assert deltas[capex] == "+" + eur(5_000_000, lang)
    assert deltas[meetings] == "+4"
    assert deltas[orgs] == "+2"
    assert deltas[pipeline] == "+1"
    # Year P: P4 lead 5 Jan -> won 1 Sep, one organisation met for one win.
    p4 = (date(P, 9, 1) - date(P, 1, 5)).days
    change = format_decimal(abs((p1 + p2) / 2 - p4), format="#,##0.#", locale=lang)
    assert deltas[decision] == ("-" if (p1 + p2) / 2 < p4 else "+") + change
    assert deltas[per_win] == "+" + format_decimal(0.5, locale=lang)
    text = all_text(at)
    pct = format_percent(0.5, locale=lang)
    if lang == "fr":
        assert f"dont étrangers : 1 ({pct})" in text
        assert "Emplois maintenus, comptés à part : 10" in text
        assert f"Montants estimés, non inclus : {eur(2_000_000, lang)}" in text
        assert "50 emplois en jeu" in text
    else:
        assert f"of which foreign: 1 ({pct})" in text
        assert "Jobs kept, counted apart: 10" in text
        assert "50 jobs in play" in text
    # The yearly target of projects won: 2 out of 4.
    progress = [p.proto.text for p in at.get("progress")]
    target = "Objectif" if lang == "fr" else "target"
    assert len(progress) == 1 and target in progress[0]
    assert progress[0].endswith(f"2 / 4 — {pct}")
    assert not has_demo_badge(at, "Données de démonstration")
    assert not has_demo_badge(at, "Demo data")


def test_overview_tile_help_says_definition_period_and_source(known_app):
    at = run_app(lang="fr", params={"period": "year", "year": str(Y)})
    won = next(m for m in at.metric if m.label == "Projets gagnés")
    assert "Projets aujourd'hui « Gagné » ou « Implanté »" in won.help
    assert f"1 janv. {Y} – 31 déc. {Y}" in won.help
    assert "Source : CRM Provence Promotion (cette base de données)." in won.help


def test_overview_records_behind_a_tile(known_app):
    at = run_app(lang="fr", params={"period": "year", "year": str(Y)})
    at.selectbox(key="kpi_detail").select("projects_won").run()
    assert not at.exception
    table = at.dataframe[0].value
    shown = " ".join(table.astype(str).to_numpy().ravel())
    assert "P1 Delta" in shown and "P2 Echo" in shown and "P4 Alpha" not in shown
    assert len(table) == 2
    assert at.get("download_button")


def test_overview_records_behind_the_time_to_decision(known_app):
    at = run_app(lang="en", params={"period": "year", "year": str(Y)})
    tile = next(m for m in at.metric if m.label == "Time to decision")
    assert "first move into an open stage" in tile.help
    assert f"Period: Jan 1, {Y} – Dec 31, {Y}." in tile.help
    at.selectbox(key="kpi_detail").select("time_to_decision").run()
    assert not at.exception
    table = at.dataframe[0].value
    p1, p2 = (date(Y, 3, 15) - date(Y, 1, 10)).days, (date(Y, 6, 20) - date(Y, 2, 1)).days
    assert table["Code name"].tolist() == ["P2 Echo", "P1 Delta"]  # longest first
    assert table["Days"].tolist() == [p2, p1]


def test_overview_year_before_has_its_own_figures(known_app):
    at = run_app(lang="en", params={"period": "year", "year": str(P)})
    values = metrics_by_label(at)
    assert values["Projects won"] == "1"
    assert values["Jobs announced"] == "40"
    assert values["Meetings logged"] == "1"


def test_language_switch_turns_the_page_to_english(known_app):
    at = run_app()
    assert at.title[0].value == "Vue d'ensemble de l'attractivité"
    assert at.query_params["lang"] == "fr"
    at.button_group(key="lang_switch").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Attractiveness overview"
    assert at.query_params["lang"] == "en"


# ---------------------------------------------------------------------------------------------
# Directory on the hand-built portfolio
# ---------------------------------------------------------------------------------------------


def test_directory_search_finds_the_organisation(known_app):
    at = run_app(lang="fr", page=DIRECTORY)
    assert not at.exception
    assert at.title[0].value == "Annuaire des organisations et des contacts"
    at.text_input(key="organisations_text").input("infos").run()
    assert not at.exception
    names = list(at.dataframe[0].value["Nom"])
    assert names == ["Infosys Test"]
    assert at.dataframe[0].value["Pays"].tolist() == ["Inde"]


def test_directory_record_of_one_organisation(known_app):
    at = run_app(lang="en", page=DIRECTORY, params={"org": str(known_app["acme"])})
    assert not at.exception
    assert "Record: Acme Santé" in [s.value for s in at.subheader]
    shown = " ".join(" ".join(map(str, df.value.to_numpy().ravel())) for df in at.dataframe)
    assert "P2 Echo" in shown and "P4 Alpha" in shown  # its projects
    assert "Won" in shown and "Lead" in shown  # stage labels, not codes
    assert "France" in shown  # country name, not code


def test_directory_unknown_organisation_is_a_message(known_app):
    at = run_app(lang="fr", page=DIRECTORY, params={"org": "999999"})
    assert not at.exception
    assert "Organisation introuvable (identifiant 999999)." in [w.value for w in at.warning]


def test_directory_companies_met_over_five_years(known_app):
    at = run_app(lang="fr", page=DIRECTORY)
    assert metrics_by_label(at)["Organisations rencontrées ou accueillies"] == "3"
    at.date_input(key="met_start").set_value(date(Y, 4, 1)).run()
    at.date_input(key="met_end").set_value(date(Y, 12, 31)).run()
    assert metrics_by_label(at)["Organisations rencontrées ou accueillies"] == "1"
    data = at.get("download_button")[0].proto
    assert data.label == "Télécharger la liste (CSV)"


# ---------------------------------------------------------------------------------------------
# Demo data and the empty database
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "badge"),
    [
        ("fr", "Vue d'ensemble de l'attractivité", "Données de démonstration"),
        ("en", "Attractiveness overview", "Demo data"),
    ],
)
def test_app_with_demo_data(demo_app, lang, title, badge):
    at = run_app(lang=lang)
    assert not at.exception
    assert at.title[0].value == title
    assert has_demo_badge(at, badge)
    assert [m.label for m in at.metric] == [*LABELS[lang], *MORE_LABELS[lang]]
    at.switch_page(DIRECTORY).run()
    assert not at.exception
    assert has_demo_badge(at, badge)
    assert at.dataframe  # organisations listed


@pytest.mark.parametrize("script", [OVERVIEW, DIRECTORY])
def test_a_page_opened_first_by_deep_link_sets_itself_up(demo_app, script):
    at = run_app(script, lang="en")
    assert not at.exception
    assert has_demo_badge(at, "Demo data")
    assert at.query_params["lang"] == "en"


def test_empty_database_shows_no_data_messages(empty_app):
    at = run_app(lang="fr")
    assert not at.exception
    infos = [i.value for i in at.info]
    assert any(v.startswith("Aucune donnée pour cette période") for v in infos)
    assert "Aucune activité mensuelle à afficher pour cette période." in infos
    assert not has_demo_badge(at, "Données de démonstration")
    # Zero euros in whole euros, babel's French currency pattern without decimals.
    zero_eur = format_currency(0, "EUR", format="#,##0\xa0¤", locale="fr", currency_digits=False)
    # No win: neither a median nor a ratio ("—").
    assert set(metrics_by_label(at).values()) == {"0", zero_eur, "—", "0 · 0 · 0"}
    at.switch_page(DIRECTORY).run()
    assert not at.exception
    assert "Aucun résultat pour cette recherche." in [i.value for i in at.info]


def test_period_choice_is_kept_in_the_url(known_app):
    at = run_app(lang="fr")
    assert at.query_params["period"] == "ytd"
    at.button_group(key="period_kind").set_value("last12").run()
    assert not at.exception
    assert at.query_params["period"] == "last12"
    assert at.query_params["lang"] == "fr"


def test_csv_for_french_excel():
    frame = pd.DataFrame({"Nom": ["Acme Santé"], "Échanges": [3]})
    assert csv_bytes(frame) == "\ufeffNom;Échanges\nAcme Santé;3\n".encode()


def test_overview_with_a_sector_filter_shows_that_sector_only(known_app):
    at = run_app(lang="fr", params={"period": "year", "year": str(Y), "sectors": "health"})
    assert not at.exception
    won, jobs, capex, meetings, orgs, pipeline = LABELS["fr"]
    decision, per_win, delegations, missions, origins = MORE_LABELS["fr"]
    # Health only: P2 Echo won (30 jobs, 10 kept, 2 M estimated); one meeting with Acme Santé;
    # no health project open at the end of the year (P4 was won the year before).
    assert metrics_by_label(at) == {
        won: "1",
        jobs: "30",
        capex: eur(0, "fr"),
        meetings: "1",
        orgs: "1",
        pipeline: "0",
        decision: days((date(Y, 6, 20) - date(Y, 2, 1)).days, "fr"),  # P2 alone
        per_win: "1",
        delegations: "0",
        missions: "0",
        origins: "1 · 0 · 0",
    }
    # The year before: P4 Alpha won (health), one meeting with Acme Santé.
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas[won] == "0"
    assert deltas[jobs] == "-10"
    # A portfolio-wide target is not compared with a filtered figure.
    assert at.get("progress") == []
    active = [c.value for c in at.main.caption if c.value.startswith("Filtres actifs")]
    assert active == ["Filtres actifs — Secteurs : Santé"]


def test_overview_five_years_with_changes_and_targets(known_app):
    at = run_app(lang="fr", params={"period": "year", "year": str(Y)})
    assert not at.exception
    table = next(df.value for df in at.dataframe if "Année" in df.value.columns)
    assert table["Année"].tolist() == [str(y) for y in range(Y, Y - 5, -1)]
    newest = table.iloc[0]
    # Year Y: P1 and P2 won (150 jobs), 5 meetings with 3 organisations; target 4 projects.
    # Year P: P4 won (40 jobs), one meeting: +100 % projects, +275 % jobs.
    assert newest["Projets gagnés"] == "2"
    assert newest["Projets gagnés — évolution sur un an"] == "+" + format_percent(1, locale="fr")
    assert newest["Emplois annoncés — évolution sur un an"] == "+" + format_percent(
        2.75, locale="fr"
    )
    half = format_percent(0.5, locale="fr")
    assert newest["Projets gagnés — objectif (atteint)"] == f"4 ({half})"
    assert newest["Rendez-vous"] == "5"
    # The year before P has no data: no change can be computed from zero.
    assert table.iloc[1]["Projets gagnés — évolution sur un an"] == "—"


def test_overview_top_countries_and_sectors(known_app):
    at = run_app(lang="en", params={"period": "year", "year": str(Y)})
    assert not at.exception
    countries, sectors = (df.value for df in at.dataframe if "Name" in df.value.columns)
    # P1 Delta (India, 120 jobs) then P2 Echo (France, 30 jobs): one project each.
    assert countries.values.tolist() == [["India", "1", "120"], ["France", "1", "30"]]
    assert sectors.values.tolist() == [["Digital", "1", "120"], ["Health", "1", "30"]]


def _frame_with(at, column: str) -> pd.DataFrame:
    frames = [df.value for df in at.dataframe if column in df.value.columns]
    assert len(frames) == 1, f"{len(frames)} tables with a {column!r} column"
    return frames[0]


def test_overview_chart_drilldown_lists_the_records_behind_a_bar(known_app):
    at = run_app(lang="en", params={"period": "year", "year": str(Y)})
    picker = at.selectbox(key="top_countries_drill")
    # One bar per known origin country, in the chart's order.
    assert picker.options == ["India — Projects won", "France — Projects won"]
    picker.set_value("France — Projects won").run()
    assert not at.exception
    records = _frame_with(at, "Code name")
    # France's only project won in Y is P2 Echo (Acme Santé, 30 jobs).
    assert records["Code name"].tolist() == ["P2 Echo"]
    assert records["Organisation"].tolist() == ["Acme Santé"]
    assert "1 record(s), 1 shown" in all_text(at)


def test_overview_trend_drilldown_by_month(known_app):
    at = run_app(lang="fr", params={"period": "year", "year": str(Y)})
    picker = at.selectbox(key="monthly_trend_drill")
    # 12 months × (projects won, meetings).
    assert len(picker.options) == 24
    february = [o for o in picker.options if o.startswith("févr.") and "Rendez-vous" in o]
    assert february == [f"févr. {Y} — Rendez-vous enregistrés"]
    picker.set_value(february[0]).run()
    assert not at.exception
    records = _frame_with(at, "Organisation")
    # February of Y: Infosys on the 15th, Acme on the 1st (newest first).
    assert records["Organisation"].tolist() == ["Infosys Test", "Acme Santé"]
