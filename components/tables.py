"""Tables in the interface language: enum codes as labels, countries and sectors by name,
translated headers; and CSV files French Excel opens as they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum

import pandas as pd
import streamlit as st

from components.masking import current_mask, mask_frame
from core.export import csv_bytes, excel_bytes
from core.i18n import column_label, enum_value_label, t
from models import (
    CapexDisclosure,
    InteractionKind,
    InteractionOutcome,
    LostReason,
    OrganisationKind,
    OrganisationSize,
    ProjectFunction,
    ProjectType,
    SourceChannel,
    Stage,
)

#: Columns holding enum values, by column name (``kind`` depends on the table: see
#: ``localise_frame``).
ENUM_COLUMNS: dict[str, type[StrEnum]] = {
    "organisation_kind": OrganisationKind,
    "size": OrganisationSize,
    "stage": Stage,
    "from_stage": Stage,
    "to_stage": Stage,
    "project_type": ProjectType,
    "function": ProjectFunction,
    "capex_disclosure": CapexDisclosure,
    "source_channel": SourceChannel,
    "outcome": InteractionOutcome,
    "interaction_kind": InteractionKind,
    "lost_reason": LostReason,
}
BOOLEAN_COLUMNS = ("foreign", "first_site_france", "first_site_europe", "confidential")
COUNTRY_COLUMNS = (
    "country_iso2",
    "hq_country_iso2",
    "control_country_iso2",
    "origin_country_iso2",
)
SECTOR_COLUMNS = ("sector_code",)


def localise_frame(
    frame: pd.DataFrame,
    lang: str,
    *,
    countries: dict[str, str],
    sectors: dict[str, str],
    drop: tuple[str, ...] = (),
    kind: type[StrEnum] = OrganisationKind,
) -> pd.DataFrame:
    """A copy of ``frame`` ready to show: labels instead of codes, translated headers.

    ``kind`` is the enum of the table's ``kind`` column (organisations by default;
    interactions and missions have their own kinds).
    """
    out = mask_frame(frame.drop(columns=[c for c in drop if c in frame.columns])).copy()
    for column in out.columns:
        enum = kind if column == "kind" else ENUM_COLUMNS.get(column)
        if column in BOOLEAN_COLUMNS:
            out[column] = [
                t("common.yes", lang) if v else t("common.no", lang) for v in out[column]
            ]
        elif enum is not None:
            out[column] = [enum_value_label(enum, _str(v), lang) for v in out[column]]
        elif column in COUNTRY_COLUMNS:
            out[column] = [countries.get(v, v or "") if _str(v) else "" for v in out[column]]
        elif column in SECTOR_COLUMNS:
            out[column] = [sectors.get(v, v or "") if _str(v) else "" for v in out[column]]
        if out[column].dtype == object:
            # An empty cell rather than an English "None" in a French table.
            out[column] = out[column].where(out[column].notna(), "")
    return out.rename(columns={c: column_label(c, lang) for c in out.columns})


def _str(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    return str(value)


DATE_FORMATS = {"fr": "DD/MM/YYYY", "en": "YYYY-MM-DD"}


def date_format(lang: str) -> str:
    """The order of a date in tables and date fields: day first in French."""
    return DATE_FORMATS.get(lang, "YYYY-MM-DD")


def display_config(frame: pd.DataFrame, lang: str) -> dict[str, object]:
    """Column settings that show dates in the interface language's order and whole numbers
    with the reader's thousands separator, while the values stay typed (so they sort)."""
    config: dict[str, object] = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_integer_dtype(values.dtype):
            config[column] = st.column_config.NumberColumn(format="localized")
        elif values.dtype == object:
            present = values[values.notna() & (values != "")]
            if len(present) and all(isinstance(v, date) for v in present):
                config[column] = st.column_config.DateColumn(format=DATE_FORMATS.get(lang))
    return config


def render_table(frame: pd.DataFrame, lang: str, *, key: str | None = None, **kwargs) -> None:
    if frame.empty:
        st.caption(t("directory.detail.none", lang))
        return
    frame = mask_frame(frame)
    config = display_config(frame, lang)
    dates = [
        c
        for c, v in config.items()
        if isinstance(v, dict) and v.get("type_config", {}).get("type") == "date"
    ]
    if dates:
        # An empty text among dates would make the whole column text: leave it empty (None).
        frame = frame.copy()
        for column in dates:
            frame[column] = frame[column].where(frame[column] != "", None)
    config.update(kwargs.pop("column_config", {}))
    st.dataframe(frame, hide_index=True, key=key, column_config=config, **kwargs)


def render_csv_download(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    lang: str,
    *,
    file_name: str,
    key: str,
    label_key: str = "common.download_csv",
) -> None:
    """A CSV download of ``frame``; given a function, the rows are read and the file built
    only when the user clicks (a full export can be large)."""
    mask = current_mask()  # decided now: the file may be built later, on the click
    data = (
        (lambda: csv_bytes(mask_frame(frame(), mask)))
        if callable(frame)
        else csv_bytes(mask_frame(frame, mask))
    )
    st.download_button(
        t(label_key, lang),
        data=data,
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
    )


def render_downloads(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    lang: str,
    *,
    file_stem: str,
    key: str,
    sheet_name: str = "Data",
) -> None:
    """CSV and Excel downloads of ``frame`` side by side; given a function, the rows are read
    and the files built only when the user clicks."""

    mask = current_mask()

    def rows() -> pd.DataFrame:
        return mask_frame(frame() if callable(frame) else frame, mask)

    left, right = st.columns(2)
    with left:
        render_csv_download(frame, lang, file_name=f"{file_stem}.csv", key=f"{key}_csv")
    with right:
        st.download_button(
            t("common.download_excel", lang),
            data=lambda: excel_bytes(rows(), sheet_name),
            file_name=f"{file_stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}_xlsx",
            on_click="ignore",
        )
