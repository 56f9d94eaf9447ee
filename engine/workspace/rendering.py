"""The dashboard as text (the terminal), as JSON, and as a document to hand on (Word, PDF,
HTML, Markdown); the workbench draws it in HTML from the same
:class:`~engine.workspace.dashboard.Dashboard`."""

from __future__ import annotations

from typing import Any

from engine.reports.document import Document
from engine.reports.inert import one_line
from engine.workspace.dashboard import Dashboard, Standing

_WORDS = {
    "zh": {
        "ready": "具备条件", "not_ready": "尚不具备",
        "entities": "评估对象 {n} 个，具备条件 {ready} 个",
        "head": "对象\t年度\t结论\t阻断缺口\t缺数据\t无佐证", "departments": "阻断缺口(按单位)",
        "history": "各检查点的阻断缺口数", "none": "(无)", "incomplete": "指标体系不完整",
        "title": "创建工作看板", "entity": "评估对象", "year": "年度", "verdict": "结论",
        "blocking": "阻断缺口", "missing": "缺数据", "no_evidence": "无佐证",
        "department": "单位", "gaps": "缺口", "items": "条目", "checkin": "检查点",
    },
    "en": {
        "ready": "ready", "not_ready": "not ready", "entities": "{n} entities, {ready} ready",
        "head": "entity\tyear\tverdict\tblocking\tmissing\tno evidence",
        "departments": "Blocking gaps by department", "history": "Blocking gaps at each check-in",
        "none": "(none)", "incomplete": "criteria set incomplete",
        "title": "Campaign dashboard", "entity": "Entity", "year": "Year", "verdict": "Verdict",
        "blocking": "Blocking", "missing": "Missing", "no_evidence": "No evidence",
        "department": "Department", "gaps": "Gaps", "items": "Items", "checkin": "Check-in",
    },
}  # fmt: skip


def verdict_word(standing: Standing, lang: str) -> str:
    words = _WORDS[lang]
    word = words[standing.report.verdict]
    if standing.report.verdict == "ready" and not standing.report.criteria.complete:
        word += f" ({words['incomplete']})"
    return word


def dashboard_text(board: Dashboard, lang: str) -> str:
    words = _WORDS[lang]
    spec = board.criteria.spec
    lines = [
        f"{board.criteria.id} — {spec.title.get(lang)}",
        words["entities"].format(n=len(board.entities), ready=board.ready),
        "",
        words["head"],
    ]
    for s in board.entities:
        lines.append(
            f"{one_line(s.name)}\t{s.year}\t{verdict_word(s, lang)}\t{len(s.blocking)}\t"
            f"{len(s.missing)}\t{len(s.no_evidence)}"
        )
    lines += ["", words["departments"]]
    for department, gaps in board.by_department:
        listed = "；".join(f"{one_line(e)} {r.number} {r.name.get(lang)}" for e, r in gaps)
        lines.append(f"  {one_line(department)}\t{len(gaps)}\t{listed}")
    if not board.by_department:
        lines.append(f"  {words['none']}")
    lines += ["", words["history"]]
    history = " → ".join(f"{one_line(name)} {count}" for name, count in board.history)
    lines.append(f"  {history or words['none']}")
    return "\n".join(lines) + "\n"


def dashboard_document(board: Dashboard, lang: str) -> Document:
    """The dashboard on paper: the entities' verdicts, the blocking gaps by department, the
    count at each check-in — for the leaders' meeting (Word, PDF)."""
    words = _WORDS[lang]
    spec = board.criteria.spec
    document = Document(f"{words['title']} — {spec.title.get(lang)}", lang)
    document.heading(words["title"], level=0)
    document.paragraph(f"{board.criteria.id} — {spec.title.get(lang)}", small=True)
    document.paragraph(words["entities"].format(n=len(board.entities), ready=board.ready),
                       bold=True)  # fmt: skip
    document.table(
        [words["entity"], words["year"], words["verdict"], words["blocking"], words["missing"],
         words["no_evidence"]],
        [[s.name, s.year, verdict_word(s, lang), len(s.blocking), len(s.missing),
          len(s.no_evidence)] for s in board.entities],
    )  # fmt: skip
    document.heading(words["departments"])
    document.table_or(
        [words["department"], words["gaps"], words["items"]],
        [[department, len(gaps), "；".join(f"{e} {r.number} {r.name.get(lang)}" for e, r in gaps)]
         for department, gaps in board.by_department],
        words["none"],
    )  # fmt: skip
    document.heading(words["history"])
    document.table_or(
        [words["checkin"], words["blocking"]], [list(row) for row in board.history], words["none"]
    )
    return document


def dashboard_json(board: Dashboard) -> dict[str, Any]:
    return {
        "criteria": board.criteria.id,
        "entities": [
            {
                "name": s.name,
                "level": s.level,
                "year": s.year,
                "verdict": s.report.verdict,
                "criteria_complete": s.report.criteria.complete,
                "summary": s.report.summary.to_json(),
                "blocking": [r.number for r in s.blocking],
                "missing": [r.number for r in s.missing],
                "no_evidence": [r.number for r in s.no_evidence],
                "no_data": [r.number for r in s.no_data],
                "drafts": board.awaiting.get(s.name, (0, 0))[0],
                "submitted": board.awaiting.get(s.name, (0, 0))[1],
                "checkins": [
                    {"checkin": name, "blocking": count}
                    for name, count in board.entity_history.get(s.name, [])
                ],
            }
            for s in board.entities
        ],
        "departments": [
            {
                "department": department,
                "blocking": [{"entity": e, "item": r.number} for e, r in gaps],
            }
            for department, gaps in board.by_department
        ],
        "checkins": [{"checkin": name, "blocking": count} for name, count in board.history],
    }


__all__ = ["dashboard_document", "dashboard_json", "dashboard_text", "verdict_word"]
