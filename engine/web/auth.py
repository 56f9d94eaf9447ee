"""Who a request acts for, in a workbench that serves a workspace.

- A workspace without accounts is one person's, on this machine: every request acts for the
  local user, as administrator (``serve`` refuses to offer it to other machines).
- Once it has accounts, every page needs a login. Sessions live in a signed cookie
  (HttpOnly, SameSite=Lax, Secure when the request came over TLS) holding the account and
  the generation of its password — a changed password or a disabled account ends every
  session. Every state-changing form of the workspace carries a CSRF token (Flask-WTF).
- Failed logins are limited per name and per address (:class:`Attempts`), on top of the
  account lockout in the database; the message is the same whatever failed, so that it never
  tells whether a name exists.
- :func:`requires` guards each page with the action it needs (engine.workspace.access); a
  refusal is a 403 page and a line in the audit trail.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, Request, Response, g, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from engine.web.common import PageError, lang, say, workbench
from engine.workspace.access import may
from engine.workspace.accounts import User, current, has_accounts, secret_key
from engine.workspace.audit import record
from engine.workspace.base import user_name

F = TypeVar("F", bound=Callable[..., Any])
WINDOW = 15 * 60
"""Seconds over which failed logins are counted."""
PER_NAME, PER_ADDRESS = 5, 20
OPEN_ENDPOINTS = frozenset({"auth.login", "auth.login_form"})


class Attempts:
    """Failed logins in the last :data:`WINDOW` seconds, per key (a name, an address)."""

    def __init__(self) -> None:
        self._failed: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, key: str, limit: int) -> bool:
        with self._lock:
            recent = self._failed[key]
            while recent and recent[0] < time.monotonic() - WINDOW:
                recent.popleft()
            return len(recent) >= limit

    def failed(self, key: str) -> None:
        with self._lock:
            self._failed[key].append(time.monotonic())


class _SessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:
        # Secure whenever the request itself came over TLS (directly or, with waitress's
        # trusted-proxy settings, through a proxy in front).
        return bool(request.is_secure) or super().get_cookie_secure(app)


def install(app: Flask, csrf_exempt: list[Any]) -> None:
    """Sessions, CSRF protection and the login check, for a workbench with a workspace."""
    space = app.extensions["ecoassess"].workspace
    assert space is not None
    app.secret_key = secret_key(space)
    app.config.update(
        SESSION_COOKIE_NAME="ecoassess_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.session_interface = _SessionInterface()
    protect = CSRFProtect(app)
    for blueprint in csrf_exempt:  # pages that compute a report and change nothing
        protect.exempt(blueprint)
    app.extensions["ecoassess_attempts"] = Attempts()

    @app.before_request
    def who() -> Response | None:
        g.user = _user()
        if g.user is None and request.endpoint not in OPEN_ENDPOINTS:
            if request.method in ("GET", "HEAD"):
                return cast(Response, redirect(f"/login?next={request.full_path}", code=303))
            raise PageError(401, [say(lang(), "请先登录", "log in first")])
        return None


def _user() -> User | None:
    space = workbench().workspace
    assert space is not None
    if not has_accounts(space):
        return User(0, user_name(), "admin", None, 0)  # one person, on this machine
    found = session.get("user")
    if not isinstance(found, list) or len(found) != 2:
        return None
    return current(space, int(found[0]), int(found[1]))


def user() -> User:
    found: User | None = g.get("user")
    if found is None:  # without a workspace there is nobody to act for
        raise PageError(401, [say(lang(), "请先登录", "log in first")])
    return found


def log_in(found: User) -> None:
    session.clear()
    session.permanent = True
    session["user"] = [found.id, found.generation]


def attempts() -> Attempts:
    from flask import current_app

    return cast(Attempts, current_app.extensions["ecoassess_attempts"])


def address(req: Request) -> str:
    return req.remote_addr or "?"


def refuse(action: str) -> PageError:
    """A 403, recorded in the audit trail with who tried what."""
    space = workbench().workspace
    assert space is not None
    who = g.get("user")
    with space.transaction() as db:
        record(db, who.name if who else "?", "refused", target=request.path[:200],
               department=who.department if who else None,
               detail={"method": request.method, "action": action})  # fmt: skip
    return PageError(403, [say(lang(), "无权进行此操作", "you may not do this")])


def requires(action: str) -> Callable[[F], F]:
    """Only users whose role may take ``action`` reach the page."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not may(user(), action):
                raise refuse(action)
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


__all__ = ["Attempts", "address", "attempts", "install", "log_in", "refuse", "requires", "user"]
