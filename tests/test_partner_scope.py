"""A partner reads its own chamber's rows only, by construction (issue 11).

Structural: from every page a partner opens, follow every function the page names (calls,
callbacks) through ``components`` into ``core``: each cached reader reached takes the
partner's ``PartnerScope`` (so it is part of its cache key) unless it is a reader of
reference data or of the shell, listed below with the reason; each ``core`` function reached
is a scoped reader of ``core.partners`` (taking the scope), the referral write (which takes
the chamber from the session), or belongs to a module that reads no project, organisation
or person rows. Runtime: each scoped reader gives chamber A's partner nothing of chamber B,
and a cached result is never served to another chamber.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from core import partners
from core.page_registry import PAGES
from core.partners import PartnerScope
from models import Role
from tests.apptest_support import ROOT, point_app_at, reset_caches
from tests.fixtures_partners import AS_OF, B_ONLY, NOT_REFERRED, build_network

PARTNER_PAGES = [p for p in PAGES if p.opens(Role.PARTNER)]

#: Cached readers a partner's page reaches that read no chamber's rows.
UNSCOPED_READERS = {
    ("components.readers", "read_demo_info"): "whether demo data are loaded (the badge)",
    ("components.readers", "read_country_names"): "reference data: country names",
    ("components.readers", "read_sector_labels"): "reference data: sector labels",
    ("components.readers", "read_confidential_code_names"): (
        "kept in the session to mask tables (components.masking), never shown"
    ),
}
#: Modules of core a partner's page may reach whatever they hold: none reads project,
#: organisation or person rows for a screen.
ROW_FREE_MODULES = {
    "core.i18n",
    "core.formatting",
    "core.config",
    "core.clock",
    "core.normalise",
    "core.permissions",
    "core.errors",
    "core.page_registry",
    "core.periods",
    "core.export",
    "core.auth",  # the signed-in user's own account and session
    "core.personal_data",  # logs who saw contact details (never a partner: staff only)
    "core.startup",
    "core.logs",
}
#: The one write a partner makes (it takes its chamber from the signed-in user), and its form.
PARTNER_WRITES = {("core.referrals", "refer_lead"), ("core.referrals", "ReferralCreate")}
#: Other entries into core, each with the reason it reads no chamber's rows.
OTHER_ENTRIES = {
    ("core.bootstrap", "prepare_database"): "schema and reference data at start",
    ("core.db", "make_engine"): "the engine",
    ("core.confidentiality", "Masking"): "a value (the viewer's labels)",
    ("core.lookups", "get_country_names"): "reference data, for read_country_names",
    ("core.lookups", "get_sector_labels"): "reference data, for read_sector_labels",
    ("core.lookups", "list_confidential_code_names"): "for read_confidential_code_names",
}


@dataclass(frozen=True)
class Found:
    module: str
    name: str


def _module_path(module: str) -> Path | None:
    path = ROOT / (module.replace(".", "/") + ".py")
    return path if path.exists() else None


@cache
def _parse(module: str) -> tuple[dict[str, ast.AST], dict[str, tuple[str, str | None]]]:
    """(top-level functions by name, imported names -> (module, name or None for a module))."""
    tree = ast.parse(_module_path(module).read_text(encoding="utf-8"))
    functions: dict[str, ast.AST] = {}
    imports: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if _module_path(target):  # "from core import partners": a module
                    imports[alias.asname or alias.name] = (target, None)
                else:
                    imports[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                imports[alias.asname or alias.name] = (alias.name, None)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions[node.name] = node
    return functions, imports


def _ours(module: str) -> bool:
    return module.split(".")[0] in {"components", "core"} and _module_path(module) is not None


def _references(module: str, node: ast.AST) -> set[Found]:
    functions, imports = _parse(module)
    found: set[Found] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            if sub.id in functions:
                found.add(Found(module, sub.id))
            elif sub.id in imports and imports[sub.id][1] is not None:
                found.add(Found(*imports[sub.id]))
        elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name):
            target = imports.get(sub.value.id)
            if target and target[1] is None:
                found.add(Found(target[0], sub.attr))
    return {f for f in found if _ours(f.module)}


def reached_from(page: str) -> set[Found]:
    """Every components function the page names, what they name, transitively, and the core
    functions they call (the entries into core)."""
    module = f"pages.{page}"
    tree = ast.parse((ROOT / "pages" / f"{page}.py").read_text(encoding="utf-8"))
    seen: set[Found] = set()
    todo = list(_references_page(module, tree))
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        functions, _ = _parse(item.module)
        # core is entered, not followed: what a scoped reader of core does inside is its own
        # (and tested at run time below).
        if item.module.startswith("components") and item.name in functions:
            todo.extend(_references(item.module, functions[item.name]))
    return seen


def _references_page(module: str, tree: ast.Module) -> set[Found]:
    imports: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                imports[alias.asname or alias.name] = (node.module, alias.name)
    found = {
        Found(*imports[n.id])
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and n.id in imports and imports[n.id][1]
    }
    return {f for f in found if _ours(f.module)}


def _is_cached(module: str, name: str) -> bool:
    node = _parse(module)[0].get(name)
    # cache_resource holds the engine, not rows.
    return node is not None and any("cache_data" in ast.unparse(d) for d in node.decorator_list)


def _takes_scope(module: str, name: str) -> bool:
    node = _parse(module)[0][name]
    args = [*node.args.args, *node.args.kwonlyargs]
    return any(
        a.annotation is not None and "PartnerScope" in ast.unparse(a.annotation) for a in args
    )


@pytest.mark.parametrize("page", [p.stem for p in PARTNER_PAGES])
def test_every_reader_a_partner_page_reaches_is_scoped_or_reads_no_rows(page):
    reached = reached_from(page)
    assert reached, page
    for item in sorted(reached, key=lambda f: (f.module, f.name)):
        if item.module.startswith("components") and _is_cached(item.module, item.name):
            assert _takes_scope(item.module, item.name) or (
                (item.module, item.name) in UNSCOPED_READERS
            ), f"{page}: cached reader {item.module}.{item.name} takes no PartnerScope"
        if item.module.startswith("core"):
            key = (item.module, item.name)
            if item.module == "core.partners" or key in PARTNER_WRITES | set(OTHER_ENTRIES):
                continue
            assert item.module in ROW_FREE_MODULES, f"{page}: reaches {item.module}.{item.name}"


def test_the_scoped_core_readers_take_and_apply_the_scope():
    """Every public reader of core.partners takes a PartnerScope and filters by it (in SQL,
    through ``referred_by``), except the network's figures, which name no one and give the
    chamber's beside them."""
    source = inspect.getsource(partners)
    readers = [
        name
        for name, f in vars(partners).items()
        if inspect.isfunction(f)
        and f.__module__ == "core.partners"
        and name.startswith(("get_", "list_"))
    ]
    assert sorted(readers) == [
        "get_chamber_name",
        "get_referral_figures",
        "list_chamber_claims",
        "list_referrals",
    ]
    for name in readers:
        signature = inspect.signature(getattr(partners, name))
        assert "scope" in signature.parameters, name
        body = inspect.getsource(getattr(partners, name))
        assert "referred_by(scope)" in body or "scope.chamber_id" in body, name
    assert "measures.attributed_to(scope.chamber_id)" in source


def test_the_partner_pages_reach_the_scoped_readers():
    """The structural walk does find the readers (it is not vacuous)."""
    reached = set().union(*(reached_from(p.stem) for p in PARTNER_PAGES))
    names = {(f.module, f.name) for f in reached}
    assert {
        ("components.partner_readers", "read_referrals"),
        ("components.partner_readers", "read_referral_figures"),
        ("components.partner_readers", "read_chamber_claims"),
        ("core.partners", "list_referrals"),
        ("core.partners", "list_chamber_claims"),
        ("core.partners", "get_referral_figures"),
        ("core.referrals", "refer_lead"),
        ("components.readers", "read_demo_info"),
    } <= names
    assert ("components.readers", "read_kpi_records") not in names


# ---------------------------------------------------------------------------------------------
# Runtime
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def net(ref_engine, monkeypatch):
    ids = build_network(ref_engine)
    point_app_at(monkeypatch, ref_engine, demo=False)
    reset_caches()
    yield ids | {"url": ref_engine.url.render_as_string(hide_password=False)}
    reset_caches()


def test_a_cached_result_is_never_served_to_another_chamber(net):
    from components.partner_readers import (
        read_chamber_claims,
        read_referral_figures,
        read_referrals,
    )

    a, b = PartnerScope(net["chamber_a"]), PartnerScope(net["chamber_b"])
    first = read_referrals(net["url"], a)
    second = read_referrals(net["url"], b)
    again = read_referrals(net["url"], a)
    assert (
        first["company"].tolist()
        == again["company"].tolist()
        == [
            "Wipro Green",
            "Infosys Labs",
            "Mahindra Aero",
            "Old Lead Co",
            "projet confidentiel",
        ]
    )
    assert second["company"].tolist() == ["Dubai Ports Tech", "Emirates Robotics"]
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    assert read_referral_figures(net["url"], a, start, end)["chamber"].referred == 4
    assert read_referral_figures(net["url"], b, start, end)["chamber"].referred == 2
    # The same chamber in another language is another entry too (its label differs).
    english = read_referrals(net["url"], PartnerScope(net["chamber_a"], "confidential project"))
    assert english["company"].tolist()[-1] == "confidential project"
    # The claims: A's five, then B's two (tests/fixtures_partners.py), then A's again.
    claims_a = read_chamber_claims(net["url"], a, AS_OF)
    claims_b = read_chamber_claims(net["url"], b, AS_OF)
    assert claims_a["id"].tolist() == [net[k] for k in ("K7", "K1", "K3", "K4", "K2")]
    assert claims_b["id"].tolist() == [net["K5"], net["K6"]]
    assert read_chamber_claims(net["url"], a, AS_OF)["id"].tolist() == claims_a["id"].tolist()


def test_no_scoped_reader_gives_chamber_b_to_chamber_a(net):
    from components.partner_readers import (
        read_chamber_claims,
        read_chamber_name,
        read_referral_figures,
        read_referrals,
    )

    a = PartnerScope(net["chamber_a"])
    shown = " ".join(
        [
            read_chamber_name(net["url"], a),
            read_referrals(net["url"], a).to_string(),
            read_chamber_claims(net["url"], a, AS_OF).to_string(),
            repr(read_referral_figures(net["url"], a, date(2025, 1, 1), date(2025, 12, 31))),
        ]
    )
    for secret in (*B_ONLY, *NOT_REFERRED):
        assert secret not in shown
