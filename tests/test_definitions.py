"""The KPI catalogue covers DOMAIN.md's ten KPIs, in both languages, and its page shows it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components.auth import USER_KEY
from core import definitions
from core.i18n import t
from tests.apptest_support import ADMIN, ROOT, RUN_TIMEOUT, point_app_at, reset_caches

DOMAIN_KPIS = {
    "projects_landed",
    "jobs_announced",
    "capex",
    "pipeline",
    "conversion",
    "time_to_decision",
    "activity",
    "network",
    "target_vs_actual",
    "companies_seen",
}


def test_catalogue_covers_every_kpi_of_the_domain():
    assert {entry.family for entry in definitions.CATALOGUE} == DOMAIN_KPIS
    keys = [entry.key for entry in definitions.CATALOGUE]
    assert len(keys) == len(set(keys)) == 20
    assert definitions.VERSION in definitions.CHANGES


@pytest.mark.parametrize("entry", definitions.CATALOGUE, ids=lambda e: e.key)
def test_every_definition_is_written_in_both_languages(entry):
    for part in ("label", "definition"):
        french, english = (t(f"kpi.{entry.key}.{part}", lang) for lang in ("fr", "en"))
        assert french.strip() and english.strip() and french != english


def test_every_entry_names_measures_that_exist():
    from core import measures

    for entry in definitions.CATALOGUE:
        assert entry.measures, entry.key
        for name in entry.measures:
            assert callable(getattr(measures, name)), (entry.key, name)
    assert definitions.get_definition("companies_seen").measures == ("met_or_hosted_ids",)
    assert definitions.get_definition("missions_held").measures == ("mission_in",)
    assert definitions.get_definition("time_to_decision").measures == (
        "won_in",
        "entered_pipeline_on",
    )
    assert definitions.get_definition("delegations_received").measures == ("delegation_in",)
    assert definitions.get_definition("attributed_to_chamber").measures == (
        "attributed_in",
        "accepted_claim",
        "checked_in",
        "jobs_verified",
    )
    assert definitions.get_definition("projects_won_by_origin").measures == (
        "won_in",
        "is_home",
        "is_foreign",
        "origin_unknown",
    )


@pytest.mark.parametrize("rule", definitions.RULES)
def test_every_rule_is_written_in_both_languages(rule):
    french, english = (t(f"definitions.rule.{rule}", lang) for lang in ("fr", "en"))
    assert french.strip() and english.strip() and french != english


def test_labels_say_what_they_count():
    """'Entreprises' only for a figure of companies: the deck's tile and the Directory's figure
    count organisations of every kind."""
    assert t("deck.tile.organisations_met", "fr") == "Organisations rencontrées"
    assert t("kpi.companies_seen.label", "fr") == "Organisations rencontrées ou accueillies"
    assert t("directory.met.count", "fr") == t("kpi.companies_seen.label", "fr")
    assert t("directory.tab.met", "en") == "Organisations met or hosted"
    assert t("kpi.organisations_met.label", "fr") != t("kpi.companies_seen.label", "fr")


def test_unknown_kpi_is_an_error():
    with pytest.raises(KeyError, match="no KPI 'nope'"):
        definitions.get_definition("nope")
    assert definitions.get_definition("conversion").source == "stage_history"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_definitions_page(engine, monkeypatch, lang):
    point_app_at(monkeypatch, engine, demo=False)
    at = AppTest.from_file(str(ROOT / "pages" / "definitions.py"), default_timeout=RUN_TIMEOUT)
    at.session_state[USER_KEY] = ADMIN
    at.query_params["lang"] = lang
    at.run()
    reset_caches()
    assert not at.exception
    assert at.title[0].value == t("definitions.title", lang)
    table = at.table[0].value
    assert len(table) == 20
    assert table.index[0] == t("kpi.projects_won.label", lang)
    expected = t(
        "definitions.version",
        lang,
        version="1.4",
        date="2026-12-04",
        changes=definitions.CHANGES["1.4"],
    )
    assert expected in [c.value for c in at.main.caption]
    assert at.subheader[0].value == t("definitions.rules.header", lang)
    rules = at.markdown[-1].value
    for rule in definitions.RULES:
        assert t(f"definitions.rule.{rule}", lang) in rules
