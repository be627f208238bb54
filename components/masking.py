"""What a viewer (an official) must not see in any table or download: people's e-mails and
phones, and the code names of confidential projects and the companies behind them (replaced by
neutral labels; the projects are still counted). ``page_setup`` decides the mask for the
signed-in user. The readers of project rows take its ``scope`` (a ``core.confidentiality.
Masking``) as an argument, so that core masks the rows themselves (screens, charts and
downloads alike) and a viewer's rows never share a cache entry with a staff member's; tables
apply the rest (contact columns, and any code name left as a second line of defence)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.readers import read_confidential_code_names
from core.confidentiality import Masking
from core.i18n import LANGUAGES, column_label, t
from core.permissions import SignedIn, act_as, can
from models import Role

MASK_KEY = "_mask"
PERSONAL = ("email", "phone")


@dataclass(frozen=True)
class Mask:
    confidential: frozenset[str]
    label: str  # what a confidential code name reads instead
    scope: Masking  # what the readers of project rows are given (part of their cache key)


def set_mask(db_url: str, user: SignedIn, lang: str) -> None:
    if can(user.role, Role.STAFF):
        st.session_state.pop(MASK_KEY, None)
        return
    scope = viewer_masking(lang)
    st.session_state[MASK_KEY] = Mask(read_confidential_code_names(db_url), scope.project, scope)


def viewer_masking(lang: str) -> Masking:
    """A viewer's masking in ``lang``: what a confidential project and its company read."""
    return Masking(t("common.confidential_project", lang), t("common.confidential_company", lang))


def current_mask() -> Mask | None:
    return st.session_state.get(MASK_KEY)


def current_masking() -> Masking | None:
    """The signed-in user's masking for the readers of project rows: None for staff and
    admins (they see everything)."""
    mask = current_mask()
    return None if mask is None else mask.scope


def mask_frame(frame: pd.DataFrame, mask: Mask | None = None) -> pd.DataFrame:
    """``frame`` without personal contact columns (raw or translated headers) and with the
    code names of confidential projects replaced, for a masked user; else unchanged."""
    mask = mask or current_mask()
    if mask is None:
        return frame
    personal = {n for p in PERSONAL for n in (p, *(column_label(p, lang) for lang in LANGUAGES))}
    out = frame.drop(columns=[c for c in frame.columns if c in personal])
    if mask.confidential:
        out = out.copy()
        for column in out.columns:
            if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
                out[column] = [
                    mask.label if isinstance(v, str) and v in mask.confidential else v
                    for v in out[column]
                ]
    return out


SEEN_KEY = "_personal_data_seen"


def note_personal_data_view(db_url: str, user: SignedIn, what: str) -> None:
    """Log (once per session and subject) that ``user`` was shown people's contact details;
    viewers are never shown them, so nothing is logged for them."""
    from sqlmodel import Session

    from components.db import get_engine_for
    from core.personal_data import log_personal_data_access

    if not can(user.role, Role.STAFF):
        return
    seen: set[str] = st.session_state.setdefault(SEEN_KEY, set())
    if what in seen:
        return
    with Session(get_engine_for(db_url)) as session:
        log_personal_data_access(act_as(session, user), username=user.username, what=what)
    seen.add(what)
