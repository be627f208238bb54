"""Real-browser test support: a `streamlit run` server on a free port and Debian's Chromium.

Streamlit's own e2e tests do the same: start the server headless, poll ``/_stcore/health``, and
after every action wait until the app's script has finished running.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
DECK = "[data-testid='stDeckGlJsonChart']"
PLOTLY_SVG = "[data-testid='stPlotlyChart'] .main-svg"
T = TypeVar("T")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def require_chromium() -> None:
    """Skip with a visible reason without Chromium; in CI its absence is an error."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail("CI must have /usr/bin/chromium (apt-get install -y chromium)")
    pytest.skip("browser test: /usr/bin/chromium is missing (apt-get install -y chromium)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(
    env: dict[str, str],
    log_path: Path,
    *,
    port: int | None = None,
    args: Sequence[str] = (),
    script: Path = ROOT / "app.py",
) -> Iterator[str]:
    """``streamlit run <script>`` (the app by default; a page alone for the page's own tests)
    on ``port`` (a free one by default), with extra ``args``, until the health check answers."""
    port = port or free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *args,
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                try:  # between two polls, wait for the server to exit (it failed to start)
                    proc.wait(timeout=0.3)
                except subprocess.TimeoutExpired:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {log_path.read_text()[-2000:]}")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Playwright's Chromium on Debian's ``/usr/bin/chromium``, closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def recorded_page(browser: Any, width: int, height: int, locale: str = "fr-FR") -> Iterator[Any]:
    """A page in a context of its own, every URL it requests kept in ``page.requests_seen``."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    try:
        yield page
    finally:
        context.close()


#: How long the app must stay idle, with no stale element, to count as settled: an action's
#: rerun reaches the server a few milliseconds after the action, and until then the page still
#: looks idle (Streamlit's page shows no sign of a rerun it has asked for but not yet begun).
SETTLED_MS = 300

#: Whether the app is idle, nothing stale, for ``quiet`` ms (asked on every animation frame;
#: also by ``bench/browser.py``).

SETTLED = """([idle, quiet]) => {
    const busy = document.querySelector(idle) === null
        || document.querySelector("[data-stale='true']") !== null;
    const now = performance.now();
    if (busy) { window.__idleSince = undefined; return false; }
    if (window.__idleSince === undefined) window.__idleSince = now;
    return now - window.__idleSince >= quiet;
}"""


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished the current run of the script: the app idle, with no
    stale element left, and staying so for ``SETTLED_MS`` (checked on every animation frame)."""
    page.evaluate("() => { window.__idleSince = undefined; }")
    page.wait_for_function(SETTLED, arg=[IDLE, SETTLED_MS], timeout=timeout, polling="raf")


SIGNED_IN = "[class*='st-key-sign_out']"


def sign_in_demo(page, role: str = "admin") -> None:
    """Sign in with the demo account of ``role`` (the sign-in page offers one per role while
    demo data are on)."""
    page.locator(f"[class*='st-key-sign_in_demo_{role}'] button").click(timeout=30_000)
    page.locator(SIGNED_IN).wait_for(timeout=60_000)
    # The sign-in form's elements stay on screen, stale, until the page's run replaces them:
    # wait until they are gone, so that what is read next is the page's own content.
    page.locator("[class*='st-key-sign_in_demo_']").first.wait_for(state="detached", timeout=60_000)
    wait_idle(page)
    # After the sign-in the navigation changes (the menu appears, or the page becomes the role's
    # default one): Streamlit may run the page once more, and until then the sign-in title can
    # stay on screen. Wait for the page's own content (a sign-in page that stays fails here).
    from core.i18n import t

    for lang in ("fr", "en"):
        page.locator("h1", has_text=t("auth.title", lang)).first.wait_for(
            state="detached", timeout=60_000
        )
    wait_idle(page)


def open_signed_in(page, url: str, role: str = "admin", timeout: float = 240_000) -> None:
    """Open ``url`` and, if the sign-in form shows instead of the page, sign in as the demo
    account of ``role``: the page then opens where the URL points."""
    page.goto(url, timeout=120_000)
    wait_idle(page, timeout=timeout)
    if page.locator(SIGNED_IN).count() == 0:
        sign_in_demo(page, role)


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about", "chrome-error"}:
        return True
    return parsed.hostname in LOCAL_HOSTS


def larger_than(locator, width: float, height: float) -> bool:
    """Whether ``locator`` is drawn larger than ``width`` x ``height`` (a canvas starts at the
    browser's default 300 x 150 until its chart sizes it: ask with ``until``)."""
    box = locator.bounding_box()
    return bool(box and box["width"] > width and box["height"] > height)


def until(check: Callable[[], T], timeout: float = 30.0) -> T:
    """``check()`` again and again until it gives a true value or ``timeout`` seconds are over;
    its last value (for what Playwright's ``expect`` cannot look at, such as a canvas's
    pixels: each try takes a screenshot, so the loop is paced by the browser itself)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
