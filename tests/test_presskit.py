"""The press kit from frozen figures of 2024 (tests/fixtures.py plus one confidential project
won in 2024): the PowerPoint's slides, titles and figures (equal to the KPI functions' values on
the fixture), the PDF's pages and text, the fact sheet, the PowerPoint converted to PDF by
LibreOffice, and the confidential project named in none of them.

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
from core.snapshots import freeze
from tests.browser_support import require_chromium
from tests.fixtures import SECRET, add_confidential_win, build_fixture

pytestmark = pytest.mark.timeout(600)

TODAY = date(2026, 11, 28)
KIT = KitContext("fr", "Provence Promotion", "Aix-Marseille-Provence", "FR", (43.3, 5.37), TODAY)


@pytest.fixture
def kit_files(session):
    require_chromium()
    add_confidential_win(session, build_fixture(session))
    snapshot = freeze(
        session, label="Bilan 2024", period=year_period(2024), home_country="FR", today=TODAY
    )
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
    # Three charts drawn as images (sectors, map, countries), each a real PNG.
    assert sorted(kit_files["images"]) == ["countries", "map", "sectors"]
    assert all(png.startswith(b"\x89PNG") for png in kit_files["images"].values())
    deck = Presentation(io.BytesIO(kit_files["pptx"]))
    pictures = [len([s for s in slide.shapes if s.shape_type == 13]) for slide in deck.slides]
    assert pictures == [0, 1, 1, 1, 0, 0, 0, 0, 0]
    activity = "\n".join(slides[SLIDES.index("activity")])
    assert "Délai médian de décision" in activity and "410 jours" in activity
    assert "sur 3 projets gagnés passés par le pipeline" in activity
    assert "5 organisations pour 4 projets gagnés" in activity
    # Neither the confidential project nor its company (Alpha Data SAS won nothing else in 2024).
    assert not [s for texts in slides for s in texts if SECRET in s or "Alpha Data SAS" in s]


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
