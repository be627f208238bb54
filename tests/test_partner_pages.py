"""AppTest of the partner's pages (issue 11): the referral form (a valid referral, each invalid
field with its message beside it and the typed values kept, a company on record matched
without a word about it); my referrals and the network's results with hand-worked figures
(tests/fixtures_partners.py); the agency's Network page."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.formatting import format_number, format_percent
from core.permissions import SignedIn
from models import LawfulBasis, Organisation, Person, Project, Role, SourceChannel, Stage
from tests.apptest_support import ROOT, all_text, point_app_at, reset_caches, run_app
from tests.fixtures_partners import B_ONLY, CONTACTS, INTERNAL, NOT_REFERRED, build_network
from tests.writers import writer

pytestmark = pytest.mark.slow

REFER = str(ROOT / "pages" / "refer_lead.py")
MINE = str(ROOT / "pages" / "my_referrals.py")
RESULTS = str(ROOT / "pages" / "network_results.py")
NETWORK = str(ROOT / "pages" / "network.py")
YEAR_2025 = {"period": "custom", "from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def net(ref_engine, monkeypatch):
    ids = build_network(ref_engine)
    point_app_at(monkeypatch, ref_engine, demo=False)
    return ids | {"engine": ref_engine}


def partner_of(chamber: int) -> SignedIn:
    return SignedIn(0, "ifcci", "IFCCI Desk", Role.PARTNER, chamber_id=chamber)


def fill(at, **values) -> None:
    """Set the referral form's fields by their name (the key's middle part)."""
    widgets = [*at.text_input, *at.text_area, *at.number_input, *at.selectbox]
    for name, value in values.items():
        widget = next(w for w in widgets if (w.key or "").startswith(f"refer_{name}_"))
        widget.set_value(value)


VALID = {
    "company": "Tata Elxsi",
    "website": "https://www.tataelxsi.example/about",
    "country": "IN",
    "sector": "digital",
    "first": "Anil",
    "last": "Rao",
    "email": "anil.rao@tataelxsi.example",
    "phone": "+91 98200 12345",
    "basis": LawfulBasis.CONSENT,
    "jobs": 25,
    "text": "Design centre",
}


def submit(at):
    button = next(b for b in at.get("button") if b.proto.form_id.startswith("refer_form"))
    button.click().run()
    return at


def count(engine, model) -> int:
    with writer(engine) as s:
        return s.exec(select(sa.func.count()).select_from(model)).one()


def test_a_valid_referral(net):
    at = run_app(REFER, user=partner_of(net["chamber_a"]), lang="en")
    assert not at.exception
    assert "Chamber: Indo-French Chamber of Commerce and Industry" in all_text(at)
    fill(at, **VALID)
    submit(at)
    assert not at.exception
    assert [s.value for s in at.success] == [
        'Thank you: the referral of Tata Elxsi is recorded. You will find it under "My referrals".'
    ]
    with writer(net["engine"]) as s:
        project = s.exec(select(Project).where(Project.code_name == "Tata Elxsi")).one()
        org = s.get(Organisation, project.organisation_id)
        person = s.exec(select(Person).where(Person.organisation_id == org.id)).one()
    assert (project.stage, project.source_channel, project.source_chamber_id) == (
        Stage.LEAD,
        SourceChannel.CHAMBER,
        net["chamber_a"],
    )
    assert (project.jobs_announced, org.domain, org.hq_country_iso2) == (
        25,
        "tataelxsi.example",
        "IN",
    )
    assert (person.first_name, person.phone) == ("Anil", "+919820012345")
    # A new, empty form.
    assert [w.value for w in at.text_input if (w.key or "").startswith("refer_company_")] == [""]


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        ({"company": ""}, "Required field."),
        ({"website": "not a site"}, "Invalid website: a domain such as company.com."),
        ({"country": None}, "Required field."),
        ({"sector": None}, "Required field."),
        ({"first": ""}, "Required field."),
        ({"last": ""}, "Required field."),
        ({"email": "anil@"}, "Invalid email address (example: first.last@company.com)."),
        (
            {"phone": "12"},
            "Invalid number: use the international format, for example +33 6 12 34 56 78.",
        ),
        ({"basis": None}, "Required field."),
    ],
)
def test_each_invalid_field_is_said_beside_it_and_the_form_keeps_what_was_typed(
    net, change, field_message
):
    at = run_app(REFER, user=partner_of(net["chamber_a"]), lang="en")
    values = VALID | change
    fill(at, **values)
    before = count(net["engine"], Project)
    submit(at)
    assert not at.exception
    assert [e.value for e in at.error] == [field_message]
    assert count(net["engine"], Project) == before
    kept = {
        w.key.split("_")[1]: w.value for w in at.text_input if (w.key or "").startswith("refer_")
    }
    for name in ("company", "website", "first", "last", "email", "phone"):
        assert kept[name] == values[name]


def test_a_company_on_record_is_matched_without_a_word_about_it(net):
    """Emirates Robotics is chamber B's: a partner of A refers it and reads the same thank-you
    as for any company; no organisation is added; nothing of B's record shows."""
    at = run_app(REFER, user=partner_of(net["chamber_a"]), lang="en")
    fill(at, **(VALID | {"company": "Emirates Robotics", "website": "", "country": "AE"}))
    before = count(net["engine"], Organisation)
    submit(at)
    assert [s.value for s in at.success] == [
        "Thank you: the referral of Emirates Robotics is recorded. "
        'You will find it under "My referrals".'
    ]
    assert count(net["engine"], Organisation) == before
    text = all_text(at)
    for secret in ("Dubai", "B's secret update", "B1"):
        assert secret not in text


def test_my_referrals_page(net):
    at = run_app(MINE, user=partner_of(net["chamber_a"]), lang="fr")
    assert not at.exception
    assert [m.value for m in at.metric] == ["5"]
    table = at.dataframe[0].value
    assert table["Entreprise"].tolist() == [
        "Wipro Green",
        "Infosys Labs",
        "Mahindra Aero",
        "Old Lead Co",
        "projet confidentiel",
    ]
    assert table["Étape"].tolist() == ["Piste", "Perdu", "Gagné", "Piste", "Gagné"]
    assert table["Suivie par"].tolist()[0] == "Claire Martin"
    assert table["Dernière nouvelle"].tolist() == ["Site visit held in Fos", "", "", "", ""]


def test_my_referrals_page_shows_the_chamber_claims(net):
    """Under the referrals, A's five claims (tests/fixtures_partners.py) as the partner may see
    them, with the agency's reasons; nothing of B's claims, of the staff's, of P1's company."""
    at = run_app(MINE, user=partner_of(net["chamber_a"]), lang="fr")
    assert not at.exception
    assert "Les demandes d'attribution de ma chambre" in [h.value for h in at.subheader]
    claims = at.dataframe[1].value
    assert list(claims.columns) == [
        "Projet (entreprise)",
        "Demandée le",
        "Décision",
        "Décidée le",
        "Motif donné par l'agence",
        "Emplois vérifiés (dernier suivi)",
        "Dernier suivi le",
    ]
    assert claims["Projet (entreprise)"].tolist() == [
        "Wipro Green",
        "Mahindra Aero",
        "projet non recommandé par votre chambre",
        "projet non recommandé par votre chambre",
        "projet confidentiel",
    ]
    assert claims["Décision"].tolist() == [
        "En attente",
        "Acceptée",
        "Acceptée",
        "Refusée",
        "Acceptée",
    ]
    assert claims["Motif donné par l'agence"].tolist() == [
        "",
        "Introduced at the Mumbai forum",
        "Organised the first meeting",
        "Referred by another chamber",
        "",
    ]
    assert [None if pd.isna(v) else int(v) for v in claims["Emplois vérifiés (dernier suivi)"]] == [
        None,
        34,
        None,
        None,
        None,
    ]
    text = all_text(at)
    for secret in (*B_ONLY, *INTERNAL, *NOT_REFERRED, *CONTACTS):
        assert secret not in text
    # Chamber B reads its two.
    at_b = run_app(MINE, user=partner_of(net["chamber_b"]), lang="en")
    claims_b = at_b.dataframe[1].value
    assert claims_b["Reason given by the agency"].tolist() == [
        "B's reason on P1",
        "B's secret reason",
    ]
    assert claims_b["Project (company)"].tolist() == [
        "project not referred by your chamber",
        "Emirates Robotics",
    ]


def test_network_results_page(net):
    at = run_app(RESULTS, user=partner_of(net["chamber_a"]), lang="fr", params=YEAR_2025)
    assert not at.exception
    cells = [m.value for m in at.markdown]

    def row(label):
        i = cells.index(label)
        return cells[i + 1], cells[i + 2]

    assert row("Projets recommandés") == ("4", "6")
    assert row("dont qualifiés") == ("3", "4")
    assert row("dont gagnés") == ("2", "3")
    assert row("Emplois annoncés par les projets gagnés") == ("50", "150")
    assert row("Taux de transformation (gagnés / recommandés)") == (
        format_percent(0.5, "fr"),
        format_percent(0.5, "fr"),
    )
    assert row("Délai médian jusqu'à la décision (jours)") == (
        format_number(152.0, "fr"),
        format_number(120.0, "fr"),
    )


def test_agency_network_page(net):
    staff = SignedIn(3, "claire", "Claire Martin", Role.VIEWER)
    at = run_app(NETWORK, user=staff, lang="en", params=YEAR_2025)
    assert not at.exception
    ranking = at.dataframe[0].value
    # Beside the leads, the accepted claims' projects, verified jobs and realisation rate
    # (tests/test_network_attribution.py works them out).
    assert ranking.values.tolist() == [
        ["Indo-French Chamber of Commerce and Industry", "IN", 4, 3, 2, 50, 3, 39, "83%"],
        ["CCI France Émirats arabes unis", "AE", 2, 1, 1, 100, 2, 85, "79.4%"],
    ]
    assert [m.value for m in at.metric] == ["6", "4", "3"]
    # The records behind "referred", every chamber: six, the confidential one masked.
    records = at.dataframe[1].value
    assert len(records) == 6
    assert "Project Falcon" not in records.to_string()
    assert "Reliance Secret" not in records.to_string()


@pytest.mark.parametrize("page", [REFER, MINE, RESULTS])
def test_agency_roles_do_not_open_partner_pages(net, page):
    for role in (Role.VIEWER, Role.STAFF, Role.ADMIN):
        at = run_app(page, user=SignedIn(1, "x", "X", role), lang="en", params=YEAR_2025)
        assert not at.exception
        assert [e.value for e in at.error] == [
            "This page belongs to the network's partner chambers: your account does not open it."
        ]
        text = all_text(at)
        for secret in (*B_ONLY, *INTERNAL, *CONTACTS, "Wipro"):
            assert secret not in text


FOLLOWUPS = str(ROOT / "pages" / "followups.py")


def _shared_form_submit(at):
    button = next(b for b in at.get("button") if b.proto.form_id.startswith("shared_update_form"))
    button.click().run()
    return at


def test_staff_see_referred_leads_to_qualify_and_share_an_update(net):
    staff = SignedIn(3, "claire", "Claire Martin", Role.STAFF)
    at = run_app(FOLLOWUPS, user=staff, lang="en")
    assert not at.exception
    queue = next(df.value for df in at.dataframe if "Chamber" in df.value.columns)
    assert queue[["Code name", "Chamber"]].values.tolist() == [
        ["A5", "Indo-French Chamber of Commerce and Industry"],
        ["B2", "CCI France Émirats arabes unis"],
        ["A3", "Indo-French Chamber of Commerce and Industry"],
    ]
    # Nothing chosen, nothing written: the message beside the field, the text kept.
    text = next(w for w in at.text_area if (w.key or "").startswith("shared_update_text_"))
    text.set_value("Decision expected in Q2")
    _shared_form_submit(at)
    assert [e.value for e in at.error] == ["Required field."]
    assert [w.value for w in at.text_area if (w.key or "").startswith("shared_update_text_")] == [
        "Decision expected in Q2"
    ]
    pick = next(w for w in at.selectbox if (w.key or "").startswith("shared_update_project_"))
    pick.set_value(net["A3"])
    _shared_form_submit(at)
    assert not at.exception
    assert "Update shared with the chamber." in [s.value for s in at.success]
    mine = run_app(MINE, user=partner_of(net["chamber_a"]), lang="en")
    table = mine.dataframe[0].value
    assert table["Last update"].tolist()[0] == "Decision expected in Q2"


def test_a_partner_without_a_chamber_sees_nothing(net):
    at = run_app(MINE, user=SignedIn(0, "lost", "Lost", Role.PARTNER), lang="en")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "This page belongs to the network's partner chambers: your account does not open it."
    ]
    assert len(at.dataframe) == 0
