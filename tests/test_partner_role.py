"""The partner role (issue 11): an account bound to one chamber, outside the agency's ordered
roles; created from the command line (password or single sign-on); pages say which roles open
them and a partner opens only its own."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.auth import create_user, sso_sign_in
from core.errors import RuleError
from core.page_registry import PAGES, Section, find_page
from core.permissions import AccessDenied, SignedIn, can, require_role
from models import Chamber, Role, UserAccount
from tests.writers import writer

PASSWORD = "correct horse battery"


def chamber_id(engine, name: str) -> int:
    with writer(engine) as s:
        return s.exec(select(Chamber.id).where(Chamber.name == name)).one()


def test_partner_is_a_branch_outside_the_agency_order():
    assert can(Role.PARTNER, Role.PARTNER) is True
    for agency in (Role.VIEWER, Role.STAFF, Role.ADMIN):
        assert can(Role.PARTNER, agency) is False
        assert can(agency, Role.PARTNER) is False
    assert can(Role.ADMIN, Role.VIEWER) is True
    assert can(Role.VIEWER, Role.STAFF) is False
    assert can(None, Role.PARTNER) is False
    partner = SignedIn(9, "p", "P", Role.PARTNER, chamber_id=3)
    with pytest.raises(AccessDenied):
        require_role(partner, Role.VIEWER)
    assert require_role(partner, Role.PARTNER) == partner


def test_pages_say_which_roles_open_them():
    assert find_page("overview").roles == {Role.VIEWER, Role.STAFF, Role.ADMIN}
    assert find_page("followups").roles == {Role.STAFF, Role.ADMIN}
    assert find_page("audit_trail").roles == {Role.ADMIN}
    partner_pages = [p.stem for p in PAGES if p.opens(Role.PARTNER)]
    assert partner_pages == ["my_referrals", "refer_lead", "network_results"]
    assert {p.section for p in PAGES if p.opens(Role.PARTNER)} == {Section.PARTNER}
    for page in PAGES:
        agency = any(page.opens(role) for role in (Role.VIEWER, Role.STAFF, Role.ADMIN))
        assert not (agency and page.opens(Role.PARTNER)), page.stem
        assert page.opens(None) is False
        assert page.opens("intruder") is False
    assert find_page("network").roles == {Role.VIEWER, Role.STAFF, Role.ADMIN}


def test_a_partner_account_belongs_to_exactly_one_chamber(ref_engine):
    dubai = chamber_id(ref_engine, "CCI France Émirats arabes unis")
    with writer(ref_engine) as s:
        with pytest.raises(RuleError) as missing:
            create_user(
                s,
                username="partner1",
                display_name="P",
                role=Role.PARTNER,
                password=PASSWORD,
                author="t",
            )
        assert (missing.value.message_key, missing.value.field) == (
            "rule.user.partner_chamber",
            "chamber",
        )
        with pytest.raises(RuleError) as unknown:
            create_user(
                s,
                username="partner1",
                display_name="P",
                role=Role.PARTNER,
                password=PASSWORD,
                author="t",
                chamber_id=99999,
            )
        assert unknown.value.message_key == "rule.user.partner_chamber"
        with pytest.raises(RuleError) as staff:
            create_user(
                s,
                username="staff1",
                display_name="S",
                role=Role.STAFF,
                password=PASSWORD,
                author="t",
                chamber_id=dubai,
            )
        assert staff.value.message_key == "rule.user.chamber_not_partner"
        user = create_user(
            s,
            username="partner1",
            display_name="P",
            role=Role.PARTNER,
            password=PASSWORD,
            author="t",
            chamber_id=dubai,
        )
        assert (user.role, user.chamber_id) == (Role.PARTNER, dubai)
        assert s.exec(select(sa.func.count()).select_from(UserAccount)).one() == 1
    # The database refuses a partner without a chamber, and an agency account with one.
    table = UserAccount.__table__
    for role, chamber in (("partner", None), ("viewer", dubai)):
        with pytest.raises(sa.exc.IntegrityError), ref_engine.begin() as conn:
            conn.execute(
                table.insert().values(
                    username=f"raw-{role}",
                    display_name="x",
                    role=role,
                    chamber_id=chamber,
                    active=True,
                    is_demo=False,
                    failed_attempts=0,
                    created_at=sa.func.current_timestamp(),
                )
            )


def test_create_user_partner_from_the_command_line(ref_engine, monkeypatch, capsys):
    import manage

    mumbai = chamber_id(ref_engine, "Indo-French Chamber of Commerce and Industry")
    url = ref_engine.url.render_as_string(hide_password=False)
    base = ["--database-url", url, "create-user", "ifcci", "--role", "partner", "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert manage.main(base) == 1  # no chamber
    assert "A partner account belongs to a chamber" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert manage.main([*base, "--chamber", str(mumbai), "--name", "IFCCI Mumbai"]) == 0
    assert capsys.readouterr().out.strip().endswith("Account ifcci (partner) created.")
    sso = ["--database-url", url, "create-user", "ifcci-sso", "--role", "partner", "--sso"]
    assert manage.main([*sso, "--email", "desk@ifcci.example", "--chamber", str(mumbai)]) == 0
    with writer(ref_engine) as s:
        rows = s.exec(
            select(UserAccount.username, UserAccount.role, UserAccount.chamber_id).order_by(
                UserAccount.username
            )
        ).all()
        assert [tuple(r) for r in rows] == [
            ("ifcci", Role.PARTNER, mumbai),
            ("ifcci-sso", Role.PARTNER, mumbai),
        ]
        # Single sign-on opens the partner's session with its chamber.
        result = sso_sign_in(s, {"email": "desk@ifcci.example", "iat": 2_000_000_000})
    assert (result.reason, result.user.role, result.user.chamber_id) == (
        "ok",
        Role.PARTNER,
        mumbai,
    )
