"""Definitions: the KPI catalogue, with its version, in the interface's language."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.shell import page_setup
from components.tables import render_csv_download
from core import definitions
from core.i18n import t

ctx = page_setup(__file__)
lang, agency = ctx.lang, ctx.settings.agency_name

st.title(t("definitions.title", lang))
st.markdown(t("definitions.intro", lang))
st.caption(
    t(
        "definitions.version",
        lang,
        version=definitions.VERSION,
        date=definitions.VERSION_DATE,
        changes=definitions.CHANGES[definitions.VERSION],
    )
)
catalogue = pd.DataFrame(
    [
        {
            t("definitions.col.kpi", lang): t(f"kpi.{entry.key}.label", lang),
            t("definitions.col.definition", lang): t(f"kpi.{entry.key}.definition", lang),
            t("definitions.col.source", lang): t(
                f"definitions.source.{entry.source}", lang, agency=agency
            ),
        }
        for entry in definitions.CATALOGUE
    ]
)
st.table(catalogue.set_index(t("definitions.col.kpi", lang)))
render_csv_download(
    catalogue,
    lang,
    file_name=t("definitions.file_name", lang, version=definitions.VERSION),
    key="definitions_csv",
)
st.subheader(t("definitions.rules.header", lang))
st.markdown("\n".join(f"- {t(f'definitions.rule.{rule}', lang)}" for rule in definitions.RULES))
