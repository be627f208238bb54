"""AppTest of the "move a project's stage" form: Won with figures, Lost with its reason, and
each refused case (message beside the field, nothing written, input kept)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlmodel import select

from core.records import change_stage, create_organisation, create_project
from models import (
    CapexDisclosure,
    LostReason,
    OrganisationCreate,
    Project,
    ProjectCreate,
    Stage,
    StageChange,
)
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app, sign_in
from tests.writers import writer

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "project_stage.py")
TODAY = date.today()
QUALIFIED_ON = TODAY - timedelta(days=10)


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def project(ref_engine, monkeypatch):
    """Project "Delta" of Infosys Test: Lead 30 days ago, Qualified 10 days ago, 40 jobs."""
    with writer(ref_engine, expire_on_commit=False) as s:
        org = create_organisation(
            session=s, data=OrganisationCreate(name="Infosys Test"), author="t"
        )
        created = create_project(
            session=s,
            data=ProjectCreate(
                code_name="Delta",
                organisation_id=org.id,
                sector_code="digital",
                jobs_announced=40,
                stage_on=TODAY - timedelta(days=30),
            ),
            author="t",
        )
        change_stage(
            session=s, project_id=created.id, to_stage=Stage.QUALIFIED, on=QUALIFIED_ON, author="t"
        )
    point_app_at(monkeypatch, ref_engine, demo=False)
    return ref_engine, created.id


def _widget(at, kind: str, prefix: str):
    found = [w for w in at.get(kind) if (w.key or "").startswith(f"stage_{prefix}")]
    assert len(found) == 1, f"{len(found)} {kind} for {prefix}"
    return found[0]


def _open(lang: str = "en"):
    at = run_app(PAGE, lang=lang)
    sign_in(at, "Claire Martin").run()
    _widget(at, "text_input", "search_").input("delt").run()
    return at


def _submit(at):
    next(b for b in at.get("button") if b.proto.form_id).click().run()
    return at


def _history(engine, project_id: int) -> list[tuple]:
    with writer(engine) as s:
        rows = s.exec(
            select(StageChange.from_stage, StageChange.to_stage, StageChange.author)
            .where(StageChange.project_id == project_id)
            .order_by(StageChange.id)
        ).all()
    return [tuple(getattr(v, "value", v) for v in row) for row in rows]


def test_move_to_won_with_the_figures_announced(project):
    engine, project_id = project
    at = _open()
    assert not at.exception
    day = format_date(QUALIFIED_ON, format="medium", locale="en")
    assert f"Current stage: Qualified, since {day}." in [c.value for c in at.caption]
    _widget(at, "selectbox", "to_").set_value(Stage.WON).run()
    assert _widget(at, "number_input", "jobs").value == 40  # prefilled with the current figure
    _widget(at, "number_input", "jobs").set_value(55)
    _widget(at, "number_input", "capex").set_value(3_000_000)
    # The project's capex status is unknown: an amount without its status is refused beside
    # the status (it would count nowhere), nothing is written, what was typed stays.
    _submit(at)
    assert [e.value for e in at.error] == [
        "Say whether this amount is disclosed or estimated: without it, it counts nowhere."
    ]
    assert len(_history(engine, project_id)) == 2
    assert _widget(at, "number_input", "capex").value == 3_000_000
    _widget(at, "selectbox", "capex_flag").set_value(CapexDisclosure.DISCLOSED)
    _submit(at)
    assert [e.value for e in at.error] == []
    assert [s.value for s in at.success] == ['Delta: moved to "Won".']
    with writer(engine) as s:
        row = s.get(Project, project_id)
        assert (row.stage, row.decided_on, row.jobs_announced, row.capex_eur) == (
            Stage.WON,
            TODAY,
            55,
            3_000_000,
        )
        assert row.capex_disclosure == CapexDisclosure.DISCLOSED
    assert _history(engine, project_id)[-1] == ("qualified", "won", "Claire Martin")


def test_move_to_lost_needs_its_reason(project):
    engine, project_id = project
    at = _open(lang="fr")
    _widget(at, "selectbox", "to_").set_value(Stage.LOST).run()
    _widget(at, "text_input", "location").input("Rotterdam")
    _submit(at)
    assert [e.value for e in at.error] == ["Indiquez pourquoi le projet a été perdu."]
    assert len(_history(engine, project_id)) == 2  # nothing written
    assert _widget(at, "text_input", "location").value == "Rotterdam"  # input kept
    _widget(at, "selectbox", "reason").set_value(LostReason.COST)
    _submit(at)
    assert [e.value for e in at.error] == []
    with writer(engine) as s:
        row = s.get(Project, project_id)
        assert (row.stage, row.lost_reason, row.lost_to_location, row.decided_on) == (
            Stage.LOST,
            LostReason.COST,
            "Rotterdam",
            TODAY,
        )


def test_a_date_before_the_last_change_is_refused(project):
    engine, project_id = project
    at = _open()
    _widget(at, "selectbox", "to_").set_value(Stage.ACTIVE).run()
    _widget(at, "date_input", "on").set_value(QUALIFIED_ON - timedelta(days=1))
    _submit(at)
    day = format_date(QUALIFIED_ON, format="medium", locale="en")
    assert [e.value for e in at.error] == [
        f"The date cannot be before the last stage change ({day})."
    ]
    assert len(_history(engine, project_id)) == 2


def test_a_date_after_today_is_refused_beside_the_date(project):
    engine, project_id = project
    at = _open(lang="fr")
    _widget(at, "selectbox", "to_").set_value(Stage.ACTIVE).run()
    _widget(at, "date_input", "on").set_value(TODAY + timedelta(days=1))
    _submit(at)
    day = format_date(TODAY, format="medium", locale="fr")
    assert [e.value for e in at.error] == [
        f"Un changement d'étape ne peut pas être daté après aujourd'hui ({day}) : "
        "enregistrez-le le jour où il a lieu."
    ]
    assert len(_history(engine, project_id)) == 2


def test_the_page_on_an_empty_database(engine, monkeypatch):
    point_app_at(monkeypatch, engine, demo=False)
    at = run_app(PAGE, lang="fr")
    assert not at.exception
    _widget(at, "text_input", "search_").input("x").run()
    assert [w.value for w in at.warning] == ["Aucun projet trouvé : vérifiez l'orthographe."]
