"""Demo data fail safe: forgetting ``DEMO_DATA`` on PostgreSQL never opens a password-less account.

Demo data bring one demo account per role (admin included) that signs in without a password.
Unset, ``DEMO_DATA`` allows them only on an embedded SQLite file (the README's first command
opens the demo); PostgreSQL needs ``DEMO_DATA=true``; ``false`` refuses them everywhere.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.bootstrap import prepare_database
from core.config import Settings, get_settings
from manage import main
from models import Organisation, UserAccount
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app
from tests.writers import writer

PG = "postgresql+psycopg://dashboard:secret@dbhost:5432/dashboard"


@pytest.fixture
def no_demo_variable(monkeypatch):
    """No ``DEMO_DATA`` in the environment (nor in a ``.env`` file: tests pass ``_env_file``)."""
    monkeypatch.delenv("DEMO_DATA", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def url_of(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def passwordless_accounts(engine: sa.Engine) -> list[tuple[str, str]]:
    with writer(engine) as session:
        rows = session.exec(
            sa.select(UserAccount.username, UserAccount.role)
            .where(UserAccount.password_hash.is_(None))
            .order_by(UserAccount.username)
        ).all()
    return [(username, role.value) for username, role in rows]


def organisations(engine: sa.Engine) -> int:
    with writer(engine) as session:
        return session.exec(sa.select(sa.func.count()).select_from(Organisation)).one()[0]


DEMO_ACCOUNTS = [
    ("demo-admin", "admin"),
    ("demo-partner-ae", "partner"),
    ("demo-partner-in", "partner"),
    ("demo-staff", "staff"),
    ("demo-viewer", "viewer"),
]


def test_the_rule(no_demo_variable):
    # Unset: the embedded SQLite default allows the demo, PostgreSQL does not.
    default = Settings(_env_file=None)
    assert default.demo_data is None
    assert default.database_url.startswith("sqlite:///")
    assert default.demo_allowed() is True
    assert Settings(_env_file=None, database_url=PG).demo_allowed() is False
    assert Settings(_env_file=None, database_url="postgresql://u@h/db").demo_allowed() is False
    assert Settings(_env_file=None, database_url="sqlite:////tmp/x.sqlite3").demo_allowed() is True
    # The URL actually used (manage.py --database-url) decides, not the setting's.
    assert default.demo_allowed(PG) is False
    assert Settings(_env_file=None, database_url=PG).demo_allowed("sqlite:///x.db") is True
    # Asked for explicitly, through the environment.
    no_demo_variable.setenv("DEMO_DATA", "true")
    assert Settings(_env_file=None, database_url=PG).demo_allowed() is True
    no_demo_variable.setenv("DEMO_DATA", "false")
    assert Settings(_env_file=None).demo_allowed() is False
    assert Settings(_env_file=None, database_url=PG).demo_allowed() is False


def test_first_start_without_the_variable(engine, no_demo_variable):
    settings = Settings(_env_file=None, database_url=url_of(engine), demo_scale=0.05)
    assert settings.demo_data is None
    loaded = prepare_database(engine, settings)
    if engine.dialect.name == "sqlite":
        assert loaded is True
        assert passwordless_accounts(engine) == DEMO_ACCOUNTS
        assert organisations(engine) > 0
    else:
        assert loaded is False
        assert passwordless_accounts(engine) == []
        assert organisations(engine) == 0


def test_first_start_asked_for_explicitly(engine, no_demo_variable):
    no_demo_variable.setenv("DEMO_DATA", "true")
    settings = Settings(_env_file=None, database_url=url_of(engine), demo_scale=0.05)
    assert prepare_database(engine, settings) is True
    assert passwordless_accounts(engine) == DEMO_ACCOUNTS


def test_first_start_refused_explicitly(engine, no_demo_variable):
    settings = Settings(_env_file=None, database_url=url_of(engine), demo_data=False)
    assert prepare_database(engine, settings) is False
    assert passwordless_accounts(engine) == []
    assert organisations(engine) == 0


def test_seed_demo_command_follows_the_rule(engine, no_demo_variable, capsys):
    args = ["--database-url", url_of(engine), "seed-demo", "--scale", "0.05"]
    args += ["--anchor", "2026-11-28"]
    if engine.dialect.name == "sqlite":
        assert main(args) == 0
        assert passwordless_accounts(engine) == DEMO_ACCOUNTS
        return
    assert main(args) == 2
    assert capsys.readouterr().err == (
        "Refused: demo data bring password-less demo accounts. They are allowed by default "
        "only on an embedded SQLite file; set DEMO_DATA=true to load them on this database.\n"
    )
    assert passwordless_accounts(engine) == []
    assert organisations(engine) == 0
    no_demo_variable.setenv("DEMO_DATA", "true")
    get_settings.cache_clear()
    assert main(args) == 0
    assert passwordless_accounts(engine) == DEMO_ACCOUNTS


def test_no_demo_sign_in_where_demo_data_are_not_allowed(engine, monkeypatch):
    """Demo rows already in the database (seeded earlier) but demo data not allowed now: the
    sign-in page offers no password-less button (explicit false here; on PostgreSQL, unset)."""
    point_app_at(monkeypatch, engine, demo=True, scale=0.05)
    at = run_app(str(ROOT / "pages" / "overview.py"), lang="fr", user=None)
    demo_buttons = [b.key for b in at.button if (b.key or "").startswith("sign_in_demo_")]
    assert demo_buttons == [
        "sign_in_demo_viewer",
        "sign_in_demo_staff",
        "sign_in_demo_admin",
        "sign_in_demo_partner_ae",
        "sign_in_demo_partner_in",
    ]
    if engine.dialect.name == "sqlite":
        monkeypatch.setenv("DEMO_DATA", "false")
    else:
        monkeypatch.delenv("DEMO_DATA")
    reset_caches()
    at = run_app(str(ROOT / "pages" / "overview.py"), lang="fr", user=None)
    assert not at.exception
    assert [b.key for b in at.button if (b.key or "").startswith("sign_in_demo_")] == []
    assert [x.value for x in at.title] == ["Connexion"]
    assert passwordless_accounts(engine) == DEMO_ACCOUNTS  # still there, yet unreachable
    reset_caches()
