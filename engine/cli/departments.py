"""``ecoassess workspace adduser|deadline|remind|audit``: the departments' side of the
workspace — accounts, deadlines and reminders, the audit trail. (Registered on the
``workspace`` group of :mod:`engine.cli.workspace`.)"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.cli.output import refuse_existing
from engine.cli.support import (
    FORCE_OPTION,
    LANG_OPTION,
    InputError,
    criteria_path_option,
    emit_bytes,
    output_option,
    user_errors,
)
from engine.cli.workspace import CRITERIA, WORKSPACE, _criteria, workspace


@workspace.command()
@WORKSPACE
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "clerk", "reviewer", "leader"]), required=True,
              help="admin: the office; clerk: a department's (needs --department); reviewer: "
              "the technical-materials group; leader: read-only.")  # fmt: skip
@click.option("--department", help="The clerk's department, as the criteria sets name it.")
@click.option("--email", help="Where deadline reminders go (optional).")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of asking for it.")  # fmt: skip
@LANG_OPTION
def adduser(
    path: Path,
    name: str,
    role: str,
    department: str | None,
    email: str | None,
    password_stdin: bool,
    lang: str,
) -> None:
    """Create an account (the first one: the office administrator). The password (at least
    10 characters) is asked for twice, never shown, and stored only as an argon2id hash."""
    from engine.workspace.accounts import add_user
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        space = open_workspace(path)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = click.prompt(
                "密码" if lang == "zh" else "Password", hide_input=True,
                confirmation_prompt=True,
            )  # fmt: skip
        made = add_user(space, name, role, password, department, email=email)
    click.echo(f"account {made.name}: {made.role}" if lang == "en" else
               f"已创建账号 {made.name}: {made.role}")  # fmt: skip


@workspace.command()
@WORKSPACE
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.option("--disable", is_flag=True, help="Disable the account instead (its sessions end).")
@click.option("--enable", is_flag=True, help="Enable a disabled account.")
@LANG_OPTION
def passwd(
    path: Path, name: str, password_stdin: bool, disable: bool, enable: bool, lang: str
) -> None:
    """Set a new password for account NAME (every session of the old one ends), or
    --disable / --enable it."""
    from engine.workspace.accounts import set_active, set_password
    from engine.workspace.base import user_name
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        space = open_workspace(path)
        if disable or enable:
            set_active(space, name, enable, user_name())
        else:
            password = (
                sys.stdin.readline().rstrip("\n") if password_stdin
                else click.prompt("新密码" if lang == "zh" else "New password", hide_input=True,
                                  confirmation_prompt=True)
            )  # fmt: skip
            set_password(space, name, password, user_name())
    click.echo(name)


@workspace.command()
@WORKSPACE
@click.argument("checkin_name", metavar="CHECKIN")
@click.argument("due", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("departments", nargs=-1, required=True)
@LANG_OPTION
def deadline(
    path: Path, checkin_name: str, due: object, departments: tuple[str, ...], lang: str
) -> None:
    """Set when DEPARTMENTS' returns for check-in CHECKIN are due (DUE as 2025-03-31)."""
    from datetime import datetime

    from engine.workspace.base import user_name
    from engine.workspace.deadlines import set_deadline
    from engine.workspace.store import open_workspace

    assert isinstance(due, datetime)
    with user_errors(lang):
        space = open_workspace(path)
        for department in departments:
            set_deadline(space, checkin_name, department, due.date(), user_name())
    click.echo(f"{checkin_name}: {due:%Y-%m-%d} — {'、'.join(departments)}")


@workspace.command()
@WORKSPACE
@CRITERIA
@LANG_OPTION
@criteria_path_option
def remind(
    path: Path, criteria_id: str | None, lang: str, criteria_paths: tuple[Path, ...]
) -> None:
    """E-mail the clerks of departments with open tasks and a deadline within 7 days (or
    passed). Needs smtp: {host, port, sender} in PATH/workspace.yaml."""
    from datetime import date

    from engine.workspace.base import user_name
    from engine.workspace.deadlines import remind as send
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        space = open_workspace(path)
        try:
            sent = send(space, _criteria(space, criteria_id, criteria_paths), date.today(),
                        user_name())  # fmt: skip
        except OSError as exc:
            raise InputError(f"smtp: {exc.strerror or exc}", lang) from exc
    click.echo(("sent: " if lang == "en" else "已发送: ") + (", ".join(sent) or "-"))


@workspace.command()
@WORKSPACE
@click.option("--user", "user_filter", help="Only this user's changes.")
@click.option("--department", help="Only this department's.")
@click.option("--entity", help="Only this entity's.")
@click.option("--input", "target", help="Only this input's (or item's, account's).")
@output_option("Write the trail as CSV to this file instead of standard output.")
@FORCE_OPTION
@LANG_OPTION
def audit(
    path: Path,
    user_filter: str | None,
    department: str | None,
    entity: str | None,
    target: str | None,
    output: Path | None,
    force: bool,
    lang: str,
) -> None:
    """The audit trail, newest first, as CSV: every change and refused attempt, who, when."""
    from engine.workspace.audit import as_csv, entries
    from engine.workspace.store import open_workspace

    with user_errors(lang):
        if output is not None:
            refuse_existing(output, force)
        found = entries(open_workspace(path).engine, user=user_filter, department=department,
                        entity=entity, target=target)  # fmt: skip
        emit_bytes(as_csv(found), output, force, lang)
