"""A confidential project shows neither its code name nor its company to a viewer: in the
records behind the figures (and so their CSV and Excel downloads), the pipeline, a mission's
detail, the India focus's lists, the map's tooltips and an organisation's record. Staff and
administrators see everything (``masking`` None).

The hand-made data set of ``tests/fixtures.py`` (read its header) plus:
  Projet Saphir  O1 Alpha Data SAS   confidential, won 2024-03-01, 7 jobs, 0.9 M EUR disclosed
  Projet Rubis   O2 Bharat Energy    confidential, energy, lead 2025-06-12 (still open),
                                     sourced by mission M2, 25 jobs
  I22  2025-06-12 meeting O2 about Projet Rubis, in mission M2, bob; summary "Rubis : site
       visité", next step "Offre Rubis" due 2027-01-15
  I23  2024-03-01 meeting O1 about Projet Saphir, alice
"""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import pandas as pd
import pytest
import streamlit as st

from components.india_views import build_city_dots
from components.map_views import build_flows
from core import records
from core.confidentiality import Masking
from core.directory import get_organisation_detail
from core.filters import DashboardFilters
from core.geo import get_origin_figures
from core.i18n import column_label
from core.india import get_india_places, list_coming_india_actions
from core.kpis import list_kpi_records
from core.missions import get_mission_detail
from core.periods import year_period
from core.pipeline import list_open_projects
from models import InteractionCreate, InteractionKind, ProjectCreate, Role, Stage
from tests.apptest_support import ROOT, as_user, point_app_at, reset_caches, run_app
from tests.fixtures import SECRET, add_confidential_win, build_fixture
from tests.writers import writer

D = date.fromisoformat
TODAY = date(2026, 11, 28)
RUBIS = "Projet Rubis"
RUBIS_NOTES = {
    "summary": "Rubis : site visité",
    "next_step": "Offre Rubis",
    "next_step_due_on": D("2027-01-15"),
}
VIEWER = Masking("Projet confidentiel", "Confidentiel")  # as components.masking makes it (fr)


def add_confidential_records(session, ids: dict[str, int]) -> dict[str, int]:
    """The additions of this module's header; ``ids`` with SECRET, RUBIS, I22 and I23."""
    ids["SECRET"] = add_confidential_win(session, ids)
    data = ProjectCreate(
        code_name=RUBIS, organisation_id=ids["O2"], sector_code="energy", jobs_announced=25,
        stage=Stage.LEAD, stage_on=D("2025-06-12"), source_mission_id=ids["M2"],
        confidential=True,
    )  # fmt: skip
    ids["RUBIS"] = records.create_project(session=session, data=data, author="fixture").id
    for key, on, org, project, mission, author, notes in (
        ("I22", "2025-06-12", "O2", "RUBIS", "M2", "bob", RUBIS_NOTES),
        ("I23", "2024-03-01", "O1", "SECRET", None, "alice", {}),
    ):
        meeting = InteractionCreate(
            occurred_on=D(on), kind=InteractionKind.MEETING, organisation_id=ids[org],
            project_id=ids[project], mission_id=ids[mission] if mission else None,
            author=author, **notes,
        )  # fmt: skip
        ids[key] = records.create_interaction(session=session, data=meeting).id
    return ids


@pytest.fixture
def ids(session):
    return add_confidential_records(session, build_fixture(session))


# ---------------------------------------------------------------------------------------------
# Core readers: the rows themselves are masked
# ---------------------------------------------------------------------------------------------


def test_projects_won_name_neither_code_name_nor_company_for_a_viewer(session, ids):
    # Won in 2024, newest decision first: P2, P4, P5, then Projet Saphir (2024-03-01).
    columns = ["code_name", "organisation_name", "jobs_announced", "capex_eur"]
    frame, total = list_kpi_records(session, "projects_won", year_period(2024), masking=VIEWER)
    assert total == 4
    assert frame[columns].values.tolist() == [
        ["Mumbai Solar", "Bharat Energy Ltd", 120, 45_000_000],
        ["Rhine Turbines", "Kraftwerk GmbH", 80, 12_000_000],
        ["Vital Lab", "Santé Plus", 15, 3_000_000],
        ["Projet confidentiel", "Confidentiel", 7, 900_000],  # still counted, with its figures
    ]
    assert frame["organisation_id"].tolist()[:3] == [ids["O2"], ids["O3"], ids["O4"]]
    assert pd.isna(frame["organisation_id"].iloc[3])  # no link to its company
    text = frame.to_csv()
    assert SECRET not in text and "Alpha Data SAS" not in text

    staff, _ = list_kpi_records(session, "projects_won", year_period(2024))
    assert staff[columns].values.tolist()[3] == [SECRET, "Alpha Data SAS", 7, 900_000]
    assert int(staff["organisation_id"].iloc[3]) == ids["O1"]


def test_jobs_records_and_an_empty_list_are_masked_alike(session, ids):
    frame, total = list_kpi_records(session, "jobs_announced", year_period(2024), masking=VIEWER)
    # Most jobs first: P2 120, P4 80, P5 15, Projet Saphir 7.
    assert (total, frame["code_name"].tolist()) == (
        4,
        ["Mumbai Solar", "Rhine Turbines", "Vital Lab", "Projet confidentiel"],
    )
    empty, total = list_kpi_records(session, "projects_won", year_period(2022), masking=VIEWER)
    assert (len(empty), total) == (0, 0)


def test_meetings_about_a_confidential_project_keep_their_organisation_not_the_project(
    session,
    ids,
):
    # 2025: I21, I20, I19, I22 (about Projet Rubis), I18, I17, I16, newest first.
    frame, total = list_kpi_records(session, "meetings", year_period(2025), masking=VIEWER)
    assert total == 7
    assert frame["id"].tolist() == [
        ids[k] for k in ("I21", "I20", "I19", "I22", "I18", "I17", "I16")
    ]
    codes = [None if pd.isna(v) else v for v in frame["project_code_name"]]
    assert codes == [None, None, "Kraftwerk South", None, None, "Azur Edge", "Delhi Grid"]
    assert frame["organisation_name"].tolist()[3] == "Bharat Energy Ltd"
    staff, _ = list_kpi_records(session, "meetings", year_period(2025))
    assert staff["project_code_name"].tolist()[3] == RUBIS


def test_pipeline_records_for_a_viewer(session, ids):
    filters = DashboardFilters(year_period(2025))
    frame, total = list_open_projects(session, filters, today=TODAY, masking=VIEWER)
    # Open at the end of 2025: P7 Bund Hotel (active), P9 Pune Battery (qualified), Rubis (lead).
    assert total == 3
    row = frame[frame["project_id"] == ids["RUBIS"]].iloc[0]
    assert (row["code_name"], row["organisation"]) == ("Projet confidentiel", "Confidentiel")
    assert pd.isna(row["organisation_id"])
    assert RUBIS not in frame.to_csv()
    staff, _ = list_open_projects(session, filters, today=TODAY)
    assert sorted(staff["code_name"]) == ["Bund Hotel", "Projet Rubis", "Pune Battery"]
    # The open-pipeline drill-down (the Overview's tile) masks the same project.
    drill, total = list_kpi_records(
        session, "open_pipeline", year_period(2025), today=TODAY, masking=VIEWER
    )
    assert total == 3
    rubis = drill[drill["id"] == ids["RUBIS"]].iloc[0]
    assert (rubis["code_name"], rubis["organisation_name"]) == (
        "Projet confidentiel",
        "Confidentiel",
    )
    assert "Projet Rubis" not in drill.to_csv()


def test_india_lists_for_a_viewer(session, ids):
    # The Indian leads of 2025 (the India focus's cities map drills into these): Rubis only.
    india = DashboardFilters(year_period(2025), countries=("IN",))
    frame, total = list_kpi_records(
        session, "leads", year_period(2025), filters=india, organisation_city="Mumbai",
        masking=VIEWER,
    )  # fmt: skip
    assert total == 1
    assert frame[["code_name", "organisation_name"]].values.tolist() == [
        ["Projet confidentiel", "Confidentiel"]
    ]
    staff, _ = list_kpi_records(
        session, "leads", year_period(2025), filters=india, organisation_city="Mumbai"
    )
    assert staff[["code_name", "organisation_name"]].values.tolist() == [
        [RUBIS, "Bharat Energy Ltd"]
    ]


def test_map_tooltips_carry_figures_only(session, ids):
    filters = DashboardFilters(year_period(2025), countries=("IN",))
    dots = build_city_dots(get_india_places(session, filters), "fr")
    assert dots == [
        {
            "position": [72.8826, 19.0728],  # data/ cities
            "radius": 16.0,  # the largest dot: the only city
            "name": "Mumbai (Mahārāshtra)",
            "city": "Mumbai",
            "detail": "Leads : 1",
        }
    ]
    figures = get_origin_figures(
        session, DashboardFilters(year_period(2024)), "projects_won", lang="fr"
    )
    flows = build_flows(
        figures, home=(43.3, 5.37), home_country="FR", lang="fr", metric_label="Projets gagnés"
    )
    # Won in 2024 from abroad: P2 (India), P4 (United States); Saphir is French.
    assert sorted((f["iso2"], f["detail"]) for f in flows) == [
        ("IN", "Projets gagnés : 1"),
        ("US", "Projets gagnés : 1"),
    ]
    text = json.dumps([dots, flows], ensure_ascii=False)
    for name in (SECRET, RUBIS, "Alpha Data SAS", "Bharat Energy Ltd"):
        assert name not in text


def test_mission_detail_for_a_viewer(session, ids):
    filters = DashboardFilters(year_period(2025))
    detail = get_mission_detail(session, ids["M2"], filters, today=TODAY, masking=VIEWER)
    assert detail.leads[["code_name", "organisation_name"]].values.tolist() == [
        ["Projet confidentiel", "Confidentiel"]
    ]
    # I18 and I22, in date order: the meeting about Rubis keeps its organisation only.
    meetings = detail.meetings
    assert meetings["id"].tolist() == [ids["I18"], ids["I22"]]
    assert meetings["organisation_name"].tolist() == ["Bharat Energy Ltd", "Bharat Energy Ltd"]
    assert meetings["project_code_name"].isna().tolist() == [True, True]
    assert meetings["next_step"].isna().tolist() == [True, True]  # its text may name it
    staff = get_mission_detail(session, ids["M2"], filters, today=TODAY)
    assert staff.leads[["code_name", "organisation_name"]].values.tolist() == [
        [RUBIS, "Bharat Energy Ltd"]
    ]
    assert staff.meetings["project_code_name"].tolist()[1] == RUBIS
    assert staff.meetings["next_step"].tolist()[1] == "Offre Rubis"


def test_india_coming_actions_leave_out_a_confidential_project_s_follow_up(session, ids):
    # The only India action after 2026-11-28: I22's next step, about Projet Rubis.
    staff = list_coming_india_actions(session, today=TODAY)
    assert staff.values.tolist() == [
        [D("2027-01-15"), "follow_up", "Offre Rubis", "Bharat Energy Ltd"]
    ]
    viewer = list_coming_india_actions(session, today=TODAY, masking=VIEWER)
    assert viewer.empty


def test_an_organisation_record_lists_no_confidential_project_for_a_viewer(session, ids):
    detail = get_organisation_detail(session, ids["O1"], masking=VIEWER)
    # Its projects newest first, Projet Saphir left out (naming "a confidential project" on
    # Alpha Data's record would name the company behind it).
    assert detail.projects["code_name"].tolist() == ["Azur Edge", "Azur Cloud"]
    # P8's 2 stage changes and P1's 4, newest first; Saphir's won step left out.
    assert detail.stage_history[
        ["project_code_name", "to_stage", "changed_on"]
    ].values.tolist() == [
        ["Azur Edge", "won", D("2025-06-30")],
        ["Azur Edge", "lead", D("2025-01-15")],
        ["Azur Cloud", "landed", D("2024-06-01")],
        ["Azur Cloud", "won", D("2023-11-15")],
        ["Azur Cloud", "qualified", D("2023-05-01")],
        ["Azur Cloud", "lead", D("2023-02-10")],
    ]
    # I17, I23 (about Saphir: kept as a meeting, without its project), I2, I1.
    interactions = detail.interactions
    assert interactions["id"].tolist() == [ids[k] for k in ("I17", "I23", "I2", "I1")]
    codes = [None if pd.isna(v) else v for v in interactions["project_code_name"]]
    assert codes == ["Azur Edge", None, "Azur Cloud", None]

    staff = get_organisation_detail(session, ids["O1"])
    assert staff.projects["code_name"].tolist() == [SECRET, "Azur Edge", "Azur Cloud"]
    assert len(staff.stage_history) == 7
    assert staff.interactions["project_code_name"].tolist()[1] == SECRET


# ---------------------------------------------------------------------------------------------
# The pages, as a viewer and as staff: tables and the files downloaded
# ---------------------------------------------------------------------------------------------

OVERVIEW = str(ROOT / "pages" / "overview.py")
DIRECTORY = str(ROOT / "pages" / "directory.py")


@pytest.fixture
def app_db(ref_engine, monkeypatch):
    with writer(ref_engine, expire_on_commit=False) as s:
        found = add_confidential_records(s, build_fixture(s))
    point_app_at(monkeypatch, ref_engine, demo=False)
    yield found
    reset_caches()


@pytest.fixture
def downloads(monkeypatch):
    """The files the page's download buttons hold, by key (deferred ones built at once)."""
    files: dict[str, bytes] = {}
    original = st.download_button

    def capture(label, data, *args, **kwargs):
        content = data() if callable(data) else data
        files[kwargs.get("key")] = content if isinstance(content, bytes) else content.encode()
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", capture)
    return files


def _won_2024(role: Role, downloads: dict[str, bytes]):
    downloads.clear()
    at = run_app(
        OVERVIEW, lang="fr", params={"period": "year", "year": "2024"},
        user=as_user("Élodie Élue", role),
    )  # fmt: skip
    assert not at.exception
    at.selectbox(key="kpi_detail").set_value("projects_won").run()
    assert not at.exception
    code = column_label("code_name", "fr")
    table = next(df.value for df in at.dataframe if code in df.value.columns)  # the records
    csv = downloads["kpi_detail_csv"].decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(downloads["kpi_detail_xlsx"])).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    return table, csv, cells


def test_the_overview_won_list_and_its_files_as_a_viewer_and_as_staff(app_db, downloads):
    code, company = column_label("code_name", "fr"), column_label("organisation_name", "fr")
    table, csv, cells = _won_2024(Role.VIEWER, downloads)
    assert table[code].tolist() == [
        "Mumbai Solar",
        "Rhine Turbines",
        "Vital Lab",
        "Projet confidentiel",
    ]
    assert table[company].tolist() == [
        "Bharat Energy Ltd",
        "Kraftwerk GmbH",
        "Santé Plus",
        "Confidentiel",
    ]
    for text in (table.to_csv(), csv, "\n".join(cells)):
        assert SECRET not in text and "Alpha Data SAS" not in text
        assert "Projet confidentiel" in text and "Confidentiel" in text
    assert "Projet confidentiel" in cells and "Confidentiel" in cells

    table, csv, cells = _won_2024(Role.STAFF, downloads)
    assert table[code].tolist()[3] == SECRET
    assert table[company].tolist()[3] == "Alpha Data SAS"
    assert SECRET in csv and "Alpha Data SAS" in csv
    assert SECRET in cells and "Alpha Data SAS" in cells


def test_the_directory_record_as_a_viewer(app_db):
    params = {"org": str(app_db["O1"])}
    viewer = run_app(DIRECTORY, lang="fr", params=params, user=as_user("Élodie Élue", Role.VIEWER))
    assert not viewer.exception
    shown = "\n".join(df.value.to_csv() for df in viewer.dataframe)
    assert "Azur Edge" in shown and "Azur Cloud" in shown
    assert SECRET not in shown and "Projet confidentiel" not in shown
    staff = run_app(DIRECTORY, lang="fr", params=params, user=as_user("Sam Staff", Role.STAFF))
    assert SECRET in "\n".join(df.value.to_csv() for df in staff.dataframe)
