"""The one way core writes: ``write_transaction``.

Every write function of ``core/`` runs its reads and writes inside it, as its first statement:

    with write_transaction(session, Role.STAFF, author) as user:
        ...

It checks the role of the user the session was bound to (``core.permissions.authorise``)
before anything is read or written, records who writes in the audit trail (``author`` when
given, else the signed-in user's name), commits at the end, and rolls back on any error, which
it raises again: nothing is half-written. Refusals by a business rule raise
``core.errors.RuleError``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from core.config import get_settings
from core.permissions import SignedIn, authorise
from models import Role

#: The session-info key of who the audit trail records as writing.
ACTOR_KEY = "audit_actor"


def set_actor(session: Session, actor: str | None) -> None:
    """Who the writes of ``session`` are made by, until it is changed."""
    if actor:
        session.info[ACTOR_KEY] = actor[:120]


#: One writer at a time per SQLite database file in this process (the Streamlit server's
#: sessions are threads of one process). SQLite holds one writer at a time anyway; without
#: a queue here, a writer that finds the database locked sleeps in SQLite's busy handler
#: (1, 2, 5, 10, 15, 20, 25, 25... ms between tries) while others take the lock meanwhile:
#: 8 writers at once had a p95 of 296 ms against 62 ms queued (``bench/writers.py``).
_SQLITE_WRITERS: dict[str, threading.RLock] = {}
_WRITERS_GUARD = threading.Lock()


def _writer_lock(session: Session) -> threading.RLock | None:
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return None  # PostgreSQL's writers lock rows, not the database
    key = bind.url.render_as_string(hide_password=False)
    with _WRITERS_GUARD:
        return _SQLITE_WRITERS.setdefault(key, threading.RLock())


@contextmanager
def write_transaction(
    session: Session, needed: Role, author: str | None = None
) -> Iterator[SignedIn]:
    """One transaction of the signed-in user, who needs the role ``needed``; yields the user.
    On SQLite the process's writers of one database take turns (a re-entrant lock, waited
    for as long as SQLite's own busy timeout; past it the write goes ahead and SQLite's
    lock decides)."""
    user = authorise(session, needed)
    lock = _writer_lock(session)
    queued = lock is not None and lock.acquire(timeout=get_settings().sqlite_busy_timeout_ms / 1000)
    try:
        set_actor(session, author or user.display_name)
        try:
            yield user
            session.commit()
        except BaseException:
            session.rollback()
            raise
    finally:
        if queued:
            lock.release()
