"""The press kit from frozen figures of 2024 (tests/fixtures.py plus one confidential project
won in 2024 and an administrator's note of 15 June 2024): the PowerPoint's slides, titles and
figures (equal to the KPI functions' values on the fixture), the trend slide's months, bars,
missions and note (as frozen: a note added after the freeze is not on it), the PDF's pages and
text, the fact sheet, the PowerPoint converted to PDF by LibreOffice, and the confidential
project named in none of them.

Charts are drawn through Plotly's static export on the system Chromium: the test skips with a
visible reason without it (CI always has it), and likewise without LibreOffice.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import asdict
from datetime import date

import pytest
from pptx import Presentation
from pypdf import PdfReader

from core.formatting import format_eur, format_integer
from core.i18n import t
from core.kpis import get_headline_kpis
from core.periods import year_period
from core.presentation import SLIDES, deck_figures, list_success_candidates
from core.presskit import (
    KitContext,
    build_fact_sheet,
    build_pdf,
    build_pptx,
    build_slides,
    render_charts,
)
from core.presskit_trend import trend_chart
from core.snapshots import freeze
from core.trend_notes import create_note
from models import TrendNoteCreate
from tests.browser_support import require_chromium
from tests.fixtures import SECRET, add_confidential_win, build_fixture

pytestmark = pytest.mark.timeout(600)

TODAY = date(2026, 11, 28)
KIT = KitContext("fr", "Provence Promotion", "Aix-Marseille-Provence", "FR", (43.3, 5.37), TODAY)
NOTE = "Fermeture de l'usine Sud-Acier de Fos-sur-Mer"


def _note(session, on: date, text: str) -> None:
    create_note(session=session, data=TrendNoteCreate(noted_on=on, text=text), author="Admin")


@pytest.fixture
def kit_files(session):
    require_chromium()
    add_confidential_win(session, build_fixture(session))
    _note(session, date(2024, 6, 15), NOTE)
    snapshot = freeze(
        session, label="Bilan 2024", period=year_period(2024), home_country="FR", today=TODAY
    )
    _note(session, date(2024, 9, 2), "Noté après le gel")  # not on the frozen figures' trend
    figures, source = deck_figures(session, home_country="FR", today=TODAY, snapshot_id=snapshot.id)
    candidates = list_success_candidates(session, year_period(2024))
    assert SECRET not in set(candidates["code_name"])  # never offered
    slides = build_slides(
        session, figures=figures, source=source, slides=list(SLIDES),
        success_id=int(candidates["id"][0]), kit=KIT,
    )  # fmt: skip
    images = render_charts(slides)
    kpis = asdict(get_headline_kpis(session, year_period(2024), today=TODAY))
    return {
        "pptx": build_pptx(slides, images),
        "pdf": build_pdf(slides, images),
        "fact": build_fact_sheet(slides, title="Bilan 2024", lang="fr", images=images),
        "kpis": kpis,
        "images": images,
        "slides": slides,
    }


def _pptx_texts(data: bytes) -> list[list[str]]:
    deck = Presentation(io.BytesIO(data))
    return [
        [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        for slide in deck.slides
    ]


def test_the_powerpoint_holds_every_slide_with_the_kpis(kit_files):
    slides = _pptx_texts(kit_files["pptx"])
    assert [texts[0] for texts in slides] == [
        t(f"deck.title.{key}", "fr", period="2024") for key in SLIDES
    ]
    kpis = kit_files["kpis"]
    # The figures of the KPI functions on the fixture: 4 won (P2, P4, P5 and the confidential
    # one), 222 jobs, 15.9 M EUR disclosed, 5 organisations met.
    assert (kpis["projects_won"], kpis["jobs_announced"]) == (4, 222)
    headline = slides[0]
    for value in (
        format_integer(kpis["projects_won"], "fr"),
        format_integer(kpis["jobs_announced"], "fr"),
        format_eur(kpis["capex_disclosed_eur"], "fr"),
        format_integer(kpis["organisations_met"], "fr"),
    ):
        assert value in headline
    assert "+3 par rapport à 2023" in headline
    # Every slide says where its figures come from.
    assert all(texts[-1].startswith(("Chiffres figés", "Source", "Chiffres publiés"))
               for texts in slides)  # fmt: skip
    # Four charts drawn as images (trend, sectors, map, countries), each a real PNG.
    assert sorted(kit_files["images"]) == ["countries", "map", "sectors", "trend"]
    assert all(png.startswith(b"\x89PNG") for png in kit_files["images"].values())
    deck = Presentation(io.BytesIO(kit_files["pptx"]))
    pictures = [len([s for s in slide.shapes if s.shape_type == 13]) for slide in deck.slides]
    assert pictures == [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    activity = "\n".join(slides[SLIDES.index("activity")])
    assert "Délai médian de décision" in activity and "410 jours" in activity
    assert "sur 3 projets gagnés passés par le pipeline" in activity
    assert "5 organisations pour 4 projets gagnés" in activity
    # Neither the confidential project nor its company (Alpha Data SAS won nothing else in 2024).
    assert not [s for texts in slides for s in texts if SECRET in s or "Alpha Data SAS" in s]


#: 2024 by hand. Won (decision dates): the confidential win 1 March, P5 20 May, P4 15 July, P2
#: 31 December. Meetings (every interaction): I7 January, I8 February, I9 and I10 March, I11
#: April, I12 and I13 October, I14 November, I15 December.
WON_2024 = (0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1)
MET_2024 = (1, 1, 2, 1, 0, 0, 0, 0, 0, 2, 1, 1)
MONTHS_FR = (
    "janv. 2024", "févr. 2024", "mars 2024", "avr. 2024", "mai 2024", "juin 2024",
    "juil. 2024", "août 2024", "sept. 2024", "oct. 2024", "nov. 2024", "déc. 2024",
)  # fmt: skip
#: The marks as frozen: the note, then the missions starting in 2024 (M1, M4), by date.
MARKS_FROZEN = [
    ("2024-06-15", "note", NOTE),
    ("2024-10-14", "mission", "GITEX Dubai 2024"),
    ("2024-12-30", "mission", "Rhine year-end mission"),
]


def _marks_drawn(fig) -> list[tuple[str, str, str]]:
    """(date, colour, label) of each mark: its dashed line, the leader from the line's top, and
    its upright label (the annotations after the two panels' titles)."""
    labels = fig.layout.annotations[2:]
    lines, leaders = fig.layout.shapes[0::2], fig.layout.shapes[1::2]
    assert len(labels) == len(lines) == len(leaders)
    return [
        (line.x0, line.line.color, label.text)
        for line, leader, label in zip(lines, leaders, labels, strict=True)
        if line.x0 == leader.x0 == label.x and line.line.dash == "dash" and label.textangle == -90
    ]


def test_the_trend_slide_draws_the_frozen_months_missions_and_notes(kit_files):
    slides = {s.key: s for s in kit_files["slides"]}
    trend = slides["trend"]
    assert trend.title == "Mois par mois, 2024 : pourquoi les chiffres ont bougé"
    fig = trend.chart
    won, met = fig.data
    assert tuple(won.y) == WON_2024 and tuple(met.y) == MET_2024
    assert tuple(fig.layout.xaxis.ticktext) == MONTHS_FR
    # The frozen note and the two missions; the note added after the freeze is not there.
    # The 45-character note on two lines of at most 24 characters, broken between words.
    assert _marks_drawn(fig) == [
        ("2024-06-15", "#009E73", "Fermeture de l'usine<br>Sud-Acier de Fos-sur-Mer"),
        ("2024-10-14", "#D55E00", "GITEX Dubai 2024"),
        ("2024-12-30", "#D55E00", "Rhine year-end mission"),
    ]
    assert [a.xshift for a in fig.layout.annotations[2:]] == [0, 0, 0]  # months apart
    # Each mark in full, as the PowerPoint picture's alternative text.
    deck = Presentation(io.BytesIO(kit_files["pptx"]))
    page = deck.slides[SLIDES.index("trend")]
    picture = next(s for s in page.shapes if s.shape_type == 13)
    assert picture._element.nvPicPr.cNvPr.get("descr") == (
        f"15 juin 2024 — Note : {NOTE}\n"
        "14 oct. 2024 — Mission : GITEX Dubai 2024\n"
        "30 déc. 2024 — Mission : Rhine year-end mission"
    )
    texts = [s.text_frame.text for s in page.shapes if s.has_text_frame]
    assert texts[0] == trend.title
    assert texts[1].startswith("Traits verticaux : les missions (rouge orangé)")
    assert texts[-1].startswith("Chiffres figés « Bilan 2024 » le ")
    pdf = PdfReader(io.BytesIO(kit_files["pdf"])).pages[SLIDES.index("trend")].extract_text()
    assert pdf.startswith("Mois par mois, 2024 : pourquoi les chiffres ont bougé")
    assert "Traits verticaux" in pdf and "Chiffres figés « Bilan 2024 »" in pdf


def test_the_trend_live_moves_frozen_stays_and_older_snapshots_have_none(session):
    """No picture drawn: the figures and the chart object only (no Chromium needed)."""
    add_confidential_win(session, build_fixture(session))
    _note(session, date(2024, 6, 15), NOTE)
    snapshot = freeze(
        session, label="Bilan 2024", period=year_period(2024), home_country="FR", today=TODAY
    )
    _note(session, date(2024, 10, 16), "Consulat <b>indien</b>")
    frozen, source = deck_figures(session, home_country="FR", today=TODAY, snapshot_id=snapshot.id)
    live, live_source = deck_figures(session, home_country="FR", today=TODAY,
                                     period=year_period(2024))  # fmt: skip
    assert [m["on"] for m in frozen["trend_marks"]] == [on for on, _, _ in MARKS_FROZEN]
    assert [(m["on"], m["kind"], m["label"]) for m in live["trend_marks"]] == [
        MARKS_FROZEN[0], MARKS_FROZEN[1],
        ("2024-10-16", "note", "Consulat <b>indien</b>"), MARKS_FROZEN[2],
    ]  # fmt: skip
    assert frozen["trend"] == live["trend"]
    assert [r["month"] for r in frozen["trend"]] == [f"2024-{m:02d}-01" for m in range(1, 13)]
    assert tuple(r["projects_won"] for r in frozen["trend"]) == WON_2024
    assert tuple(r["meetings"] for r in frozen["trend"]) == MET_2024
    kit_en = KitContext("en", "Provence Promotion", "Aix-Marseille-Provence", "FR",
                        (43.3, 5.37), TODAY)  # fmt: skip
    (slide,) = build_slides(session, figures=live, source=live_source, slides=["trend"],
                            success_id=None, kit=kit_en)  # fmt: skip
    assert slide.title == "Month by month, 2024: why the figures moved"
    # The note two days after GITEX: its label moved right to stand 28 px from the mission's
    # (1,540 px for the 366 days of 2024); typed HTML shown as typed.
    assert _marks_drawn(slide.chart)[1:3] == [
        ("2024-10-14", "#D55E00", "GITEX Dubai 2024"),
        ("2024-10-16", "#009E73", "Consulat &lt;b&gt;indien&lt;/b&gt;"),
    ]
    shifts = [a.xshift for a in slide.chart.layout.annotations[2:]]
    assert shifts == [0, 0, pytest.approx(28 - 2 * 1540 / 366), 0]
    # Its leader slants to there: 28 px is 28 x 366 / 1540 = 6.6545 days from the mission,
    # 4.6545 days (4 days 15:42:32) after the note's own date.
    leaders = slide.chart.layout.shapes[1::2]
    assert [leader.x1[:19] for leader in leaders] == [
        "2024-06-15T00:00:00", "2024-10-14T00:00:00", "2024-10-20T15:42:32",
        "2024-12-30T00:00:00",
    ]  # fmt: skip
    assert slide.alt_text.splitlines()[2] == "Oct 16, 2024 — Note: Consulat <b>indien</b>"
    assert tuple(slide.chart.layout.xaxis.ticktext)[:2] == ("Jan 2024", "Feb 2024")
    # Frozen before the trend was kept: no trend slide (the other slides as before).
    older = {k: v for k, v in frozen.items() if k not in ("trend", "trend_marks")}
    built = build_slides(session, figures=older, source=source, slides=["headline", "trend"],
                         success_id=None, kit=KIT)  # fmt: skip
    assert [s.key for s in built] == ["headline"]


def test_the_trend_chart_keeps_its_titles_and_sets_the_marks_after_them():
    """No chromium, no database: the figure alone. Without marks, the two panels' titles and no
    shape; with two marks a day apart, their lines and leaders in date order and their labels
    after the titles, the second label moved right by 28 px less the day's 1,540 / 366 px."""
    trend = [{"month": f"2024-{m:02d}-01", "projects_won": m, "meetings": 2 * m}
             for m in range(1, 13)]  # fmt: skip
    bare = trend_chart({"trend": trend, "trend_marks": []}, "en")
    assert bare.layout.shapes == ()
    assert [a.text for a in bare.layout.annotations] == ["Projects won", "Meetings logged"]
    marks = [{"on": "2024-03-01", "kind": "mission", "label": "GITEX"},
             {"on": "2024-03-02", "kind": "note", "label": "A <b>note</b>"}]  # fmt: skip
    fig = trend_chart({"trend": trend, "trend_marks": marks}, "en")
    assert [a.text for a in fig.layout.annotations] == [
        "Projects won", "Meetings logged", "GITEX", "A &lt;b&gt;note&lt;/b&gt;",
    ]  # fmt: skip
    assert [a.xshift for a in fig.layout.annotations[2:]] == [
        0, pytest.approx(28 - 1540 / 366),
    ]  # fmt: skip
    # 28 px is 28 x 366 / 1540 = 6.6545 days from the mission: 5 days 15:42:32 after the note.
    assert [(s.x0, s.x1[:19], s.line.color, s.line.dash) for s in fig.layout.shapes] == [
        ("2024-03-01", "2024-03-01", "#D55E00", "dash"),
        ("2024-03-01", "2024-03-01T00:00:00", "#D55E00", None),
        ("2024-03-02", "2024-03-02", "#009E73", "dash"),
        ("2024-03-02", "2024-03-07T15:42:32", "#009E73", None),
    ]


def test_the_pdf_and_the_fact_sheet(kit_files):
    pdf = PdfReader(io.BytesIO(kit_files["pdf"]))
    assert len(pdf.pages) == len(SLIDES)
    first = pdf.pages[0].extract_text()
    assert first.startswith("Les résultats 2024")
    assert "222" in first and "+3 par rapport à 2023" in first
    fact = PdfReader(io.BytesIO(kit_files["fact"]))
    assert len(fact.pages) == 1
    text = fact.pages[0].extract_text()
    assert text.startswith("Bilan 2024")
    assert "Focus Inde — 2024" in text and "222" in text
    # The activity (catalogue 1.2): median 410 days over P2 487, P4 410, P5 95 (the
    # confidential win, created won, is not measured); 2 French wins (P5, the confidential one).
    assert "L'activité de l'agence — 2024" in text and "410 jours" in text
    assert "Projets gagnés : 2 français · 2 étrangers · 0 d'origine inconnue" in text
    everything = "".join(p.extract_text() for p in (*pdf.pages, *fact.pages))
    assert SECRET not in everything and "Alpha Data SAS" not in everything


def test_libreoffice_opens_the_powerpoint(kit_files, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have LibreOffice (apt-get install -y libreoffice-impress)")
        pytest.skip("LibreOffice is missing (apt-get install -y libreoffice-impress)")
    source = tmp_path / "kit.pptx"
    source.write_bytes(kit_files["pptx"])
    subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = PdfReader(tmp_path / "kit.pdf")
    assert len(pdf.pages) == len(SLIDES)
    first = pdf.pages[0].extract_text()
    assert "Les résultats 2024" in first and "222" in first
    assert "Les repères nationaux et publiés" in pdf.pages[-1].extract_text()
