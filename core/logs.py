"""Structured logs: one JSON line per event on standard error (journald keeps them).

Two kinds of lines are the app's own: ``request`` (one run of a page: user id, role, page,
outcome, duration) and ``write`` (one committed transaction that changed rows: user id, page,
tables and operations, duration). They carry ids, never names, e-mails or free text: personal
data stays in the database. The ``core.*`` loggers' records go through the same formatter,
their text arguments masked (``safe_message``), and the values SQLAlchemy quotes in an error
are cut from its traceback.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from core.permissions import USER_INFO_KEY

log = logging.getLogger("dashboard")

#: The page being run in this thread (set by the app for each run), named in write lines.
current_page: contextvars.ContextVar[str | None] = contextvars.ContextVar("page", default=None)

_STARTED = "_log_started"
_CHANGES = "_log_changes"
_configured = False
_installed = False


#: Loggers whose text arguments are never personal (reference files, demo set-up).
PLAIN_LOGGERS = frozenset({"core.refdata", "core.bootstrap"})
MASK = "***"
#: Lines of an error's text that quote the rows' values (names, e-mails): SQLAlchemy's
#: statement parameters and PostgreSQL's DETAIL ("Key (email)=(...) already exists").
_QUOTED_VALUES = re.compile(r"^.*(?:\[parameters: |DETAIL: ).*\n?", re.M)


def safe_message(record: logging.LogRecord) -> str:
    """The record's text with its text arguments masked: ``core.*`` modules log who did what
    ("interaction 12 logged by <author>"); the log keeps the ids and numbers, not the names
    (the audit trail in the database has them)."""
    if not record.args or record.name == log.name or record.name in PLAIN_LOGGERS:
        return record.getMessage()
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    masked = tuple(
        arg if isinstance(arg, int | float) and not isinstance(arg, bool) else MASK for arg in args
    )
    try:
        return str(record.msg) % masked
    except (TypeError, ValueError):
        return str(record.msg)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": safe_message(record),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = _QUOTED_VALUES.sub("", self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on standard error for the app's loggers (idempotent)."""
    global _configured
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("dashboard", "core"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
    _configured = True


def log_event(event_name: str, *, level: int = logging.INFO, **fields: Any) -> None:
    log.log(level, event_name, extra={"fields": fields})


def user_id(user: Any) -> int | None:
    return getattr(user, "id", None)


def log_request(*, page: str | None, user: Any, started: float, outcome: str) -> None:
    log_event(
        "request",
        page=page,
        user_id=user_id(user),
        role=getattr(getattr(user, "role", None), "value", None),
        outcome=outcome,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def _after_begin(session: OrmSession, _transaction: Any, _connection: Any) -> None:
    session.info.setdefault(_STARTED, time.perf_counter())


def _after_flush(session: OrmSession, _context: Any) -> None:
    changes: Counter[str] = session.info.setdefault(_CHANGES, Counter())
    for kind, objs in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objs:
            table = getattr(obj, "__tablename__", None)
            if table and (kind != "update" or session.is_modified(obj)):
                changes[f"{table}.{kind}"] += 1


def note_bulk(session: OrmSession, table: str, kind: str, count: int) -> None:
    """Count rows a Core statement wrote (the ORM's flush does not see them) in the write line
    of the session's transaction, as if they had been flushed."""
    if count:
        changes: Counter[str] = session.info.setdefault(_CHANGES, Counter())
        changes[f"{table}.{kind}"] += count


def _after_commit(session: OrmSession) -> None:
    started = session.info.pop(_STARTED, None)
    changes = session.info.pop(_CHANGES, None)
    if not changes:
        return
    log_event(
        "write",
        page=current_page.get(),
        user_id=user_id(session.info.get(USER_INFO_KEY)),
        changes=dict(sorted(changes.items())),
        duration_ms=round((time.perf_counter() - started) * 1000, 1) if started else None,
    )


def _after_rollback(session: OrmSession) -> None:
    session.info.pop(_STARTED, None)
    session.info.pop(_CHANGES, None)


def install() -> None:
    """Log every committed ORM write from now on (idempotent)."""
    global _installed
    if not _installed:
        event.listen(OrmSession, "after_begin", _after_begin)
        event.listen(OrmSession, "after_flush", _after_flush)
        event.listen(OrmSession, "after_commit", _after_commit)
        event.listen(OrmSession, "after_soft_rollback", lambda s, _t: _after_rollback(s))
        _installed = True
