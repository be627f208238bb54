"""Database sessions for tests, bound to a user: core's write functions check the role of the
user a session writes for, as the app's pages bind the signed-in user."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from core.permissions import SignedIn, act_as
from models import Role

#: Who the tests' sessions write as, unless a test says otherwise.
TEST_ADMIN = SignedIn(0, "test", "test", Role.ADMIN)


def writer(engine: sa.Engine, user: SignedIn = TEST_ADMIN, **options: Any) -> Session:
    """A session on ``engine`` writing as ``user`` (an administrator by default)."""
    return act_as(Session(engine, **options), user)
