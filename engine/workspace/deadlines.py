"""Deadlines and tasks: when each department's return for a check-in is due, what each
department still has to do (values missing, failing, drafts not submitted, values returned),
which returns are late, and reminders — shown in the workbench, and sent by e-mail when the
workspace names an SMTP server (``smtp:`` in workspace.yaml)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.criteria.compiler import CompiledCriteria
from engine.evaluation.results import ItemResult
from engine.workspace.access import department_inputs, department_items
from engine.workspace.audit import record
from engine.workspace.base import WorkspaceError
from engine.workspace.dashboard import StandingCache, dashboard
from engine.workspace.review import Pending, pending
from engine.workspace.schema import Account, Deadline
from engine.workspace.store import Workspace


def set_deadline(space: Workspace, checkin: str, department: str, due: date, by: str) -> None:
    """The date ``department``'s return for check-in ``checkin`` is due (set again: moved)."""
    if not checkin.strip() or not department.strip():
        raise WorkspaceError.single(
            checkin, "请填写检查点名称和单位", "give the check-in's name and the department"
        )
    with space.transaction() as session:
        found = session.scalar(
            select(Deadline).where(Deadline.checkin == checkin, Deadline.department == department)
        )
        if found is None:
            found = Deadline(checkin=checkin, department=department, due=due, set_by=by,
                             set_at=datetime.now())  # fmt: skip
            session.add(found)
        else:
            found.due, found.set_by, found.set_at = due, by, datetime.now()
        record(session, by, "deadline", target=checkin, department=department,
               detail={"due": due.isoformat()})  # fmt: skip


def deadlines(space: Workspace, department: str | None = None) -> list[Deadline]:
    query = select(Deadline).order_by(Deadline.due, Deadline.department)
    if department is not None:
        query = query.where(Deadline.department == department)
    with Session(space.engine) as session:
        return list(session.scalars(query))


@dataclass
class Tasks:
    """What one department still has to do."""

    department: str
    items: list[tuple[str, ItemResult]] = field(default_factory=list)
    """Every item of the department, for every entity (entity, result)."""
    failing: list[tuple[str, ItemResult]] = field(default_factory=list)
    missing: list[tuple[str, ItemResult]] = field(default_factory=list)
    drafts: list[Pending] = field(default_factory=list)
    submitted: list[Pending] = field(default_factory=list)
    returned: list[Pending] = field(default_factory=list)
    due: list[Deadline] = field(default_factory=list)
    """Deadlines of check-ins not yet made, earliest first."""

    @property
    def open(self) -> bool:
        return bool(self.missing or self.drafts or self.returned)

    def late(self, today: date) -> list[Deadline]:
        """Deadlines passed while something is still to be sent."""
        return [d for d in self.due if d.due < today] if self.open else []


def tasks(
    space: Workspace,
    criteria: CompiledCriteria,
    department: str,
    cache: StandingCache | None = None,
) -> Tasks:
    owned = set(department_items(criteria, department))
    inputs = department_inputs(criteria, department)
    found = Tasks(department)
    for standing in dashboard(space, criteria, cache=cache).entities:
        for result in standing.report.results:
            if result.id not in owned:
                continue
            found.items.append((standing.name, result))
            if result.status == "fail":
                found.failing.append((standing.name, result))
            elif result.status in ("missing", "error"):
                found.missing.append((standing.name, result))
    for version in pending(space, ("draft", "submitted", "returned"), inputs):
        {"draft": found.drafts, "submitted": found.submitted, "returned": found.returned}[
            version.state
        ].append(version)
    made = {c.name for c in space.checkins()}
    found.due = [d for d in deadlines(space, department) if d.checkin not in made]
    return found


def remind(space: Workspace, criteria: CompiledCriteria, today: date, by: str) -> list[str]:
    """E-mail each clerk with an e-mail address whose department has open tasks and a
    deadline (reached, or within 7 days); the addresses written to. Needs ``smtp:`` in
    workspace.yaml (host, port, sender)."""
    settings = space.settings.get("smtp") or {}
    if not isinstance(settings, dict) or not settings.get("host") or not settings.get("sender"):
        raise WorkspaceError.single(
            "workspace.yaml",
            "未配置邮件服务器：请在 workspace.yaml 中写明 smtp: {host, port, sender}",
            "no mail server: give smtp: {host, port, sender} in workspace.yaml",
        )
    with Session(space.engine) as session:
        wanted = (Account.role == "clerk", Account.active, Account.email.is_not(None))
        clerks = list(session.scalars(select(Account).where(*wanted)))
    sent, reminded = [], set()
    cache = StandingCache()  # the entities are evaluated once, not once per clerk
    with smtplib.SMTP(str(settings["host"]), int(settings.get("port", 25)), timeout=30) as smtp:
        for clerk in clerks:
            found = tasks(space, criteria, clerk.department or "", cache)
            soon = [d for d in found.due if (d.due - today).days <= 7]
            if not found.open or not soon:
                continue
            message = EmailMessage()
            message["From"], message["To"] = str(settings["sender"]), str(clerk.email)
            message["Subject"] = f"[ecoassess] {clerk.department}: 报送截止 {soon[0].due:%Y-%m-%d}"
            lines = [f"{clerk.name}，您好：", "",
                     f"{clerk.department} 尚有待办事项，报送截止日期：",
                     *(f"  {d.checkin}: {d.due:%Y-%m-%d}" for d in soon), "",
                     f"  缺数据 {len(found.missing)} 项，草稿未报送 {len(found.drafts)} 项，"
                     f"被退回 {len(found.returned)} 项，未达标 {len(found.failing)} 项。", "",
                     "请登录 ecoassess 工作台查看。"]  # fmt: skip
            message.set_content("\n".join(lines))
            smtp.send_message(message)
            sent.append(str(clerk.email))
            reminded |= {d.id for d in soon}
    with space.transaction() as session:
        for found_deadline in session.scalars(select(Deadline).where(Deadline.id.in_(reminded))):
            found_deadline.reminded_at = datetime.now()
        record(session, by, "reminders", detail={"to": sent})
    return sent


__all__ = ["Tasks", "deadlines", "remind", "set_deadline", "tasks"]
