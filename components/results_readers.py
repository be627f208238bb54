"""Cached readers of issue 14's figures and lists: aftercare check-ins, claims, trend notes,
results (announced versus verified) and the data's freshness. Same rules as
``components.readers``: the database URL and plain arguments in, no ORM objects out."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.db import get_engine_for
from core import aftercare, claims, freshness, results, trend_notes
from core.config import get_settings
from core.filters import DashboardFilters
from core.periods import Period
from models import ClaimStatus

TTL = get_settings().cache_ttl_seconds


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


@st.cache_data(ttl=TTL, show_spinner=False)
def read_checkins_due(
    db_url: str, owner: str | None, today: date, horizon_days: int
) -> pd.DataFrame:
    with _session(db_url) as session:
        return aftercare.list_checkins_due(
            session, owner=owner, today=today, horizon_days=horizon_days
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_checkins(db_url: str, project_id: int) -> pd.DataFrame:
    with _session(db_url) as session:
        return aftercare.list_checkins(session, project_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_won_projects(db_url: str) -> list[tuple[int, str]]:
    with _session(db_url) as session:
        return aftercare.list_won_projects(session)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_results(
    db_url: str, period: Period, as_of: date, filters: DashboardFilters | None = None
) -> results.ResultFigures:
    with _session(db_url) as session:
        return results.get_results(session, period, as_of=as_of, filters=filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_attribution(db_url: str, period: Period, as_of: date) -> results.Attribution:
    with _session(db_url) as session:
        return results.get_attribution(session, period, as_of=as_of)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_claims(db_url: str, status: ClaimStatus | None) -> pd.DataFrame:
    with _session(db_url) as session:
        return claims.list_claims(session, status=status)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_contact_history(db_url: str, claim_id: int) -> tuple[date | None, pd.DataFrame]:
    with _session(db_url) as session:
        return claims.contact_history(session, claim_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_trend_marks(db_url: str, period: Period) -> pd.DataFrame:
    with _session(db_url) as session:
        return trend_notes.list_trend_marks(session, period)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_trend_notes(db_url: str) -> pd.DataFrame:
    with _session(db_url) as session:
        return trend_notes.list_notes(session)


@st.cache_data(ttl=60, show_spinner=False)
def read_latest_write(db_url: str) -> datetime | None:
    """Cached a minute: a write clears every cache anyway (``components.forms.writing``)."""
    with _session(db_url) as session:
        return freshness.latest_write(session)
