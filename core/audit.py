"""The audit trail: every write to a business record leaves one append-only ``AuditEntry``
with who, when, what, and the values before and after.

Entries are written by a listener on the ORM's flush (``install``), inside the same
transaction as the write they describe: a write rolled back leaves no entry, and no write goes
through the ORM without one. Who wrote is the session's actor (``set_actor``), else the
record's own ``author`` field. Reference tables, the demo generator's bulk inserts and the
trail itself are not audited.

Admins read it with ``list_entries`` (filters: table, record, actor, period), a record's
history with ``record_history``, and put an earlier value back with ``restore_value`` (itself
an audited write).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, SQLModel, select

from core import logs
from core.errors import RuleError
from core.writes import ACTOR_KEY, write_transaction
from core.writes import set_actor as set_actor  # its home is core.writes; importable here too
from models import AuditAction, AuditEntry, Role, utcnow

#: The tables whose writes are recorded.
AUDITED = frozenset(
    {
        "organisation",
        "person",
        "project",
        "stagechange",
        "mission",
        "missionorganisation",
        "missionperson",
        "interaction",
        "interactionparticipant",
        "target",
        "sectortarget",
        "kpisnapshot",
        "checkin",
        "claim",
        "trendnote",
        "datarequest",
        "useraccount",
        "sharedupdate",
    }
)
#: Columns never copied into the trail: bookkeeping that changes on every write or sign-in,
#: password hashes (never shown nor logged anywhere), and name keys (derived from the names,
#: which are there; an anonymised person's trail is redacted by name, not by key).
SKIPPED = frozenset(
    {
        "updated_at",
        "name_key",
        "password_hash",
        "failed_attempts",
        "last_failed_at",
        "locked_until",
        "last_login_at",
    }
)
UNKNOWN_ACTOR = "unknown"

_installed = False


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _row_key(obj: Any) -> str:
    identity = inspect(obj).identity or tuple(
        getattr(obj, c.key) for c in inspect(type(obj)).primary_key
    )
    return "/".join(str(part) for part in identity)


def _values(obj: Any) -> dict[str, Any]:
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in inspect(type(obj)).column_attrs
        if attr.key not in SKIPPED
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    state = inspect(obj)
    for attr in inspect(type(obj)).column_attrs:
        if attr.key in SKIPPED:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if _plain(old) != _plain(new):
            before[attr.key], after[attr.key] = _plain(old), _plain(new)
    return before, after


def _actor(session: OrmSession, obj: Any) -> str:
    return str(session.info.get(ACTOR_KEY) or getattr(obj, "author", None) or UNKNOWN_ACTOR)


def _entries(session: OrmSession) -> list[dict[str, Any]]:
    now = utcnow()
    rows: list[dict[str, Any]] = []

    def add(obj: Any, action: AuditAction, before: Any, after: Any) -> None:
        rows.append(
            {
                "at": now,
                "actor": _actor(session, obj),
                "action": action.value,
                "table_name": obj.__tablename__,
                "row_key": _row_key(obj)[:64],
                "before": before,
                "after": after,
            }
        )

    for obj in session.new:
        if getattr(obj, "__tablename__", None) in AUDITED:
            add(obj, AuditAction.INSERT, None, _values(obj))
    for obj in session.dirty:
        if getattr(obj, "__tablename__", None) in AUDITED and session.is_modified(obj):
            before, after = _changes(obj)
            if after:
                add(obj, AuditAction.UPDATE, before, after)
    for obj in session.deleted:
        if getattr(obj, "__tablename__", None) in AUDITED:
            add(obj, AuditAction.DELETE, _values(obj), None)
    return rows


def _after_flush(session: OrmSession, _context: Any) -> None:
    rows = _entries(session)
    if rows:
        # Through the flush's own connection: the entries commit or roll back with the write.
        session.connection().execute(sa.insert(AuditEntry.__table__), rows)


_AS_IS = frozenset({str, int, float, bool, type(None)})


def record_inserts(session: OrmSession, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """For rows a Core statement inserted (each dict holding every column, its new primary key
    included), the entries the flush listener writes for ORM inserts, with the same content, in
    one statement: bulk writes (the people import) stay audited like any other, and counted in
    the transaction's write line (``core.logs``)."""
    table = model.__tablename__
    logs.note_bulk(session, table, "insert", len(rows))
    if table not in AUDITED or not rows:
        return
    keys = [attr.key for attr in inspect(model).column_attrs if attr.key not in SKIPPED]
    primary = [column.key for column in inspect(model).primary_key]
    now, actor = utcnow(), session.info.get(ACTOR_KEY)
    entries = [
        {
            "at": now,
            "actor": str(actor or row.get("author") or UNKNOWN_ACTOR),
            "action": AuditAction.INSERT.value,
            "table_name": table,
            "row_key": "/".join(str(row[key]) for key in primary)[:64],
            "before": None,
            "after": {
                key: value if type(value) in _AS_IS else _plain(value)
                for key in keys
                for value in (row.get(key),)
            },
        }
        for row in rows
    ]
    session.connection().execute(sa.insert(AuditEntry.__table__), entries)


def install() -> None:
    """Record the writes of every ORM session from now on (idempotent)."""
    global _installed
    if not _installed:
        event.listen(OrmSession, "after_flush", _after_flush)
        _installed = True


# ---------------------------------------------------------------------------------------------
# Reading and restoring
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    table_name: str | None = None
    row_key: str | None = None
    actor: str | None = None
    since: date | None = None
    until: date | None = None


def list_entries(session: Session, filters: AuditFilters, limit: int = 500) -> list[AuditEntry]:
    """The newest entries first, narrowed by ``filters`` (dates inclusive, in UTC)."""
    query = select(AuditEntry)
    if filters.table_name:
        query = query.where(AuditEntry.table_name == filters.table_name)
    if filters.row_key:
        query = query.where(AuditEntry.row_key == filters.row_key)
    if filters.actor:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.since:
        start = datetime.combine(filters.since, datetime.min.time(), tzinfo=UTC)
        query = query.where(AuditEntry.at >= start)
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        query = query.where(AuditEntry.at < end)
    return list(session.exec(query.order_by(AuditEntry.id.desc()).limit(limit)).all())


def record_history(session: Session, table_name: str, row_key: str | int) -> list[AuditEntry]:
    """Every write to one record, oldest first."""
    return list(
        session.exec(
            select(AuditEntry)
            .where(AuditEntry.table_name == table_name, AuditEntry.row_key == str(row_key))
            .order_by(AuditEntry.id)
        ).all()
    )


def _model_of(table_name: str) -> type[SQLModel]:
    for mapper in SQLModel._sa_registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table_name:
            return mapper.class_
    raise LookupError(f"no table {table_name}")


def restore_value(session: Session, *, entry_id: int, field: str, actor: str) -> SQLModel:
    """Put back the value ``field`` had before the write of entry ``entry_id`` (one
    transaction; the restore is itself audited). The record is validated by the database's
    constraints only: a value that broke no rule then breaks none now."""
    with write_transaction(session, Role.ADMIN, actor):
        entry = session.get(AuditEntry, entry_id)
        if entry is None:
            raise LookupError(f"no audit entry {entry_id}")
        if entry.action != AuditAction.UPDATE or field not in (entry.before or {}):
            raise RuleError("rule.audit.no_such_change", entry=entry_id, column=field)
        model = _model_of(entry.table_name)
        keys = [c.key for c in inspect(model).primary_key]
        parts = entry.row_key.split("/")
        row = session.get(model, dict(zip(keys, [int(p) for p in parts], strict=True)))
        if row is None:
            raise LookupError(f"{entry.table_name} {entry.row_key} no longer exists")
        column = inspect(model).columns[field]
        value = entry.before[field]
        if value is not None:
            python_type = column.type.python_type
            if issubclass(python_type, enum.Enum):
                value = python_type(value)
            elif issubclass(python_type, date | datetime) and isinstance(value, str):
                value = python_type.fromisoformat(value)
        setattr(row, field, value)
        session.add(row)
    session.refresh(row)
    return row
