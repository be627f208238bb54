"""The press kit: the presentation's slides as a PowerPoint file (python-pptx) and as a PDF
(fpdf2), and a one-page fact sheet (PDF), from the same deck figures as the presentation.

Charts are drawn by Plotly and rendered to images by its static export (Kaleido), which runs the
system's Chromium: nothing is fetched from the internet. The map is drawn as plain shapes from
the app's own world outlines (Plotly's geographic charts would fetch theirs from a CDN). Names
typed by users are escaped for Plotly, so that they print as typed. A confidential project is
never named: the success story refuses one (``core.presentation.get_success_story``).
"""

from __future__ import annotations

import html
import io
import math
import threading
import warnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import kaleido
import plotly.graph_objects as go
from fpdf import FPDF
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt
from sqlmodel import Session

from core import geo
from core.formatting import (
    format_day,
    format_eur,
    format_integer,
    format_moment,
    format_number,
    format_percent,
    format_period,
)
from core.i18n import enum_label, t
from core.lookups import get_sector_labels
from core.periods import Period
from core.presentation import (
    TOP_COUNTRIES,
    DeckSource,
    deck_missions,
    get_success_story,
    load_benchmarks,
    pick_missions,
    top_countries,
)
from core.presskit_trend import mark_lines, trend_chart
from core.refdata import get_sector_colours

INK = "#0B1F33"
GREY = "#E5E7EB"
ORIGIN = "#2C7FB8"
FLOW = "#E69F00"
WIDE, HIGH = 1600, 760  # chart images, pixels (16:9 slides)


@dataclass
class Slide:
    """What one slide shows, whatever the file: a title, big figures (label, value, note),
    lines of text, an optional chart, and where its figures come from."""

    key: str
    title: str
    tiles: list[tuple[str, str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    chart: go.Figure | None = None
    source: str = ""
    alt_text: str = ""  # the chart's in words, for readers the picture does not reach


@dataclass(frozen=True)
class KitContext:
    lang: str
    agency: str
    territory: str
    home_country: str
    home: tuple[float, float]  # lat, lon
    today: date


def period_text(period: Period, lang: str) -> str:
    """A calendar year as "2024", any other period as its two dates."""
    return (
        str(period.start.year)
        if period.is_calendar_year
        else format_period(period.start, period.end, lang)
    )


def source_line(source: DeckSource, kit: KitContext, slide: str) -> str:
    """Where a slide's figures come from: the snapshot or the live data, the calendar, or the
    published benchmarks."""
    if slide == "benchmarks":
        return t("deck.source.benchmarks", kit.lang)
    if slide in ("missions", "success"):
        return t("deck.source.calendar", kit.lang, agency=kit.agency)
    if source.frozen:
        return t(
            "deck.source.frozen_caption", kit.lang, label=source.label,
            at=format_moment(source.frozen_at, kit.lang), version=source.definitions_version,
            agency=kit.agency,
        )  # fmt: skip
    return t(
        "deck.source.live_caption", kit.lang, day=format_day(kit.today, kit.lang),
        version=source.definitions_version, agency=kit.agency,
    )  # fmt: skip


#: The headline slide's tiles: figure, its target's KPI, its format.
HEADLINE_TILES = (
    ("projects_won", "projects_won", format_integer),
    ("jobs_announced", "jobs_announced", format_integer),
    ("capex_disclosed_eur", "capex_disclosed", format_eur),
    ("organisations_met", "organisations_met", format_integer),
)


def headline_tiles(figures: dict[str, Any], lang: str) -> list[tuple[str, str, str, str]]:
    """The headline slide's tiles: (label, value, change since the previous period, progress
    toward the target); the last two empty when there is nothing to compare with. The change
    starts with an ASCII sign, so that a tile colours it."""
    head, before, targets = figures["headline"], figures["previous"], figures["targets"]
    start, end = (date.fromisoformat(d) for d in figures["previous_period"])
    previous = period_text(Period(start, end), lang)
    tiles = []
    for name, target_key, fmt in HEADLINE_TILES:
        value, was, target = head[name], before.get(name), targets.get(target_key)
        change = ""
        if was is not None:
            gap = value - was
            sign = "+" if gap >= 0 else "-"
            change = t("deck.vs_previous", lang, delta=sign + fmt(abs(gap), lang),
                       previous=previous)  # fmt: skip
        progress = (
            t("deck.target", lang, target=fmt(target, lang),
              progress=format_percent(value / target, lang))
            if target else ""
        )  # fmt: skip
        tiles.append((t(f"deck.tile.{name}", lang), fmt(value, lang), change, progress))
    return tiles


def headline_more(figures: dict[str, Any], lang: str) -> str:
    head = figures["headline"]
    return t(
        "deck.headline.more", lang,
        foreign=format_integer(head["projects_won_foreign"], lang),
        kept=format_integer(head["jobs_kept"], lang),
        meetings=format_integer(head["meetings"], lang),
    )  # fmt: skip


def headline_results(figures: dict[str, Any], source: DeckSource, lang: str) -> list[str]:
    """Beside the jobs announced: the jobs verified to date and the realisation rate of the
    period's wins (or that none is old enough to be checked), of the wins of the three years
    before, and what the network's accepted claims brought ("attribué au réseau : N projets,
    M emplois vérifiés"); for frozen figures made before catalogue 1.3, that they hold none."""
    res = figures.get("results")
    if res is None:
        return [t("deck.results.not_frozen", lang, version=source.definitions_version)]
    n = format_integer
    if res["projects_checkable"]:
        own = t(
            "deck.results.verified", lang, verified=n(res["jobs_verified"], lang),
            announced=n(res["jobs_announced_checked"], lang),
            checked=n(res["projects_checked"], lang),
            rate=format_percent(res["realisation_rate"], lang),
            awaiting=n(res["projects_awaiting"], lang),
        )  # fmt: skip
    else:
        own = t("deck.results.none_checkable", lang)
    first, last = (date.fromisoformat(d).year for d in figures["results_earlier_period"])
    earlier = t(
        "deck.results.earlier", lang, first=first, last=last,
        verified=n(res["earlier_jobs_verified"], lang),
        announced=n(res["earlier_jobs_announced_checked"], lang),
        rate=format_percent(res["earlier_realisation_rate"], lang),
        awaiting=n(res["earlier_projects_awaiting"], lang),
    )  # fmt: skip
    network = t(
        "deck.results.network", lang, n=n(res["network_projects"], lang),
        m=n(res["network_jobs_verified"], lang),
    )  # fmt: skip
    return [own, earlier, network]


#: The activity slide's tiles (catalogue 1.2's figures, ``figures["performance"]``).
ACTIVITY_TILES = (
    "time_to_decision_days",
    "organisations_met_per_win",
    "delegations_received",
    "missions_held",
)


def activity_tiles(figures: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """The activity slide's tiles: (label, value, note); none for frozen figures made before
    catalogue 1.2, which do not hold them (``activity_lines`` says so)."""
    more, head = figures.get("performance"), figures["headline"]
    if more is None:
        return []
    target = figures.get("targets", {}).get("missions")
    days = more["time_to_decision_days"]
    values = {
        "time_to_decision_days": (
            t("kpi.time_to_decision.days", lang, days=format_number(days, lang))
            if days is not None else format_number(None, lang),
            t("kpi.time_to_decision.projects", lang,
              n=format_integer(more["time_to_decision_projects"], lang)),
        ),
        "organisations_met_per_win": (
            format_number(more["organisations_met_per_win"], lang),
            t("kpi.organisations_met_per_win.note", lang,
              orgs=format_integer(head["organisations_met"], lang),
              won=format_integer(head["projects_won"], lang)),
        ),
        "delegations_received": (
            format_integer(more["delegations_received"], lang),
            t("kpi.delegations_received.note", lang,
              n=format_integer(more["missions_held"], lang)),
        ),
        "missions_held": (
            format_integer(more["missions_held"], lang),
            t("deck.target", lang, target=format_integer(target, lang),
              progress=format_percent(more["missions_held"] / target, lang))
            if target else "",
        ),
    }  # fmt: skip
    return [(t(f"deck.tile.{name}", lang), *values[name]) for name in ACTIVITY_TILES]


def activity_lines(figures: dict[str, Any], source: DeckSource, lang: str) -> list[str]:
    """The projects won split by origin, or why frozen figures show no activity tiles."""
    more, head = figures.get("performance"), figures["headline"]
    if more is None:
        return [t("deck.activity.not_frozen", lang, version=source.definitions_version)]
    return [
        t("deck.activity.origin", lang, home=format_integer(more["projects_won_home"], lang),
          foreign=format_integer(head["projects_won_foreign"], lang),
          unknown=format_integer(head.get("projects_won_unknown_origin", 0), lang))
    ]  # fmt: skip


def _bar_chart(labels: list[str], values: list[int], texts: list[str], colours: Any) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=values[::-1],
            y=[html.escape(label, quote=False) for label in labels][::-1],
            orientation="h",
            marker_color=colours[::-1] if isinstance(colours, list) else colours,
            text=texts[::-1],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_layout(
        width=WIDE, height=HIGH, margin={"l": 10, "r": 60, "t": 10, "b": 10},
        font={"size": 28, "color": INK}, showlegend=False,
        plot_bgcolor="white", paper_bgcolor="white",
    )  # fmt: skip
    fig.update_xaxes(visible=False, range=[0, max(values + [1]) * 1.45])
    fig.update_yaxes(automargin=True, tickfont={"size": 28, "color": INK})
    return fig


def _map_chart(countries: Any, kit: KitContext) -> go.Figure:
    """Countries of origin filled, the others grey, and an arc from each foreign origin to the
    territory, on a plain longitude-latitude plot of the app's own world outlines."""
    origins = set(countries["iso2"])
    by_numeric = {str(f.get("id")): f for f in geo.load_world_geojson()["features"] if f.get("id")}
    iso2_of = countries.attrs.get("iso2_by_numeric", {})
    fig = go.Figure()
    for filled, colour in ((False, GREY), (True, ORIGIN)):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for numeric, feature in by_numeric.items():
            if (iso2_of.get(numeric) in origins) != filled:
                continue
            geometry = feature["geometry"]
            polygons = (
                geometry["coordinates"]
                if geometry["type"] == "MultiPolygon"
                else [geometry["coordinates"]]
            )
            for polygon in polygons:
                ring = polygon[0]
                xs += [p[0] for p in ring] + [None]
                ys += [p[1] for p in ring] + [None]
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, fill="toself", mode="lines", fillcolor=colour,
                line={"color": "white", "width": 0.5}, hoverinfo="skip",
            )
        )  # fmt: skip
    home_lat, home_lon = kit.home
    for row in countries.itertuples():
        if row.iso2 == kit.home_country or math.isnan(row.lat):
            continue
        # A quadratic curve bulging north, as the arcs of the interactive map.
        mid_x, mid_y = (row.lon + home_lon) / 2, (row.lat + home_lat) / 2
        lift = math.dist((row.lon, row.lat), (home_lon, home_lat)) / 4
        steps = [i / 24 for i in range(25)]
        fig.add_trace(
            go.Scatter(
                x=[(1 - s) ** 2 * row.lon + 2 * (1 - s) * s * mid_x + s**2 * home_lon
                   for s in steps],
                y=[(1 - s) ** 2 * row.lat + 2 * (1 - s) * s * (mid_y + lift) + s**2 * home_lat
                   for s in steps],
                mode="lines", line={"color": FLOW, "width": 2 + 2 * math.sqrt(row.value)},
                hoverinfo="skip",
            )
        )  # fmt: skip
    fig.update_layout(
        width=WIDE, height=HIGH, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False,
        plot_bgcolor="white", paper_bgcolor="white",
    )  # fmt: skip
    fig.update_xaxes(visible=False, range=[-170, 190])
    fig.update_yaxes(visible=False, range=[-58, 85], scaleanchor="x", scaleratio=1)
    return fig


def build_slides(
    session: Session,
    *,
    figures: dict[str, Any],
    source: DeckSource,
    slides: list[str],
    success_id: int | None,
    kit: KitContext,
) -> list[Slide]:
    """The slides chosen, in the deck's order, with their texts in ``kit.lang``."""
    lang = kit.lang
    period = period_text(source.period, lang)
    built: list[Slide] = []
    for key in slides:
        slide = Slide(
            key, t(f"deck.title.{key}", lang, period=period), source=source_line(source, kit, key)
        )
        if key == "headline":
            slide.tiles = [
                (label, value, " · ".join(n for n in (change, progress) if n))
                for label, value, change, progress in headline_tiles(figures, lang)
            ]
            slide.lines.append(headline_more(figures, lang))
            slide.lines += headline_results(figures, source, lang)
        elif key == "trend":
            slide.chart = trend_chart(figures, lang)
            if slide.chart is None:
                continue  # frozen before the trend was: no slide rather than an empty one
            slide.alt_text = "\n".join(mark_lines(figures, lang))
            slide.lines.append(t("deck.trend.legend", lang))
        elif key == "activity":
            slide.tiles = activity_tiles(figures, lang)
            slide.lines = activity_lines(figures, source, lang)
        elif key == "sectors":
            labels, colours = get_sector_labels(session, lang), get_sector_colours()
            rows = figures["sectors"]
            slide.chart = _bar_chart(
                [labels.get(r["sector_code"], r["sector_code"]) for r in rows],
                [r["won"] or 0 for r in rows],
                [
                    t("deck.sectors.bar_one" if (r["won"] or 0) == 1 else "deck.sectors.bar",
                      lang, won=format_integer(r["won"] or 0, lang),
                      jobs=format_integer(r["jobs_announced"] or 0, lang))
                    for r in rows
                ],
                [colours.get(r["sector_code"], "#6B7280") for r in rows],
            )  # fmt: skip
        elif key in ("map", "countries"):
            frame = top_countries(session, figures, lang)
            if key == "map":
                frame.attrs["iso2_by_numeric"] = geo.get_iso2_by_numeric(session)
                slide.chart = _map_chart(frame, kit)
                slide.lines.append(
                    t("deck.map.legend", lang, n=format_integer(len(frame), lang),
                      territory=kit.territory)
                )  # fmt: skip
            else:
                top = frame.head(TOP_COUNTRIES)
                slide.chart = _bar_chart(
                    [str(n) for n in top["name"]], [int(v) for v in top["value"]],
                    [format_integer(v, lang) for v in top["value"]], "#009E73",
                )  # fmt: skip
        elif key == "india":
            for metric in ("leads", "projects_won", "jobs_announced"):
                pair = figures["india"].get(metric, {"india": 0, "world": 0})
                share = pair["india"] / pair["world"] if pair["world"] else None
                slide.tiles.append(
                    (t(f"deck.india.{metric}", lang), format_integer(pair["india"], lang),
                     t("deck.india.share", lang, share=format_percent(share, lang),
                       world=format_integer(pair["world"], lang)))
                )  # fmt: skip
        elif key == "missions":
            shown, left_out = pick_missions(deck_missions(session, source.period, today=kit.today))
            for row in shown.itertuples():
                slide.lines.append(
                    f"{row.name} — {format_period(row.starts_on, row.ends_on, lang)} · "
                    + t(f"missions.status.{row.status}", lang)
                )
            if left_out:
                slide.lines.append(t("deck.missions.more", lang, n=format_integer(left_out, lang)))
            if not slide.lines:
                slide.lines.append(t("deck.missions.none", lang))
        elif key == "success":
            if success_id is None:
                continue
            story = get_success_story(session, success_id, lang)
            slide.lines = [
                story["organisation"],
                t("deck.success.what", lang, type=enum_label(story["project_type"], lang),
                  function=enum_label(story["function"], lang), sector=story["sector"]),
                t("deck.success.from", lang, country=story["country"] or "—"),
                t("deck.success.decided", lang, day=format_day(story["decided_on"], lang)),
            ]  # fmt: skip
            slide.tiles.append(
                (t("snapshot.fig.jobs_announced", lang),
                 format_integer(story["jobs_announced"], lang), "")
            )  # fmt: skip
            if story["capex_eur"] is not None:
                slide.tiles.append(
                    (t("deck.success.capex", lang), format_eur(story["capex_eur"], lang), "")
                )
        elif key == "benchmarks":
            for badge in load_benchmarks(lang):
                slide.tiles.append(
                    (badge.label, format_integer(badge.value, lang),
                     t("deck.benchmark.source", lang, source=badge.source, year=badge.year))
                )  # fmt: skip
        built.append(slide)
    return built


_RENDERING = threading.Lock()


def render_charts(slides: list[Slide]) -> dict[str, bytes]:
    """Every slide's chart as a PNG image, by slide key (Kaleido, on the system Chromium).

    One Chromium serves all the charts of a kit (started, then stopped): about 6 s for the first
    image and half a second for each next one, against 5 s each with a browser per image
    (``bench/presskit.py``). Kits are rendered one at a time: the server is process-wide."""
    with _RENDERING:
        kaleido.start_sync_server(silence_warnings=True)
        try:
            with warnings.catch_warnings():  # Kaleido's options are unused with a server
                warnings.filterwarnings("ignore", "The kopts argument is ignored")
                return {
                    s.key: s.chart.to_image(format="png", width=WIDE, height=HIGH, scale=1)
                    for s in slides
                    if s.chart is not None
                }
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


# ---------------------------------------------------------------------------------------------
# PowerPoint
# ---------------------------------------------------------------------------------------------

SLIDE_W, SLIDE_H = Emu(12_192_000), Emu(6_858_000)  # 16:9, 13.33 x 7.5 inches


def _text(slide: Any, left: int, top: int, width: int, height: int, text: str, size: int,
          *, bold: bool = False, colour: str = INK) -> None:  # fmt: skip
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))


def build_pptx(slides: list[Slide], images: dict[str, bytes]) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    blank = deck.slide_layouts[6]
    inch = 914_400
    for content in slides:
        page = deck.slides.add_slide(blank)
        title = page.shapes.add_textbox(Emu(inch // 2), Emu(inch // 3), Emu(12 * inch), Emu(inch))
        title.name = "Title"
        run = title.text_frame.paragraphs[0].add_run()
        run.text = content.title
        run.font.size, run.font.bold = Pt(36), True
        run.font.color.rgb = RGBColor.from_string(INK.lstrip("#"))
        top = int(1.5 * inch)
        if content.tiles:
            per_row = 4 if len(content.tiles) == 4 else 3
            width = (12 * inch) // per_row
            for i, (label, value, note) in enumerate(content.tiles):
                left = inch // 2 + (i % per_row) * width
                row_top = top + (i // per_row) * int(2.2 * inch)
                _text(page, left, row_top, width - inch // 6, inch // 2, label, 16)
                _text(page, left, row_top + inch // 2, width, int(0.9 * inch), value, 44, bold=True)
                if note:
                    _text(page, left, row_top + int(1.4 * inch), width - inch // 6, inch // 2,
                          note, 12, colour="#374151")  # fmt: skip
            top += int(2.2 * inch) * math.ceil(len(content.tiles) / per_row)
        if content.key in images:
            picture = io.BytesIO(images[content.key])
            shape = page.shapes.add_picture(picture, Emu(inch), Emu(top), width=Emu(11 * inch))
            if content.alt_text:  # what a screen reader says of the picture
                shape._element.nvPicPr.cNvPr.set("descr", content.alt_text)
            top += int(11 * inch * HIGH / WIDE)
        for line in content.lines:
            _text(page, inch // 2, top, 12 * inch, inch // 2, line, 20)
            top += int(0.55 * inch)
        _text(page, inch // 2, int(6.9 * inch), 12 * inch, inch // 2, content.source, 11,
              colour="#374151")  # fmt: skip
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


#: A font with every accent and the euro sign (PDF's core fonts have Latin-1 only): Debian's
#: fonts-dejavu-core, installed with Chromium.
FONTS = Path("/usr/share/fonts/truetype/dejavu")


class _Pdf(FPDF):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not (FONTS / "DejaVuSans.ttf").exists():
            raise RuntimeError(f"the PDF font is missing: install fonts-dejavu-core ({FONTS})")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(False)


def build_pdf(slides: list[Slide], images: dict[str, bytes]) -> bytes:
    """The slides as a landscape PDF, one page each (338.7 x 190.5 mm, 16:9)."""
    pdf = _Pdf(orientation="L", unit="mm", format=(190.5, 338.7))
    for content in slides:
        pdf.add_page()
        pdf.set_text_color(11, 31, 51)
        pdf.set_font("DejaVu", "B", 26)
        pdf.set_xy(12, 10)
        pdf.multi_cell(310, 12, content.title)
        top = 32.0
        if content.tiles:
            per_row = 4 if len(content.tiles) == 4 else 3
            width = 314 / per_row
            for i, (label, value, note) in enumerate(content.tiles):
                x, y = 12 + (i % per_row) * width, top + (i // per_row) * 52
                pdf.set_font("DejaVu", "", 11)
                pdf.set_xy(x, y)
                pdf.multi_cell(width - 4, 5, label)
                pdf.set_font("DejaVu", "B", 30)
                pdf.set_xy(x, y + 14)
                pdf.cell(width - 4, 14, value)
                if note:
                    pdf.set_font("DejaVu", "", 9)
                    pdf.set_xy(x, y + 31)
                    pdf.multi_cell(width - 4, 4.5, note)
            top += 52 * math.ceil(len(content.tiles) / per_row)
        if content.key in images:
            height = 250 * HIGH / WIDE
            pdf.image(io.BytesIO(images[content.key]), x=44, y=top, w=250, h=height,
                      alt_text=content.alt_text or None)  # fmt: skip
            top += height + 2
        pdf.set_font("DejaVu", "", 14)
        for line in content.lines:
            pdf.set_xy(12, top)
            pdf.multi_cell(314, 7, line)
            top = pdf.get_y() + 2
        pdf.set_font("DejaVu", "", 8)
        pdf.set_text_color(55, 65, 81)
        pdf.set_xy(12, 180)
        pdf.multi_cell(314, 4, content.source)
    return bytes(pdf.output())


def build_fact_sheet(
    slides: list[Slide], *, title: str, lang: str, images: dict[str, bytes]
) -> bytes:
    """One A4 page: the headline figures, the activity, the India focus, the sectors' chart,
    the sources."""
    by_key = {s.key: s for s in slides}
    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    pdf.add_page()
    pdf.set_text_color(11, 31, 51)
    pdf.set_font("DejaVu", "B", 20)
    pdf.set_xy(12, 12)
    pdf.multi_cell(186, 9, title)
    y = pdf.get_y() + 4
    for key in ("headline", "activity", "india"):
        slide = by_key.get(key)
        if slide is None:
            continue
        pdf.set_font("DejaVu", "B", 13)
        pdf.set_xy(12, y)
        pdf.cell(186, 7, slide.title)
        y += 9
        width = 186 / max(len(slide.tiles), 1)
        for i, (label, value, note) in enumerate(slide.tiles):
            x = 12 + i * width
            pdf.set_font("DejaVu", "", 8)
            pdf.set_xy(x, y)
            pdf.multi_cell(width - 2, 3.8, label)
            pdf.set_font("DejaVu", "B", 18)
            pdf.set_xy(x, y + 9)
            pdf.cell(width - 2, 8, value)
            pdf.set_font("DejaVu", "", 7)
            pdf.set_xy(x, y + 18)
            pdf.multi_cell(width - 2, 3.4, note)
        y += 32
        for line in slide.lines:
            pdf.set_font("DejaVu", "", 9)
            pdf.set_xy(12, y)
            pdf.multi_cell(186, 4.5, line)
            y = pdf.get_y() + 2
    if "sectors" in images:
        pdf.set_font("DejaVu", "B", 13)
        pdf.set_xy(12, y)
        pdf.cell(186, 7, by_key["sectors"].title)
        y += 8
        pdf.image(io.BytesIO(images["sectors"]), x=12, y=y, w=186, h=186 * HIGH / WIDE)
        y += 186 * HIGH / WIDE + 4
    pdf.set_font("DejaVu", "", 7)
    pdf.set_text_color(55, 65, 81)
    sources = dict.fromkeys(s.source for s in slides if s.source)
    pdf.set_xy(12, max(y, 255))
    pdf.multi_cell(186, 3.6, "\n".join(sources))
    return bytes(pdf.output())
