"""登录 / Login and logout; the administrator's accounts page; the audit trail."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Response, redirect, request, session

from engine.errors import EcoassessError
from engine.web.auth import PER_ADDRESS, PER_NAME, address, attempts, log_in, requires, user
from engine.web.common import PageError, attachment, lang, page, say, workbench
from engine.workspace.accounts import ROLES, accounts, add_user, authenticate, set_active
from engine.workspace.audit import as_csv, entries
from engine.workspace.store import Workspace

pages = Blueprint("auth", __name__)


def _space() -> Workspace:
    found = workbench().workspace
    assert found is not None
    return found


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never ``//elsewhere`` or a full address)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/workspace"
    return target


@pages.get("/login")
def login_form() -> Response:
    return page("login", next=_safe_next(request.args.get("next")), failed=False)


@pages.post("/login")
def login() -> Response:
    name = request.form.get("name", "").strip()[:100]
    password = request.form.get("password", "")
    limits = attempts()
    where = address(request)
    target = _safe_next(request.form.get("next"))
    if limits.blocked(f"name:{name}", PER_NAME) or limits.blocked(f"addr:{where}", PER_ADDRESS):
        return page("login", 429, next=target, failed=True)
    try:
        found = authenticate(_space(), name, password)
    except EcoassessError:
        limits.failed(f"name:{name}")
        limits.failed(f"addr:{where}")
        return page("login", 401, next=target, failed=True)
    log_in(found)
    return cast(Response, redirect(target, code=303))


@pages.post("/logout")
def logout() -> Response:
    session.clear()
    return cast(Response, redirect("/login", code=303))


@pages.get("/workspace/accounts")
@requires("accounts")
def account_list() -> Response:
    return page(
        "ws_accounts", accounts=accounts(_space()), roles=ROLES, done=request.args.get("done")
    )


@pages.post("/workspace/accounts")
@requires("accounts")
def account_create() -> Response:
    form = request.form
    add_user(_space(), form.get("name", ""), form.get("role", ""), form.get("password", ""),
             form.get("department") or None, by=user().name, email=form.get("email"))  # fmt: skip
    return cast(Response, redirect(f"/workspace/accounts?lang={lang()}&done=1", code=303))


@pages.post("/workspace/accounts/<name>/active")
@requires("accounts")
def account_active(name: str) -> Response:
    if name == user().name:
        raise PageError(400, [say(lang(), "不能停用自己的账号", "you cannot disable yourself")])
    set_active(_space(), name, request.form.get("active") == "1", by=user().name)
    return cast(Response, redirect(f"/workspace/accounts?lang={lang()}", code=303))


@pages.get("/workspace/audit")
@requires("audit")
def audit() -> Response:
    args = request.args
    chosen = {key: args.get(key) or None for key in ("user", "department", "entity", "target")}
    found = entries(_space().engine, **chosen, limit=None if args.get("format") else 500)
    if args.get("format") == "csv":
        return attachment(as_csv(found), "text/csv", "audit.csv")
    return page("ws_audit", entries=found, chosen=chosen)


__all__ = ["pages"]
