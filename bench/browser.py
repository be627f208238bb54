"""The server's own work and the browser's wait, measured with a real browser: ``streamlit run
app.py`` on a bench database (``bench/harness.py`` builds or reuses it) and headless Chromium.

    python bench/browser.py --scale 1 --scale 10                 # SQLite
    python bench/browser.py --scale 310 --engine postgresql --sessions 20
    python bench/browser.py --scale 1 --profile                  # where the server CPU goes

For each dashboard page, one lone signed-in session opens it from the sidebar's menu: a cold
view (first since the server started, its caches empty), then ``--views`` cached views. Each
view reports the server process's CPU seconds (user + system, from ``/proc``) consumed from the
click until the browser is idle, the time until the browser is idle (the app's script finished,
no stale element, staying so for ``SETTLED_MS``; measured to the start of that quiet spell), and
the server's resident memory. Then one filter change per page on the warm page: a sector, then
(after a reset) a country, chosen in the sidebar as a user would, timed to idle.

Then ``--sessions`` browser contexts at once (Playwright, one Chromium), each opening every
dashboard page from the menu once (warm caches); each session's time to idle against the same
sequence run by a lone session just before, and the server's peak resident memory (sampled
every 0.2 s, and the kernel's high-water mark).

``--profile`` instead profiles the pages' cached runs in-process through AppTest with cProfile
and says where the time goes (own time by package: the app, Streamlit, Plotly, pandas...).

Sessions are signed in by their cookie (a session token started for the demo's administrator,
``core.auth.start_session``, ended afterwards), as a returning user's browser is; DEMO_DATA is
off (the database holds the demo already). Never used by the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    DEFAULT_PG_URL,
    build_database,
    count_interactions,
    database_url,
    load_average,
)
from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    SETTLED,
    SETTLED_MS,
    SIGNED_IN,
    streamlit_server,
)

#: The dashboard pages, in menu order (core.page_registry: section "dashboards"), and the
#: Directory.
PAGES = [
    "overview",
    "sectors",
    "pipeline",
    "missions",
    "world_map",
    "india",
    "presentation",
    "network",
    "directory",
]
#: The pages with the sidebar's filter bar (components.dashboard_filters).
FILTERED = ["overview", "sectors", "pipeline", "missions", "world_map", "india"]
COOKIE = "dashboard_session"
TICKS = os.sysconf("SC_CLK_TCK")

#: Remember whether the script ran since the action (an observer on the app's script state),
#: so that the page idle before the rerun reaches the server is not taken for the end.
_ARM = """() => {
    window.__ran = false; window.__idleSince = undefined;
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    window.__h1 = h1 ? h1.innerText : null; window.__search = location.search;
    const app = document.querySelector("[data-testid='stApp']");
    if (app && window.__observed !== app) {
        window.__observed = app;
        new MutationObserver((changes) => {
            for (const c of changes) {
                if (c.oldValue === 'running' || app.getAttribute(c.attributeName) === 'running')
                    window.__ran = true;
            }
        }).observe(app, {attributes: true, attributeOldValue: true,
                         attributeFilter: ['data-test-script-state']});
    }
    return performance.now();
}"""
_RAN_AND_SETTLED = """([idle, quiet, kind]) => {
    // A quick run can go from running to idle within one render (the attribute never shows
    // "running"): then the run is known by what it changed, the page's title after a click in
    // the menu, the URL's filters after a filter's change.
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    if ((kind === "nav" && h1 && h1.innerText !== window.__h1)
        || (kind === "filter" && location.search !== window.__search)) window.__ran = true;
    const busy = !window.__ran || document.querySelector(idle) === null
        || document.querySelector("[data-stale='true']") !== null;
    const now = performance.now();
    if (busy) { window.__idleSince = undefined; return false; }
    if (window.__idleSince === undefined) window.__idleSince = now;
    return now - window.__idleSince >= quiet;
}"""
TIMEOUT = 900_000


# --- the server process, read from /proc ------------------------------------------------------


def server_pid(port: int) -> int:
    """The ``streamlit run`` child of this process listening on ``port``."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and b"streamlit" in cmdline and str(port).encode() in cmdline:
            return int(entry.name)
    raise RuntimeError(f"no streamlit server on port {port}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def browser_cpu_seconds(server: int) -> float:
    """User + system CPU seconds so far of this process's other descendants: Playwright's
    driver and Chromium's processes (the browser's side of a view)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    me, total = os.getpid(), 0.0
    for pid in parents:
        ancestor = parents.get(pid)
        while ancestor and ancestor not in (me, server, 1):
            ancestor = parents.get(ancestor)
        if ancestor == me and pid != server:
            try:
                total += cpu_seconds(pid)
            except OSError:
                pass  # ended meanwhile
    return total


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident memory now and its high-water mark (VmHWM), MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


# --- sessions ---------------------------------------------------------------------------------


def start_tokens(url: str, count: int) -> list[str]:
    """``count`` live sessions of the demo's administrator (their cookies sign a browser in)."""
    from sqlmodel import Session

    from core.auth import demo_account, start_session
    from core.db import make_engine
    from models import Role

    engine = make_engine(url)
    with Session(engine) as session:
        user = demo_account(session, Role.ADMIN)
        if user is None:
            raise RuntimeError("the bench database has no demo administrator")
        tokens = [start_session(session, user) for _ in range(count)]
    engine.dispose()
    return tokens


def end_tokens(url: str, tokens: list[str]) -> None:
    from sqlmodel import Session

    from core.auth import end_session
    from core.db import make_engine

    engine = make_engine(url)
    with Session(engine) as session:
        for token in tokens:
            end_session(session, token)
    engine.dispose()


def page_title(stem: str) -> str:
    from core.i18n import t
    from core.page_registry import find_page

    return t(find_page(stem).title_key, "fr")


async def open_app(browser, base: str, token: str):
    """A new context signed in by its cookie, on the Definitions page (no dashboard: every
    dashboard page is then opened from the menu), idle."""
    context = await browser.new_context(viewport={"width": 1600, "height": 1100}, locale="fr-FR")
    await context.add_cookies([{"name": COOKIE, "value": token, "url": base}])
    page = await context.new_page()
    received = [0]  # bytes the server sent this page over its websocket

    def on_socket(socket) -> None:
        socket.on(
            "framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload))
        )

    page.on("websocket", on_socket)
    page.received = received
    started = time.perf_counter()
    await page.goto(f"{base}/definitions?lang=fr", timeout=TIMEOUT)
    # The app can look idle before its first run has begun: wait for the signed-in menu (the
    # cookie resumed the session), then for the run's end.
    try:
        await page.locator(SIGNED_IN).first.wait_for(timeout=TIMEOUT)
    except Exception as error:
        raise RuntimeError("the session cookie did not sign the browser in") from error
    await page.wait_for_function(SETTLED, arg=[IDLE, SETTLED_MS], timeout=TIMEOUT, polling="raf")
    return context, page, time.perf_counter() - started


async def timed(page, kind, action, pid: int | None = None) -> tuple[float, float | None]:
    """Seconds from ``action`` until the browser is idle again, and the server CPU seconds
    consumed meanwhile (read when ``pid`` is given). ``kind``: "nav" (another page opens from
    the menu) or "filter" (a filter changes)."""
    cpu0 = cpu_seconds(pid) if pid else None
    browser0 = browser_cpu_seconds(pid) if pid else None
    bytes0 = page.received[0]
    t0 = await page.evaluate(_ARM)
    await action()
    await page.wait_for_function(
        _RAN_AND_SETTLED, arg=[IDLE, SETTLED_MS, kind], timeout=TIMEOUT, polling="raf"
    )
    idle_at = await page.evaluate("() => window.__idleSince")
    cpu = cpu_seconds(pid) - cpu0 if pid else None
    timed.received = page.received[0] - bytes0
    if pid:
        timed.browser = browser_cpu_seconds(pid) - browser0
    return (idle_at - t0) / 1000, cpu


def nav_click(page, stem: str):
    title = page_title(stem)
    link = page.locator("[data-testid='stSidebarNav'] a").filter(
        has_text=re.compile(f"^{re.escape(title)}$")
    )
    return lambda: link.first.click(timeout=TIMEOUT)


def choose(page, index: int, text: str):
    """Choose ``text`` in the sidebar's ``index``-th multiselect (0 sectors, 2 countries)."""

    async def action() -> None:
        box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(index)
        await box.click(timeout=TIMEOUT)
        await page.keyboard.type(text)
        await page.keyboard.press("Enter")
        await page.keyboard.press("Escape")

    return action


@dataclass
class View:
    page: str
    idle: float
    cpu: float | None
    rss: float
    browser: float = 0.0  # the browser's CPU seconds meanwhile
    received: int = 0  # bytes the server sent over the websocket


@dataclass
class Lone:
    views: list[View] = field(default_factory=list)  # cold first, then cached
    filters: list[tuple[str, str, float, float]] = field(default_factory=list)
    script: dict[str, float] = field(default_factory=dict)
    open_s: float = 0.0


async def lone_session(
    browser, base: str, token: str, pid: int, pages, views: int, log: Path
) -> Lone:
    result = Lone()
    context, page, result.open_s = await open_app(browser, base, token)
    for _round in range(views + 1):
        for stem in pages:
            idle, cpu = await timed(page, "nav", nav_click(page, stem), pid)
            result.views.append(
                View(stem, idle, cpu, memory_mb(pid)[0], timed.browser, timed.received)
            )
            print(
                f"  {'cold' if _round == 0 else 'cached'} {stem:13} idle {idle:6.2f} s  "
                f"server CPU {cpu:5.2f} s  browser CPU {timed.browser:5.2f} s  "
                f"sent {timed.received / 1e6:5.2f} MB  RSS {result.views[-1].rss:5.0f} MB  "
                f"(load {load_average()})",
                flush=True,
            )
    result.script = script_runs(log)  # before the filters' runs
    reset = page.locator("[class*='st-key-filter_reset'] button")
    for stem in FILTERED:
        if stem not in pages:
            continue
        await timed(page, "nav", nav_click(page, stem), pid)
        for label, index, text in (("sector", 0, "Santé"), ("country", 2, "Inde")):
            idle, cpu = await timed(page, "filter", choose(page, index, text), pid)
            result.filters.append((stem, label, idle, cpu))
            print(f"  filter {stem:13} {label:8} idle {idle:6.2f} s  server CPU {cpu:5.2f} s")
            await timed(page, "filter", lambda: reset.first.click(timeout=TIMEOUT))
    await context.close()
    return result


async def one_session(browser, base: str, token: str, pages) -> tuple[float, list[float]]:
    """A session opening every page once from the menu: its opening time, each view's idle."""
    context, page, opened = await open_app(browser, base, token)
    idles = []
    for stem in pages:
        idles.append((await timed(page, "nav", nav_click(page, stem)))[0])
    await context.close()
    return opened, idles


async def sample_memory(pid: int, peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], memory_mb(pid)[0])
        try:
            await asyncio.wait_for(stop.wait(), 0.2)
        except TimeoutError:
            pass


async def sessions_at_once(browser, base: str, tokens: list[str], pid: int, pages):
    peak = [0.0]
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pid, peak, stop))
    cpu0 = cpu_seconds(pid)
    started = time.perf_counter()
    results = await asyncio.gather(*(one_session(browser, base, tok, pages) for tok in tokens))
    wall = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu0
    stop.set()
    await sampler
    return results, peak[0], memory_mb(pid)[1], wall, cpu


# --- one scale and engine ---------------------------------------------------------------------


async def measure(url: str, pages, views: int, sessions: int, log: Path) -> dict:
    from playwright.async_api import async_playwright

    tokens = start_tokens(url, 2 + sessions)
    env = {
        "DATABASE_URL": url,
        "DEMO_DATA": "false",
        "MAP_STYLE_URL": "",
        "LOG_LEVEL": "warning",
    }
    out: dict = {}
    try:
        # No file watcher: other work edits the project's files meanwhile, and a changed file
        # makes Streamlit reload the app's modules on the next run (a redefined table).
        with streamlit_server(env, log, args=["--server.fileWatcherType", "none"]) as base:
            port = int(base.rsplit(":", 1)[1])
            pid = server_pid(port)
            out["rss_start"] = memory_mb(pid)[0]
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                out["load_lone"] = load_average()
                out["lone"] = await lone_session(browser, base, tokens[0], pid, pages, views, log)
                out["rss_lone"] = memory_mb(pid)
                if sessions:
                    out["load_alone"] = load_average()
                    out["alone"] = await one_session(browser, base, tokens[1], pages)
                    out["load_many"] = load_average()
                    out["many"] = await sessions_at_once(browser, base, tokens[2:], pid, pages)
                    out["load_many_end"] = load_average()
                await browser.close()
    finally:
        end_tokens(url, tokens)
    return out


def script_runs(log: Path) -> dict[str, float]:
    """Each page's median script run (app.py's own log line, ``duration_ms``) but its first,
    from the server's log: the part of a view's server CPU spent running the script."""
    import json

    runs: dict[str, list[float]] = {}
    for line in log.read_text(errors="replace").splitlines():
        if '"event": "request"' in line:
            entry = json.loads(line[line.index("{") :])
            if entry.get("outcome") == "ok":
                stem = entry["page"].strip("/") or "overview"
                runs.setdefault(stem, []).append(entry["duration_ms"] / 1000)
    return {stem: statistics.median(found[1:]) for stem, found in runs.items() if found[1:]}


def report(scale: float, engine: str, interactions: int, out: dict, pages) -> list[str]:
    lone: Lone = out["lone"]
    script = lone.script
    lines = [
        f"### Scale {scale:g}, {engine} ({interactions:,} interactions)",
        "",
        f"Lone session (load average {out['load_lone']} at its start): opening the app "
        f"{lone.open_s:.2f} s; server RSS {out['rss_start']:.0f} MB at start, "
        f"{out['rss_lone'][0]:.0f} MB after (high-water mark {out['rss_lone'][1]:.0f} MB).",
        "",
        "| page | cold: idle (s) | cold: server CPU (s) | cached: idle (s, median) | "
        "cached: server CPU (s, median) | cached: script run (s, median, server log) | "
        "cached: browser CPU (s, median) | sent (MB) | RSS after (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for stem in pages:
        mine = [v for v in lone.views if v.page == stem]
        cold, cached = mine[0], mine[1:]
        lines.append(
            f"| {stem} | {cold.idle:.2f} | {cold.cpu:.2f} | "
            f"{statistics.median(v.idle for v in cached):.2f} | "
            f"{statistics.median(v.cpu for v in cached):.2f} | "
            f"{script.get(stem, float('nan')):.2f} | "
            f"{statistics.median(v.browser for v in cached):.2f} | "
            f"{statistics.median(v.received for v in cached) / 1e6:.2f} | {mine[-1].rss:.0f} |"
        )
    if lone.filters:
        lines += [
            "",
            "Filter change on the warm page (first time for that filter: its readers run):",
            "",
            "| page | sector (Santé): idle (s) | server CPU (s) | "
            "country (Inde): idle (s) | server CPU (s) |",
            "|---|---:|---:|---:|---:|",
        ]
        for stem in FILTERED:
            row = {label: (idle, cpu) for s, label, idle, cpu in lone.filters if s == stem}
            if row:
                (si, sc), (ci, cc) = row["sector"], row["country"]
                lines.append(f"| {stem} | {si:.2f} | {sc:.2f} | {ci:.2f} | {cc:.2f} |")
    if "many" in out:
        alone_open, alone_idles = out["alone"]
        results, peak, hwm, wall, cpu = out["many"]
        alone_total = sum(alone_idles)
        totals = sorted(sum(idles) for _, idles in results)
        lines += [
            "",
            f"{len(results)} sessions at once (load average {out['load_many']} at the start, "
            f"{out['load_many_end']} at the end), each opening the app then every page above "
            f"once: a lone session just before took {alone_open:.2f} s to open and "
            f"{alone_total:.2f} s for the pages (sum of the views' idle times); at once, per "
            f"session, the pages took median {statistics.median(totals):.1f} s, slowest "
            f"{totals[-1]:.1f} s (**{totals[-1] / alone_total:.1f}× the lone one**, median "
            f"{statistics.median(totals) / alone_total:.1f}×), opening median "
            f"{statistics.median(o for o, _ in results):.1f} s; wall {wall:.1f} s, server CPU "
            f"{cpu:.1f} s ({cpu / wall:.2f} cores); **server peak RSS {peak:.0f} MB** "
            f"(sampled; high-water mark {hwm:.0f} MB).",
        ]
    return lines


# --- where the server CPU goes (in-process, AppTest + cProfile) -------------------------------


def categorise(filename: str, func: str) -> str:
    """The package a function belongs to (its own time is counted there)."""
    if filename == "~":
        if "pickle" in func:
            return "pickle (cache copies)"
        return "built-ins"
    if filename.startswith(str(ROOT)):
        return "app (pages, components, core)"
    if "site-packages/" in filename:
        package = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        return {"google": "protobuf"}.get(package, package.removesuffix(".py"))
    if "/lib/python3" in filename:
        module = filename.split("/lib/python3", 1)[1].split("/", 2)[1].removesuffix(".py")
        return f"stdlib {module}"
    return "other"


def profile_pages(url: str, pages, runs: int) -> list[str]:
    import cProfile
    import pstats

    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    from bench.harness import _check_drawn, _fresh_app

    lines = [
        "| page | cached run (s, median) | profiled | own time by package (share of the "
        "profiled run) | largest cumulative |",
        "|---|---:|---:|---|---|",
    ]
    for stem in pages:
        path = f"pages/{stem}.py"
        at = _fresh_app(url, path)
        at.run()
        _check_drawn(at, path)
        plain = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            plain.append(time.perf_counter() - started)
        profiler = cProfile.Profile()
        original = LocalScriptRunner._run_script_thread

        def under_profile(self, original=original, profiler=profiler) -> None:
            profiler.enable()  # the script runs in a thread of its own: profile that one
            try:
                original(self)
            finally:
                profiler.disable()

        LocalScriptRunner._run_script_thread = under_profile
        started = time.perf_counter()
        try:
            for _ in range(runs):
                at.run()
        finally:
            LocalScriptRunner._run_script_thread = original
        profiled = (time.perf_counter() - started) / runs
        stats = pstats.Stats(profiler).stats
        own: dict[str, float] = {}
        total = 0.0
        for (filename, _line, func), (_cc, _nc, tt, _ct, _callers) in stats.items():
            own[categorise(filename, func)] = own.get(categorise(filename, func), 0) + tt
            total += tt
        shares = ", ".join(
            f"{name} {seconds / total:.0%}"
            for name, seconds in sorted(own.items(), key=lambda kv: -kv[1])
            if seconds / total >= 0.03
        )
        interesting = []
        for (filename, _line, func), (_cc, _nc, _tt, ct, _c) in stats.items():
            short = f"{Path(filename).parent.name}/{Path(filename).name}:{func}"
            if re.search(
                r"plotly_chart|to_json|to_plotly_json|_pickle.loads|marshall|"
                r"dataframe|pydeck_chart|_read_multi|get_or_create_cached_value|read_result",
                short,
            ):
                interesting.append((ct / runs, short))
        interesting.sort(reverse=True)
        top = "; ".join(f"{name} {seconds:.3f} s" for seconds, name in interesting[:4])
        lines.append(
            f"| {stem} | {statistics.median(plain):.3f} | {profiled:.3f} | {shares} | {top} |"
        )
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", required=True)
    parser.add_argument("--engine", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgresql-url", default=os.environ.get("BENCH_POSTGRESQL_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--page", action="append", choices=PAGES, help="default: every page")
    parser.add_argument("--views", type=int, default=3, help="cached views per page")
    parser.add_argument("--sessions", type=int, default=20, help="0: no concurrent sessions")
    parser.add_argument("--profile", action="store_true", help="where the server CPU goes")
    parser.add_argument("--log", type=Path, default=Path("/tmp/bench-browser-streamlit.log"))
    args = parser.parse_args()
    pages = args.page or PAGES
    for scale in args.scale:
        for engine in args.engine or ["sqlite"]:
            url, _ = build_database(scale, database_url(engine, scale, args.postgresql_url))
            interactions = count_interactions(url)
            print(f"scale {scale:g} {engine}: load average {load_average()}", flush=True)
            if args.profile:
                lines = profile_pages(url, pages, args.views)
            else:
                out = asyncio.run(measure(url, pages, args.views, args.sessions, args.log))
                lines = report(scale, engine, interactions, out, pages)
            print("\n".join(lines) + "\n", flush=True)


if __name__ == "__main__":
    main()
