"""Accounts and sign-in: argon2id hashes, no hash in the audit trail, slowed then locked after
repeated failures with a time-based reset, sessions that end on sign-out and after idling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from core.audit import record_history
from core.auth import (
    authenticate,
    create_user,
    end_session,
    resume_session,
    start_session,
)
from core.permissions import AccessDenied, can, require_role
from models import AuditEntry, Role, UserAccount
from tests.writers import writer

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def _login(session, password: str, now: datetime):
    return authenticate(session, "claire", password, max_failures=5, lock_minutes=15, now=now)


@pytest.fixture
def claire(session):
    return create_user(
        session,
        username="Claire",
        display_name="Claire Martin",
        role=Role.STAFF,
        password=PASSWORD,
        author="admin",
    )


def test_the_password_is_stored_as_an_argon2id_hash_only(session, claire):
    account = session.exec(select(UserAccount)).one()
    assert account.username == "claire"
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash
    trail = record_history(session, "useraccount", account.id)
    assert [e.action for e in trail] == ["insert"]
    assert "password_hash" not in trail[0].after
    with pytest.raises(ValueError, match="at least 10"):
        create_user(
            session, username="x1y", display_name="X", role=Role.VIEWER, password="short",
            author="a",
        )  # fmt: skip
    with pytest.raises(ValueError, match="taken"):
        create_user(
            session, username="CLAIRE", display_name="C", role=Role.VIEWER, password=PASSWORD,
            author="a",
        )  # fmt: skip


def test_sign_in_then_failures_slowed_locked_and_forgotten(session, claire):
    ok = _login(session, PASSWORD, T0)
    assert (ok.reason, ok.user.display_name, ok.user.role) == ("ok", "Claire Martin", "staff")
    assert _login(session, PASSWORD, T0).reason == "ok"
    # Four failures: the first two answered at once, then one and two seconds later.
    delays = [_login(session, "wrong", T0 + timedelta(seconds=i)).delay_seconds for i in range(4)]
    assert delays == [0.0, 0.0, 1.0, 2.0]
    # The fifth locks the account for 15 minutes: even the right password is refused.
    fifth = _login(session, "wrong", T0 + timedelta(seconds=5))
    assert (fifth.reason, fifth.locked_until) == ("locked", T0 + timedelta(seconds=5, minutes=15))
    assert _login(session, PASSWORD, T0 + timedelta(minutes=10)).reason == "locked"
    assert _login(session, PASSWORD, T0 + timedelta(minutes=16)).reason == "ok"
    # Failures older than the window are forgotten: four now, one more 20 minutes later is
    # the first of a new series, not the fifth.
    for i in range(4):
        _login(session, "wrong", T0 + timedelta(minutes=30, seconds=i))
    later = _login(session, "wrong", T0 + timedelta(minutes=50))
    assert (later.reason, later.delay_seconds) == ("invalid", 0.0)
    # An unknown name answers like a wrong password.
    unknown = authenticate(session, "nobody", PASSWORD, max_failures=5, lock_minutes=15, now=T0)
    assert (unknown.user, unknown.reason) == (None, "invalid")
    # Sign-in bookkeeping leaves nothing in the audit trail.
    assert session.exec(select(AuditEntry.action)).all() == ["insert"]


def test_sessions_end_on_sign_out_and_after_idling(session, claire):
    token = start_session(session, claire, now=T0)
    assert len(token) >= 40
    assert resume_session(session, token, idle_minutes=60, now=T0 + timedelta(minutes=59)) == claire
    # Used at 9:59, so still alive at 10:58; idle for more than an hour after that: ended.
    assert resume_session(session, token, idle_minutes=60, now=T0 + timedelta(minutes=118))
    assert resume_session(session, token, idle_minutes=60, now=T0 + timedelta(minutes=179)) is None
    assert resume_session(session, token, idle_minutes=60, now=T0 + timedelta(minutes=180)) is None
    other = start_session(session, claire, now=T0)
    end_session(session, other, now=T0 + timedelta(minutes=1))
    assert resume_session(session, other, idle_minutes=60, now=T0 + timedelta(minutes=2)) is None
    assert resume_session(session, "made-up", idle_minutes=60, now=T0) is None


def test_roles_are_ordered(claire):
    assert [can("staff", r) for r in ("viewer", "staff", "admin")] == [True, True, False]
    assert can(None, "viewer") is False
    assert require_role(claire, Role.VIEWER) == claire
    with pytest.raises(AccessDenied):
        require_role(claire, Role.ADMIN)
    with pytest.raises(AccessDenied):
        require_role(None, Role.VIEWER)


def test_the_first_admin_from_the_command_line(ref_engine, monkeypatch, capsys):
    import io

    import manage

    url = ref_engine.url.render_as_string(hide_password=False)
    base = ["--database-url", url, "create-user", "Anne", "--role", "admin", "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert manage.main([*base, "--name", "Anne Admin"]) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert manage.main([*base, "--name", "Anne Admin"]) == 0
    out = capsys.readouterr()
    assert out.out.strip().endswith("Account anne (admin) created.")
    assert PASSWORD not in out.out + out.err
    with writer(ref_engine) as s:
        result = authenticate(s, "anne", PASSWORD, max_failures=5, lock_minutes=15, now=T0)
    assert (result.reason, result.user.display_name, result.user.role) == (
        "ok",
        "Anne Admin",
        "admin",
    )


def test_a_session_records_its_use_at_most_once_a_minute(session, claire):
    from models import UserSession

    token = start_session(session, claire, now=T0)

    def last_seen() -> datetime:
        session.expire_all()
        seen = session.exec(select(UserSession.last_seen_at)).one()
        return seen if seen.tzinfo else seen.replace(tzinfo=UTC)

    assert resume_session(session, token, idle_minutes=60, now=T0 + timedelta(seconds=30))
    assert last_seen() == T0
    assert resume_session(session, token, idle_minutes=60, now=T0 + timedelta(seconds=61))
    assert last_seen() == T0 + timedelta(seconds=61)


def _claims(email: str, issued: datetime, **more: object) -> dict:
    """What ``st.user`` holds after an OpenID Connect sign-in (the identity token's claims)."""
    return {"is_logged_in": True, "email": email, "iat": int(issued.timestamp()), **more}


def test_single_sign_on_opens_only_registered_accounts_with_their_role(session):
    from core.auth import sso_sign_in

    create_user(
        session, username="lea", display_name="Léa Roux", role=Role.VIEWER, password=None,
        email="lea.roux@provence-promotion.example", author="admin",
    )  # fmt: skip
    # The provider's e-mail is matched whatever its case; the role is the account's.
    result = sso_sign_in(session, _claims("Lea.Roux@Provence-Promotion.example", T0), now=T0)
    assert (result.reason, result.user.username, result.user.role) == ("ok", "lea", Role.VIEWER)
    # An identity with no account here, an unverified e-mail or no e-mail opens nothing.
    assert sso_sign_in(session, _claims("intrus@example.org", T0), now=T0).reason == "invalid"
    unverified = _claims("lea.roux@provence-promotion.example", T0, email_verified=False)
    assert sso_sign_in(session, unverified, now=T0).reason == "invalid"
    assert sso_sign_in(session, {"is_logged_in": True, "iat": 1}, now=T0).reason == "invalid"
    # A disabled account neither.
    account = session.exec(select(UserAccount).where(UserAccount.username == "lea")).one()
    account.active = False
    session.add(account)
    session.commit()
    assert sso_sign_in(session, _claims("lea.roux@provence-promotion.example", T0)).user is None
    # A single-sign-on account has no password: the local form refuses it.
    assert authenticate(session, "lea", "", max_failures=5, lock_minutes=15).reason == "invalid"


def test_an_identity_older_than_the_last_session_must_sign_in_again(session):
    """After a sign-out or an idle expiry here, the provider's earlier identity does not open a
    new session by itself: idle expiry and sign-out hold for single sign-on too."""
    from core.auth import sso_sign_in

    create_user(
        session, username="lea", display_name="Léa Roux", role=Role.STAFF, password=None,
        email="lea@example.org", author="admin",
    )  # fmt: skip
    first = sso_sign_in(session, _claims("lea@example.org", T0), now=T0 + timedelta(seconds=2))
    token = start_session(session, first.user, now=T0 + timedelta(seconds=2))
    end_session(session, token, now=T0 + timedelta(minutes=40))  # signed out at 9:40
    again = sso_sign_in(session, _claims("lea@example.org", T0), now=T0 + timedelta(minutes=41))
    assert (again.user, again.reason) == (None, "stale")
    # Idle expiry: a session last used at 10:00, found expired at 11:00.
    fresh = T0 + timedelta(minutes=50)
    second = sso_sign_in(session, _claims("lea@example.org", fresh), now=fresh)
    token = start_session(session, second.user, now=fresh)
    assert resume_session(session, token, idle_minutes=30, now=T0 + timedelta(hours=2)) is None
    stale = sso_sign_in(session, _claims("lea@example.org", fresh), now=T0 + timedelta(hours=2))
    assert stale.reason == "stale"
    # A new sign-in with the provider (a newer identity) opens a new session.
    later = T0 + timedelta(hours=2, minutes=1)
    assert sso_sign_in(session, _claims("lea@example.org", later), now=later).reason == "ok"


def test_a_single_sign_on_account_from_the_command_line(ref_engine, capsys):
    import manage

    url = ref_engine.url.render_as_string(hide_password=False)
    base = ["--database-url", url, "create-user", "lea", "--role", "staff", "--sso"]
    assert manage.main(base) == 1  # no e-mail to link it to
    assert "needs --email" in capsys.readouterr().err
    assert manage.main([*base, "--email", "Lea@Example.org", "--name", "Léa Roux"]) == 0
    with writer(ref_engine) as s:
        account = s.exec(select(UserAccount).where(UserAccount.username == "lea")).one()
    assert (account.email, account.password_hash, account.role) == (
        "lea@example.org",
        None,
        Role.STAFF,
    )
