"""The press kit's one-page results statement: for a year, the projects won and the jobs
announced, then the jobs verified to date and the realisation rate of the three years before
(the page an official hands to a journalist who asks "how many of last year's announced jobs
exist?"), each figure with its definition and its source."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from core import results
from core.formatting import format_day, format_integer, format_percent
from core.i18n import t
from core.periods import year_period
from core.presskit import _Pdf


def statement_lines(
    session: Session, year: int, *, as_of: date, lang: str, agency: str
) -> list[tuple[str, str]]:
    """(style, text) of every line: "title", "head", "figure", "note"."""
    now = results.get_results(session, year_period(year), as_of=as_of)
    network = results.get_attribution(session, year_period(year), as_of=as_of)
    crm = t("definitions.source.crm", lang, agency=agency)
    aftercare = t("definitions.source.aftercare", lang, agency=agency)
    lines = [
        ("title", t("statement.title", lang, year=year)),
        ("note", t("statement.as_of", lang, day=format_day(as_of, lang))),
        ("head", t("statement.year", lang, year=year)),
        ("figure", t("statement.won", lang, n=format_integer(now.projects_won, lang))),
        ("note", t("kpi.projects_won.definition", lang) + " " + t("statement.source", lang,
                                                                  source=crm)),
        ("figure", t("statement.announced", lang, n=format_integer(now.jobs_announced, lang))),
        ("note", t("kpi.jobs_announced.definition", lang) + " " + t("statement.source", lang,
                                                                    source=crm)),
        ("figure", t("statement.network", lang, n=format_integer(network.projects, lang),
                     m=format_integer(network.jobs_verified, lang))),
        ("note", t("kpi.attributed_to_network.definition", lang)),
        ("head", t("statement.verified", lang, first=year - results.STATEMENT_YEARS,
                   last=year - 1)),
    ]  # fmt: skip
    for past in range(year - results.STATEMENT_YEARS, year):
        got = results.get_results(session, year_period(past), as_of=as_of)
        lines.append(
            ("figure", t("statement.verified_year", lang, year=past,
                         verified=format_integer(got.jobs_verified, lang),
                         announced=format_integer(got.jobs_announced_checked, lang),
                         rate=format_percent(got.realisation_rate, lang),
                         checked=format_integer(got.projects_checked, lang),
                         awaiting=format_integer(got.projects_awaiting, lang),
                         won=format_integer(got.projects_won, lang)))
        )  # fmt: skip
    colon = " : " if lang == "fr" else ": "
    for key in ("jobs_verified", "realisation_rate", "projects_awaiting_check"):
        label, definition = t(f"kpi.{key}.label", lang), t(f"kpi.{key}.definition", lang)
        lines.append(("note", f"{label}{colon}{definition}"))
    lines.append(("note", t("statement.source", lang, source=aftercare)))
    return lines


STYLES = {"title": ("B", 18, 9), "head": ("B", 12, 7), "figure": ("B", 11, 6), "note": ("", 8, 4)}


def build_results_statement(
    session: Session, year: int, *, as_of: date, lang: str, agency: str
) -> bytes:
    """The statement as one A4 page of PDF."""
    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    pdf.add_page()
    pdf.set_text_color(11, 31, 51)
    y = 14.0
    for style, text in statement_lines(session, year, as_of=as_of, lang=lang, agency=agency):
        weight, size, height = STYLES[style]
        if style == "head":
            y += 3
        pdf.set_font("DejaVu", weight, size)
        pdf.set_xy(14, y)
        pdf.multi_cell(182, height, text)
        y = pdf.get_y() + 1.5
    return bytes(pdf.output())
