"""The start-up check shown instead of a traceback, and the cross-replica cache check.

``ensure_database`` runs at the top of every run (app.py, and each page's ``page_setup``):
it reaches the database, checks the schema and the secrets, and on a problem shows what is
wrong in the user's language and stops the run. Nothing of a failed check is cached: the next
run (a reload, or the automatic retry every few seconds) checks again, so the app recovers by
itself once the database is back.

Cache coherence between replicas: each run reads the database's change stamp (the newest
audit entry's id, one index lookup); when it moved since this process last looked (a write
made here or on another replica), ``st.cache_data`` is cleared before the page reads. So a
write on one replica shows on the others at their next run, not after ``CACHE_TTL_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
from typing import NoReturn

import streamlit as st
from sqlalchemy.engine import Engine

from components.db import current_db_url, get_engine
from core.i18n import t
from core.logs import configure_logging, log_event
from core.startup import StartupProblem, change_stamp, check_secrets

log = logging.getLogger("dashboard")
RETRY_SECONDS = 5
_lock = threading.Lock()
_seen: dict[str, int] = {}


def _secrets() -> dict:
    try:
        return {"auth": dict(st.secrets["auth"])} if "auth" in st.secrets else {}
    except Exception:  # no secrets file at all: nothing to check
        return {}


def ensure_database(lang: str) -> Engine:
    """The prepared engine, fresh caches; or the problem in ``lang`` and the run stops."""
    configure_logging()
    try:
        check_secrets(_secrets())
        engine = get_engine()
        clear_if_changed(engine, current_db_url())
    except StartupProblem as problem:
        render_problem(problem, lang)
    except Exception as error:  # e.g. a migration failing: say so, the log has the traceback
        log.exception("startup failed")
        render_problem(StartupProblem("startup_failed", type(error).__name__), lang)
    return engine


def clear_if_changed(engine: Engine, db_url: str) -> None:
    stamp = change_stamp(engine)
    with _lock:
        previous = _seen.get(db_url)
        _seen[db_url] = stamp
    if previous is not None and previous != stamp:
        st.cache_data.clear()


def render_problem(problem: StartupProblem, lang: str) -> NoReturn:
    """The problem in ``lang``, checked again every few seconds: the page comes back by
    itself once the cause is gone."""
    log_event("startup_problem", level=logging.ERROR, kind=problem.kind, detail=problem.detail)
    st.title(t("app.title", lang))
    st.error(t(f"startup.{problem.kind}", lang, detail=problem.detail))
    st.caption(t("startup.retrying", lang, seconds=RETRY_SECONDS))
    _retry_check()
    st.stop()


@st.fragment(run_every=RETRY_SECONDS)
def _retry_check() -> None:
    try:
        check_secrets(_secrets())
        change_stamp(get_engine())  # the database answers now, not only an engine cached before
    except Exception:  # still wrong: the message stays
        return
    st.rerun(scope="app")
