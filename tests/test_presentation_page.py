"""The presentation page in AppTest, slide by slide, on frozen figures of 2024 (tests/fixtures.py
plus one confidential project won in 2024): each slide's title and figures, worked out by hand
(see tests/test_snapshots.py), the keys' buttons, and the confidential project named nowhere.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.formatting import format_eur, format_number, format_percent
from core.periods import year_period
from core.records import set_target
from core.snapshots import freeze
from models import Role, TargetCreate, TargetKpi
from tests.apptest_support import ROOT, as_user, point_app_at, reset_caches, run_app
from tests.fixtures import SECRET, add_confidential_win, build_fixture
from tests.writers import writer

PAGE = str(ROOT / "pages" / "presentation.py")


@pytest.fixture
def deck_db(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as s:
        add_confidential_win(s, build_fixture(s))
        set_target(session=s, data=TargetCreate(year=2024, kpi=TargetKpi.PROJECTS_WON, value=70))
        set_target(session=s, data=TargetCreate(year=2024, kpi=TargetKpi.MISSIONS, value=4))
        freeze(
            s, label="Bilan 2024", period=year_period(2024), home_country="FR",
            today=date(2026, 11, 28),
        )  # fmt: skip
    point_app_at(monkeypatch, ref_engine, demo=False)
    yield ref_engine
    reset_caches()


def _texts(at) -> str:
    """Everything the slide shows as text (titles, Markdown, tiles, captions, table cells)."""
    parts = [e.value for e in (*at.title, *at.markdown, *at.caption, *at.header, *at.subheader)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def _source(at) -> str:
    """The slide's source line (the caption before the slide's position)."""
    captions = [c.value for c in at.main.caption]
    return captions[
        captions.index(next(c for c in captions if c.startswith(("Diapo", "Slide")))) - 1
    ]


def _next(at):
    at.button(key="deck_next").click().run()
    assert not at.exception
    return at


def test_the_deck_slide_by_slide(deck_db):
    at = run_app(PAGE, lang="fr", user=as_user("Élodie Élue", Role.VIEWER))
    assert not at.exception
    assert at.title[0].value == "Présentation (conférence de presse)"
    assert at.radio(key="deck_frozen").value is True  # frozen figures first, when there are
    success = at.selectbox(key="deck_success")
    # Won in 2024 and not confidential, most jobs first.
    assert success.options == [
        "Bharat Energy Ltd — Mumbai Solar (120 emplois)",
        "Kraftwerk GmbH — Rhine Turbines (80 emplois)",
        "Santé Plus — Vital Lab (15 emplois)",
    ]
    at.button(key="deck_start").click().run()
    assert not at.exception
    seen = []

    # 1. Headline: 4 projects won (P2, P4, P5 and the confidential one) against 1 in 2023.
    assert at.title[0].value == "Les résultats 2024"
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    assert tiles["Projets gagnés"] == ("4", "+3 par rapport à 2023")
    assert tiles["Emplois annoncés"] == ("222", "+172 par rapport à 2023")  # 215 + 7 vs 50
    assert tiles["Investissements annoncés"][0] == format_eur(15_900_000, "fr")
    assert f"Objectif : 70 ({format_percent(4 / 70, 'fr')} atteint)" in _texts(at)
    source = _source(at)
    assert source.startswith("Chiffres figés « Bilan 2024 » le ")
    assert source.endswith("· définitions des indicateurs v1.4 · source : Provence Promotion.")
    assert at.button(key="deck_previous").disabled
    seen.append(_texts(at))

    # 2. The monthly trend as frozen (tests/test_presskit.py works it out): the two missions
    # starting in 2024 drawn on it, no note.
    _next(at)
    assert at.title[0].value == "Mois par mois, 2024 : pourquoi les chiffres ont bougé"
    (chart,) = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert [b["y"] for b in spec["data"]] == [
        [0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1],
        [1, 1, 2, 1, 0, 0, 0, 0, 0, 2, 1, 1],
    ]
    assert [(a["x"], a["text"]) for a in spec["layout"]["annotations"][2:]] == [
        ("2024-10-14", "GITEX Dubai 2024"),
        ("2024-12-30", "Rhine year-end mission"),
    ]
    assert "Traits verticaux : les missions (rouge orangé)" in _texts(at)
    seen.append(_texts(at))

    # 3. Sectors; 4. map; 5. top countries.
    _next(at)
    assert at.title[0].value == "Projets gagnés par secteur — 2024"
    assert len(at.get("plotly_chart")) == 1
    seen.append(_texts(at))
    _next(at)
    assert at.title[0].value == "D'où viennent les projets gagnés — 2024"
    assert len(at.get("deck_gl_json_chart")) == 1
    seen.append(_texts(at))
    _next(at)
    assert at.title[0].value == "Les premiers pays d'origine — 2024"
    seen.append(_texts(at))

    # 6. India: 1 project won of 4 (P2).
    _next(at)
    assert at.title[0].value == "Focus Inde — 2024"
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Projets indiens gagnés"] == "1"
    assert f"soit {format_percent(1 / 4, 'fr')} du total (4)" in _texts(at)
    seen.append(_texts(at))

    # 7. Activity (catalogue 1.2): P2 487, P4 410, P5 95 days -> median 410 over 3 (the
    # confidential win was created won: not measured); 5 organisations met / 4 wins; no
    # delegation; missions M1 and M4 against a target of 4; French: P5 and the confidential one.
    _next(at)
    assert at.title[0].value == "L'activité de l'agence — 2024"
    tiles = {m.label: m.value for m in at.metric}
    assert tiles == {
        "Délai médian de décision": "410 jours",
        "Organisations rencontrées par projet gagné": format_number(1.25, "fr"),
        "Délégations accueillies": "0",
        "Missions réalisées": "2",
    }
    texts = _texts(at)
    assert "sur 3 projets gagnés passés par le pipeline" in texts
    assert "5 organisations pour 4 projets gagnés" in texts
    assert f"Objectif : 4 ({format_percent(0.5, 'fr')} atteint)" in texts
    assert "### Projets gagnés : 2 français · 2 étrangers · 0 d'origine inconnue" in texts
    seen.append(texts)

    # 8. Missions overlapping 2024: GITEX (October) and the year-end mission to the Rhine.
    _next(at)
    assert at.title[0].value == "Les missions de l'année et à venir"
    lines = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert [line.split("**")[1] for line in lines] == [
        "GITEX Dubai 2024",
        "Rhine year\\-end mission",  # Markdown-escaped: shown as typed
    ]
    assert [line.rsplit(" · ", 1)[1] for line in lines] == ["Passée", "Passée"]
    seen.append(_texts(at))

    # 9. The success story chosen (the first offered): 120 jobs, capex only an estimate.
    _next(at)
    assert at.title[0].value == "Une réussite"
    assert "## Bharat Energy Ltd" in [m.value for m in at.markdown]
    assert [(m.label, m.value) for m in at.metric] == [("Emplois annoncés", "120")]
    seen.append(_texts(at))

    # 10. Benchmarks, each with its source and year; the last slide.
    _next(at)
    assert at.title[0].value == "Les repères nationaux et publiés"
    assert [m.value for m in at.metric][:3] == ["1\u202f025", "1\u202f688", "37\u202f787"]
    assert "Source : EY, 2024" in [c.value for c in at.caption]
    assert at.button(key="deck_next").disabled
    seen.append(_texts(at))

    # The confidential project counts in the aggregates but is named on no slide.
    # Nor its company (Alpha Data SAS won nothing else in 2024).
    assert not [text for text in seen if SECRET in text or "Alpha Data SAS" in text]

    # Back one slide, then leave: the set-up comes back.
    at.button(key="deck_previous").click().run()
    assert at.title[0].value == "Une réussite"
    at.button(key="deck_leave").click().run()
    assert at.title[0].value == "Présentation (conférence de presse)"


def test_a_chosen_set_of_slides_on_live_figures(deck_db):
    at = run_app(PAGE, lang="en", user=as_user("Élodie Élue", Role.VIEWER))
    at.radio(key="deck_frozen").set_value(False).run()
    at.number_input(key="deck_year").set_value(2024).run()
    at.multiselect(key="deck_slides").set_value(["benchmarks", "headline"]).run()
    at.button(key="deck_start").click().run()
    assert not at.exception
    # In the deck's own order, whatever the order chosen.
    assert at.title[0].value == "Results 2024"
    assert _source(at).startswith("Live figures on ")
    assert "Slide 1 of 2" in [c.value for c in at.caption]
    _next(at)
    assert at.title[0].value == "National and published benchmarks"


def test_the_press_kit_is_built_in_one_click(deck_db):
    import io

    from pypdf import PdfReader

    from components.presentation_views import KIT_KEY
    from tests.browser_support import require_chromium

    require_chromium()  # the charts are drawn by Plotly's static export on Chromium
    at = run_app(PAGE, lang="fr", user=as_user("Élodie Élue", Role.VIEWER))
    at.button(key="kit_build").click().run()
    assert not at.exception
    assert not at.error
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "Télécharger les diapositives (PowerPoint)",
        "Télécharger les diapositives (PDF)",
        "Télécharger la fiche d'une page (PDF)",
        "Télécharger le bilan des résultats (PDF, une page)",
    ]
    statement = at.session_state[KIT_KEY][1]["statement"]
    assert statement.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(statement)).pages) == 1


def test_a_year_without_data_still_presents(deck_db):
    """2021 (before the fixture's history): every slide draws, with zeros, and no success
    story is offered."""
    at = run_app(PAGE, lang="fr", user=as_user("Élodie Élue", Role.VIEWER))
    at.radio(key="deck_frozen").set_value(False).run()
    at.number_input(key="deck_year").set_value(2021).run()
    assert "Aucun projet gagné sur la période ne peut être présenté" in at.info[0].value
    at.button(key="deck_start").click().run()
    assert {m.label: m.value for m in at.metric}["Projets gagnés"] == "0"
    assert "Diapositive 1 sur 9" in [c.value for c in at.main.caption]  # no success story
    titles, activity = [], {}
    for _ in range(9):
        assert not at.exception
        titles.append(at.title[0].value)
        if titles[-1].startswith("L'activité"):
            activity = {m.label: m.value for m in at.metric}
        if not at.button(key="deck_next").disabled:
            _next(at)
    assert titles[0] == "Les résultats 2021"
    # No win: neither a median nor a ratio ("—"), zero missions.
    assert activity == {
        "Délai médian de décision": "—",
        "Organisations rencontrées par projet gagné": "—",
        "Délégations accueillies": "0",
        "Missions réalisées": "0",
    }
    assert "Une réussite" not in titles
