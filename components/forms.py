"""What every entry form shares: who is writing, validation errors shown beside their field in
the user's language, a form that keeps what was typed until the write succeeds, and caches
cleared after a write so that every page shows the new data at once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from pydantic import ValidationError
from sqlmodel import Session

from components.db import get_engine_for
from core.errors import RuleError
from core.i18n import has_key, t
from core.permissions import AccessDenied, act_as

log = logging.getLogger(__name__)


#: Model-level rules (a ``model_validator``'s message) -> (field shown beside, catalog key).
RULES = {
    "next_step_due_on must not be before occurred_on": ("next_step_due_on", "form.error.due"),
    "capex_disclosure needs capex_eur": ("capex_eur", "form.error.capex_flag"),
    "ends_on must not be before starts_on": ("ends_on", "form.error.ends_before"),
}


def error_message(error: dict[str, Any], lang: str) -> tuple[str, str]:
    """(field, message in ``lang``) of one pydantic error (an item of ``errors()``)."""
    loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    field = loc[-1] if loc else ""
    kind = error.get("type", "")
    if not field:
        text = str(error.get("msg", ""))
        for rule, (rule_field, key) in RULES.items():
            if rule in text:
                return rule_field, t(key, lang)
    if field == "email" and kind == "value_error":
        return field, t("form.error.email", lang)
    context = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, int | float)}
    key = f"form.error.{field}.{kind}"
    if has_key(key, lang):
        return field, t(key, lang, **context)
    key = f"form.error.{kind}"
    if has_key(key, lang):
        return field, t(key, lang, **context)
    return field, t("form.error.invalid", lang)


def field_errors(error: ValidationError, lang: str, prefix: str = "") -> dict[str, str]:
    """Field -> message of a validation error (the first message of each field); ``prefix``
    tells apart the fields of two models shown in one form (``new_org.name``)."""
    found: dict[str, str] = {}
    for item in error.errors():
        field, message = error_message(item, lang)
        found.setdefault(prefix + field, message)
    return found


def validate(
    model: type, values: dict[str, Any], errors: dict[str, str], lang: str, prefix: str = ""
) -> Any:
    """``model`` built from ``values``, or None with the field errors added to ``errors``."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        for field, message in field_errors(error, lang, prefix).items():
            errors.setdefault(field, message)  # a message set by the form itself comes first
        return None


def show_error(errors: dict[str, str], field: str) -> None:
    """The error of ``field`` under it, if any."""
    if field in errors:
        st.error(errors[field], icon=None)


def text_or_none(value: str | None) -> str | None:
    """A text field's value, None when blank (an optional field left empty)."""
    value = (value or "").strip()
    return value or None


# ---------------------------------------------------------------------------------------------
# Author, generations, writes
# ---------------------------------------------------------------------------------------------


def render_author(lang: str) -> str | None:
    """The name entries are recorded under: the signed-in user's."""
    from components.auth import current_user

    user = current_user()
    return user.display_name if user is not None else None


def generation(name: str) -> int:
    """The form's generation: its widget keys end with it, so that a new generation (after a
    successful write) starts with empty fields while a failed write keeps what was typed."""
    return int(st.session_state.get(f"{name}_generation", 0))


def next_generation(name: str) -> None:
    st.session_state[f"{name}_generation"] = generation(name) + 1


def flash(message: str) -> None:
    """A success message shown once, on the next run (after ``st.rerun``)."""
    st.session_state["_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message)


@contextmanager
def writing(db_url: str) -> Iterator[Session]:
    """A session for one write, made for the signed-in user (core's write functions check
    their role again); afterwards every cached reader is cleared, so that every page and every
    user sees the new data at once."""
    from components.auth import current_user

    with Session(get_engine_for(db_url), expire_on_commit=False) as session:
        yield act_as(session, current_user())
    st.cache_data.clear()


def run_write(
    write: Callable[[Session], Any], db_url: str, lang: str, errors: dict[str, str]
) -> Any:
    """Run ``write`` in its own transaction; a refused write adds a message to ``errors``
    (key "") in the user's language and returns None: no traceback reaches the screen."""
    try:
        with writing(db_url) as session:
            return write(session)
    except ValidationError as error:
        errors.update(field_errors(error, lang))
    except AccessDenied:  # the role was lowered, or the session ended, since the page opened
        errors[""] = t("form.error.forbidden", lang)
    except LookupError:
        errors[""] = t("form.error.gone", lang)
    except RuleError as error:  # a broken rule: beside its field, in the user's language
        errors[error.field] = error.message(lang)
    except ValueError:  # a rule core did not name: a bug, said without its English words
        log.exception("write refused without a rule")
        errors[""] = t("form.error.refused", lang)
    except Exception:  # the database refused: say so, keep the form
        log.exception("write failed")
        errors[""] = t("form.error.database", lang)
    return None
