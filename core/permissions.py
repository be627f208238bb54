"""Who may write: the roles' order, the signed-in user, and the checks.

Every page checks the user's role at its top (``require_role``). Every write function of
``core/`` checks again, with ``authorise``, the user its database session was bound to by
``act_as``: a session without a user, or with too low a role, writes nothing. This module
imports nothing of ``core/``, so that every module of it can use the checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from models import Role

#: The agency's own roles, ordered: each opens what the ones below it open.
RANK = {Role.VIEWER: 0, Role.STAFF: 1, Role.ADMIN: 2}
#: Roles outside that order: each opens only what is declared for it (a partner, a chamber of
#: the network, opens its own pages and no page of the agency's, nor the agency's roles its).
BRANCHES = frozenset({Role.PARTNER})
#: The session-info key of the user a database session writes for.
USER_INFO_KEY = "signed_in_user"


class AccessDenied(PermissionError):
    """The user may not do this (their role is too low, or no one is signed in)."""


@dataclass(frozen=True)
class SignedIn:
    id: int
    username: str
    display_name: str
    role: Role
    #: A partner's chamber (every partner has one, no one else has any).
    chamber_id: int | None = None


def can(role: Role | str | None, needed: Role | str) -> bool:
    """``role`` opens what ``needed`` opens: the same role, or a higher agency role. A branch
    role (partner) matches itself only."""
    if role is None:
        return False
    role, needed = Role(role), Role(needed)
    if role in BRANCHES or needed in BRANCHES:
        return role == needed
    return RANK[role] >= RANK[needed]


def require_role(user: SignedIn | None, needed: Role | str) -> SignedIn:
    """``user`` if signed in with at least ``needed``; else AccessDenied."""
    if user is None or not can(user.role, needed):
        raise AccessDenied(f"{Role(needed).value} role needed")
    return user


#: The operator of ``manage.py``: whoever runs commands on the server administers it.
COMMAND_LINE = SignedIn(0, "manage.py", "manage.py", Role.ADMIN)


def act_as(session: Session, user: SignedIn | None) -> Session:
    """Bind ``user`` to ``session``: the write functions of core/ check their role."""
    if user is None:
        session.info.pop(USER_INFO_KEY, None)
    else:
        session.info[USER_INFO_KEY] = user
    return session


def authorise(session: Session, needed: Role | str) -> SignedIn:
    """The user bound to ``session`` if their role is at least ``needed``; else AccessDenied.
    Called first by every write function, before anything is read or written."""
    return require_role(session.info.get(USER_INFO_KEY), needed)
