"""The app started while its database is unreachable, in Chromium: the page says so in French
(the startup check's message, no traceback), and when the database comes back the same page
recovers by itself, without a reload and without restarting the server; the same again when
the database goes away while the app runs.

The outage is a small TCP gate on localhost in front of PostgreSQL: shut, it accepts each
connection and closes it at once (the server gone away); open, it forwards both ways.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from core.i18n import t
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    require_chromium,
    streamlit_server,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgresql, pytest.mark.timeout(600)]
PG_URL = os.environ.get("TEST_DATABASE_URL")
ALERT = "[data-testid='stAlert']"
EXCEPTION = "[data-testid='stException']"


class Gate:
    """A TCP forwarder on a free localhost port to ``upstream``, shut until ``open()``."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.is_open = False
        self.live: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def open(self) -> None:
        self.is_open = True

    def shut(self) -> None:
        """Refuse new connections and cut the live ones (the database went away)."""
        self.is_open = False
        with self.lock:
            for sock in self.live:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.live.clear()

    def close(self) -> None:
        self.shut()
        self.server.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:  # closed
                return
            if not self.is_open:
                client.close()
                continue
            upstream = socket.create_connection(self.upstream)
            with self.lock:
                self.live.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def fresh_database(suffix: str) -> sa.engine.URL:
    url = sa.engine.make_url(PG_URL)
    name = f"{url.database}_{suffix}"
    admin = sa.create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name)


def before_detail(key: str) -> str:
    """The French message up to its ``{detail}`` (the driver's own words follow)."""
    return t(key, "fr", detail="\0").split("\0")[0]


def assert_says_unreachable(page) -> None:
    page.locator(ALERT, has_text=before_detail("startup.database_unreachable")).wait_for(
        timeout=60_000
    )
    wait_idle(page)
    alert = page.locator(ALERT).first.inner_text()
    assert alert.startswith(before_detail("startup.database_unreachable"))
    assert page.get_by_text(t("startup.retrying", "fr", seconds=5), exact=True).count() == 1
    assert page.locator("h1", has_text=t("app.title", "fr")).count() == 1
    assert page.locator(EXCEPTION).count() == 0
    assert "Traceback" not in page.content()


def assert_recovered(page) -> None:
    """The sign-in page, reached by the automatic retry alone (no reload here)."""
    page.locator("h1", has_text=t("auth.title", "fr")).wait_for(timeout=60_000)
    wait_idle(page)
    assert page.locator(ALERT, has_text=before_detail("startup.database_unreachable")).count() == 0
    assert page.locator(EXCEPTION).count() == 0


def test_database_down_at_start_then_back(tmp_path):
    if not PG_URL:
        pytest.skip("database-down test: needs TEST_DATABASE_URL (a PostgreSQL server)")
    require_chromium()
    from playwright.sync_api import sync_playwright

    url = fresh_database("down")
    direct = url.render_as_string(hide_password=False)
    # The schema exists (a running service's database), without demo data: the sign-in page.
    subprocess.run(
        [sys.executable, "manage.py", "init"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": direct, "DEMO_DATA": "false"},
        check=True,
        capture_output=True,
    )
    gate = Gate((url.host or "127.0.0.1", url.port or 5432))
    through_gate = url.set(host="127.0.0.1", port=gate.port).render_as_string(hide_password=False)
    env = {"DATABASE_URL": through_gate, "DEMO_DATA": "false", "MAP_STYLE_URL": ""}
    log_path = tmp_path / "app.log"
    try:
        with streamlit_server(env, log_path) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))

            page.goto(f"{base}/?lang=fr", timeout=120_000)
            assert_says_unreachable(page)
            gate.open()
            assert_recovered(page)

            # Gone while the app runs (its engine cached, its pooled connections cut).
            gate.shut()
            page.reload()
            assert_says_unreachable(page)
            gate.open()
            assert_recovered(page)
            browser.close()
            assert errors == []
    finally:
        gate.close()
    log = log_path.read_text()
    assert "Traceback" not in log
    assert '"event": "startup_problem", "kind": "database_unreachable"' in log
