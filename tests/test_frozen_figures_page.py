"""The frozen-figures page (admins), in AppTest: freeze 2024 through the form, read the
snapshot's headline figures beside the previous year and the target, then see the figures that
differ once a project won in 2024 is logged late. Values worked out in tests/test_snapshots.py.
"""

from __future__ import annotations

from datetime import date

from core.records import set_target
from models import (
    TargetCreate,
    TargetKpi,
)
from tests.apptest_support import ROOT, as_user, point_app_at, reset_caches, run_app
from tests.fixtures import build_fixture, log_late_win
from tests.writers import writer

PAGE = str(ROOT / "pages" / "frozen_figures.py")


def test_freeze_a_year_then_see_what_changed(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as s:
        build_fixture(s)
        set_target(session=s, data=TargetCreate(year=2024, kpi=TargetKpi.PROJECTS_WON, value=70))
    point_app_at(monkeypatch, ref_engine, demo=False)
    try:
        at = run_app(PAGE, lang="fr", user=as_user("Anne Admin"))
        assert not at.exception
        assert [i.value for i in at.info] == ["Aucun chiffre figé pour l'instant."]
        at.text_input[0].set_value("Bilan 2024")
        at.number_input[0].set_value(2024)
        at.text_area[0].set_value("Conférence de presse du 15 janvier")
        at.button[0].click().run()
        assert not at.exception
        assert [s.value for s in at.success] == [
            "Chiffres figés : « Bilan 2024 ».",
            "Les chiffres en direct sont identiques aux chiffres figés.",
        ]
        listed = at.dataframe[0].value
        assert listed.iloc[0][["Intitulé", "Version des définitions", "Par", "Note"]].tolist() == [
            "Bilan 2024",
            "1.4",
            "Anne Admin",
            "Conférence de presse du 15 janvier",
        ]
        head = at.dataframe[1].value.set_index("Chiffre")
        assert head.loc["Projets gagnés"].tolist() == ["3", "1", "70"]
        assert head.loc["Emplois annoncés"].tolist() == ["215", "50", ""]

        # A project won in 2024, logged after the conference.
        with writer(ref_engine) as s:
            log_late_win(s)
        reset_caches()
        at = run_app(PAGE, lang="fr", user=as_user("Anne Admin"))
        gaps = at.dataframe[2].value.set_index("Chiffre")
        assert [w.value for w in at.warning] == [
            f"{len(gaps)} chiffre(s) diffèrent désormais des chiffres figés (données modifiées "
            "depuis) :"
        ]
        # Each difference says why: here one win logged after the freeze.
        why = "Gains perdus ou rouverts depuis : 0 ; gains enregistrés après le gel : 1"
        assert gaps.loc["Chiffres clés · Projets gagnés"].tolist() == ["3", "4", "+1", why]
        assert gaps.loc["Pays d'origine · Norvège · Projets gagnés"].tolist() == [
            "—",
            "1",
            "—",
            why,
        ]
        # The snapshot itself did not move.
        assert at.dataframe[1].value.set_index("Chiffre").loc["Projets gagnés"].tolist() == [
            "3",
            "1",
            "70",
        ]
    finally:
        reset_caches()


def test_a_freeze_without_label_or_with_a_reversed_period_is_refused(ref_engine, monkeypatch):
    point_app_at(monkeypatch, ref_engine, demo=False)
    try:
        at = run_app(PAGE, lang="fr", user=as_user("Anne Admin"))
        at.text_input[0].set_value("   ")
        at.button[0].click().run()
        assert [e.value for e in at.error] == ["Champ obligatoire."]
        at.text_input[0].set_value("Bilan du salon")
        at.radio[0].set_value("custom")
        at.date_input[0].set_value(date(2025, 10, 17))
        at.date_input[1].set_value(date(2025, 10, 13))
        at.button[0].click().run()
        assert [e.value for e in at.error] == ["La fin de la période est avant son début."]
        assert at.text_input[0].value == "Bilan du salon"  # what was typed stays
        assert [i.value for i in at.info] == ["Aucun chiffre figé pour l'instant."]
    finally:
        reset_caches()
