"""Issue 14's figures on the hand-made data set of ``tests/fixtures_results.py``: verified
jobs, realisation rates, projects awaiting a check, attribution by accepted claims, the
check-ins due, and the refusals of the writes."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core import aftercare, claims, results
from core.errors import RuleError
from core.periods import year_period
from models import CheckIn, CheckInCreate, ClaimantKind, ClaimStatus, EvidenceKind
from tests.fixtures_results import AS_OF, build_results

D = date.fromisoformat


@pytest.fixture
def data(session):
    return build_results(session)


def test_results_of_each_year(session, data):
    got = {y: results.get_results(session, year_period(y), as_of=AS_OF) for y in range(2023, 2027)}
    assert got[2023] == results.ResultFigures(
        projects_won=4, jobs_announced=240, projects_checkable=4, projects_checked=3,
        projects_awaiting=1, jobs_announced_checked=210, jobs_verified=130,
        capex_spent_eur=18_000_000,
    )  # fmt: skip
    assert got[2023].realisation_rate == pytest.approx(130 / 210)
    assert got[2024] == results.ResultFigures(1, 8, 1, 1, 0, 8, 3, 0)
    assert got[2024].realisation_rate == pytest.approx(0.375)
    assert got[2025] == results.ResultFigures(2, 22, 1, 0, 1, 0, 0, 0)
    assert got[2025].realisation_rate is None
    assert got[2026] == results.ResultFigures(1, 20, 0, 0, 0, 0, 0, 0)


def test_results_read_on_an_earlier_date(session, data):
    early = results.get_results(session, year_period(2023), as_of=D("2025-01-01"))
    assert (early.projects_checked, early.jobs_verified, early.jobs_announced_checked) == (
        3,
        85,
        210,
    )
    assert early.projects_awaiting == 1


def test_attribution_counts_accepted_claims_only(session, data):
    network = results.get_attribution(session, year_period(2023), as_of=AS_OF)
    assert network == results.Attribution(projects=2, jobs_announced=150, jobs_verified=130)
    one = results.get_attribution(session, year_period(2023), as_of=AS_OF, chamber_id=data["CH1"])
    assert one == results.Attribution(1, 100, 85)
    events = results.get_attribution(
        session, year_period(2023), as_of=AS_OF, kinds=(ClaimantKind.EVENT,)
    )
    assert events == results.Attribution(1, 50, 45)
    staff = results.get_attribution(
        session, year_period(2023), as_of=AS_OF, kinds=(ClaimantKind.STAFF,)
    )
    assert staff == results.Attribution(0, 0, 0)


def test_claims_listed_with_history(session, data):
    frame = claims.list_claims(session)
    assert list(frame["id"]) == [data["C4"], data["C2"], data["C5"], data["C3"], data["C1"]]
    assert list(frame["status"])[:2] == [ClaimStatus.PENDING, ClaimStatus.REFUSED]
    assert list(claims.list_claims(session, chamber_id=data["CH1"])["id"]) == [
        data["C2"], data["C1"],
    ]  # fmt: skip
    first, history = claims.contact_history(session, data["C2"])
    assert first == D("2022-11-15")
    assert list(history["id"]) == [data["I1"], data["I2"]]
    first, history = claims.contact_history(session, data["C3"])
    assert list(history["id"]) == [data["I1"]]


def test_a_claim_is_decided_once_with_a_reason(session, data):
    with pytest.raises(RuleError) as refused:
        claims.decide_claim(
            session=session, claim_id=data["C1"], accept=False, reason="x", on=AS_OF, author="t"
        )
    assert (refused.value.message_key, refused.value.field) == ("rule.claim.decided", "decision")
    with pytest.raises(RuleError) as empty:
        claims.decide_claim(
            session=session, claim_id=data["C4"], accept=True, reason="  ", on=AS_OF, author="t"
        )
    assert (empty.value.message_key, empty.value.field) == ("rule.claim.reason", "reason")
    claim = claims.decide_claim(
        session=session, claim_id=data["C4"], accept=True, reason="ran it", on=AS_OF, author="t"
    )
    assert (claim.status, claim.decided_by) == (ClaimStatus.ACCEPTED, "t")
    staff = results.get_attribution(
        session, year_period(2023), as_of=AS_OF, kinds=(ClaimantKind.STAFF,)
    )
    assert staff == results.Attribution(1, 60, 0)


def test_checkins_due(session, data):
    frame = aftercare.list_checkins_due(session, owner=None, today=AS_OF)
    rows = frame[["project_id", "due_on", "milestone", "status", "days_overdue"]]
    assert rows.values.tolist() == [
        [data["R3"], D("2024-09-01"), 12, "overdue", 822],
        [data["R8"], D("2026-01-06"), 12, "overdue", 330],
        [data["R6"], D("2026-11-03"), 12, "overdue", 29],
        [data["R7"], D("2026-12-15"), 12, "upcoming", 0],
    ]
    assert list(aftercare.list_checkins_due(session, owner="bob", today=AS_OF)["project_id"]) == [
        data["R6"], data["R7"],
    ]  # fmt: skip
    assert aftercare.count_checkins_due(session, owner="alice", today=AS_OF) == (2, 0)
    assert aftercare.count_checkins_due(session, owner=None, today=AS_OF) == (3, 1)


def test_next_due_rule():
    anchor = D("2024-01-31")
    assert aftercare.next_due(anchor, [], False).due_on == D("2025-01-31")
    # 90 days early still answers: 2024-11-02 is 90 days before 2025-01-31.
    assert aftercare.next_due(anchor, [D("2024-11-02")], False).milestone == 24
    assert aftercare.next_due(anchor, [D("2024-11-01")], False).milestone == 12
    assert aftercare.next_due(anchor, [D("2027-01-31")], False) is None
    assert aftercare.next_due(anchor, [], True) is None


def test_checkin_history_and_refusals(session, data):
    history = aftercare.list_checkins(session, data["R2"])
    assert list(history["jobs_created"]) == [45, 48, 35, 20]

    def record(**values):
        fields = {"project_id": data["R5"], "checked_on": D("2026-06-01"), "jobs_created": 1,
                  "evidence": EvidenceKind.SITE_VISIT, **values}  # fmt: skip
        return aftercare.record_checkin(session=session, data=CheckInCreate(**fields), author="t")

    with pytest.raises(RuleError) as early:
        record(checked_on=D("2026-05-03"))
    assert (early.value.message_key, early.value.field) == ("rule.checkin.before_decision",
                                                            "checked_on")  # fmt: skip
    assert "4 mai 2026" in early.value.message("fr")
    with pytest.raises(RuleError) as future:
        record(checked_on=D("2099-01-01"))
    assert future.value.field == "checked_on"
    with pytest.raises(ValueError, match="a company that left keeps no jobs"):
        CheckInCreate(project_id=1, checked_on=AS_OF, jobs_created=2, evidence="press",
                      company_left=True)  # fmt: skip
    assert session.execute(sa.select(sa.func.count()).select_from(CheckIn)).scalar() == 10
    record()
    assert session.execute(sa.select(sa.func.count()).select_from(CheckIn)).scalar() == 11


def test_a_checkin_cannot_be_changed(ref_engine, data):
    with ref_engine.begin() as conn, pytest.raises(sa.exc.DatabaseError):
        conn.execute(sa.update(CheckIn).values(jobs_created=999))


def submit(at):
    return next(b for b in at.button if b.label == "Record the check-in").click().run()


def test_the_followups_page_lists_checkins_due_and_records_one(ref_engine, monkeypatch):
    from datetime import UTC, datetime

    from core import clock
    from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app, sign_in
    from tests.writers import writer

    with writer(ref_engine, expire_on_commit=False) as s:
        ids = build_results(s)
    point_app_at(monkeypatch, ref_engine, demo=False)
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 12, 2, 13, 5, tzinfo=UTC))
    at = run_app(str(ROOT / "pages" / "followups.py"), lang="en")
    sign_in(at, "bob").run()
    assert not at.exception
    assert "**1** check-in(s) overdue, **1** coming." in [m.value for m in at.markdown]
    table = next(df.value for df in at.dataframe if "Milestone" in df.value.columns)
    assert list(table["Project"]) == ["Late 2025", "December 2025"]
    assert list(table["Milestone"]) == ["12 months", "12 months"]
    at.selectbox(key="checkin_project_0").set_value(ids["R6"]).run()
    assert "No check-in recorded for this project." in [c.value for c in at.caption]
    # Refused: a company that left with jobs; then no evidence: each beside its field.
    at.number_input(key="checkin_jobs_created_0").set_value(7)
    at.checkbox(key="checkin_left_0").check()
    submit(at)
    assert [e.value for e in at.error] == [
        "A company that left keeps no jobs: enter 0 jobs created and 0 kept.",
    ]
    assert at.number_input(key="checkin_jobs_created_0").value == 7  # kept what was typed
    at.checkbox(key="checkin_left_0").uncheck()
    submit(at)
    assert [e.value for e in at.error] == ["Required field."]  # the evidence
    at.selectbox(key="checkin_evidence_0").set_value(EvidenceKind.SITE_VISIT)
    at.date_input(key="checkin_checked_on_0").set_value(D("2026-11-20"))
    submit(at)
    assert not at.exception
    assert [s.value for s in at.success][0] == (
        "Check-in recorded: Late 2025 — Forge Provence SAS, on Nov 20, 2026."
    )
    with writer(ref_engine) as s:
        row = s.execute(sa.select(CheckIn).where(CheckIn.project_id == ids["R6"])).scalar_one()
        assert (row.jobs_created, row.evidence, row.author) == (7, EvidenceKind.SITE_VISIT, "bob")
    assert "**0** check-in(s) overdue, **1** coming." in [m.value for m in at.markdown]
    reset_caches()


def test_trend_marks_missions_and_notes(session, data):
    from core import kpis, trend_notes
    from models import TrendNoteCreate

    trend_notes.create_note(
        session=session,
        data=TrendNoteCreate(noted_on=D("2023-03-15"), text="Closure of the <b>X</b> plant"),
        author="anne",
    )
    marks = trend_notes.list_trend_marks(session, year_period(2023))
    assert marks[["on", "kind", "label"]].values.tolist() == [
        [D("2023-01-30"), "mission", "Industry days 2023"],
        [D("2023-03-15"), "note", "Closure of the <b>X</b> plant"],
    ]
    assert trend_notes.list_trend_marks(session, year_period(2024)).empty
    from components.charts import build_monthly_trend_figure

    trend = kpis.get_monthly_trend(session, year_period(2023))
    fig = build_monthly_trend_figure(trend, "en", "Trend", marks)
    assert len(fig.data) == 3  # the two panels' bars, then the marks
    mark = fig.data[2]
    assert list(mark.x) == ["Jan 2023", "Mar 2023"]
    assert list(mark.text) == ["M", "N"]
    assert list(mark.hovertext) == [
        "Jan 30, 2023 — Mission: Industry days 2023",
        "Mar 15, 2023 — Note: Closure of the &lt;b&gt;X&lt;/b&gt; plant",
    ]
    assert len(build_monthly_trend_figure(trend, "en", "Trend").data) == 2


def test_overview_shows_results_freshness_and_takes_an_admins_note(ref_engine, monkeypatch):
    from datetime import UTC, datetime

    from babel.dates import format_date

    from core import clock
    from models import Role, TrendNote
    from tests.apptest_support import ROOT, as_user, point_app_at, reset_caches, run_app
    from tests.writers import writer

    with writer(ref_engine, expire_on_commit=False) as s:
        build_results(s)
    point_app_at(monkeypatch, ref_engine, demo=False)
    # The reading date: at least 2026-12-02 (the figures below are worked out for it), and not
    # before the rows were written (a write after "now" is not counted as fresh).
    written = datetime.now(UTC)
    reading = max(datetime(2026, 12, 2, 13, 5, tzinfo=UTC), written)
    monkeypatch.setattr(clock, "utc_now", lambda: reading)
    page = str(ROOT / "pages" / "overview.py")
    params = {"period": "year", "year": "2023"}
    at = run_app(page, lang="en", params=params, user=as_user("Anne", Role.ADMIN))
    assert not at.exception
    captions = [c.value for c in at.main.caption]
    day = format_date(clock.now(written).date(), "long", locale="en")  # e.g. December 3, 2026
    assert any(c.startswith(f"Data as of {day} at ") for c in captions)
    assert (
        "Jobs verified to date: 130 of 210 announced by the 3 project(s) checked — realisation "
        "rate 62% · 1 project(s) awaiting a check."
    ) in captions
    at.text_input(key="trendnote_text_0").set_value("New consulate")
    at.date_input(key="trendnote_on_0").set_value(D("2023-05-10"))
    next(b for b in at.button if b.label == "Add the note").click().run()
    assert not at.exception
    assert "Note added: it appears on the monthly trend." in [s.value for s in at.success]
    with writer(ref_engine) as s:
        rows = s.execute(sa.select(TrendNote.noted_on, TrendNote.text, TrendNote.author)).all()
    assert rows == [(D("2023-05-10"), "New consulate", "Anne")]
    staff = run_app(page, lang="en", params=params, user=as_user("Sam", Role.STAFF))
    assert not [b for b in staff.button if b.label == "Add the note"]
    reset_caches()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_results_statement_read_back_from_the_pdf(session, data, lang):
    import io

    from pypdf import PdfReader

    from core.results_statement import build_results_statement

    pdf = build_results_statement(session, 2026, as_of=AS_OF, lang=lang, agency="Agence")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    if lang == "en":
        expected = [
            "Results statement 2026",
            "Projects won: 1",
            "Jobs announced: 20",
            "Attributed to the network: 0 projects, 0 verified jobs",
            "2023: 130 jobs verified to date of 210 announced by the 3 projects checked — "
            "realisation rate 62% (4 projects won, 1 awaiting a check)",
            "2024: 3 jobs verified to date of 8 announced by the 1 projects checked — "
            "realisation rate 38% (1 projects won, 0 awaiting a check)",
            "2025: 0 jobs verified to date of 0 announced by the 0 projects checked — "
            "realisation rate — (2 projects won, 1 awaiting a check)",
        ]
    else:
        expected = ["Bilan des résultats 2026", "Projets gagnés : 1", "Emplois annoncés : 20",
                    "taux de réalisation 62 %"]  # fmt: skip
    for line in expected:
        assert " ".join(line.split()) in text, line


def test_results_figures_frozen_beside_the_earlier_years(session, data):
    """2023: the four wins' verified figures above; the three years before hold no win.
    2026: nothing checkable yet; 2023-2025: R1 R2 R4 R8 checked (210 + 8 = 218 announced,
    130 + 3 = 133 verified: 61.01 %), R3 and R6 awaiting."""
    y2023 = results.results_figures(session, year_period(2023), as_of=AS_OF)
    assert y2023 == {
        "projects_checkable": 4, "projects_checked": 3, "projects_awaiting": 1,
        "jobs_announced_checked": 210, "jobs_verified": 130, "realisation_rate": 0.619,
        "network_projects": 2, "network_jobs_verified": 130,
        "earlier_projects_awaiting": 0, "earlier_jobs_announced_checked": 0,
        "earlier_jobs_verified": 0, "earlier_realisation_rate": None,
    }  # fmt: skip
    y2026 = results.results_figures(session, year_period(2026), as_of=AS_OF)
    assert (y2026["projects_checkable"], y2026["realisation_rate"]) == (0, None)
    assert (
        y2026["earlier_jobs_announced_checked"], y2026["earlier_jobs_verified"],
        y2026["earlier_realisation_rate"], y2026["earlier_projects_awaiting"],
    ) == (218, 133, 0.6101, 2)  # fmt: skip


def test_the_deck_says_what_was_verified_and_attributed(session, data):
    from core.presentation import deck_figures
    from core.presskit import headline_results

    figures, source = deck_figures(
        session, home_country="FR", today=AS_OF, period=year_period(2023)
    )
    assert figures["results_earlier_period"] == ["2020-01-01", "2022-12-31"]
    assert headline_results(figures, source, "en") == [
        "Jobs verified to date: 130 of 210 announced by the 3 project(s) checked — realisation "
        "rate 62% · 1 awaiting a check",
        "Projects won 2020–2022: 0 jobs verified to date of 0 announced — realisation rate — · "
        "0 awaiting a check",
        "Attributed to the network: 2 projects, 130 verified jobs",
    ]
    figures, source = deck_figures(
        session, home_country="FR", today=AS_OF, period=year_period(2026)
    )
    lines = headline_results(figures, source, "fr")
    assert lines[0] == (
        "Emplois vérifiés : aucun projet gagné sur la période n'a encore 12 mois (vérifiés à 12, "
        "24 et 36 mois)"
    )
    assert lines[1].startswith("Projets gagnés 2023–2025 : 133 emplois vérifiés à date sur 218")
    assert "taux de réalisation 61" in lines[1]
    assert lines[2] == "Attribué au réseau : 0 projets, 0 emplois vérifiés"


def test_snapshots_hold_the_results_and_older_ones_still_read(session, data):
    from components.snapshot_views import headline_table
    from core.presentation import deck_figures
    from core.presskit import headline_results
    from core.snapshots import compare_with_live, explain_differences, freeze
    from models import KpiSnapshot

    snapshot = freeze(
        session, label="Bilan 2023", period=year_period(2023), home_country="FR", today=AS_OF
    )
    assert snapshot.figures["results"]["jobs_verified"] == 130
    assert compare_with_live(session, snapshot, today=AS_OF).empty
    table = headline_table(snapshot.figures, "en")
    rows = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert (rows["Jobs verified to date"], rows["Realisation rate"]) == ("130", "62%")
    # A check-in after the freeze: the frozen figure stays, the comparison names the move.
    aftercare.record_checkin(
        session=session,
        data=CheckInCreate(
            project_id=data["R3"], checked_on=D("2026-11-30"), jobs_created=30,
            evidence=EvidenceKind.SITE_VISIT,
        ),
        author="alice",
    )  # fmt: skip
    gaps = compare_with_live(session, snapshot, today=AS_OF).set_index("figure")
    assert gaps.loc["results.jobs_verified"].tolist() == [130, 160, 30]
    assert gaps.loc["results.projects_awaiting"].tolist() == [1, 0, -1]
    assert gaps.loc["results.realisation_rate"].tolist()[:2] == [0.619, 0.6667]
    # A snapshot frozen before the results (catalogue 1.2) reads, says it holds none, and
    # lists each new figure as added to the catalogue after it.
    figures = {k: v for k, v in snapshot.figures.items() if not k.startswith("results")}
    old = KpiSnapshot(
        label="Bilan 2023 (v1.2)", period_start=D("2023-01-01"), period_end=D("2023-12-31"),
        definitions_version="1.2", home_country="FR", figures=figures, frozen_by="test",
    )  # fmt: skip
    session.add(old)
    session.commit()
    assert "Jobs verified to date" not in list(headline_table(old.figures, "en").iloc[:, 0])
    _, source = deck_figures(session, home_country="FR", today=AS_OF, snapshot_id=old.id)
    assert headline_results(old.figures, source, "en") == [
        "These frozen figures (definitions v1.2) do not hold the verified jobs, added to the "
        "catalogue in version 1.3."
    ]
    gaps = compare_with_live(session, old, today=AS_OF)
    new = gaps[gaps["figure"].str.startswith("results.")]
    # 12 new figures less earlier_realisation_rate: None live too (no win in 2020-2022)
    assert len(new) == 11 and new["frozen"].isna().all()
    reasons = explain_differences(session, old, gaps)
    shown = [r for r, key in zip(reasons, gaps["figure"], strict=True) if key.startswith("results")]
    assert shown == [("new_figure", {"version": "1.2"})] * 11
