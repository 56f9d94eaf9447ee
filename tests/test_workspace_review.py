"""Accounts, review states, conflicts and the audit trail — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from engine.criteria.loader import load_criteria, search_path
from engine.workspace.access import department_inputs, may_change
from engine.workspace.accounts import (
    LOCKOUT,
    MAX_FAILURES,
    add_user,
    authenticate,
    current,
    set_password,
)
from engine.workspace.audit import as_csv, entries
from engine.workspace.base import WorkspaceError
from engine.workspace.dashboard import dashboard
from engine.workspace.review import decide, pending, submit
from engine.workspace.store import ConflictError, init
from tests.conftest import EXAMPLE

YUNNAN = load_criteria("yunnan_2014", search_path())
PASSWORD = "correct horse battery"


def test_passwords_are_hashed_and_logins_locked_out(tmp_path: Path, database: str | None) -> None:
    space = init(tmp_path / "ws", database, ["yunnan_2014"])
    admin = add_user(space, "主任", "admin", PASSWORD)
    with pytest.raises(WorkspaceError, match="at least 10"):
        add_user(space, "x", "admin", "short")
    with pytest.raises(WorkspaceError, match="needs a --department"):
        add_user(space, "y", "clerk", PASSWORD)
    with space.engine.connect() as connection:
        stored = connection.execute(text("select password_hash from account")).scalar()
    assert PASSWORD not in str(stored)
    assert str(stored).startswith("$argon2id$")
    assert authenticate(space, "主任", PASSWORD).role == "admin"
    unknown = wrong = None
    try:
        authenticate(space, "无此人", PASSWORD)
    except WorkspaceError as exc:
        unknown = exc.render("en")
    try:
        authenticate(space, "主任", "wrong password!")
    except WorkspaceError as exc:
        wrong = exc.render("en")
    assert unknown is not None
    assert wrong is not None
    assert unknown.split(":", 1)[1] == wrong.split(":", 1)[1]  # no user enumeration
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(WorkspaceError):
            authenticate(space, "主任", "wrong password!")
    with pytest.raises(WorkspaceError):  # locked now, even with the right password
        authenticate(space, "主任", PASSWORD)
    later = datetime.now() + LOCKOUT + timedelta(seconds=1)
    assert authenticate(space, "主任", PASSWORD, now=later).name == "主任"
    set_password(space, "主任", "another long password", by="主任")
    assert current(space, admin.id, admin.generation) is None  # old sessions end


def test_a_clerk_owns_only_the_departments_inputs() -> None:
    owned = department_inputs(YUNNAN, "市林业局")
    assert "forest_cover_rate" in owned
    other = next(name for name in YUNNAN.inputs if name not in owned)
    from engine.workspace.accounts import User

    clerk = User(1, "林业局填报员", "clerk", "市林业局", 0)
    assert may_change(clerk, YUNNAN, "forest_cover_rate")
    assert not may_change(clerk, YUNNAN, other)
    assert not may_change(User(2, "审核", "reviewer", None, 0), YUNNAN, "forest_cover_rate")


def test_review_draft_submitted_returned_approved(tmp_path: Path, database: str | None) -> None:
    space = init(tmp_path / "ws", database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN, user="创建办")
    space.enter_value("保山市", "forest_cover_rate", 2016, "66.5", YUNNAN, user="林业局",
                      state="draft")  # fmt: skip
    board = dashboard(space, YUNNAN)
    assert board.entities[0].report.results  # the draft does not count …
    _, data = space.now(YUNNAN, "保山市")[0]
    assert data.values["forest_cover_rate"].value == 65  # … the approved 65 is in force
    (draft,) = pending(space, ("draft",))
    assert submit(space, [draft.id], "林业局", "市林业局") == 1
    with pytest.raises(WorkspaceError, match="give the reason"):
        decide(space, draft.id, False, "审核员")
    decide(space, draft.id, False, "审核员", "请附林地变更调查报告")
    (returned,) = pending(space, ("returned",))
    assert returned.reason == "请附林地变更调查报告"
    with pytest.raises(WorkspaceError, match="only a submitted value"):
        decide(space, draft.id, True, "审核员")
    space.enter_value("保山市", "forest_cover_rate", 2016, "66.4", YUNNAN, user="林业局",
                      state="draft", expected=returned.number)  # fmt: skip
    (fixed,) = pending(space, ("draft",))
    with pytest.raises(WorkspaceError, match="a newer version"):
        submit(space, [returned.id], "林业局")
    submit(space, [fixed.id], "林业局")
    decide(space, fixed.id, True, "审核员")
    _, data = space.now(YUNNAN, "保山市")[0]
    assert data.values["forest_cover_rate"].value == "66.4"
    actions = [e.action for e in entries(space.engine, target="forest_cover_rate")]
    assert actions[:6] == ["approved", "submitted", "value", "returned", "submitted", "value"]


def test_a_stale_form_gets_a_conflict_not_an_overwrite(
    tmp_path: Path, database: str | None
) -> None:
    space = init(tmp_path / "ws", database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN)
    space.enter_value("保山市", "gdp", 2016, "610", YUNNAN, user="甲", expected=1)
    with pytest.raises(ConflictError, match="甲 changed this value"):
        space.enter_value("保山市", "gdp", 2016, "620", YUNNAN, user="乙", expected=1)
    assert [v.raw for v in space.history("保山市", "gdp", 2016)] == [604.97, "610"]


def test_the_audit_trail_is_append_only(tmp_path: Path, database: str | None) -> None:
    space = init(tmp_path / "ws", database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN, user="创建办")
    assert len(entries(space.engine)) == 51
    for statement in ("update audit set \"user\" = 'x'", "delete from audit"):
        with pytest.raises(DBAPIError, match="append-only"), space.engine.begin() as c:
            c.execute(text(statement))
    assert len(entries(space.engine, user="创建办")) == 51
    exported = as_csv(entries(space.engine)).decode("utf-8-sig")
    assert exported.splitlines()[0] == "at,user,action,entity,target,year,department,detail"


def test_confirmed_no_data_is_not_missing_and_drafts_are_apart(
    tmp_path: Path, database: str | None
) -> None:
    space = init(tmp_path / "ws", database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN)
    (before,) = dashboard(space, YUNNAN).entities
    gap = next(r for r in before.missing if len(r.inputs) == 1)
    space.enter_value("保山市", gap.inputs[0], 2016, "", YUNNAN, no_data=True, user="统计局")
    (after,) = dashboard(space, YUNNAN).entities
    assert gap.id in {r.id for r in after.no_data}
    assert gap.id not in {r.id for r in after.missing}
    assert after.report.verdict == "not_ready"  # no data is never a pass
    space.enter_value("保山市", "gdp", 2016, "700", YUNNAN, state="draft", user="clerk")
    assert dashboard(space, YUNNAN).awaiting == {"保山市": (1, 0)}


def test_reminders_go_by_email_to_clerks_with_open_tasks(
    tmp_path: Path, database: str | None
) -> None:
    from datetime import date

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[object] = []

    class Keep(Message):  # type: ignore[misc]
        def handle_message(self, message: object) -> None:
            received.append(message)

    import socket

    from engine.workspace.deadlines import remind, set_deadline
    from engine.workspace.store import open_workspace

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        folder = tmp_path / "ws"
        init(folder, database, ["yunnan_2014"]).import_files([EXAMPLE], YUNNAN)
        config = folder / "workspace.yaml"
        config.write_text(config.read_text() + f"smtp: {{host: 127.0.0.1, port: {port}, "
                          "sender: office@example.org}\n")  # fmt: skip
        space = open_workspace(folder)
        add_user(space, "林业局填报员", "clerk", PASSWORD, "市林业局", email="lin@example.org")
        add_user(space, "水务局填报员", "clerk", PASSWORD, "市水务局", email="shui@example.org")
        set_deadline(space, "2017-01", "市林业局", date.today(), "office")
        sent = remind(space, YUNNAN, date.today(), "office")
    finally:
        controller.stop()
    assert sent == ["lin@example.org"]  # only the department with a deadline and open tasks
    assert len(received) == 1
    from email.header import decode_header, make_header

    subject = str(make_header(decode_header(received[0]["Subject"])))  # type: ignore[index]
    assert "市林业局" in subject


def test_accounts_from_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from engine.cli import main
    from engine.workspace.store import open_workspace

    runner = CliRunner()
    ws = str(tmp_path / "ws")
    assert (
        runner.invoke(main, ["workspace", "init", ws, "--criteria", "yunnan_2014"]).exit_code == 0
    )
    made = runner.invoke(main, ["workspace", "adduser", ws, "主任", "--role", "admin"],
                         input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert PASSWORD not in made.output  # never echoed
    clerk = runner.invoke(main, ["workspace", "adduser", ws, "甲", "--role", "clerk",
                                 "--password-stdin"], input=f"{PASSWORD}\n")  # fmt: skip
    assert clerk.exit_code == 2
    assert "needs a --department" in clerk.stderr or "须指明所属单位" in clerk.stderr
    changed = runner.invoke(main, ["workspace", "passwd", ws, "主任", "--password-stdin"],
                            input="another long password\n")  # fmt: skip
    assert changed.exit_code == 0, changed.output
    space = open_workspace(tmp_path / "ws")
    assert authenticate(space, "主任", "another long password").role == "admin"
    assert runner.invoke(main, ["workspace", "passwd", ws, "主任", "--disable"]).exit_code == 0
    with pytest.raises(WorkspaceError):
        authenticate(space, "主任", "another long password")
    trail = runner.invoke(main, ["workspace", "audit", ws])
    assert "account_disabled" in trail.stdout
    assert "password_changed" in trail.stdout
