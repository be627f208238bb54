"""The press kit's trend slide: the period's projects won and meetings month by month, as on the
Overview, with the missions and the administrators' dated notes drawn on it ("Why did it
move?"): a vertical line on each mark's date and its label (two short lines at most), upright
in a band above the bars, so that marks a few days apart each keep a legible label at slide
size.

The figures are a deck's ``figures["trend"]`` and ``figures["trend_marks"]``
(``core.trend_notes.trend_figures``): frozen with a snapshot, or live. A deck frozen before they
existed has none, and no trend slide.
"""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.formatting import format_month
from core.i18n import t
from core.trend_notes import mark_line

#: The Overview's colours (components.charts): Okabe-Ito blue and orange for the bars,
#: vermilion for missions and bluish green for notes.
BLUE, ORANGE = "#0072B2", "#E69F00"
MARK_COLOURS = {"mission": "#D55E00", "note": "#009E73"}
INK = "#0B1F33"
WIDE, HIGH = 1600, 760  # as core.presskit's other chart images
MARGIN = {"l": 30, "r": 30, "t": 10, "b": 50}
#: The label band above the two panels (paper coordinates) and the labels' type.
BAND = 0.56
LABEL_SIZE = 22
LABEL_CHARS = 24
LEADER = 0.035  # from the top of a mark's line to its label (paper height)
LINE_PX = 28  # the width an upright line of label takes: closer labels are moved apart


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut at a word before ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-—") + "…"


def label_lines(text: str, limit: int = LABEL_CHARS) -> list[str]:
    """A mark's label on at most two lines of ``limit`` characters, broken between words; what
    does not fit ends with an ellipsis ("Mission d'affaires en" / "Inde — Mumbai 2025")."""
    words = " ".join(str(text).split()).split(" ")
    first = words[0]
    rest = words[1:]
    while rest and len(first) + 1 + len(rest[0]) <= limit:
        first += " " + rest.pop(0)
    if len(first) > limit:  # one long word
        return [short_label(first, limit)] + ([short_label(" ".join(rest), limit)] if rest else [])
    return [first] + ([short_label(" ".join(rest), limit)] if rest else [])


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _middle(month: date) -> datetime:
    start = datetime.combine(month, datetime.min.time())
    return start + (datetime.combine(_month_end(month), datetime.min.time()) - start) / 2


def mark_lines(figures: dict[str, Any], lang: str) -> list[str]:
    """Every mark in full, by date: "14 oct. 2024 — Mission : GITEX Dubai 2024" (the picture's
    alternative text, for readers the picture does not reach)."""
    return [
        mark_line(date.fromisoformat(m["on"]), m["kind"], m["label"], lang)
        for m in figures.get("trend_marks", [])
    ]


def trend_chart(figures: dict[str, Any], lang: str) -> go.Figure | None:
    """The trend slide's chart, or None when the deck holds no trend (frozen before it)."""
    rows = figures.get("trend")
    if not rows:
        return None
    months = [date.fromisoformat(r["month"]) for r in rows]
    mids = [_middle(m) for m in months]
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.06,
        subplot_titles=(t("col.projects_won", lang), t("kpi.meetings.label", lang)),
    )  # fmt: skip
    for row, column, colour in ((1, "projects_won", BLUE), (2, "meetings", ORANGE)):
        values = [int(r[column]) for r in rows]
        fig.add_trace(
            go.Bar(
                x=mids, y=values, marker_color=colour, text=values, textposition="outside",
                cliponaxis=False, width=[0.7 * 86_400_000 * (_month_end(m) - m).days
                                         for m in months],
                name=t("col.projects_won" if row == 1 else "kpi.meetings.label", lang),
                hoverinfo="skip",
            ),
            row=row, col=1,
        )  # fmt: skip
        fig.update_yaxes(range=[0, max(values + [1]) * 1.35], row=row, col=1)
    # Two panels below the label band (the subplot titles sit just above each panel).
    fig.update_layout(
        yaxis={"domain": [BAND * 0.56, BAND - 0.04]}, yaxis2={"domain": [0, BAND * 0.56 - 0.08]},
        width=WIDE, height=HIGH, margin=MARGIN, showlegend=False, bargap=0,
        font={"size": 20, "color": INK}, plot_bgcolor="white", paper_bgcolor="white",
        separators=", " if lang == "fr" else ".,",
    )  # fmt: skip
    first, last = months[0], _month_end(months[-1])
    fig.update_xaxes(
        type="date", range=[first.isoformat(), last.isoformat()], tickvals=mids,
        ticktext=[format_month(m, lang) for m in months], tickfont={"size": 18, "color": INK},
        showgrid=False,
    )  # fmt: skip
    fig.update_yaxes(visible=False)  # each bar carries its value
    fig.update_annotations(font={"size": 20, "color": INK})  # the panels' titles
    for title, y in zip(fig.layout.annotations, (BAND - 0.04, BAND * 0.56 - 0.08), strict=True):
        title.update(x=0, xanchor="left", y=y, yanchor="bottom")  # clear of the marks' lines
    add_mark_lines(fig, figures.get("trend_marks", []), first, last)
    return fig


def add_mark_lines(fig: go.Figure, marks: list[dict[str, Any]], first: date, last: date) -> None:
    """Each mark: a dashed vertical line on its date through both panels up to the band, and its
    label upright from there (one or two lines). Labels of marks a few days apart are moved
    right just enough not to overlap (the line stays on the date).

    The shapes and labels are set on the layout at once: plotly validates a layout's whole list
    again on each ``add_shape`` / ``add_annotation``, which cost 0.1-0.3 s for a year's marks."""
    width_px = WIDE - MARGIN["l"] - MARGIN["r"]
    px_per_day = width_px / max((last - first).days, 1)
    previous_px, previous_half = -float("inf"), 0.0
    shapes: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for mark in marks:
        on = date.fromisoformat(mark["on"])
        colour = MARK_COLOURS.get(mark["kind"], INK)
        lines = label_lines(mark["label"])
        half = len(lines) * LINE_PX / 2
        true_px = (on - first).days * px_per_day
        label_px = max(true_px, previous_px + previous_half + half)
        previous_px, previous_half = label_px, half
        shift = label_px - true_px
        dashed = {"color": colour, "width": 3, "dash": "dash"}
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": on.isoformat(),
                       "x1": on.isoformat(), "y0": 0, "y1": BAND, "line": dashed})  # fmt: skip
        # A thin leader from the line's top to the label, slanted when the label was moved.
        moved = datetime.combine(on, datetime.min.time()) + timedelta(days=shift / px_per_day)
        leader = {"color": colour, "width": 1.5}
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": on.isoformat(),
                       "x1": moved.isoformat(), "y0": BAND, "y1": BAND + LEADER,
                       "line": leader})  # fmt: skip
        labels.append({
            "x": on.isoformat(), "xref": "x", "y": BAND + LEADER, "yref": "paper",
            "xanchor": "center", "yanchor": "bottom", "textangle": -90, "showarrow": False,
            "align": "left", "xshift": shift,
            "text": "<br>".join(html.escape(line, quote=False) for line in lines),
            "font": {"size": LABEL_SIZE, "color": colour},
        })  # fmt: skip
    if marks:
        fig.update_layout(
            shapes=[*fig.layout.shapes, *shapes],
            annotations=[*fig.layout.annotations, *labels],  # after the panels' titles
        )
