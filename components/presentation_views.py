"""The press-conference presentation: its set-up (figures, slides, success story, pace) and the
slides themselves, full screen for a 1920x1080 projector, in large type and strong contrast.

The slides' figures are those of one deck (``core.presentation``): a snapshot frozen before the
conference, or the live figures of a year. Every slide says where its figures come from. Names
typed by users (missions, the success story's company) are shown as plain text, never read as
Markdown.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlmodel import Session

from components.charts import SEPARATORS, chart_text
from components.db import get_engine_for
from components.map_views import PrebuiltDeck, get_world_map_json
from components.readers import read_country_names, read_sector_labels
from components.snapshot_views import pick_snapshot, read_snapshots
from core.formatting import (
    format_day,
    format_eur,
    format_integer,
    format_percent,
    format_period,
)
from core.i18n import enum_label, t
from core.periods import Period, year_period
from core.presentation import (
    SLIDES,
    TOP_COUNTRIES,
    DeckSource,
    deck_figures,
    deck_missions,
    get_success_story,
    list_success_candidates,
    load_benchmarks,
    pick_missions,
    top_countries,
)
from core.presskit import (
    KitContext,
    activity_lines,
    activity_tiles,
    build_fact_sheet,
    build_pdf,
    build_pptx,
    build_slides,
    headline_more,
    headline_results,
    headline_tiles,
    period_text,
    render_charts,
    source_line,
)
from core.presskit_trend import trend_chart
from core.refdata import get_sector_colours
from core.results_statement import build_results_statement

log = logging.getLogger(__name__)
DECK_KEY = "_deck"  # the deck being presented (None: the set-up is shown)
TEXT = "#0B1F33"
SECTOR_FALLBACK = "#6B7280"
#: Projector styles: no sidebar nor header, large type, strong contrast.
PROJECTOR_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
.block-container { padding: 1.2rem 3rem 0.5rem 3rem !important; max-width: 100% !important; }
[data-testid="stAppViewContainer"] { background: #FFFFFF; }
h1 { font-size: 3.4rem !important; color: #0B1F33 !important; }
h2 { font-size: 2.4rem !important; color: #0B1F33 !important; }
h3 { font-size: 2rem !important; color: #0B1F33 !important; }
[data-testid="stMetric"] [data-testid="stMetricValue"] p {
  font-size: 5.5rem !important; line-height: 1.15 !important; color: #0B1F33 !important;
  font-weight: 700 !important; }
[data-testid="stMetric"] [data-testid="stMetricLabel"] p {
  font-size: 1.9rem !important; color: #1F2937 !important; }
[data-testid="stMetric"] [data-testid="stMetricDelta"] p { font-size: 1.6rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
  font-size: 2rem !important; color: #111827; }
[data-testid="stCaptionContainer"] p { font-size: 1.15rem !important; color: #374151 !important; }
[class*="st-key-deck_hidden_"] { display: none !important; }
</style>
"""
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def plain(text: object) -> str:
    """``text`` for Markdown, every Markdown character escaped: it shows exactly as typed."""
    return _MARKDOWN.sub(r"\\\1", str(text))


@dataclass
class DeckConfig:
    """What the presenter chose: the figures (a snapshot or a year), the slides, the success
    story's project, and the pace (seconds per slide; 0: by hand)."""

    snapshot_id: int | None
    year: int
    slides: list[str] = field(default_factory=lambda: list(SLIDES))
    success_id: int | None = None
    auto_seconds: int = 0
    index: int = 0
    moved_at: float = 0.0


# ---------------------------------------------------------------------------------------------
# Readers (cached; pages never query)
# ---------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def read_deck(
    db_url: str, snapshot_id: int | None, year: int, home_country: str, today: date
) -> tuple[dict[str, Any], DeckSource]:
    with Session(get_engine_for(db_url)) as session:
        return deck_figures(
            session,
            home_country=home_country,
            today=today,
            period=None if snapshot_id is not None else year_period(year),
            snapshot_id=snapshot_id,
        )


@st.cache_data(show_spinner=False)
def read_top_countries(db_url: str, figures: dict[str, Any], lang: str) -> pd.DataFrame:
    with Session(get_engine_for(db_url)) as session:
        return top_countries(session, figures, lang)


@st.cache_data(show_spinner=False)
def read_deck_missions(db_url: str, period: Period, today: date) -> pd.DataFrame:
    with Session(get_engine_for(db_url)) as session:
        return deck_missions(session, period, today=today)


@st.cache_data(show_spinner=False)
def read_success_candidates(db_url: str, period: Period) -> pd.DataFrame:
    with Session(get_engine_for(db_url)) as session:
        return list_success_candidates(session, period)


@st.cache_data(show_spinner=False)
def read_success_story(db_url: str, project_id: int, lang: str) -> dict[str, Any] | None:
    with Session(get_engine_for(db_url)) as session:
        try:
            return get_success_story(session, project_id, lang)
        except (LookupError, ValueError):
            return None  # gone, or made confidential since it was chosen


# ---------------------------------------------------------------------------------------------
# Set-up
# ---------------------------------------------------------------------------------------------


def render_setup(ctx: Any) -> None:
    lang, db_url = ctx.lang, ctx.db_url
    snapshots = read_snapshots(db_url)
    frozen = st.radio(
        t("deck.source", lang),
        (True, False),
        index=0 if snapshots else 1,
        format_func=lambda f: t("deck.source.frozen" if f else "deck.source.live", lang),
        horizontal=True,
        key="deck_frozen",
        disabled=not snapshots,
        help=t("deck.source.help", lang),
    )
    snapshot_id, year = None, ctx.today.year - 1
    if frozen and snapshots:
        snapshot = pick_snapshot(snapshots, lang, t("deck.snapshot", lang), key="deck_snapshot")
        snapshot_id = snapshot["id"]
        period = Period(snapshot["period_start"], snapshot["period_end"])
    else:
        year = int(
            st.number_input(
                t("deck.year", lang),
                min_value=2000,
                max_value=ctx.today.year,
                value=ctx.today.year - 1,
                step=1,
                key="deck_year",
            )
        )
        period = year_period(year)
    slides = st.multiselect(
        t("deck.slides", lang),
        list(SLIDES),
        default=list(SLIDES),
        format_func=lambda s: t(f"deck.slide.{s}", lang),
        key="deck_slides",
    )
    candidates = read_success_candidates(db_url, period)
    success_id = None
    if "success" in slides:
        if candidates.empty:
            st.info(t("deck.success.none", lang))
        else:
            names = {
                int(r.id): t(
                    "deck.success.option",
                    lang,
                    organisation=r.organisation,
                    project=r.code_name,
                    jobs=format_integer(r.jobs_announced, lang),
                )  # fmt: skip
                for r in candidates.itertuples()
            }
            success_id = st.selectbox(
                t("deck.success.choose", lang),
                list(names),
                format_func=names.get,
                key="deck_success",
                help=t("deck.success.help", lang),
            )
    auto = st.number_input(
        t("deck.auto", lang), min_value=0, max_value=600, value=0, step=5, key="deck_auto"
    )
    st.caption(t("deck.keys", lang))
    if "success" in slides and success_id is None:
        slides = [s for s in slides if s != "success"]
    ordered = [s for s in SLIDES if s in slides]
    if st.button(t("deck.start", lang), type="primary", key="deck_start", disabled=not slides):
        st.session_state[DECK_KEY] = DeckConfig(
            snapshot_id, year, ordered, success_id, int(auto), 0, time.monotonic()
        )
        st.rerun()
    st.divider()
    render_press_kit(ctx, DeckConfig(snapshot_id, year, ordered, success_id))


KIT_KEY = "_press_kit"


@st.cache_data(show_spinner=False, max_entries=4)
def read_press_kit(
    db_url: str,
    snapshot_id: int | None,
    year: int,
    slides: tuple[str, ...],
    success_id: int | None,
    kit: KitContext,
) -> dict[str, bytes]:
    """The press kit's three files and the results statement of the deck's year (built once
    per choice; a write clears the cache)."""
    with Session(get_engine_for(db_url)) as session:
        figures, source = deck_figures(
            session,
            home_country=kit.home_country,
            today=kit.today,
            period=None if snapshot_id is not None else year_period(year),
            snapshot_id=snapshot_id,
        )
        built = build_slides(
            session, figures=figures, source=source, slides=list(slides),
            success_id=success_id, kit=kit,
        )  # fmt: skip
        statement = build_results_statement(
            session, source.period.start.year, as_of=kit.today, lang=kit.lang, agency=kit.agency
        )
    images = render_charts(built)
    title = t("kit.fact_title", kit.lang, period=period_text(source.period, kit.lang),
              territory=kit.territory)  # fmt: skip
    return {
        "pptx": build_pptx(built, images),
        "pdf": build_pdf(built, images),
        "fact_sheet": build_fact_sheet(built, title=title, lang=kit.lang, images=images),
        "statement": statement,
    }


def render_press_kit(ctx: Any, deck: DeckConfig) -> None:
    """One click builds the slides as PPTX and PDF and a one-page fact sheet."""
    lang = ctx.lang
    st.subheader(t("kit.title", lang))
    st.caption(t("kit.intro", lang))
    kit = kit_context(ctx)
    choice = (deck.snapshot_id, deck.year, tuple(deck.slides), deck.success_id, kit)
    if st.button(t("kit.build", lang), key="kit_build", disabled=not deck.slides):
        with st.spinner(t("kit.building", lang)):
            try:
                st.session_state[KIT_KEY] = (choice, read_press_kit(ctx.db_url, *choice))
            except Exception:  # Chromium or a font missing on the server
                log.exception("press kit failed")
                st.session_state.pop(KIT_KEY, None)
                st.error(t("kit.failed", lang))
    made = st.session_state.get(KIT_KEY)
    if not made or made[0] != choice:
        return
    files = made[1]
    stem = f"dossier-de-presse-{deck.year if deck.snapshot_id is None else deck.snapshot_id}"
    left, middle, right, fourth = st.columns(4)
    left.download_button(
        t("kit.pptx", lang), files["pptx"], file_name=f"{stem}.pptx", key="kit_pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        on_click="ignore",
    )  # fmt: skip
    middle.download_button(
        t("kit.pdf", lang), files["pdf"], file_name=f"{stem}.pdf", mime="application/pdf",
        key="kit_pdf", on_click="ignore",
    )  # fmt: skip
    right.download_button(
        t("kit.fact_sheet", lang), files["fact_sheet"], file_name=f"{stem}-fiche.pdf",
        mime="application/pdf", key="kit_fact", on_click="ignore",
    )  # fmt: skip
    fourth.download_button(
        t("kit.statement", lang), files["statement"], file_name=f"{stem}-bilan-resultats.pdf",
        mime="application/pdf", key="kit_statement", on_click="ignore",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Presenting
# ---------------------------------------------------------------------------------------------


def _move(step: int) -> None:
    deck: DeckConfig = st.session_state[DECK_KEY]
    deck.index = max(0, min(len(deck.slides) - 1, deck.index + step))
    deck.moved_at = time.monotonic()


def _leave() -> None:
    st.session_state[DECK_KEY] = None


def render_presentation(ctx: Any) -> None:
    deck: DeckConfig = st.session_state[DECK_KEY]
    st.html(PROJECTOR_CSS)
    every = deck.auto_seconds or None

    @st.fragment(run_every=every)
    def slide() -> None:
        if st.session_state.get(DECK_KEY) is None:
            st.rerun()  # the presenter left: back to the set-up (the whole page)
        if every and time.monotonic() - deck.moved_at >= every:
            if deck.index < len(deck.slides) - 1:
                _move(1)
        render_slide(ctx, deck)
        render_controls(ctx.lang, deck)

    slide()


def render_controls(lang: str, deck: DeckConfig) -> None:
    left, middle, right, leave = st.columns([2, 3, 2, 2], vertical_alignment="center")
    left.button(
        t("deck.previous", lang), key="deck_previous", on_click=_move, args=(-1,),
        shortcut="Left", disabled=deck.index == 0,
    )  # fmt: skip
    middle.caption(
        t("deck.position", lang, n=deck.index + 1, total=len(deck.slides)),
    )
    right.button(
        t("deck.next", lang), key="deck_next", on_click=_move, args=(1,), shortcut="Right",
        type="primary", disabled=deck.index >= len(deck.slides) - 1,
    )  # fmt: skip
    leave.button(t("deck.leave", lang), key="deck_leave", on_click=_leave, shortcut="Esc")
    # A presenter's clicker sends Page Down / Page Up: two hidden buttons take them.
    st.button("PageDown", key="deck_hidden_next", on_click=_move, args=(1,), shortcut="PageDown")
    st.button("PageUp", key="deck_hidden_previous", on_click=_move, args=(-1,), shortcut="PageUp")


def render_slide(ctx: Any, deck: DeckConfig) -> None:
    lang = ctx.lang
    figures, source = read_deck(
        ctx.db_url, deck.snapshot_id, deck.year, ctx.settings.territory_country, ctx.today
    )
    name = deck.slides[deck.index]
    st.title(t(f"deck.title.{name}", lang, period=period_text(source.period, lang)))
    SLIDE_RENDERERS[name](ctx, deck, figures, source)
    st.caption(source_line(source, kit_context(ctx), name))


def kit_context(ctx: Any) -> KitContext:
    """The page's language, territory and day, as the deck's texts and files need them."""
    settings = ctx.settings
    return KitContext(
        ctx.lang, settings.agency_name, settings.territory_name, settings.territory_country,
        (settings.territory_lat, settings.territory_lon), ctx.today,
    )  # fmt: skip


def _slide_headline(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    tiles = headline_tiles(figures, ctx.lang)
    for column, (label, value, change, progress) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value, delta=change or None)
        if progress:
            column.markdown(progress)
    st.markdown("### " + headline_more(figures, ctx.lang))
    for line in headline_results(figures, source, ctx.lang):
        st.markdown("#### " + line)


def _slide_trend(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    """The press kit's trend chart (``core.presskit_trend``), the width of the screen."""
    fig = trend_chart(figures, ctx.lang)
    if fig is None:
        st.markdown("### " + t("deck.trend.not_frozen", ctx.lang))
        return
    fig.update_layout(width=None, height=720)
    st.plotly_chart(fig, key=f"deck_trend_{deck.index}", config={"displayModeBar": False})
    st.markdown(t("deck.trend.legend", ctx.lang))


def _slide_sectors(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    lang = ctx.lang
    labels, colours = read_sector_labels(ctx.db_url, lang), get_sector_colours()
    rows = list(figures["sectors"])[::-1]
    names = [chart_text(labels.get(r["sector_code"], r["sector_code"])) for r in rows]
    won = [r["won"] or 0 for r in rows]
    jobs = [r["jobs_announced"] or 0 for r in rows]
    fig = go.Figure(
        go.Bar(
            x=won,
            y=names,
            orientation="h",
            marker_color=[colours.get(r["sector_code"], SECTOR_FALLBACK) for r in rows],
            text=[
                t(
                    "deck.sectors.bar_one" if w == 1 else "deck.sectors.bar",
                    lang,
                    won=format_integer(w, lang),
                    jobs=format_integer(j, lang),
                )
                for w, j in zip(won, jobs, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    _big_layout(fig, lang, height=640)
    fig.update_xaxes(range=[0, max(won + [1]) * 1.5], visible=False)
    st.plotly_chart(fig, key=f"deck_sectors_{deck.index}", config={"displayModeBar": False})


def _slide_map(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    lang = ctx.lang
    frame = read_top_countries(ctx.db_url, figures, lang).dropna(subset=["lat", "lon"])
    label = t("snapshot.fig.projects_won", lang)
    settings = ctx.settings
    spec = get_world_map_json(
        ctx.db_url, frame, None, lang=lang, metric_label=label,
        home=(settings.territory_lat, settings.territory_lon),
        home_country=settings.territory_country,
    )  # fmt: skip
    st.pydeck_chart(PrebuiltDeck(spec), height=760, key=f"deck_map_{deck.index}")
    st.markdown(
        t(
            "deck.map.legend",
            lang,
            n=format_integer(len(frame), lang),
            territory=settings.territory_name,
        )
    )


def _slide_countries(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    lang = ctx.lang
    frame = read_top_countries(ctx.db_url, figures, lang).head(TOP_COUNTRIES).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=list(frame["value"]),
            y=[chart_text(n) for n in frame["name"]],
            orientation="h",
            marker_color="#009E73",
            text=[format_integer(v, lang) for v in frame["value"]],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    _big_layout(fig, lang, height=700)
    fig.update_xaxes(range=[0, max(list(frame["value"]) + [1]) * 1.2], visible=False)
    st.plotly_chart(fig, key=f"deck_countries_{deck.index}", config={"displayModeBar": False})


def _slide_india(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    lang = ctx.lang
    india = figures["india"]
    columns = st.columns(3)
    for column, metric in zip(columns, ("leads", "projects_won", "jobs_announced"), strict=True):
        pair = india.get(metric, {"india": 0, "world": 0})
        share = pair["india"] / pair["world"] if pair["world"] else None
        column.metric(t(f"deck.india.{metric}", lang), format_integer(pair["india"], lang))
        column.markdown(
            t(
                "deck.india.share",
                lang,
                share=format_percent(share, lang),
                world=format_integer(pair["world"], lang),
            )
        )


def _slide_activity(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    """Catalogue 1.2's figures (time to decision, organisations met per win, delegations,
    missions against their target) and the projects won by origin."""
    tiles = activity_tiles(figures, ctx.lang)
    if tiles:
        for column, (label, value, note) in zip(st.columns(len(tiles)), tiles, strict=True):
            column.metric(label, value)
            if note:
                column.markdown(note)
    for line in activity_lines(figures, source, ctx.lang):
        st.markdown("### " + line)


def _slide_missions(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    lang = ctx.lang
    missions, left_out = pick_missions(read_deck_missions(ctx.db_url, source.period, ctx.today))
    countries = read_country_names(ctx.db_url, lang)
    if missions.empty:
        st.markdown(t("deck.missions.none", lang))
        return
    for row in missions.itertuples():
        city = row.city if isinstance(row.city, str) else None
        place = ", ".join(p for p in (city, countries.get(row.country_iso2, row.country_iso2)) if p)
        st.markdown(
            f"- **{plain(row.name)}** — "
            + plain(
                " · ".join(
                    (
                        format_period(row.starts_on, row.ends_on, lang),
                        place,
                        t(f"missions.status.{row.status}", lang),
                    )
                )
            )
        )
    if left_out:
        st.markdown(t("deck.missions.more", lang, n=format_integer(left_out, lang)))


def _slide_success(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    lang = ctx.lang
    story = read_success_story(ctx.db_url, deck.success_id, lang) if deck.success_id else None
    if story is None:
        st.markdown(t("deck.success.gone", lang))
        return
    st.markdown("## " + plain(story["organisation"]))
    facts = [
        t("deck.success.what", lang, type=enum_label(story["project_type"], lang),
          function=enum_label(story["function"], lang), sector=story["sector"]),
        t("deck.success.from", lang, country=story["country"] or "—"),
        t("deck.success.decided", lang, day=format_day(story["decided_on"], lang)),
    ]  # fmt: skip
    for fact in facts:
        st.markdown("- " + plain(fact))
    columns = st.columns(2)
    columns[0].metric(
        t("snapshot.fig.jobs_announced", lang), format_integer(story["jobs_announced"], lang)
    )
    if story["capex_eur"] is not None:
        columns[1].metric(t("deck.success.capex", lang), format_eur(story["capex_eur"], lang))


def _slide_benchmarks(ctx: Any, deck: DeckConfig, figures: dict, source: DeckSource) -> None:
    lang = ctx.lang
    badges = load_benchmarks(lang)
    for row in range(0, len(badges), 3):
        columns = st.columns(3)
        for column, badge in zip(columns, badges[row : row + 3], strict=False):
            with column.container(border=True):
                st.markdown(plain(badge.label))
                st.metric(
                    badge.label, format_integer(badge.value, lang), label_visibility="collapsed"
                )
                st.caption(t("deck.benchmark.source", lang, source=badge.source, year=badge.year))


def _big_layout(fig: go.Figure, lang: str, *, height: int) -> None:
    fig.update_layout(
        separators=SEPARATORS.get(lang, ".,"),
        height=height,
        margin={"l": 10, "r": 40, "t": 10, "b": 10},
        font={"size": 26, "color": TEXT},
        showlegend=False,
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    fig.update_yaxes(tickfont={"size": 26, "color": TEXT}, automargin=True)


SLIDE_RENDERERS = {
    "headline": _slide_headline,
    "trend": _slide_trend,
    "sectors": _slide_sectors,
    "map": _slide_map,
    "countries": _slide_countries,
    "india": _slide_india,
    "activity": _slide_activity,
    "missions": _slide_missions,
    "success": _slide_success,
    "benchmarks": _slide_benchmarks,
}
