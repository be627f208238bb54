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

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from core.permissions import SignedIn, authorise
from models import Role

#: The session-info key of who the audit trail records as writing.
ACTOR_KEY = "audit_actor"


def set_actor(session: Session, actor: str | None) -> None:
    """Who the writes of ``session`` are made by, until it is changed."""
    if actor:
        session.info[ACTOR_KEY] = actor[:120]


@contextmanager
def write_transaction(
    session: Session, needed: Role, author: str | None = None
) -> Iterator[SignedIn]:
    """One transaction of the signed-in user, who needs the role ``needed``; yields the user."""
    user = authorise(session, needed)
    set_actor(session, author or user.display_name)
    try:
        yield user
        session.commit()
    except BaseException:
        session.rollback()
        raise
