"""Every page of the app, declared once: its file, title, menu section and the role it needs.

``app.py`` builds the menu from ``PAGES``; each page's ``components.shell.page_setup`` reads
its title and role here. A page missing from ``PAGES`` is shown to no one (``find_page``
returns None and the shell refuses it), so a new file in ``pages/`` opens nothing until it is
declared with its role.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from models import Role


class Section(StrEnum):
    """The menu's sections, in menu order."""

    DASHBOARDS = "dashboards"
    CONTACTS = "contacts"
    ENTRY = "entry"
    REFERENCE = "reference"
    ADMINISTRATION = "admin"

    @property
    def title_key(self) -> str:
        return f"nav.section.{self.value}"


@dataclass(frozen=True)
class PageSpec:
    stem: str  # the file pages/<stem>.py
    title_key: str  # message key of its title (menu entry and browser tab)
    section: Section
    role: Role  # the least role that opens it
    default: bool = False  # the page "/" opens

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


_D, _C, _E, _R, _A = (
    Section.DASHBOARDS,
    Section.CONTACTS,
    Section.ENTRY,
    Section.REFERENCE,
    Section.ADMINISTRATION,
)
_V, _S, _ADM = Role.VIEWER, Role.STAFF, Role.ADMIN

#: Menu order. Viewers read; staff also log and correct; admins also import and administer.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "page.overview.title", _D, _V, default=True),
    PageSpec("sectors", "sectors.page_title", _D, _V),
    PageSpec("pipeline", "pipeline.page_title", _D, _V),
    PageSpec("missions", "missions.page_title", _D, _V),
    PageSpec("world_map", "map.page_title", _D, _V),
    PageSpec("india", "india.page_title", _D, _V),
    PageSpec("presentation", "deck.page_title", _D, _V),
    PageSpec("directory", "page.directory.title", _C, _V),
    PageSpec("log_meeting", "meeting.page_title", _E, _S),
    PageSpec("followups", "followups.page_title", _E, _S),
    PageSpec("new_record", "new.page_title", _E, _S),
    PageSpec("edit_record", "edit.page_title", _E, _S),
    PageSpec("project_stage", "stage.page_title", _E, _S),
    PageSpec("mission_edit", "mission_form.page_title", _E, _S),
    PageSpec("definitions", "page.definitions.title", _R, _V),
    PageSpec("import_data", "import.page_title", _A, _ADM),
    PageSpec("merge_records", "merge.page_title", _A, _ADM),
    PageSpec("audit_trail", "audit.page_title", _A, _ADM),
    PageSpec("personal_data", "privacy.page_title", _A, _ADM),
    PageSpec("frozen_figures", "snapshot.page_title", _A, _ADM),
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
