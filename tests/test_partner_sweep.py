"""The partner of chamber A signs in and visits every page of the app, through the app (its
first request) and each as a deep link, in both languages and with every query parameter the
pages read (a period, an organisation, a project, a mission, a chamber, a country, a metric):
nothing of chamber B's referrals or claims, no person's contact detail, no internal field, no
company the chamber did not refer appears in any text, table, choice, metric or download
(issues 11 and 14)."""

from __future__ import annotations

import pytest

from components.partner_views import claim_rows, referral_rows
from core.export import csv_bytes
from core.page_registry import PAGES
from core.partners import PartnerScope, list_chamber_claims, list_referrals
from core.permissions import SignedIn
from models import Role
from tests.apptest_support import APP, ROOT, point_app_at, reset_caches, run_app
from tests.fixtures_partners import AS_OF, B_ONLY, CONTACTS, INTERNAL, NOT_REFERRED, build_network
from tests.writers import writer

pytestmark = pytest.mark.slow

FORBIDDEN = (*B_ONLY, *INTERNAL, *CONTACTS, *NOT_REFERRED)


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """One database for the whole sweep (access does not depend on the backend)."""
    monkeypatch = pytest.MonkeyPatch()
    from core.bootstrap import init_database
    from core.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sweep') / 'sweep.sqlite3'}")
    init_database(engine)
    ids = build_network(engine)
    point_app_at(monkeypatch, engine, demo=False)
    yield engine, ids
    monkeypatch.undo()
    reset_caches()
    engine.dispose()


def partner_a(ids) -> SignedIn:
    return SignedIn(0, "ifcci", "IFCCI Desk", Role.PARTNER, chamber_id=ids["chamber_a"])


def everything(at) -> str:
    """Every text the run shows: titles, markdown, captions, alerts, metrics, tables, the
    options and values of every input, buttons' labels."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text",
        "code",
        "exception",
    ):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.to_string() for df in at.dataframe]
    parts += [str(t.value) for t in at.get("table")]
    for kind in ("selectbox", "multiselect", "radio"):
        for w in at.get(kind):
            parts += [str(o) for o in w.options] + [str(w.value)]
    parts += [str(w.value) for w in [*at.text_input, *at.text_area]]
    parts += [b.label for b in at.button]
    parts += [str(e.proto) for e in at.get("download_button")]
    return "\n".join(parts)


def params_of(ids) -> list[dict[str, str]]:
    b_org, b_project = str(ids["B1"]), str(ids["B2"])
    return [
        {},
        {"period": "custom", "from": "2025-01-01", "to": "2025-12-31"},
        {"period": "year", "year": "2025"},
        {"org": b_org, "project": b_project, "organisation": b_org, "id": b_project},
        {"chamber": str(ids["chamber_b"]), "country": "AE", "metric": "leads"},
        {"mission": "1", "person": "1", "lang": "en"},
    ]


def assert_clean(text: str, where: str) -> None:
    for secret in FORBIDDEN:
        assert secret not in text, f"{secret!r} on {where}"


def test_through_the_app_first_request(swept):
    engine, ids = swept
    for lang in ("fr", "en"):
        at = run_app(APP, user=partner_a(ids), lang=lang)
        assert not at.exception
        shown = everything(at)
        assert_clean(shown, f"app ({lang})")
        # The first page a partner lands on is its referrals.
        assert "Wipro Green" in shown


@pytest.mark.parametrize("stem", [p.stem for p in PAGES])
def test_every_page_every_parameter(swept, stem):
    engine, ids = swept
    for params in params_of(ids):
        reset_caches()
        at = run_app(
            str(ROOT / "pages" / f"{stem}.py"), user=partner_a(ids), lang="en", params=params
        )
        assert not at.exception, (stem, params)
        assert_clean(everything(at), f"{stem} {params}")


def test_the_download_of_my_referrals(swept):
    """The CSV offered on "my referrals" is built from the table shown: A's rows, no contact,
    no internal field, the confidential one as its label."""
    engine, ids = swept
    with writer(engine) as s:
        frame = list_referrals(s, PartnerScope(ids["chamber_a"], "projet confidentiel"))
    data = csv_bytes(referral_rows(frame, "fr")).decode("utf-8-sig")
    assert_clean(data, "referrals.csv")
    assert data.count("\n") == 6  # header and five referrals
    assert "projet confidentiel" in data and "Wipro Green" in data


def test_the_download_of_my_claims(swept):
    """The claims' CSV on "my referrals": A's five claims, with the agency's reasons, none of
    B's nor the staff's, no company A did not refer, no code name."""
    engine, ids = swept
    with writer(engine) as s:
        frame = list_chamber_claims(s, PartnerScope(ids["chamber_a"]), as_of=AS_OF)
    for lang in ("fr", "en"):
        data = csv_bytes(claim_rows(frame, lang)).decode("utf-8-sig")
        assert_clean(data, f"claims.csv ({lang})")
        assert data.count("\n") == 6  # header and five claims
        assert "Introduced at the Mumbai forum" in data and "Mahindra Aero" in data
