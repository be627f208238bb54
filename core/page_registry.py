"""Every page of the app, declared once: its file, title, menu section and the role it needs.

``app.py`` builds the menu from ``PAGES``; each page's ``components.shell.page_setup`` reads
its title and role here. A page missing from ``PAGES`` is shown to no one (``find_page``
returns None and the shell refuses it), so a new file in ``pages/`` opens nothing until it is
declared with its role.

A page says which roles open it (``PageSpec.roles``): an agency page, its least role and every
higher agency role (viewer < staff < admin); a partner page, the partner role alone. A partner
opens no agency page and no agency role opens a partner page (``core.permissions.can``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core.permissions import BRANCHES, RANK
from models import Role


class Section(StrEnum):
    """The menu's sections, in menu order."""

    DASHBOARDS = "dashboards"
    CONTACTS = "contacts"
    ENTRY = "entry"
    REFERENCE = "reference"
    ADMINISTRATION = "admin"
    PARTNER = "partner"  # a chamber's own pages

    @property
    def title_key(self) -> str:
        return f"nav.section.{self.value}"


@dataclass(frozen=True)
class PageSpec:
    stem: str  # the file pages/<stem>.py
    title_key: str  # message key of its title (menu entry and browser tab)
    section: Section
    role: Role  # the least role that opens it (a branch role: that role alone)
    default: bool = False  # the page "/" opens

    @property
    def roles(self) -> frozenset[Role]:
        """Every role that opens the page."""
        if self.role in BRANCHES:
            return frozenset({self.role})
        return frozenset(r for r, rank in RANK.items() if rank >= RANK[self.role])

    def opens(self, role: Role | str | None) -> bool:
        """``role`` opens this page (None, or an unknown role, opens nothing)."""
        try:
            return role is not None and Role(role) in self.roles
        except ValueError:
            return False

    @property
    def url_path(self) -> str:
        """The page's URL path: its file name. A bookmark opened as the first request after a
        restart is routed by Streamlit's legacy ``pages/`` mode, which knows pages by file name
        only (see ``components.shell.leave_legacy_pages_mode``)."""
        return self.stem

    @property
    def script(self) -> str:
        """The page's script, relative to the app's folder."""
        return f"pages/{self.stem}.py"


_D, _C, _E, _R, _A, _P = (
    Section.DASHBOARDS,
    Section.CONTACTS,
    Section.ENTRY,
    Section.REFERENCE,
    Section.ADMINISTRATION,
    Section.PARTNER,
)
_V, _S, _ADM, _PRT = Role.VIEWER, Role.STAFF, Role.ADMIN, Role.PARTNER

#: Menu order. Viewers read; staff also log, correct and import (the lists of people met at
#: trade fairs and missions are theirs); admins also merge and administer.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "page.overview.title", _D, _V, default=True),
    PageSpec("sectors", "sectors.page_title", _D, _V),
    PageSpec("pipeline", "pipeline.page_title", _D, _V),
    PageSpec("missions", "missions.page_title", _D, _V),
    PageSpec("world_map", "map.page_title", _D, _V),
    PageSpec("india", "india.page_title", _D, _V),
    PageSpec("presentation", "deck.page_title", _D, _V),
    PageSpec("network", "network.page_title", _D, _V),
    PageSpec("directory", "page.directory.title", _C, _V),
    PageSpec("log_meeting", "meeting.page_title", _E, _S),
    PageSpec("followups", "followups.page_title", _E, _S),
    PageSpec("new_record", "new.page_title", _E, _S),
    PageSpec("edit_record", "edit.page_title", _E, _S),
    PageSpec("project_stage", "stage.page_title", _E, _S),
    PageSpec("mission_edit", "mission_form.page_title", _E, _S),
    PageSpec("import_data", "import.page_title", _E, _S),
    PageSpec("claims", "claims.page_title", _E, _S),
    PageSpec("definitions", "page.definitions.title", _R, _V),
    PageSpec("merge_records", "merge.page_title", _A, _ADM),
    PageSpec("audit_trail", "audit.page_title", _A, _ADM),
    PageSpec("personal_data", "privacy.page_title", _A, _ADM),
    PageSpec("frozen_figures", "snapshot.page_title", _A, _ADM),
    # A chamber's own pages: partners only (each reads its chamber's rows, core.partners).
    PageSpec("my_referrals", "referrals.page_title", _P, _PRT),
    PageSpec("refer_lead", "refer.page_title", _P, _PRT),
    PageSpec("network_results", "network_results.page_title", _P, _PRT),
)

_BY_STEM = {page.stem: page for page in PAGES}


def find_page(page: str) -> PageSpec | None:
    """The declared page of a page's file (its ``__file__``) or stem; None if undeclared."""
    return _BY_STEM.get(Path(page).stem)


def pages_by_section() -> dict[Section, list[PageSpec]]:
    """The declared pages grouped by menu section, sections and pages in menu order."""
    grouped: dict[Section, list[PageSpec]] = {section: [] for section in Section}
    for page in PAGES:
        grouped[page.section].append(page)
    return {section: pages for section, pages in grouped.items() if pages}
