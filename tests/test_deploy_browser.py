"""The production deployment on this machine: two replicas on one PostgreSQL database behind
Debian's nginx running ``deploy/nginx/dashboard.conf`` (HTTPS with a self-signed certificate),
driven in Chromium through the proxy.

Signed in through the proxy, every dashboard page opens with no CSP violation and the security
headers; a meeting logged through the proxy shows on both replicas at their next run (the
change stamp clears their caches: the meetings figure moves by one on each, well within the
300 s TTL); the sign-in holds after a reload and on the other replica; with one replica
stopped, a new browser session signs in and works through the other.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from core.i18n import t
from core.page_registry import PAGES
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SIGNED_IN,
    free_port,
    require_chromium,
    sign_in_demo,
    streamlit_server,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgresql, pytest.mark.timeout(1200)]
PG_URL = os.environ.get("TEST_DATABASE_URL")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONF = ROOT / "deploy" / "nginx" / "dashboard.conf"
#: Every page of the dashboards' section (the Overview's), and the Definitions.
DASHBOARDS = [s.stem for s in PAGES if s.section == PAGES[0].section] + ["definitions"]


def require_nginx() -> None:
    if Path(NGINX).exists():
        return
    if os.environ.get("CI"):
        pytest.fail("CI must have nginx (apt-get install -y nginx)")
    pytest.skip("deployment test: nginx is missing (apt-get install -y nginx)")


def inline_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def test_csp_allows_exactly_the_inline_scripts_the_app_runs():
    import streamlit

    from components.auth import COOKIE_SCRIPT

    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    inline = re.findall(r"<script>(.*?)</script>", index, re.S)
    csp = re.search(r'Content-Security-Policy "([^"]+)"', CONF.read_text()).group(1)
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    hashes = re.findall(r"'sha256-[^']+'", script_src)
    assert sorted(hashes) == sorted({inline_hash(COOKIE_SCRIPT), *map(inline_hash, inline)})
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp
    # The upload limit is Streamlit's.
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    limit = re.search(r"maxUploadSize = (\d+)", config).group(1)
    assert f"client_max_body_size {limit}m;" in CONF.read_text()


def fresh_database(suffix: str) -> str:
    url = sa.engine.make_url(PG_URL)
    name = f"{url.database}_{suffix}"
    admin = sa.create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def nginx_config(tmp: Path, port: int, replicas: list[int]) -> Path:
    """The deploy file with this test's ports and certificate, in a prefix of its own."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + [
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(tmp / "key.pem"),
            "-out",
            str(tmp / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = CONF.read_text()
    site = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", site, flags=re.S)  # no port 80
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;")
    site = site.replace("listen [::]:443 ssl http2;\n", "")
    site = site.replace("127.0.0.1:8501", f"127.0.0.1:{replicas[0]}")
    site = site.replace("127.0.0.1:8502", f"127.0.0.1:{replicas[1]}")
    site = site.replace("/etc/ssl/dashboard/fullchain.pem", str(tmp / "cert.pem"))
    site = site.replace("/etc/ssl/dashboard/privkey.pem", str(tmp / "key.pem"))
    (tmp / "site.conf").write_text(site)
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir(mode=0o777, exist_ok=True)
        os.chmod(tmp / name, 0o777)
    main = tmp / "nginx.conf"
    main.write_text(
        f"""daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""
    )
    return main


def read_meetings(page) -> str:
    """The Overview's meetings figure."""
    label = t("kpi.meetings.label", "fr")
    metric = page.locator("[data-testid='stMetric']", has_text=label).first
    metric.wait_for(timeout=60_000)
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def test_two_replicas_behind_nginx(tmp_path):
    if not PG_URL:
        pytest.skip("deployment test: needs TEST_DATABASE_URL (a PostgreSQL server)")
    require_nginx()
    require_chromium()
    from playwright.sync_api import sync_playwright

    db_url = fresh_database("deploy")
    env = {"DATABASE_URL": db_url, "DEMO_DATA": "true", "DEMO_SCALE": "0.3", "MAP_STYLE_URL": ""}
    # The schema and the demo portfolio first, so that the replicas do not race to create them.
    for command in (["init"], ["seed-demo", "--scale", "0.3"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
    ports = [free_port(), free_port()]
    proxy_port = free_port()
    conf = nginx_config(tmp_path, proxy_port, ports)
    check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    base = f"https://127.0.0.1:{proxy_port}"
    violations: list[str] = []
    with ExitStack() as stack, ExitStack() as first:
        replica_a = first.enter_context(streamlit_server(env, tmp_path / "a.log", port=ports[0]))
        replica_b = stack.enter_context(streamlit_server(env, tmp_path / "b.log", port=ports[1]))
        nginx = subprocess.Popen([NGINX, "-c", str(conf)], stderr=subprocess.STDOUT)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                run_journey(browser, base, (replica_a, replica_b), first.close, violations)
                browser.close()
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
    assert violations == []


def watch(page, violations: list[str]) -> None:
    def on_console(msg) -> None:
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            violations.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))


def bump(figure: str) -> str:
    """The French figure one more (babel's digit grouping, as the app formats it)."""
    from babel.numbers import format_decimal

    return format_decimal(int(re.sub(r"\D", "", figure)) + 1, locale="fr_FR")


def log_one_meeting(page) -> None:
    page.get_by_text(t("meeting.org.mode.new", "fr"), exact=True).click()
    wait_idle(page)
    page.get_by_label(f"{t('field.organisation.name', 'fr')} *", exact=True).fill("Proxy Test SA")
    box = page.get_by_label(t("field.organisation.country", "fr"), exact=True)
    box.click()
    box.fill("Inde")
    page.get_by_role("option").filter(has_text="Inde").first.click()
    page.get_by_role("button", name=t("meeting.submit", "fr")).click()
    wait_idle(page)
    assert_no_exception(page, "log_meeting")
    page.get_by_text(t("meeting.saved", "fr", date=today_fr())).wait_for(timeout=30_000)


def assert_no_exception(page, where: str) -> None:
    """No exception box on the page; if there is one, its text (the replica's traceback is in
    its log) makes the failure say what broke."""
    shown = page.locator("[data-testid='stException']")
    assert shown.count() == 0, f"{where}: {shown.first.inner_text()[:2000]}"


def today_fr() -> str:
    from core import clock

    return clock.today().isoformat()


def run_journey(browser, base, replicas, stop_first, violations) -> None:
    import urllib.request

    from playwright.sync_api import expect

    context = browser.new_context(
        ignore_https_errors=True, viewport={"width": 1500, "height": 1000}
    )
    page = context.new_page()
    watch(page, violations)

    # Headers of the page, and the monitoring routes closed to the public.
    response = page.goto(f"{base}/?lang=fr", timeout=120_000)
    headers = response.headers
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert context.request.get(base + "/_stcore/metrics").status == 404
    health = context.request.get(base + "/_stcore/health")  # nginx's own answer
    assert (health.status, health.text(), health.headers["content-type"]) == (
        200,
        "ok",
        "text/plain",
    )
    with urllib.request.urlopen(f"{replicas[0]}/_stcore/health", timeout=5) as resp:
        assert resp.status == 200  # still open on the replica's own port (localhost)

    wait_idle(page, timeout=240_000)
    sign_in_demo(page, "staff")
    for name in DASHBOARDS:
        page.goto(f"{base}/{name}?lang=fr", timeout=120_000)
        wait_idle(page, timeout=240_000)
        assert page.locator(SIGNED_IN).count() == 1, name  # the sign-in held
        assert_no_exception(page, name)

    # Both replicas cache the meetings figure, read directly on their own ports.
    page.goto(f"{base}/?lang=fr", timeout=120_000)
    wait_idle(page)
    before = read_meetings(page)
    direct = []
    for replica in replicas:
        other = context.new_page()
        watch(other, [])  # plain HTTP: no proxy headers there
        other.goto(f"{replica}/?lang=fr", timeout=120_000)
        wait_idle(other, timeout=240_000)
        assert other.locator(SIGNED_IN).count() == 1  # the cookie's session, on each replica
        assert read_meetings(other) == before
        direct.append(other)

    # A meeting logged through the proxy.
    page.goto(f"{base}/log_meeting?lang=fr", timeout=120_000)
    wait_idle(page)
    log_one_meeting(page)

    # After a reload: still signed in, and every replica counts the new meeting at once.
    page.reload()
    wait_idle(page, timeout=240_000)
    assert page.locator(SIGNED_IN).count() == 1
    after = bump(before)
    page.goto(f"{base}/?lang=fr", timeout=120_000)
    wait_idle(page)
    assert read_meetings(page) == after
    for other in direct:
        other.reload()
        wait_idle(other, timeout=240_000)
        expect(
            other.locator("[data-testid='stMetric']", has_text=t("kpi.meetings.label", "fr")).first
        ).to_contain_text(after)
    context.close()

    # One replica stopped: a new browser session still signs in and works through the other.
    stop_first()
    fresh = browser.new_context(ignore_https_errors=True, viewport={"width": 1500, "height": 1000})
    page = fresh.new_page()
    watch(page, violations)
    page.goto(f"{base}/?lang=fr", timeout=120_000)
    wait_idle(page, timeout=240_000)
    sign_in_demo(page, "viewer")
    assert read_meetings(page) == after
    page.reload()
    wait_idle(page, timeout=240_000)
    assert page.locator(SIGNED_IN).count() == 1
    fresh.close()
