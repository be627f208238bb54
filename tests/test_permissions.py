"""Every write function of core/ runs inside the one write path, ``core.writes.write_transaction``,
which checks the role of the user its session writes for before it reads or writes anything:
pages check the role at their top, and core checks again.

The list of write functions is found in the source (a public function that commits, or goes
through a write helper), so that a new write function without the check fails here.
"""

from __future__ import annotations

import ast
import importlib
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.permissions import COMMAND_LINE, AccessDenied, SignedIn, act_as
from models import AuditEntry, Organisation, OrganisationCreate, Role, TargetCreate
from tests.apptest_support import ROOT

#: Writes made before anyone is signed in, or by the server's own start: not a user's write.
NOT_A_USERS_WRITE = {
    ("auth", "authenticate"),  # the sign-in itself (failures and locks)
    ("auth", "sso_sign_in"),
    ("auth", "start_session"),
    ("auth", "resume_session"),
    ("auth", "end_session"),
    ("bootstrap", "init_database"),  # schema, reference data and demo data at start-up
    ("db", "session_scope"),  # a helper handing out sessions
    ("writes", "write_transaction"),  # the write path itself (tested below)
}
WRITE_MARKS = (
    ".commit()",
    "write_transaction(",
    "sa.insert(",
    "sa.delete(",
    ".delete(",
    "session.add(",
)
#: Write helpers, found by a call of their exact name: ``_update(`` is core.edits' helper,
#: ``_last_update(`` (a reader's subquery in core.partners) is not a call of it.
WRITE_HELPER_CALLS = tuple(re.compile(rf"(?<!\w){name}\(") for name in ("_update",))
#: Public helpers that write only inside their caller's transaction, which went through the
#: write path: they open none, never commit, and only a write function calls them.
#: ``record_inserts`` writes the audit entries of the rows a bulk insert of the import wrote.
IN_THE_CALLERS_TRANSACTION = {("audit", "record_inserts"): ("importing",)}
#: Writes made in batches, one transaction each: the role is checked first, once, by
#: ``authorise``; every batch then goes through the write path (which checks it again).
BATCHED = {("importing", "apply_import")}

#: Each write function and the role it needs, worked out from the issue's table of roles:
#: staff log and edit; admins manage users, targets, imports, merges, personal-data requests
#: and the audit trail. A partner (issue 11) refers leads, and nothing else; staff write the
#: updates a referring chamber reads (the agency's roles refer no lead: ``refer_lead`` needs
#: the partner's chamber, which only a partner's account has).
EXPECTED = {
    ("audit", "restore_value"): Role.ADMIN,
    ("aftercare", "record_checkin"): Role.STAFF,
    ("auth", "create_user"): Role.ADMIN,
    ("claims", "create_claim"): Role.STAFF,
    ("claims", "decide_claim"): Role.ADMIN,
    ("edits", "update_organisation"): Role.STAFF,
    ("edits", "update_person"): Role.STAFF,
    ("edits", "update_mission"): Role.STAFF,
    ("edits", "update_project"): Role.STAFF,
    ("edits", "update_interaction"): Role.STAFF,
    ("edits", "remove_mission_participants"): Role.STAFF,
    ("followups", "mark_followup_done"): Role.STAFF,
    ("followups", "reschedule_followup"): Role.STAFF,
    ("importing", "apply_import"): Role.STAFF,
    ("meetings", "log_meeting"): Role.STAFF,
    ("merging", "merge_organisations"): Role.ADMIN,
    ("merging", "merge_people"): Role.ADMIN,
    ("personal_data", "anonymise_person"): Role.ADMIN,
    ("personal_data", "create_request"): Role.ADMIN,
    ("personal_data", "close_request"): Role.ADMIN,
    ("personal_data", "log_personal_data_access"): Role.STAFF,
    ("records", "create_organisation"): Role.STAFF,
    ("records", "create_person"): Role.STAFF,
    ("records", "create_project"): Role.STAFF,
    ("records", "change_stage"): Role.STAFF,
    ("records", "create_interaction"): Role.STAFF,
    ("records", "create_mission"): Role.STAFF,
    ("records", "add_mission_organisation"): Role.STAFF,
    ("records", "add_mission_person"): Role.STAFF,
    ("records", "set_target"): Role.ADMIN,
    ("referrals", "add_shared_update"): Role.STAFF,
    ("referrals", "refer_lead"): Role.PARTNER,
    ("snapshots", "freeze"): Role.ADMIN,
    ("trend_notes", "create_note"): Role.ADMIN,
    ("trend_notes", "delete_note"): Role.ADMIN,
}

VIEWER = SignedIn(11, "vera", "Vera Viewer", Role.VIEWER)
STAFF = SignedIn(12, "sam", "Sam Staff", Role.STAFF)
ADMIN = SignedIn(13, "ada", "Ada Admin", Role.ADMIN)
#: A partner of a chamber: outside the agency's order of roles (``core.permissions.can``).
PARTNER = SignedIn(14, "pia", "Pia Partner", Role.PARTNER, chamber_id=1)


def _write_functions() -> dict[tuple[str, str], str]:
    """Public functions of core/ that write, with their source."""
    found = {}
    for path in sorted((ROOT / "core").glob("*.py")):
        text = path.read_text()
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                source = ast.get_source_segment(text, node) or ""
                if any(mark in source for mark in WRITE_MARKS) or any(
                    call.search(source) for call in WRITE_HELPER_CALLS
                ):
                    found[(Path(path).stem, node.name)] = source
    return found


def _first_statement(source: str) -> ast.stmt:
    function = ast.parse(source).body[0]
    return function.body[1] if ast.get_docstring(function) else function.body[0]


def role_check_first(source: str, role: Role, *, batched: bool = False) -> bool:
    """True when the function's first statement opens the write path for ``role``
    (``with write_transaction(session, Role.X, ...)``), or, for a batched write, checks the role
    with ``authorise(session, Role.X)``; and it never commits nor rolls back by itself."""
    first = _first_statement(source)
    if ".commit()" in source or ".rollback()" in source:
        return False
    if batched:
        call = first.value if isinstance(first, ast.Expr) else None
        name = "authorise"
    else:
        call = first.items[0].context_expr if isinstance(first, ast.With) else None
        name = "write_transaction"
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == name
        and len(call.args) >= 2
        and ast.unparse(call.args[0]) == "session"
        and ast.unparse(call.args[1]) == f"Role.{role.name}"
    )


def test_every_write_function_checks_the_role_first():
    found = _write_functions()
    assert set(found) - NOT_A_USERS_WRITE - set(IN_THE_CALLERS_TRANSACTION) == set(EXPECTED)
    for (module, name), role in EXPECTED.items():
        source = found[(module, name)]
        assert role_check_first(source, role, batched=(module, name) in BATCHED), (module, name)


def test_the_write_detection_tells_a_helper_call_from_a_name_ending_like_it():
    assert ("partners", "list_referrals") not in _write_functions()  # ``_last_update()``
    assert [bool(c.search("x = _update(s)")) for c in WRITE_HELPER_CALLS] == [True]
    assert [bool(c.search("edits._update(s)")) for c in WRITE_HELPER_CALLS] == [True]
    assert [bool(c.search("x = _last_update()")) for c in WRITE_HELPER_CALLS] == [False]


@pytest.mark.parametrize(("helper", "callers"), sorted(IN_THE_CALLERS_TRANSACTION.items()))
def test_a_write_helper_runs_only_inside_a_write_functions_transaction(helper, callers):
    """It opens no transaction of its own, and is called only by modules whose public
    writes all check the role first (the import: ``authorise``, then ``write_transaction``
    for each batch)."""
    source = _write_functions()[helper]
    for own in (".commit()", ".rollback()", "write_transaction(", "session_scope("):
        assert own not in source, own
    module, name = helper
    calling = {
        path.stem
        for path in (ROOT / "core").glob("**/*.py")
        if path.stem != module and re.search(rf"\b{name}\(", path.read_text())
    }
    assert calling == set(callers)
    for caller in callers:
        assert {m for (m, _) in EXPECTED if m == caller} == {caller}


def test_the_write_path_checks_the_role_before_anything_else():
    import core.writes

    text = Path(core.writes.__file__).read_text()
    function = next(
        n for n in ast.parse(text).body if getattr(n, "name", "") == "write_transaction"
    )
    assert ast.unparse(_first_statement(ast.get_source_segment(text, function))) == (
        "user = authorise(session, needed)"
    )


@pytest.mark.parametrize(
    ("module", "name"), [("records", "create_person"), ("edits", "update_person")]
)
def test_the_structural_check_fails_without_the_role_check(module, name):
    """The check above catches a write function whose role check was removed, replaced by a
    lower role, moved after a read, or bypassed by a commit of its own."""
    source = _write_functions()[(module, name)]
    assert role_check_first(source, Role.STAFF)
    assert not role_check_first(source, Role.ADMIN)
    call = "write_transaction(session, Role.STAFF"
    assert call in source
    without = source.replace(call, "nullcontext(session, Role.STAFF")
    assert not role_check_first(without, Role.STAFF)
    lines = source.splitlines()
    at = next(i for i, line in enumerate(lines) if call in line)
    read_first = [*lines[:at], "    session.get(Person, 1)", *lines[at:]]
    assert not role_check_first("\n".join(read_first), Role.STAFF)
    assert not role_check_first(source + "\n    session.commit()", Role.STAFF)
    batched = _write_functions()[("importing", "apply_import")]
    assert role_check_first(batched, Role.STAFF, batched=True)
    assert not role_check_first(
        batched.replace("authorise(session, Role.STAFF)", "None"), Role.STAFF, batched=True
    )


def _rows(session) -> tuple[int, int]:
    count = sa.func.count()
    return (
        session.exec(select(count).select_from(Organisation)).one(),
        session.exec(select(count).select_from(AuditEntry)).one(),
    )


@pytest.mark.parametrize(("module", "name"), sorted(EXPECTED))
def test_a_write_without_the_role_is_refused_and_writes_nothing(session, module, name):
    function = getattr(importlib.import_module(f"core.{module}"), name)
    before = _rows(session)
    needed = EXPECTED[(module, name)]
    if needed is Role.PARTNER:  # a branch of its own: no agency role opens it
        too_low = [None, VIEWER, STAFF, ADMIN]
    else:  # a partner opens none of the agency's writes
        too_low = [None, VIEWER, PARTNER] + ([STAFF] if needed is Role.ADMIN else [])
    for user in too_low:
        act_as(session, user)
        with pytest.raises(AccessDenied):
            # The check comes first: the arguments are never looked at.
            if module in ("merging", "audit", "auth", "edits", "personal_data", "followups"):
                function(session, **_any_arguments(function))
            elif module == "importing":
                function(session, None, author="x")
            else:
                function(session=session, **_any_arguments(function))
    assert _rows(session) == before


def _any_arguments(function) -> dict:
    """Keyword arguments of the right names (their values do not matter: never reached)."""
    code = function.__code__
    names = code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]
    defaults = function.__kwdefaults__ or {}
    return {name: None for name in names if name != "session" and name not in defaults}


def test_staff_write_records_and_admins_also_set_targets(session):
    from core.records import create_organisation, set_target

    org = create_organisation(
        session=act_as(session, STAFF), data=OrganisationCreate(name="Nordwind AS"), author="Sam"
    )
    assert session.get(Organisation, org.id).name == "Nordwind AS"
    target = TargetCreate(year=2027, kpi="projects_won", value=70)
    with pytest.raises(AccessDenied):
        set_target(session=session, data=target)
    assert set_target(session=act_as(session, ADMIN), data=target).value == 70


def test_the_command_line_writes_as_its_operator(session):
    """``manage.py`` runs on the server: its operator administers it."""
    from core.personal_data import create_request
    from models import DataRequestCreate, RequestKind

    request = create_request(
        act_as(session, COMMAND_LINE),
        data=DataRequestCreate(
            kind=RequestKind.ACCESS, requester="Meera Rao", received_on=date(2026, 11, 2)
        ),
        author="manage.py",
    )
    assert (request.kind, request.handled_by) == (RequestKind.ACCESS, None)
