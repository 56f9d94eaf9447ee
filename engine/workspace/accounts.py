"""Accounts: who may use a workspace, in which role, for which department; passwords hashed
with argon2id (argon2-cffi) and never stored, shown or logged in clear; a lockout after
repeated failures; and the same answer whether a name exists or not.

Roles (issue "Departments in the workspace"):

- ``admin`` — the office administrator: entities, criteria, accounts, deadlines, check-ins;
- ``clerk`` — a department's clerk, bound to one department: enters and submits the inputs
  of the items where the department is lead, responsible or cooperating, nothing else;
- ``reviewer`` — the technical-materials group (技术材料组): approves or returns values;
- ``leader`` — reads everything, changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.workspace.audit import record
from engine.workspace.schema import Account, Setting
from engine.workspace.store import Workspace, WorkspaceError

ROLES = ("admin", "clerk", "reviewer", "leader")
ROLE_NAMES = {"admin": "创建办管理员", "clerk": "部门填报员", "reviewer": "技术材料组审核员",
              "leader": "领导(只读)"}  # fmt: skip
MAX_FAILURES = 5
"""Failed logins in a row before an account is locked for :data:`LOCKOUT`."""
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 10
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash(secrets.token_hex(16))
"""Verified against when a name does not exist, so that it takes as long as a real one."""


@dataclass(frozen=True)
class User:
    """The account a request acts for (what a session carries)."""

    id: int
    name: str
    role: str
    department: str | None
    generation: int


def _checked_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise WorkspaceError.single(
            "password",
            f"密码至少 {MIN_PASSWORD} 个字符",
            f"a password has at least {MIN_PASSWORD} characters",
        )


def add_user(
    space: Workspace,
    name: str,
    role: str,
    password: str,
    department: str | None = None,
    by: str = "",
    email: str | None = None,
) -> User:
    """Create an account (``by``: who creates it, for the audit trail)."""
    if role not in ROLES:
        raise WorkspaceError.single(
            role, f"角色应为 {'、'.join(ROLES)} 之一", f"the role is one of {', '.join(ROLES)}"
        )
    if role == "clerk" and not department:
        raise WorkspaceError.single(
            name, "部门填报员须指明所属单位(--department)", "a clerk needs a --department"
        )
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise WorkspaceError.single(
            name, "用户名应为 1–100 个可见字符", "1–100 printable characters"
        )
    _checked_password(password)
    with space.transaction() as session:
        if session.scalar(select(Account).where(Account.name == name)) is not None:
            raise WorkspaceError.single(name, "已有此用户名", "this name is taken")
        account = Account(
            name=name, role=role, department=department if role == "clerk" else None,
            email=(email or "").strip() or None,
            password_hash=_HASHER.hash(password), active=True, failed=0, generation=0,
            created_at=datetime.now(),
        )  # fmt: skip
        session.add(account)
        session.flush()
        record(session, by or name, "account_created", target=name,
               detail={"role": role, "department": account.department})  # fmt: skip
        return _user(account)


def has_accounts(space: Workspace) -> bool:
    with Session(space.engine) as session:
        return bool(session.scalar(select(func.count()).select_from(Account)))


def accounts(space: Workspace) -> list[Account]:
    with Session(space.engine) as session:
        return list(session.scalars(select(Account).order_by(Account.name)))


def authenticate(space: Workspace, name: str, password: str, now: datetime | None = None) -> User:
    """The user of ``name`` if ``password`` is theirs; else one error, the same whether the
    name exists, the password is wrong, the account is locked or disabled."""
    now = now or datetime.now()
    refused = WorkspaceError.single(
        name,
        "用户名或密码不正确，或暂时无法登录",
        "wrong name or password, or login not possible now",
    )
    user = None
    # The failure is recorded (counter, lockout, audit) and committed before it is raised.
    with space.transaction() as session:
        account = session.scalar(select(Account).where(Account.name == name))
        if account is None:
            _verify(_DUMMY, password)  # as long as a real check
        elif account.locked_until is not None and account.locked_until > now:
            _verify(_DUMMY, password)
            record(session, name, "login_refused", target=name, detail={"why": "locked"})
        elif not _verify(account.password_hash, password) or not account.active:
            account.failed += 1
            if account.failed >= MAX_FAILURES:
                account.locked_until, account.failed = now + LOCKOUT, 0
            record(session, name, "login_failed", target=name)
        else:
            account.failed, account.locked_until = 0, None
            if _HASHER.check_needs_rehash(account.password_hash):
                account.password_hash = _HASHER.hash(password)
            record(session, name, "login", target=name)
            user = _user(account)
    if user is None:
        raise refused
    return user


def set_password(space: Workspace, name: str, password: str, by: str) -> None:
    _checked_password(password)
    with space.transaction() as session:
        account = _account(session, name)
        account.password_hash = _HASHER.hash(password)
        account.generation += 1  # every session of the old password ends
        account.failed, account.locked_until = 0, None
        record(session, by, "password_changed", target=name)


def set_active(space: Workspace, name: str, active: bool, by: str) -> None:
    with space.transaction() as session:
        account = _account(session, name)
        account.active = active
        account.generation += 1
        record(session, by, "account_enabled" if active else "account_disabled", target=name)


def current(space: Workspace, user_id: int, generation: int) -> User | None:
    """The user a session names, if the account still exists, is active and the session is
    of its current password."""
    with Session(space.engine) as session:
        account = session.get(Account, user_id)
        if account is None or not account.active or account.generation != generation:
            return None
        return _user(account)


def secret_key(space: Workspace) -> str:
    """The key that signs session cookies: made once, kept in the database."""
    with space.transaction() as session:
        found = session.get(Setting, "session_key")
        if found is None:
            found = Setting(key="session_key", value=secrets.token_hex(32))
            session.add(found)
        return found.value


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _account(session: Session, name: str) -> Account:
    account = session.scalar(select(Account).where(Account.name == name))
    if account is None:
        raise WorkspaceError.single(name, "没有此用户", "no such account")
    return account


def _user(account: Account) -> User:
    return User(account.id, account.name, account.role, account.department, account.generation)


__all__ = [
    "LOCKOUT",
    "MAX_FAILURES",
    "ROLES",
    "ROLE_NAMES",
    "User",
    "accounts",
    "add_user",
    "authenticate",
    "current",
    "has_accounts",
    "secret_key",
    "set_active",
    "set_password",
]
