"""Cached readers: the only way pages get data.

Every reader takes the database URL (so two databases never share a cache entry) and plain
arguments (dates, strings, ints), opens a short session, calls a ``core`` reader and returns
DataFrames, dataclasses or dicts, never live ORM objects. Caches are shared by all users:
anything that changes the answer is an argument.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.db import get_engine_for
from core import directory, followups, kpis, lookups, meetings
from core.confidentiality import Masking
from core.config import get_settings
from core.duplicates import find_organisation_matches, find_person_matches
from core.filters import DashboardFilters
from core.periods import Period

TTL = get_settings().cache_ttl_seconds


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


@st.cache_data(ttl=TTL, show_spinner=False)
def read_demo_info(db_url: str) -> dict[str, Any] | None:
    from core.demo import get_demo_info

    with _session(db_url) as session:
        return get_demo_info(session)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_headline_kpis(
    db_url: str, start: date, end: date, home_country: str, filters: DashboardFilters | None = None
) -> Any:
    with _session(db_url) as session:
        return kpis.get_headline_kpis(
            session, Period(start, end), home_country=home_country, filters=filters
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_performance_kpis(
    db_url: str, start: date, end: date, home_country: str, filters: DashboardFilters | None = None
) -> Any:
    from core.performance import get_performance_kpis

    with _session(db_url) as session:
        return get_performance_kpis(
            session, Period(start, end), home_country=home_country, filters=filters
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_targets(db_url: str, year: int) -> dict[str, int]:
    with _session(db_url) as session:
        return {str(k): int(v) for k, v in kpis.get_targets(session, year).items()}


@st.cache_data(ttl=TTL, show_spinner=False)
def read_monthly_trend(
    db_url: str, start: date, end: date, filters: DashboardFilters | None = None
) -> pd.DataFrame:
    with _session(db_url) as session:
        return kpis.get_monthly_trend(session, Period(start, end), filters=filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_kpi_records(
    db_url: str,
    kpi: str,
    start: date,
    end: date,
    home_country: str,
    limit: int,
    filters: DashboardFilters | None = None,
    stage: str | None = None,
    lost_reason: str | None = None,
    organisation_city: str | None = None,
    *,
    masking: Masking | None,
) -> tuple[pd.DataFrame, int]:
    """The records behind one figure; ``masking`` is the reader's (components.masking.
    current_masking: None for staff), required so that no call forgets it."""
    with _session(db_url) as session:
        return kpis.list_kpi_records(
            session,
            kpi,
            Period(start, end),
            home_country=home_country,
            limit=limit,
            filters=filters,
            stage=stage,
            lost_reason=lost_reason,
            organisation_city=organisation_city,
            masking=masking,
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_organisations(
    db_url: str,
    text: str,
    country: str | None,
    sector: str | None,
    kind: str | None,
    page: int,
    page_size: int,
) -> tuple[pd.DataFrame, int]:
    with _session(db_url) as session:
        return directory.search_organisations(
            session,
            text=text,
            country=country,
            sector=sector,
            kind=kind,
            page=page,
            page_size=page_size,
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_people(
    db_url: str,
    text: str,
    country: str | None,
    sector: str | None,
    kind: str | None,
    page: int,
    page_size: int,
    match_email: bool = True,
) -> tuple[pd.DataFrame, int]:
    with _session(db_url) as session:
        return directory.search_people(
            session,
            text=text,
            country=country,
            sector=sector,
            kind=kind,
            page=page,
            page_size=page_size,
            match_email=match_email,
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_organisation_detail(db_url: str, organisation_id: int, *, masking: Masking | None) -> Any:
    with _session(db_url) as session:
        return directory.get_organisation_detail(session, organisation_id, masking=masking)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_organisations_met(
    db_url: str, start: date, end: date, limit: int | None
) -> tuple[int, pd.DataFrame]:
    """The number of organisations met and the first ``limit`` of them by name (all if None:
    only the CSV export asks for all, when the user clicks it)."""
    with _session(db_url) as session:
        return directory.get_organisations_met(session, start, end, limit=limit)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_country_names(db_url: str, lang: str) -> dict[str, str]:
    with _session(db_url) as session:
        return lookups.get_country_names(session, lang)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_sector_labels(db_url: str, lang: str) -> dict[str, str]:
    with _session(db_url) as session:
        return lookups.get_sector_labels(session, lang)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_organisation_countries(db_url: str) -> list[str]:
    with _session(db_url) as session:
        return lookups.list_organisation_countries(session)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_filter_options(db_url: str) -> dict[str, Any]:
    """Choices of the shared filter bar: chambers, missions and owners on record."""
    with _session(db_url) as session:
        return {
            "chambers": lookups.list_chambers(session),
            "missions": lookups.list_missions(session),
            "owners": lookups.list_owners(session),
        }


@st.cache_data(ttl=TTL, show_spinner=False)
def read_yearly_summary(
    db_url: str, first_year: int, last_year: int, filters: DashboardFilters | None = None
) -> pd.DataFrame:
    with _session(db_url) as session:
        return kpis.get_yearly_summary(session, first_year, last_year, filters=filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_won_breakdown(
    db_url: str, start: date, end: date, by: str, filters: DashboardFilters | None, limit: int
) -> pd.DataFrame:
    with _session(db_url) as session:
        return kpis.get_won_breakdown(
            session, Period(start, end), by=by, filters=filters, limit=limit
        )


# ---------------------------------------------------------------------------------------------
# Choices of the entry forms
# ---------------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def read_organisation_people(db_url: str, organisation_id: int) -> dict[int, str]:
    with _session(db_url) as session:
        return meetings.list_organisation_people(session, organisation_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_organisation_projects(db_url: str, organisation_id: int) -> dict[int, str]:
    with _session(db_url) as session:
        return meetings.list_organisation_projects(session, organisation_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_mission_under_way(db_url: str, today: date) -> int | None:
    with _session(db_url) as session:
        return meetings.mission_under_way(session, today)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_project_search(db_url: str, text: str, limit: int) -> list[dict]:
    with _session(db_url) as session:
        return meetings.search_projects(session, text, limit)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_mission_participants(db_url: str, mission_id: int) -> dict[str, dict[int, str]]:
    with _session(db_url) as session:
        return meetings.get_mission_participants(session, mission_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_duplicate_organisations(
    db_url: str, name: str, country_iso2: str | None, domain: str | None
) -> list[Any]:
    with _session(db_url) as session:
        return find_organisation_matches(
            session, name=name, country_iso2=country_iso2, domain=domain
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_duplicate_people(
    db_url: str,
    first_name: str,
    last_name: str,
    email: str | None,
    organisation_id: int | None,
    country_iso2: str | None,
) -> list[Any]:
    with _session(db_url) as session:
        return find_person_matches(
            session,
            first_name=first_name,
            last_name=last_name,
            email=email,
            organisation_id=organisation_id,
            country_iso2=country_iso2,
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_followups(db_url: str, owner: str | None, today: date, horizon_days: int) -> pd.DataFrame:
    with _session(db_url) as session:
        return followups.list_followups(
            session, owner=owner, today=today, horizon_days=horizon_days
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_followup_counts(db_url: str, owner: str | None, today: date) -> tuple[int, int]:
    with _session(db_url) as session:
        return followups.count_followups(session, owner=owner, today=today)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_followup_owners(db_url: str) -> list[str]:
    with _session(db_url) as session:
        return followups.list_followup_owners(session)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_record(db_url: str, kind: str, ident: int) -> dict | None:
    from core.edits import get_interaction_participants, get_record
    from models import Interaction, Mission, Organisation, Person, Project

    model = {
        "organisation": Organisation,
        "person": Person,
        "mission": Mission,
        "project": Project,
        "interaction": Interaction,
    }[kind]
    with _session(db_url) as session:
        record = get_record(session, model, ident)
        if record is not None and kind == "interaction":
            record["participant_ids"] = get_interaction_participants(session, ident)
        return record


@st.cache_data(ttl=TTL, show_spinner=False)
def read_organisation_interactions(db_url: str, organisation_id: int) -> list[dict]:
    from core.edits import list_organisation_interactions

    with _session(db_url) as session:
        return list_organisation_interactions(session, organisation_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_confidential_code_names(db_url: str) -> frozenset[str]:
    with _session(db_url) as session:
        return lookups.list_confidential_code_names(session)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_record_history(db_url: str, table_name: str, row_key: str) -> pd.DataFrame:
    """Every write to one record, oldest first: at, actor, action, before, after."""
    from core.audit import record_history

    with _session(db_url) as session:
        entries = record_history(session, table_name, row_key)
    return pd.DataFrame(
        [
            {
                "at": e.at,
                "actor": e.actor,
                "action": e.action.value,
                "before": e.before,
                "after": e.after,
            }
            for e in entries
        ],
        columns=["at", "actor", "action", "before", "after"],
    )
