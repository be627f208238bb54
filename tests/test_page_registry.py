"""Each page declared once (core.page_registry): every file of pages/ is declared and every
declared page has its file; each page reads its title and role there; an undeclared page is
shown to no one."""

from __future__ import annotations

import ast

import pytest
from streamlit.testing.v1 import AppTest

from components.auth import USER_KEY
from core.i18n import t
from core.page_registry import PAGES, Section, find_page, pages_by_section
from models import Role
from tests.apptest_support import ROOT, RUN_TIMEOUT, as_user, point_app_at, reset_caches

PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))


def test_every_page_file_is_declared_and_every_declared_page_has_its_file():
    stems = [page.stem for page in PAGES]
    assert len(stems) == len(set(stems)) == 25
    assert sorted(stems) == sorted(f.stem for f in PAGE_FILES)
    assert [page.stem for page in PAGES if page.default] == ["overview"]


def test_each_page_reads_its_role_from_the_registry():
    """Every page's first call is ``page_setup(__file__)``: no page names its own role."""
    for path in PAGE_FILES:
        calls = [
            node
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "page_setup"
        ]
        assert [ast.unparse(c) for c in calls] == ["page_setup(__file__)"], path.name


def test_find_page_by_file_or_stem():
    assert find_page(str(ROOT / "pages" / "audit_trail.py")).role is Role.ADMIN
    assert find_page("overview").title_key == "page.overview.title"
    assert find_page(str(ROOT / "pages" / "scratch.py")) is None
    assert find_page("") is None


def test_the_menu_sections_in_english():
    menu = {
        t(section.title_key, "en"): [t(page.title_key, "en") for page in pages]
        for section, pages in pages_by_section().items()
    }
    assert list(menu) == ["Dashboards", "Contact database", "Data entry", "Reference"] + [
        "Administration",
        "My chamber",
    ]
    assert [p.stem for p in pages_by_section()[Section.PARTNER]] == [
        "my_referrals",
        "refer_lead",
        "network_results",
    ]
    assert {p.role for p in pages_by_section()[Section.PARTNER]} == {Role.PARTNER}
    administration = pages_by_section()[Section.ADMINISTRATION]
    assert [p.stem for p in administration] == [
        "merge_records",
        "audit_trail",
        "personal_data",
        "frozen_figures",
    ]
    assert {p.role for p in administration} == {Role.ADMIN}
    assert [p.stem for p in pages_by_section()[Section.ENTRY]] == [
        "log_meeting",
        "followups",
        "new_record",
        "edit_record",
        "project_stage",
        "mission_edit",
        "import_data",
        "claims",
    ]
    assert {p.role for p in pages_by_section()[Section.ENTRY]} == {Role.STAFF}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_title_and_section_is_translated(lang):
    keys = [p.title_key for p in PAGES] + [s.title_key for s in Section]
    for key in keys:
        assert t(key, lang) != key


def undeclared_page() -> None:
    import streamlit as st

    from components.shell import page_setup

    page_setup("not_declared")
    st.title("Secret title")
    st.write("secret content")


@pytest.fixture
def app_env(ref_engine, monkeypatch):
    point_app_at(monkeypatch, ref_engine, demo=False)
    yield ref_engine
    reset_caches()


@pytest.mark.parametrize("role", [None, Role.VIEWER, Role.ADMIN], ids=lambda r: str(r))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_undeclared_page_shows_nothing_to_anyone(app_env, role, lang):
    at = AppTest.from_function(undeclared_page, default_timeout=RUN_TIMEOUT)
    if role is not None:
        at.session_state[USER_KEY] = as_user("Anne Admin", role)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("shell.unknown_page", lang)]
    assert [x.value for x in at.title] == []
    assert [m.value for m in at.markdown] == []
    assert len(at.text_input) == 0  # not even the sign-in form
    assert len(at.button) == 0
