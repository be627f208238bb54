"""Cached readers of a partner's pages: each takes the partner's scope (``core.partners.
PartnerScope``) as an argument, so that it is part of the cache key and one chamber's rows
are never served to another (the Superset leak, apache/superset PR #18924). A partner's page
reads through these, and through the reference data's readers (countries, sectors), only:
``tests/test_partner_scope.py`` checks it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.db import get_engine_for
from core import partners
from core.config import get_settings
from core.partners import PartnerScope
from core.periods import Period

TTL = get_settings().cache_ttl_seconds


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


@st.cache_data(ttl=TTL, show_spinner=False)
def read_chamber_name(db_url: str, scope: PartnerScope) -> str:
    with _session(db_url) as session:
        return partners.get_chamber_name(session, scope)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_referrals(db_url: str, scope: PartnerScope) -> pd.DataFrame:
    with _session(db_url) as session:
        return partners.list_referrals(session, scope)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_referral_figures(
    db_url: str, scope: PartnerScope, start: date, end: date
) -> dict[str, partners.ReferralFigures]:
    with _session(db_url) as session:
        return partners.get_referral_figures(session, scope, Period(start, end))


@st.cache_data(ttl=TTL, show_spinner=False)
def read_chamber_claims(db_url: str, scope: PartnerScope, as_of: date) -> pd.DataFrame:
    with _session(db_url) as session:
        return partners.list_chamber_claims(session, scope, as_of=as_of)
