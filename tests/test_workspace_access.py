"""Who may do what in a workspace with accounts: every route × every role, on SQLite and
PostgreSQL; a clerk's crafted request for another department's input is refused and logged;
no page without a login, no form without its CSRF token, no name told apart by the login."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from engine.criteria.loader import load_criteria, search_path
from engine.web import create_app
from engine.workspace.access import department_inputs
from engine.workspace.accounts import add_user
from engine.workspace.audit import entries
from engine.workspace.review import pending, submit
from engine.workspace.store import init
from tests.conftest import EXAMPLE, REPO

YUNNAN = load_criteria("yunnan_2014", search_path())
PASSWORD = "a long enough password"
DEPARTMENT = "市林业局"
ROLES = ("admin", "clerk", "reviewer", "leader")
OWN = "forest_cover_rate"
FOREIGN = next(n for n in YUNNAN.inputs if n not in department_inputs(YUNNAN, DEPARTMENT))
FOREIGN_VALUE = "是" if YUNNAN.inputs[FOREIGN].type == "boolean" else "1"
PDF = b"%PDF-1.4\n%%EOF\n"
E = "/workspace/entity/保山市"

GETS = {
    "/workspace": (200, 303, 200, 200),
    "/workspace?format=pdf": (200, 303, 200, 200),  # a clerk's home is the tasks page
    E: (200, 200, 200, 200),
    f"{E}/history?input={OWN}&year=2016": (200, 200, 200, 200),
    f"{E}/history?input={FOREIGN}&year=2016": (200, 403, 200, 200),
    f"{E}/report?checkin=c1": (200, 403, 200, 200),
    f"{E}/report?checkin=c1&format=docx": (200, 403, 200, 200),
    f"{E}/report?checkin=c1&format=pdf&document=summary": (200, 403, 200, 200),
    f"{E}/progress?from=c1&to=c2": (200, 403, 200, 200),
    f"{E}/bundle?checkin=c1": (200, 403, 200, 200),
    "/workspace/evidence/1": (200, 200, 200, 200),  # attached to the clerk's own input
    "/workspace/evidence/2": (200, 403, 200, 200),  # attached to another department's
    f"/workspace/tasks?department={DEPARTMENT}": (200, 200, 403, 403),
    "/workspace/review": (200, 403, 200, 403),
    "/workspace/deadlines": (200, 200, 200, 200),
    "/workspace/departments": (200, 403, 200, 200),
    f"/workspace/departments/{DEPARTMENT}": (200, 200, 200, 200),
    "/workspace/departments/市发展改革委": (200, 403, 200, 200),
    f"/workspace/departments/{DEPARTMENT}?format=pdf": (200, 200, 200, 200),
    "/workspace/departments/市发展改革委?format=docx": (200, 403, 200, 200),
    "/workspace/accounts": (200, 403, 403, 403),
    "/workspace/audit": (200, 403, 200, 200),
    "/workspace/audit?format=csv": (200, 403, 200, 200),
    "/check": (200, 200, 200, 200),
    "/criteria/yunnan_2014": (200, 200, 200, 200),
}
ALLOWED = {"admin", "clerk"}


def posts(role: str, review_id: int) -> list[tuple[str, dict, tuple[str, ...]]]:
    """(path, form, roles that may) of every state-changing form."""
    part = (REPO / "examples" / "workspace" / "市林业局_2017-01.csv").read_bytes()
    return [
        (f"/workspace/review/{review_id}", {"decision": "approve"}, ("admin", "reviewer")),
        (f"{E}/value", {"input": OWN, "year": "2016", "value": "66.8"}, ("admin", "clerk")),
        (f"{E}/value", {"input": FOREIGN, "year": "2016", "value": FOREIGN_VALUE}, ("admin",)),
        (f"{E}/evidence", {"year": "2016", "target": f"input:{OWN}",
                           "file": (io.BytesIO(PDF), "x.pdf")}, ("admin", "clerk")),
        (f"{E}/evidence", {"year": "2016", "target": f"input:{FOREIGN}",
                           "file": (io.BytesIO(PDF), "y.pdf")}, ("admin",)),
        ("/workspace/import", {"data": [(io.BytesIO(part), "林业局.csv")]}, ("admin", "clerk")),
        ("/workspace/checkin", {"name": f"by-{role}"}, ("admin",)),
        ("/workspace/submit", {"version": ""}, ("admin", "clerk")),
        ("/workspace/deadlines", {"checkin": "c9", "due": "2030-01-31",
                                  "department": DEPARTMENT}, ("admin",)),
        ("/workspace/accounts", {"name": f"new-{role}", "role": "leader",
                                 "password": PASSWORD}, ("admin",)),
        ("/workspace/accounts/reviewer/active", {"active": "1"}, ("admin",)),
    ]  # fmt: skip


def _token(client, path: str = "/login") -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found is not None
    return found[1]


@pytest.fixture
def workspace(tmp_path: Path, database: str | None) -> Path:
    folder = tmp_path / "ws"
    space = init(folder, database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN, user="创建办")
    for role in ROLES:
        add_user(space, role, role, PASSWORD, DEPARTMENT if role == "clerk" else None)
    space.attach_content("保山市", "own.pdf", PDF, 2016, input_name=OWN)
    space.attach_content("保山市", "foreign.pdf", PDF, 2016, input_name=FOREIGN)
    space.checkin("c1", YUNNAN)
    space.enter_value("保山市", "forest_land_area", 2016, "1462400", YUNNAN, user="clerk",
                      state="draft")  # fmt: skip
    submit(space, [v.id for v in pending(space, ("draft",))], "clerk")
    space.checkin("c2", YUNNAN)
    return folder


def _client(folder: Path, role: str | None):  # type: ignore[no-untyped-def]
    client = create_app(trusted_hosts=["localhost"], workspace=folder).test_client()
    if role is not None:
        form = {"name": role, "password": PASSWORD, "csrf_token": _token(client)}
        assert client.post("/login", data=form).status_code == 303
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(workspace: Path, role: str) -> None:
    client = _client(workspace, role)
    column = ROLES.index(role)
    for path, statuses in GETS.items():
        got = client.get(path).status_code
        assert got == statuses[column], f"{role} GET {path}: {got}, not {statuses[column]}"
    from engine.workspace.store import open_workspace

    (review_id,) = [v.id for v in pending(open_workspace(workspace), ("submitted",))]
    token = _token(client, "/workspace/deadlines")
    for path, form, allowed in posts(role, review_id):
        response = client.post(path, data={**form, "csrf_token": token},
                               content_type="multipart/form-data")  # fmt: skip
        got = response.status_code
        if role in allowed:
            shown = re.findall(r"<li>(.*?)</li>", response.get_data(as_text=True))
            assert got in (200, 303), f"{role} POST {path}: {got} {shown}"
        else:
            assert got == 403, f"{role} POST {path}: {got}, not 403"


def test_a_clerks_crafted_request_is_refused_and_logged(workspace: Path) -> None:
    from engine.workspace.store import open_workspace

    client = _client(workspace, "clerk")
    token = _token(client, "/workspace/tasks")
    crafted = {"input": FOREIGN, "year": "2016", "value": FOREIGN_VALUE, "csrf_token": token}
    assert client.post(f"{E}/value", data=crafted).status_code == 403
    space = open_workspace(workspace)
    assert len(space.history("保山市", FOREIGN, 2016)) == 1  # nothing stored
    (refused,) = [e for e in entries(space.engine, user="clerk") if e.action == "refused"]
    assert refused.department == DEPARTMENT
    assert refused.detail == {"method": "POST", "action": "enter"}


def test_no_page_without_login_and_no_form_without_its_token(workspace: Path) -> None:
    anonymous = _client(workspace, None)
    for path in ("/workspace", E, "/check", "/criteria"):
        got = anonymous.get(path)
        assert got.status_code == 303
        assert got.headers["Location"].startswith("/login?next=")
    assert anonymous.post("/workspace/checkin", data={"name": "x"}).status_code in (400, 401)
    admin = _client(workspace, "admin")
    assert admin.post("/workspace/checkin", data={"name": "no-token"}).status_code == 400
    cookie = admin.get_cookie("ecoassess_session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_the_login_never_tells_which_names_exist(workspace: Path) -> None:
    client = _client(workspace, None)
    token = _token(client)
    pages = []
    for name in ("admin", "nobody"):
        got = client.post("/login", data={"name": name, "password": "wrong password",
                                          "csrf_token": token})  # fmt: skip
        pages.append((got.status_code, re.sub(r'value="[^"]*"', "", got.get_data(as_text=True))))
    assert pages[0] == pages[1]
    for _ in range(6):  # over the per-name limit: refused without a check, the same way
        got = client.post("/login", data={"name": "nobody", "password": "x", "csrf_token": token})
    assert got.status_code == 429
    right = client.post("/login", data={"name": "nobody", "password": PASSWORD,
                                        "csrf_token": token})  # fmt: skip
    assert right.status_code == 429


def test_behind_a_tls_proxy_the_session_cookie_is_secure(workspace: Path) -> None:
    client = create_app(trusted_hosts=["localhost"], workspace=workspace).test_client()
    https = {"base_url": "https://localhost"}  # what waitress makes of X-Forwarded-Proto
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/login", **https).get_data(as_text=True))  # fmt: skip
    assert token is not None
    client.post("/login", data={"name": "admin", "password": PASSWORD, "csrf_token": token[1]},
                headers={"Referer": "https://localhost/login"}, **https)  # fmt: skip
    cookie = client.get_cookie("ecoassess_session", domain="localhost")
    assert cookie is not None
    assert cookie.secure
