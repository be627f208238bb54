"""Shared fixtures: a real, migrated database per test, copied from a template.

Every test that takes ``engine`` runs on SQLite (a temporary file) and, when
``TEST_DATABASE_URL`` is set, again on that PostgreSQL database.

Migrating a database takes far longer than copying one, so the migrations run once per test
session into a template, and each test gets a copy of it: a file copy on SQLite, ``CREATE
DATABASE … TEMPLATE`` on PostgreSQL (the database ``TEST_DATABASE_URL`` names is dropped and
created anew from the template before each test, so the tests' URL stays the one given). A
second template also holds the reference data of ``data/``, for ``ref_engine``. Templates are
keyed on the content of the migration files (and of ``data/``): when a migration changes during
a session, the next test gets a template rebuilt from it. On PostgreSQL the templates are
databases named ``<test database>_tpl_<key>`` and ``<test database>_ref_<key>``, dropped at the
end of the session; the connecting role needs the right to create databases.

Tests are grouped by kind with markers applied here (``pyproject.toml`` registers them):
``browser`` (files named ``*browser*`` or marked so), ``apptest`` (runs the app through
Streamlit's AppTest), ``unit`` (the rest); ``postgresql`` marks the PostgreSQL runs.
"""

from __future__ import annotations

import atexit
import hashlib
import inspect
import os
import shutil
import tempfile
import types
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from core.db import make_engine, normalise_url, upgrade_schema
from tests.writers import TEST_ADMIN, writer

PG_URL = os.environ.get("TEST_DATABASE_URL")
if PG_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel runs (pytest-xdist): each worker has a test database of its own, its templates
    # and the databases the browser modules create named after it (the environment is read by
    # those modules after this one).
    _url = sa.engine.make_url(PG_URL)
    _url = _url.set(database=f"{_url.database}_{os.environ['PYTEST_XDIST_WORKER']}")
    PG_URL = os.environ["TEST_DATABASE_URL"] = _url.render_as_string(hide_password=False)
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]


def schema_key() -> str:
    """Changes whenever a migration (or Alembic's set-up) changes."""
    versions = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    return _digest([ROOT / "alembic.ini", ROOT / "migrations" / "env.py", *versions])


def reference_key() -> str:
    """Changes whenever a migration or a reference file of ``data/`` changes."""
    data = sorted(p for p in (ROOT / "data").iterdir() if p.suffix in {".csv", ".json"})
    return schema_key() + _digest(data)[:6]


def _load_reference_data(engine: sa.Engine) -> None:
    from core.refdata import load_reference_data

    with Session(engine) as session:
        load_reference_data(session)
        session.commit()


class SqliteTemplates:
    """Migrated SQLite files, one per key, in a folder of the session."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _built(self, name: str, build) -> Path:
        path = self.folder / f"{name}.sqlite3"
        if not path.exists():
            work = self.folder / f"{name}.building.sqlite3"
            build(work)
            engine = make_engine(f"sqlite:///{work}")
            with engine.connect() as conn:  # everything into the main file: no -wal to copy
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            work.rename(path)
        return path

    def schema(self) -> Path:
        def build(work: Path) -> None:
            engine = make_engine(f"sqlite:///{work}")
            upgrade_schema(engine)
            engine.dispose()

        return self._built(f"schema-{schema_key()}", build)

    def reference(self) -> Path:
        def build(work: Path) -> None:
            shutil.copyfile(self.schema(), work)
            engine = make_engine(f"sqlite:///{work}")
            _load_reference_data(engine)
            engine.dispose()

        return self._built(f"reference-{reference_key()}", build)

    def fresh(self, target: Path, *, reference: bool) -> str:
        shutil.copyfile(self.reference() if reference else self.schema(), target)
        return f"sqlite:///{target}"


class PostgresTemplates:
    """Template databases beside the test database, on the same server."""

    def __init__(self, url: str) -> None:
        self.url = sa.engine.make_url(normalise_url(url))
        self.name = self.url.database
        assert self.name, "TEST_DATABASE_URL must name a database"
        self.admin = sa.create_engine(
            self.url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        self.built: set[str] = set()
        with self.admin.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version_num").scalar()
        # FILE_COPY (PostgreSQL 15+) copies a small database in a tenth of WAL_LOG's time.
        self.strategy = " STRATEGY FILE_COPY" if int(version) >= 150000 else ""
        self._drop_leftovers()

    def _quote(self, name: str) -> str:
        return self.admin.dialect.identifier_preparer.quote(name)

    def _create(self, name: str, template: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self._quote(name)} WITH (FORCE)")
            conn.exec_driver_sql(
                f"CREATE DATABASE {self._quote(name)} TEMPLATE {self._quote(template)}"
                + self.strategy
            )

    def _drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self._quote(name)} WITH (FORCE)")

    def _drop_leftovers(self) -> None:
        """Templates an interrupted session left behind."""
        escaped = self.name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
        with self.admin.connect() as conn:
            names = conn.execute(
                sa.text("SELECT datname FROM pg_database WHERE datname LIKE :a OR datname LIKE :b"),
                {"a": f"{escaped}\\_tpl\\_%", "b": f"{escaped}\\_ref\\_%"},
            ).scalars()
            names = list(names)
        for name in names:
            self._drop(name)

    def _engine(self, name: str) -> sa.Engine:
        return make_engine(self.url.set(database=name).render_as_string(hide_password=False))

    def _built(self, name: str, base: str, fill) -> str:
        if name not in self.built:
            self._create(name, base)
            engine = self._engine(name)
            try:
                fill(engine)
            except BaseException:
                engine.dispose()
                self._drop(name)
                raise
            engine.dispose()  # a template must have no connection when it is copied
            self.built.add(name)
        return name

    def schema(self) -> str:
        return self._built(f"{self.name}_tpl_{schema_key()}", "template0", upgrade_schema)

    def reference(self) -> str:
        name = f"{self.name}_ref_{reference_key()}"
        if name in self.built:
            return name
        return self._built(name, self.schema(), _load_reference_data)

    def fresh(self, *, reference: bool) -> str:
        self._create(self.name, self.reference() if reference else self.schema())
        return self.url.render_as_string(hide_password=False)

    def close(self) -> None:
        for name in sorted(self.built):
            self._drop(name)
        self.built.clear()
        self.admin.dispose()


_templates: dict[str, SqliteTemplates | PostgresTemplates] = {}


def sqlite_templates() -> SqliteTemplates:
    if "sqlite" not in _templates:
        folder = Path(tempfile.mkdtemp(prefix="test-templates-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _templates["sqlite"] = SqliteTemplates(folder)
    return _templates["sqlite"]  # type: ignore[return-value]


def postgres_templates() -> PostgresTemplates:
    assert PG_URL
    if "postgresql" not in _templates:
        _templates["postgresql"] = PostgresTemplates(PG_URL)
    return _templates["postgresql"]  # type: ignore[return-value]


def pytest_sessionfinish(session, exitstatus) -> None:
    pg = _templates.pop("postgresql", None)
    if pg is not None:
        pg.close()  # type: ignore[union-attr]


def make_test_engine(backend: str, tmp_path, *, reference: bool = False) -> sa.Engine:
    """A fresh, migrated database of the given backend, copied from the session's template:
    empty, or holding the reference data. On SQLite it is ``tmp_path / "test.sqlite3"``; on
    PostgreSQL the database ``TEST_DATABASE_URL`` names, emptied."""
    if backend == "sqlite":
        url = sqlite_templates().fresh(tmp_path / "test.sqlite3", reference=reference)
    else:
        url = postgres_templates().fresh(reference=reference)
    engine = make_engine(url)
    if reference:
        _with_reference.add(id(engine))
    return engine


# ---------------------------------------------------------------------------------------------
# Database fixtures
# ---------------------------------------------------------------------------------------------

#: A test whose fixtures include ``ref_engine`` (``session`` stands on it) gets the copy of the
#: reference template at once.
_REFERENCE_FIXTURES = {"ref_engine"}
#: Engines created from the reference template (``ref_engine`` then has nothing to load).
_with_reference: set[int] = set()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def engine(backend, tmp_path, request):
    """A migrated empty database (no reference data), a copy of the session's template.

    A test that also takes ``ref_engine`` gets the copy of the template holding the reference
    data, the same engine under both names."""
    eng = make_test_engine(
        backend, tmp_path, reference=bool(_REFERENCE_FIXTURES & set(request.fixturenames))
    )
    yield eng
    _with_reference.discard(id(eng))
    eng.dispose()


@pytest.fixture
def ref_engine(engine):
    """A migrated database holding the reference data of ``data/``."""
    if id(engine) not in _with_reference:  # requested late (getfixturevalue): load them now
        _load_reference_data(engine)
        _with_reference.add(id(engine))
    return engine


@pytest.fixture
def session(ref_engine):
    """A session writing as an administrator (core's write functions check the role)."""
    with writer(ref_engine, TEST_ADMIN, expire_on_commit=False) as s:
        yield s


# ---------------------------------------------------------------------------------------------
# Markers by kind
# ---------------------------------------------------------------------------------------------


def _apptest_names() -> set[int]:
    """The objects whose use makes a test an AppTest one: AppTest and the helpers built on it."""
    from streamlit.testing.v1 import AppTest

    from tests import apptest_support

    helpers = {
        obj
        for obj in vars(apptest_support).values()
        if inspect.isfunction(obj) and obj.__module__ == apptest_support.__name__
    }
    return {id(AppTest), *(id(obj) for obj in helpers)}


#: Modules whose import inside a test or fixture makes it an AppTest one.
_APPTEST_MODULES = {"tests.apptest_support", "streamlit.testing.v1"}


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _uses(func, targets: set[int], seen: set[int]) -> bool:
    """Whether ``func``, or a function of its own module it calls, refers to a target."""
    func = inspect.unwrap(func)
    code = getattr(func, "__code__", None)
    if code is None or id(func) in seen:
        return False
    seen.add(id(func))
    scope = getattr(func, "__globals__", {})
    names = _code_names(code)
    if names & _APPTEST_MODULES:  # imported inside the function
        return True
    for name in names:
        obj = scope.get(name)
        if obj is None:
            continue
        if id(obj) in targets:
            return True
        if (
            inspect.isfunction(obj)
            and obj.__module__ == func.__module__
            and _uses(obj, targets, seen)
        ):
            return True
    return False


def _is_apptest(item: pytest.Item, targets: set[int]) -> bool:
    seen: set[int] = set()
    funcs = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(item, "fixturenames", ()):
        for fixturedef in info.name2fixturedefs.get(name, ()) if info else ():
            funcs.append(fixturedef.func)
    return any(f is not None and _uses(f, targets, seen) for f in funcs)


def pytest_collection_modifyitems(config, items) -> None:
    targets = _apptest_names()
    for item in items:
        if "browser" in item.path.name or item.get_closest_marker("browser"):
            if not item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.browser)
        elif _is_apptest(item, targets):
            item.add_marker(pytest.mark.apptest)
        else:
            item.add_marker(pytest.mark.unit)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "postgresql":
            item.add_marker(pytest.mark.postgresql)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Parallel runs (--dist worksteal) split the tests in this order, and a worker that is
        # done takes tests from the end of another's: the long browser tests first, so that the
        # short ones fill the workers' ends instead of a browser test running alone.
        items.sort(key=lambda item: 0 if item.get_closest_marker("browser") else 1)
