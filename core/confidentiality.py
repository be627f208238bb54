"""What a viewer (an official) may know of a confidential project: that it exists and its
figures, never its code name nor the company behind it.

The readers that return rows naming projects take a ``Masking`` (None for staff and admins,
who see everything) and apply it here, in core, so that every screen, chart and download built
from those rows is masked alike. ``Masking`` is a small frozen value: cached readers take it as
an argument, so that a viewer's rows and a staff member's never share a cache entry.

The rule, in two parts:

- a row that *is* a project (the records behind a figure, the pipeline, a mission's leads):
  its code name reads ``Masking.project``, its company ``Masking.company``, and it links to no
  organisation (``organisation_id`` empty);
- a row about an organisation that *refers* to a project (a meeting, an organisation's record):
  a confidential project is left out. A meeting keeps its organisation and loses its project
  (the project cell is empty); an organisation's record lists neither its confidential
  projects nor their stage changes. Showing "confidential project" there would name the
  company behind it, which is exactly what must not be known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from models import Interaction, Project

#: The columns that name a project's company, and that link to it, in the readers' rows.
COMPANY_COLUMNS = ("organisation_name", "organisation")
LINK_COLUMNS = ("organisation_id",)
#: Free text written about a meeting: it may name the project, so it goes with the project.
FREE_TEXT_COLUMNS = ("summary", "next_step")


@dataclass(frozen=True)
class Masking:
    """What a viewer reads instead of a confidential project's code name and company (in the
    interface language)."""

    project: str
    company: str


def confidential_project_ids(session: Session) -> frozenset[int]:
    """The ids of the confidential projects (a small set: they are the exception)."""
    query = sa.select(Project.id).where(Project.confidential.is_(True))
    return frozenset(int(i) for i in session.execute(query).scalars())


def confidential_interaction_ids(session: Session) -> frozenset[int]:
    """The ids of the interactions about a confidential project."""
    query = (
        sa.select(Interaction.id)
        .join(Project, Project.id == Interaction.project_id)
        .where(Project.confidential.is_(True))
    )
    return frozenset(int(i) for i in session.execute(query).scalars())


def _hits(frame: pd.DataFrame, column: str, ids: Iterable[int]) -> pd.Series:
    ids = set(ids)
    if frame.empty or column not in frame.columns or not ids:
        return pd.Series(False, index=frame.index)
    return frame[column].isin(ids).fillna(False).astype(bool)


def mask_project_rows(
    session: Session,
    frame: pd.DataFrame,
    masking: Masking | None,
    *,
    id_column: str = "id",
    code_column: str = "code_name",
) -> pd.DataFrame:
    """Rows that are projects (``id_column`` holds the project id), with every confidential
    project's code name and company replaced and its link to the organisation removed, for a
    masked reader; unchanged for ``masking`` None."""
    if masking is None or frame.empty:
        return frame
    hit = _hits(frame, id_column, confidential_project_ids(session))
    if not hit.any():
        return frame
    out = frame.copy()
    if code_column in out.columns:
        out[code_column] = out[code_column].astype(object)
        out.loc[hit, code_column] = masking.project
    for column in COMPANY_COLUMNS:
        if column in out.columns:
            out[column] = out[column].astype(object)
            out.loc[hit, column] = masking.company
    for column in LINK_COLUMNS:
        if column in out.columns:
            out[column] = out[column].astype("Int64")
            out.loc[hit, column] = pd.NA
    return out


def mask_meeting_rows(
    session: Session,
    frame: pd.DataFrame,
    masking: Masking | None,
    *,
    id_column: str = "id",
    code_column: str = "project_code_name",
) -> pd.DataFrame:
    """Rows that are interactions (``id_column`` holds the interaction id): a meeting about a
    confidential project keeps its organisation and loses its project (and the free text
    written about it, which may name the project), for a masked reader."""
    if masking is None or frame.empty or code_column not in frame.columns:
        return frame
    hit = _hits(frame, id_column, confidential_interaction_ids(session))
    if not hit.any():
        return frame
    out = frame.copy()
    for column in (code_column, *FREE_TEXT_COLUMNS):
        if column in out.columns:
            out[column] = out[column].astype(object)
            out.loc[hit, column] = None
    return out


def about_no_confidential_project(project_id: sa.ColumnElement) -> sa.ColumnElement:
    """SQL: ``project_id`` (an interaction's) is empty or a project that is not confidential."""
    confidential = sa.select(Project.id).where(Project.confidential.is_(True))
    return sa.or_(project_id.is_(None), project_id.not_in(confidential))


def drop_project_rows(
    session: Session, frame: pd.DataFrame, masking: Masking | None, *, id_column: str
) -> pd.DataFrame:
    """``frame`` without the rows of confidential projects (``id_column`` holds the project
    id), for a masked reader."""
    if masking is None or frame.empty:
        return frame
    hit = _hits(frame, id_column, confidential_project_ids(session))
    return frame[~hit].reset_index(drop=True) if hit.any() else frame
