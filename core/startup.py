"""What the app checks before it serves a page: a database it can reach, a schema this code
knows, and complete secrets. Each problem is a ``StartupProblem`` whose ``kind`` names the
message shown (``startup.<kind>`` in the catalogs), never a traceback; nothing here is cached,
so the next run checks again and the app recovers by itself once the cause is gone.

``change_stamp`` is the cross-replica cache check: the newest audit entry's id. Every write of
a business record leaves an entry in its own transaction, on whichever replica it was made, so
a replica that sees the stamp move knows its cached readers may be stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from core.config import ROOT

#: What an ``[auth]`` (OpenID Connect) section of the secrets must hold.
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


class StartupProblem(Exception):
    """``kind``: database_unreachable, schema_newer, missing_secret; ``detail``: for the log
    and the message (no password, no personal data)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def known_revisions() -> set[str]:
    script = ScriptDirectory(str(ROOT / "migrations"))
    return {rev.revision for rev in script.walk_revisions()}


def check_database(engine: sa.Engine) -> str | None:
    """Reach the database and read its schema version (None: not created yet, the app
    creates it); StartupProblem when unreachable or newer than this code's migrations."""
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.OperationalError as error:
        raise StartupProblem("database_unreachable", _first_line(error)) from error
    if version is not None and version not in known_revisions():
        raise StartupProblem("schema_newer", str(version))
    return version


def check_secrets(secrets: Mapping[str, Any]) -> None:
    """An ``[auth]`` section must be complete: a missing key would fail at the first sign-in."""
    auth = secrets.get("auth")
    if auth is None:
        return
    missing = [key for key in AUTH_KEYS if not str(auth.get(key) or "").strip()]
    if missing:
        raise StartupProblem("missing_secret", ", ".join(f"auth.{key}" for key in missing))


def change_stamp(engine: sa.Engine) -> int:
    """The id of the newest audit entry (0 without any): one index lookup."""
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT max(id) FROM auditentry")).scalar() or 0)
    except sa.exc.OperationalError as error:
        raise StartupProblem("database_unreachable", _first_line(error)) from error


def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    return (str(orig).strip().splitlines() or [""])[0][:300]
