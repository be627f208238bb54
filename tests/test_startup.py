"""The startup check (core.startup): each failure is a StartupProblem whose kind names its
message (``startup.<kind>``, in both catalogs), and the app shows that message in French
instead of a traceback (AppTest of app.py); the change stamp the replicas' caches follow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from core import startup
from core.i18n import t
from core.records import create_organisation
from core.startup import StartupProblem, change_stamp, check_database, check_secrets
from models import OrganisationCreate
from tests.apptest_support import reset_caches, run_app
from tests.browser_support import free_port
from tests.writers import writer

FULL_AUTH = {
    "redirect_uri": "https://dashboard.example.org/oauth2callback",
    "cookie_secret": "s3cret",
    "client_id": "dashboard",
    "client_secret": "x",
    "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
}
CATALOGS = Path(__file__).resolve().parent.parent / "core" / "locales"


def catalog(lang: str) -> dict[str, str]:
    return json.loads((CATALOGS / f"{lang}.json").read_text(encoding="utf-8"))


def unreachable(backend: str, tmp_path: Path) -> sa.Engine:
    """SQLite: a directory where the file should be; PostgreSQL: a port nobody listens on."""
    if backend == "sqlite":
        return sa.create_engine(f"sqlite:///{tmp_path}", poolclass=NullPool)
    return sa.create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/postgres", poolclass=NullPool
    )


@pytest.mark.parametrize(
    "kind", ["database_unreachable", "schema_newer", "missing_secret", "startup_failed"]
)
def test_each_problem_has_its_message_in_both_languages(kind):
    for lang in ("fr", "en"):
        assert "{detail}" in catalog(lang)[f"startup.{kind}"]
    assert "{seconds}" in catalog("fr")["startup.retrying"]


def test_an_empty_database_has_no_version_yet(tmp_path):
    empty = sa.create_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}", poolclass=NullPool)
    assert check_database(empty) is None


def test_a_known_version_passes(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    assert check_database(engine) == "0001"


def test_a_schema_newer_than_the_code(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(StartupProblem) as problem:
        check_database(engine)
    assert (problem.value.kind, problem.value.detail) == ("schema_newer", "9999_future")
    assert "9999_future" not in startup.known_revisions()


def test_a_database_out_of_reach(backend, tmp_path):
    target = unreachable(backend, tmp_path)
    for check in (check_database, change_stamp):
        with pytest.raises(StartupProblem) as problem:
            check(target)
        assert problem.value.kind == "database_unreachable"
        if backend == "sqlite":
            assert problem.value.detail == "unable to open database file"
        else:
            assert "Connection refused" in problem.value.detail
            assert "\n" not in problem.value.detail


def test_secrets_without_auth_or_with_a_complete_one_pass():
    assert check_secrets({}) is None
    assert check_secrets({"auth": FULL_AUTH}) is None


def test_an_incomplete_auth_section_names_what_is_missing():
    auth = {**FULL_AUTH, "cookie_secret": "  ", "client_secret": None}
    del auth["server_metadata_url"]
    with pytest.raises(StartupProblem) as problem:
        check_secrets({"auth": auth})
    assert problem.value.kind == "missing_secret"
    assert problem.value.detail == (
        "auth.cookie_secret, auth.client_secret, auth.server_metadata_url"
    )


def test_the_change_stamp_follows_the_audit_trail(ref_engine):
    assert change_stamp(ref_engine) == 0  # no audit entry yet
    with writer(ref_engine) as s:
        create_organisation(session=s, data=OrganisationCreate(name="Stamp SA"), author="t")
    assert change_stamp(ref_engine) == 1  # the organisation's entry
    with writer(ref_engine) as s:
        create_organisation(session=s, data=OrganisationCreate(name="Stamp Deux"), author="t")
    assert change_stamp(ref_engine) == 2


# --- what the app shows ---------------------------------------------------------------------


@pytest.fixture
def point_at(monkeypatch):
    """Point the app at a database URL (the settings read afresh: fixtures read them too)."""

    def point(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("DEMO_DATA", "false")
        monkeypatch.setenv("DEFAULT_LANGUAGE", "fr")
        reset_caches()

    yield point
    reset_caches()


def assert_shows(at, message: str) -> None:
    assert not at.exception
    assert [e.value for e in at.error] == [message]
    assert [e.value for e in at.caption] == [t("startup.retrying", "fr", seconds=5)]
    assert [e.value for e in at.title] == [t("app.title", "fr")]


@pytest.mark.apptest
def test_the_app_says_the_database_is_out_of_reach(point_at, tmp_path):
    point_at(f"sqlite:///{tmp_path}")
    at = run_app(lang="fr", user=None)
    assert_shows(
        at,
        "La base de données est injoignable : le tableau de bord ne peut rien afficher pour "
        "l'instant. Vérifiez que le serveur de base de données tourne et que DATABASE_URL le "
        "désigne bien. (Détail : unable to open database file)",
    )


@pytest.mark.apptest
def test_the_app_says_the_schema_is_newer(point_at, engine):
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    point_at(engine.url.render_as_string(hide_password=False))
    at = run_app(lang="fr", user=None)
    assert_shows(
        at,
        "La base de données est à une version de schéma (9999_future) plus récente que cette "
        "version de l'application : déployez la version de l'application qui l'a mise à jour, "
        "ou restaurez une sauvegarde faite avec celle-ci.",
    )


@pytest.mark.apptest
def test_the_app_says_preparing_the_database_failed(point_at, tmp_path):
    # A version the code knows, but none of its tables: the next migration fails.
    path = tmp_path / "broken.sqlite3"
    broken = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with broken.begin() as conn:
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES ('0001')"))
    point_at(f"sqlite:///{path}")
    at = run_app(lang="fr", user=None)
    assert_shows(
        at,
        "Le tableau de bord n'a pas pu préparer sa base de données (OperationalError). "
        "Le journal du serveur en donne la cause.",
    )
