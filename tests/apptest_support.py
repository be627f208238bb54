"""Helpers for AppTest runs of the app and its pages against a real database."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.auth import USER_KEY
from core.config import get_settings
from core.permissions import SignedIn
from models import Role

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
OVERVIEW = str(ROOT / "pages" / "overview.py")
DIRECTORY = str(ROOT / "pages" / "directory.py")
#: The first run may load the demo portfolio: far above AppTest's 3-second default.
RUN_TIMEOUT = 180


def url_of(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def point_app_at(monkeypatch, engine: sa.Engine, *, demo: bool, scale: float = 0.1) -> None:
    """Environment of the app under test: this database, demo data on or off."""
    monkeypatch.setenv("DATABASE_URL", url_of(engine))
    monkeypatch.setenv("DEMO_DATA", "true" if demo else "false")
    monkeypatch.setenv("DEMO_SCALE", str(scale))
    monkeypatch.setenv("DEFAULT_LANGUAGE", "fr")
    reset_caches()


def reset_caches() -> None:
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()


#: Who AppTest runs are signed in as unless a test says otherwise.
ADMIN = SignedIn(id=0, username="test-admin", display_name="Test Admin", role=Role.ADMIN)


def as_user(name: str, role: Role = Role.ADMIN) -> SignedIn:
    return SignedIn(id=0, username=name.lower().replace(" ", "."), display_name=name, role=role)


def sign_in(at: AppTest, name: str, role: Role = Role.ADMIN) -> AppTest:
    """Sign ``at`` in as ``name`` (the name entries are recorded under); run it next."""
    at.session_state[USER_KEY] = as_user(name, role)
    return at


def run_app(
    script: str = APP,
    *,
    lang: str | None = None,
    page: str | None = None,
    params: dict[str, str] | None = None,
    user: SignedIn | None = ADMIN,
) -> AppTest:
    """Run ``script`` (the app, or a page on its own as a deep link would) once, signed in as
    ``user`` (None: signed out)."""
    at = AppTest.from_file(script, default_timeout=RUN_TIMEOUT)
    if user is not None:
        at.session_state[USER_KEY] = user
    if lang:
        at.query_params["lang"] = lang
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def metrics_by_label(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def all_text(at: AppTest) -> str:
    """Every markdown, caption, info, warning and title text of the run, one per line."""
    parts = [
        *(e.value for e in at.title),
        *(e.value for e in at.subheader),
        *(e.value for e in at.markdown),
        *(e.value for e in at.caption),
        *(e.value for e in at.info),
        *(e.value for e in at.warning),
    ]
    return "\n".join(str(p) for p in parts)


def has_demo_badge(at: AppTest, label: str) -> bool:
    return any(m.value == f":orange-badge[{label}]" for m in at.markdown)
