"""Follow-ups: which next steps are due or overdue for whom, done and moved; and the page.

Hand-made interactions (today = 2026-06-15), with their next step, due date, owner/author:
  F1 2026-06-01 "Send offer"   due 06-10 owner Alice         -> overdue by 5 days
  F2 2026-06-05 "Call back"    due 06-15 owner None, by Bob  -> Bob's, due today
  F3 2026-06-10 "Site visit"   due 06-25 owner Alice         -> upcoming (10 days)
  F4 2026-06-10 "Far away"     due 07-30 owner Alice         -> beyond 14 days
  F5 2026-05-01 "Done already" due 05-10 owner Alice, done   -> not listed
  F6 2026-06-02 no next step                                 -> not listed
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from core.followups import (
    DueBeforeMeetingError,
    count_followups,
    list_followup_owners,
    list_followups,
    mark_followup_done,
    reschedule_followup,
)
from core.records import create_interaction, create_organisation
from models import Interaction, InteractionCreate, OrganisationCreate
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app, sign_in
from tests.writers import writer

D = date.fromisoformat
TODAY = D("2026-06-15")


def build(session: Session) -> dict[str, int]:
    org = create_organisation(session=session, data=OrganisationCreate(name="Acme"), author="t")
    rows = {
        "F1": ("2026-06-01", "Send offer", "2026-06-10", "Alice", "Alice", False),
        "F2": ("2026-06-05", "Call back", "2026-06-15", None, "Bob", False),
        "F3": ("2026-06-10", "Site visit", "2026-06-25", "Alice", "Alice", False),
        "F4": ("2026-06-10", "Far away", "2026-07-30", "Alice", "Alice", False),
        "F5": ("2026-05-01", "Done already", "2026-05-10", "Alice", "Alice", True),
        "F6": ("2026-06-02", None, None, "Alice", "Alice", False),
    }
    ids = {}
    for name, (on, step, due, owner, author, done) in rows.items():
        data = InteractionCreate(
            occurred_on=D(on),
            organisation_id=org.id,
            next_step=step,
            next_step_due_on=D(due) if due else None,
            next_step_done=done,
            owner=owner,
            author=author,
        )
        ids[name] = create_interaction(session=session, data=data).id
    return ids


@pytest.fixture
def data(session):
    return session, build(session)


def test_followups_of_an_owner(data):
    session, ids = data
    frame = list_followups(session, owner="Alice", today=TODAY)
    assert list(zip(frame["id"], frame["status"], frame["days_overdue"], strict=True)) == [
        (ids["F1"], "overdue", 5),
        (ids["F3"], "upcoming", 0),
    ]
    assert list(frame["organisation_name"]) == ["Acme", "Acme"]
    # Bob has no owner set on his meeting: he owns it as its author.
    bob = list_followups(session, owner="Bob", today=TODAY)
    assert list(zip(bob["id"], bob["status"], strict=True)) == [(ids["F2"], "due_today")]
    # Everyone, a longer horizon: F4 appears too.
    everyone = list_followups(session, owner=None, today=TODAY, horizon_days=60)
    assert list(everyone["id"]) == [ids["F1"], ids["F2"], ids["F3"], ids["F4"]]
    assert count_followups(session, owner="Alice", today=TODAY) == (1, 1)
    assert count_followups(session, owner=None, today=TODAY) == (1, 2)
    assert list_followup_owners(session) == ["Alice", "Bob"]


def test_done_and_moved(data):
    session, ids = data
    mark_followup_done(session, interaction_id=ids["F1"], author="Alice")
    reschedule_followup(session, interaction_id=ids["F3"], due_on=D("2026-08-01"), author="A")
    assert list_followups(session, owner="Alice", today=TODAY).empty
    assert session.get(Interaction, ids["F3"]).next_step_due_on == D("2026-08-01")
    # Not before the meeting (F3 was on 2026-06-10): refused, nothing changed.
    with pytest.raises(DueBeforeMeetingError):
        reschedule_followup(session, interaction_id=ids["F3"], due_on=D("2026-06-01"), author="A")
    session.expire_all()
    assert session.get(Interaction, ids["F3"]).next_step_due_on == D("2026-08-01")
    with pytest.raises(LookupError):
        mark_followup_done(session, interaction_id=999_999, author="A")


def test_the_page_lists_marks_done_and_moves(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as s:
        ids = build(s)
    point_app_at(monkeypatch, ref_engine, demo=False)
    reset_caches()
    from core import clock

    # The pages' today is the territory's (core.clock): noon in Paris on TODAY.
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 6, 15, 10, 0, tzinfo=UTC))
    at = run_app(str(ROOT / "pages" / "followups.py"), lang="en")
    sign_in(at, "Alice").run()
    assert not at.exception
    assert at.selectbox(key="followups_owner").value == "Alice"
    assert [(m.label, m.value) for m in at.metric] == [
        ("Overdue", "1"),
        ("Due within 14 days", "1"),
    ]
    table = next(df.value for df in at.dataframe if "Status" in df.value.columns)
    assert list(table["Status"]) == ["Overdue", "Upcoming"]
    at.selectbox(key="followups_pick").set_value(ids["F1"]).run()
    at.button(key="followups_done").click().run()
    assert [s.value for s in at.success] == ["Follow-up marked as done."]
    assert [(m.label, m.value) for m in at.metric][0] == ("Overdue", "0")
    at.selectbox(key="followups_pick").set_value(ids["F3"]).run()
    at.date_input(key="followups_due").set_value(D("2026-06-01")).run()
    at.button(key="followups_move").click().run()
    assert [e.value for e in at.error] == ["The due date cannot be before the meeting date."]
    reset_caches()
