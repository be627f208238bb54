"""Accounts, sign-in and sessions.

Passwords are stored as argon2id hashes (argon2-cffi) and never logged nor shown. A sign-in
that fails is answered more slowly after the second failure in a row, and the account is
locked for ``login_lock_minutes`` after ``login_max_failures``; failures older than that
window are forgotten. A signed-in session is a random token whose SHA-256 alone is stored: it
ends on sign-out (on the server) or after ``session_idle_minutes`` without use.

Roles are ordered: a viewer reads the dashboards, staff also log and edit, admins also
administer. ``require_role`` is the check every page makes at its top. Every write function
of ``core/`` checks again, with ``authorise``, the user bound to its database session by
``act_as``: a session without a user, or with too low a role, writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from core.errors import RuleError
from core.permissions import SignedIn
from core.writes import write_transaction
from models import Chamber, Role, UserAccount, UserSession, utcnow

log = logging.getLogger(__name__)

MIN_PASSWORD = 10
TOUCH_EVERY = timedelta(minutes=1)
#: Failures in a row answered at once; each later one waits one more second (at most 5).
FREE_FAILURES = 2
_hasher = PasswordHasher()  # argon2id, the library's current parameters
#: Verified against when the user name is unknown, so that the answer takes as long.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


@dataclass(frozen=True)
class SignInResult:
    user: SignedIn | None
    reason: str  # "ok", "invalid" (name or password), "locked"
    delay_seconds: float = 0.0  # how long to wait before answering
    locked_until: datetime | None = None


def _signed_in(account: UserAccount) -> SignedIn:
    return SignedIn(
        account.id, account.username, account.display_name, account.role, account.chamber_id
    )


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without their zone: they are UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise RuleError("rule.user.password_short", field="password", min_length=MIN_PASSWORD)
    return _hasher.hash(password)


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str | None,
    author: str,
    email: str | None = None,
    is_demo: bool = False,
    chamber_id: int | None = None,
) -> SignedIn:
    """A new account (one transaction); ``password`` None for a single-sign-on account. A
    partner's account needs its chamber (``chamber_id``); no other account may have one."""
    with write_transaction(session, Role.ADMIN, author):
        name = username.strip().lower()
        if session.exec(select(UserAccount.id).where(UserAccount.username == name)).first():
            raise RuleError("rule.user.name_taken", field="username", username=name)
        if Role(role) == Role.PARTNER:
            if chamber_id is None or session.get(Chamber, chamber_id) is None:
                raise RuleError("rule.user.partner_chamber", field="chamber")
        elif chamber_id is not None:
            raise RuleError("rule.user.chamber_not_partner", field="chamber")
        account = UserAccount.model_validate(
            {
                "username": name,
                "display_name": display_name.strip(),
                "role": Role(role),
                "password_hash": hash_password(password) if password is not None else None,
                "email": email,
                "is_demo": is_demo,
                "chamber_id": chamber_id,
            }
        )
        session.add(account)
    session.refresh(account)
    log.info("account %s (%s) created by %s", account.username, account.role.value, author)
    return _signed_in(account)


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    max_failures: int,
    lock_minutes: int,
    now: datetime | None = None,
) -> SignInResult:
    """Check a user name and password, counting failures and locking as configured."""
    now = now or utcnow()
    window = timedelta(minutes=lock_minutes)
    account = session.exec(
        select(UserAccount).where(UserAccount.username == username.strip().lower())
    ).first()
    if account is None or not account.active or account.password_hash is None:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return SignInResult(None, "invalid")
    locked_until = _aware(account.locked_until)
    if locked_until is not None and locked_until > now:
        return SignInResult(None, "locked", locked_until=locked_until)
    last_failed = _aware(account.last_failed_at)
    if last_failed is not None and now - last_failed > window:
        account.failed_attempts = 0  # old failures are forgotten
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        account.failed_attempts += 1
        account.last_failed_at = now
        locked = account.failed_attempts >= max_failures
        if locked:
            account.locked_until = now + window
            account.failed_attempts = 0
        session.add(account)
        session.commit()
        log.warning("failed sign-in for %s%s", account.username, " (locked)" if locked else "")
        if locked:
            return SignInResult(None, "locked", locked_until=now + window)
        delay = float(min(max(account.failed_attempts - FREE_FAILURES, 0), 5))
        return SignInResult(None, "invalid", delay_seconds=delay)
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    account.failed_attempts, account.last_failed_at, account.locked_until = 0, None, None
    account.last_login_at = now
    session.add(account)
    session.commit()
    return SignInResult(_signed_in(account), "ok")


def sso_sign_in(
    session: Session,
    claims: dict[str, Any],
    *,
    now: datetime | None = None,
) -> SignInResult:
    """Sign in the account registered with the e-mail an OpenID Connect provider vouched for
    (``claims``: the identity token's, as ``st.user`` gives them).

    Refused ("invalid") when no active account has that e-mail, or the provider says it is not
    verified: an identity alone opens nothing. Refused ("stale") when the identity was issued
    before the account's last session was last used: the provider's sign-in is older than an
    expiry or a sign-out here, so it must be made again (else idle expiry would not hold).
    """
    now = now or utcnow()
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is False:
        return SignInResult(None, "invalid")
    account = session.exec(
        select(UserAccount).where(sa.func.lower(UserAccount.email) == email)
    ).first()
    if account is None or not account.active:
        log.warning("single sign-on refused: no active account for this e-mail")
        return SignInResult(None, "invalid")
    issued = claims.get("iat")
    issued_at = datetime.fromtimestamp(issued, UTC) if isinstance(issued, int | float) else None
    last_used = session.exec(
        select(sa.func.max(sa.func.coalesce(UserSession.ended_at, UserSession.last_seen_at))).where(
            UserSession.user_id == account.id
        )
    ).one()
    if issued_at is None or (last_used is not None and issued_at <= _aware(last_used)):
        return SignInResult(None, "stale")
    account.last_login_at = now
    session.add(account)
    session.commit()
    return SignInResult(_signed_in(account), "ok")


def demo_account(session: Session, role: Role) -> SignedIn | None:
    """The demo account of ``role`` (only demo data have them; the first partner's for
    partner)."""
    account = session.exec(
        select(UserAccount)
        .where(UserAccount.is_demo.is_(True), UserAccount.role == role)
        .order_by(UserAccount.username)
    ).first()
    return _signed_in(account) if account is not None else None


def demo_partner_accounts(session: Session) -> list[tuple[SignedIn, str]]:
    """The demo partners' accounts with their chamber's name, by user name."""
    rows = session.exec(
        select(UserAccount, Chamber.name)
        .join(Chamber, Chamber.id == UserAccount.chamber_id)
        .where(UserAccount.is_demo.is_(True), UserAccount.role == Role.PARTNER)
        .order_by(UserAccount.username)
    ).all()
    return [(_signed_in(account), name) for account, name in rows]


def demo_account_named(session: Session, username: str) -> SignedIn | None:
    """The demo account ``username`` (an account that is not a demo one opens nothing here)."""
    account = session.exec(
        select(UserAccount).where(UserAccount.is_demo.is_(True), UserAccount.username == username)
    ).first()
    return _signed_in(account) if account is not None and account.active else None


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: SignedIn, now: datetime | None = None) -> str:
    """A new session for ``user``: the token to keep in the browser (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    session.add(
        UserSession(token_hash=_digest(token), user_id=user.id, created_at=now, last_seen_at=now)
    )
    session.commit()
    return token


def resume_session(
    session: Session, token: str, *, idle_minutes: int, now: datetime | None = None
) -> SignedIn | None:
    """The user of a live session (and the session marked as used now), or None: unknown,
    ended, idle too long, or its account disabled."""
    now = now or utcnow()
    row = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
    if row is None or row.ended_at is not None:
        return None
    account = session.get(UserAccount, row.user_id)
    if now - _aware(row.last_seen_at) > timedelta(minutes=idle_minutes) or not (
        account and account.active
    ):
        row.ended_at = now
        session.add(row)
        session.commit()
        return None
    if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
        # Every page run resumes the session: writing its use at most once a minute keeps
        # one write per rerun off the database (the idle limit stays exact to the minute).
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return _signed_in(account)


def end_session(session: Session, token: str, now: datetime | None = None) -> None:
    row = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
    if row is not None and row.ended_at is None:
        row.ended_at = now or utcnow()
        session.add(row)
        session.commit()
