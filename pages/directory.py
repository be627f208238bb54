"""Directory: organisations and people (search, filters, pages), an organisation's record,
and the companies met over any period (the "five years" question)."""

from __future__ import annotations

import streamlit as st

from components.directory_views import (
    current_page,
    default_met_range,
    render_organisation_record,
    render_pager,
    render_search_filters,
    selected_organisation_id,
)
from components.masking import note_personal_data_view
from components.readers import (
    read_country_names,
    read_organisations,
    read_organisations_met,
    read_people,
    read_sector_labels,
)
from components.shell import page_setup
from components.tables import localise_frame, render_csv_download
from core.formatting import format_day, format_integer
from core.i18n import t
from core.permissions import can
from models import Role

#: Rows of the companies-met table shown on screen; the CSV export holds them all.
MET_TABLE_LIMIT = 1000

ctx = page_setup(__file__)
lang, db_url, settings = ctx.lang, ctx.db_url, ctx.settings
countries = read_country_names(db_url, lang)
sectors = read_sector_labels(db_url, lang)

st.title(t("directory.title", lang))
tab_orgs, tab_people, tab_met = st.tabs(
    [
        t("directory.tab.organisations", lang),
        t("directory.tab.people", lang),
        t("directory.tab.met", lang),
    ]
)


with tab_orgs:
    org_id = selected_organisation_id()
    if org_id is not None:
        note_personal_data_view(db_url, ctx.user, f"organisation record #{org_id}")
        render_organisation_record(
            db_url, org_id, lang, show_history=can(ctx.user.role, Role.ADMIN)
        )
    filters = render_search_filters(db_url, lang, "organisations")
    page, size = current_page("organisations", filters)
    orgs, total = read_organisations(db_url, **filters, page=page, page_size=size)
    if orgs.empty:
        st.info(t("directory.no_results", lang))
    else:
        st.caption(t("directory.select_hint", lang))
        # A new key per page, filters and closed record, so an old selection never reopens.
        version = st.session_state.get("org_table_version", 0)
        event = st.dataframe(
            localise_frame(orgs, lang, countries=countries, sectors=sectors, drop=("id",)),
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            key=f"org_table_{version}_{page}_{size}_{abs(hash(repr(filters)))}",
        )
        rows = event.selection.rows
        if rows and int(orgs["id"].iloc[rows[0]]) != org_id:
            st.query_params["org"] = str(int(orgs["id"].iloc[rows[0]]))
            st.rerun()
    render_pager(lang, "organisations", total, page, size)

with tab_people:
    filters = render_search_filters(db_url, lang, "people")
    page, size = current_page("people", filters)
    people, total = read_people(
        db_url,
        **filters,
        page=page,
        page_size=size,
        match_email=can(ctx.user.role, Role.STAFF),  # viewers see no e-mail: no probing either
    )
    if people.empty:
        st.info(t("directory.no_results", lang))
    else:
        note_personal_data_view(
            db_url, ctx.user, f"directory people: {filters.get('text') or '*'} (page {page})"
        )
        st.dataframe(
            localise_frame(
                people, lang, countries=countries, sectors=sectors, drop=("id", "organisation_id")
            ),
            hide_index=True,
            key="people_table",
        )
    render_pager(lang, "people", total, page, size)

with tab_met:
    st.markdown(t("directory.met.intro", lang))
    default_start, default_end = default_met_range(ctx.today)
    cols = st.columns([2, 2, 3])
    date_format = "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"
    start = cols[0].date_input(
        t("directory.met.start", lang), value=default_start, format=date_format, key="met_start"
    )
    end = cols[1].date_input(
        t("directory.met.end", lang), value=default_end, format=date_format, key="met_end"
    )
    if start > end:
        st.warning(t("overview.custom.invalid", lang))
    else:
        count, met = read_organisations_met(db_url, start, end, MET_TABLE_LIMIT)
        period_text = t(
            "common.period_range", lang, start=format_day(start, lang), end=format_day(end, lang)
        )
        cols[2].metric(
            t("directory.met.count", lang),
            format_integer(count, lang),
            help=t(
                "directory.met.count_help",
                lang,
                period=period_text,
                source=t("source.crm", lang, agency=settings.agency_name),
            ),
            border=True,
        )
        if met.empty:
            st.info(t("directory.met.none", lang))
        else:

            def localise(frame):
                return localise_frame(
                    frame, lang, countries=countries, sectors=sectors, drop=("id",)
                )

            if count > len(met):
                st.caption(
                    t(
                        "common.rows_shown",
                        lang,
                        shown=format_integer(len(met), lang),
                        total=format_integer(count, lang),
                    )
                )
            st.dataframe(localise(met), hide_index=True, key="met_table")
            render_csv_download(
                lambda: localise(read_organisations_met(db_url, start, end, None)[1]),
                lang,
                file_name=t("directory.met.file_name", lang, start=start, end=end),
                key="met_csv",
                label_key="directory.met.download",
            )
