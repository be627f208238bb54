"""Press-conference benchmark: the time to compute a year's deck figures (what a snapshot
freezes), and to build the press kit (slides, four chart images, PowerPoint, PDF, fact sheet),
on the demo databases of ``bench/harness.py``.

    python bench/presskit.py --scale 1 --scale 10

Never used by the test suite: timings belong here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import ANCHOR, build_database, median_time  # noqa: E402


def measure(scale: float) -> dict[str, float]:
    from sqlmodel import Session

    from core.db import make_engine
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

    url, _ = build_database(scale)
    engine = make_engine(url)
    period = year_period(ANCHOR.year - 1)
    kit = KitContext(
        "fr", "Provence Promotion", "Aix-Marseille-Provence", "FR", (43.3, 5.37), ANCHOR
    )
    with Session(engine) as session:
        figures_s = median_time(
            lambda: deck_figures(session, home_country="FR", today=ANCHOR, period=period), runs=3
        )
        figures, source = deck_figures(session, home_country="FR", today=ANCHOR, period=period)
        success = int(list_success_candidates(session, period)["id"][0])
        started = time.perf_counter()
        slides = build_slides(
            session, figures=figures, source=source, slides=list(SLIDES), success_id=success,
            kit=kit,
        )  # fmt: skip
        slides_s = time.perf_counter() - started
    started = time.perf_counter()
    images = render_charts(slides)
    charts_s = time.perf_counter() - started
    started = time.perf_counter()
    build_pptx(slides, images)
    build_pdf(slides, images)
    build_fact_sheet(slides, title="Bilan", lang="fr", images=images)
    files_s = time.perf_counter() - started
    engine.dispose()
    return {"figures": figures_s, "slides": slides_s, "charts": charts_s, "files": files_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", default=None)
    args = parser.parse_args()
    print("| scale | deck figures (median of 3) | slides | 4 chart images | PPTX + PDF + sheet |")
    print("|---:|---:|---:|---:|---:|")
    for scale in args.scale or [1.0]:
        m = measure(scale)
        print(
            f"| {scale:g} | {m['figures']:.2f} s | {m['slides']:.2f} s | {m['charts']:.1f} s "
            f"| {m['files']:.2f} s |"
        )


if __name__ == "__main__":
    main()
