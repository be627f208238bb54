"""The database engine, created and prepared once per database URL for the whole server."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from core.bootstrap import prepare_database
from core.config import get_settings
from core.db import make_engine
from core.startup import check_database


def _dispose(engine: Engine) -> None:
    engine.dispose()


@st.cache_resource(show_spinner=False, on_release=_dispose)
def get_engine_for(url: str) -> Engine:
    """Engine of ``url``; the first call brings the schema to head, loads the reference data
    and, with ``DEMO_DATA`` on and an empty database, the demo portfolio."""
    engine = make_engine(url)
    try:
        check_database(engine)  # unreachable, or a schema newer than this code: nothing cached
        prepare_database(engine, get_settings())
    except BaseException:
        engine.dispose()
        raise
    return engine


def current_db_url() -> str:
    return get_settings().database_url


def get_engine() -> Engine:
    return get_engine_for(current_db_url())
