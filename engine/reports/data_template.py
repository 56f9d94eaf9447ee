"""Write a fill-in data file for a criteria set: every input, empty, explained in comments."""

from __future__ import annotations

from collections.abc import Mapping

from engine.criteria.compiler import CompiledCriteria, CompiledItem
from engine.criteria.departments import department_items
from engine.reports.show import non_binding

_WORDS = {
    "zh": {
        "header": "数据填报模板",
        "how": [
            "每个输入项填写 value；可附 source(来源)、evidence(佐证文号)、note(备注)。",
            "留空表示缺数据(不会被当作达标)。是/否类事实填 true 或 false。",
            "只有条目的公布值时(如统计局公布的比例)，可在 values 下用条目 id 直接填报。",
        ],
        "name": "评估对象名称",
        "level": "city 州(市) / county 县(市、区)",
        "year": "数据年度",
        "basic": "基本条件",
        "binding": "约束性",
        "guidance": "指导性",
        "responsible": "责任单位",
        "direct": "可直接填报",
        "also": "亦用于",
        "yes_no": "是/否",
        "history": "上一年度的数值：年增量、保持稳定或持续改善的条目需要(年份应为评估年度的上一年)",
    },
    "en": {
        "header": "Data template",
        "how": [
            "Fill in each input's value; add source, evidence and note where known.",
            "Leave a value empty when it is not known (it never counts as passing).",
            "Yes/no facts take true or false. An item's published value may be given under its id.",
        ],
        "name": "name of the entity",
        "level": "city (prefecture) / county",
        "year": "year of the data",
        "basic": "basic condition",
        "binding": "binding",
        "guidance": "guidance",
        "responsible": "responsible",
        "direct": "may be given directly",
        "also": "also feeds",
        "yes_no": "yes/no",
        "history": "last year's values, which annual increments and 'stable or improving' rules "
        "need (the year must be the one before the year assessed)",
    },
}


def data_template(
    criteria: CompiledCriteria,
    lang: str = "zh",
    department: str | None = None,
    year: int | None = None,
) -> str:
    """The YAML text of an empty data file for ``criteria`` (only ``department``'s items):
    the year assessed (``year``, if given) and, for the rules that compare with the year
    before, a ``history:`` block for that year."""
    words = _WORDS[lang]
    spec = criteria.spec
    lines = [
        f"# {words['header']} — {spec.title.get(lang)}",
        f"#   ecoassess check FILE --criteria {spec.id}",
        *(f"# {line}" for line in words["how"]),
        "entity:",
        f"  name: ''          # {words['name']}",
        f"  level: {spec.level[0]}        # {words['level']}",
        f"  year: {year or ''}".ljust(20) + f"# {words['year']}",
        "",
        "values:",
    ]
    listed: set[str] = set()
    width = max(len(name) for name in criteria.inputs) + 2
    owned = set(department_items(criteria, department)) if department else None
    for compiled in criteria.items:
        if owned is not None and compiled.item.id not in owned:
            continue
        lines.append(_item_heading(criteria, compiled, words, lang))
        for name in compiled.inputs:
            if name in listed:
                continue
            listed.add(name)
            declared = criteria.inputs[name]
            unit = words["yes_no"] if declared.type == "boolean" else declared.unit or "-"
            others = [c.item.number for c in criteria.readers_of(name) if c is not compiled]
            also = f" · {words['also']}: {', '.join(others)}" if others else ""
            lines.append(
                f"  {(name + ':').ljust(width)} # {unit} · {declared.name.get(lang)}{also}"
            )
    previous = [
        name
        for compiled in criteria.items
        if owned is None or compiled.item.id in owned
        for name in compiled.previous_inputs
    ]
    if previous:
        lines += ["", f"history:            # {words['history']}",
                  f"  {(year - 1) if year else 2000}:"]  # fmt: skip
        for name in dict.fromkeys(previous):
            declared = criteria.inputs[name]
            unit = words["yes_no"] if declared.type == "boolean" else declared.unit or "-"
            lines.append(f"    {(name + ':').ljust(width)} # {unit} · {declared.name.get(lang)}")
    return "\n".join(lines) + "\n"


def _item_heading(
    criteria: CompiledCriteria, compiled: CompiledItem, words: Mapping[str, object], lang: str
) -> str:
    item = compiled.item
    if item.kind == "basic_condition":
        kind = words["basic"]
    else:
        kind = words["binding"] if item.binding else non_binding(criteria, lang)
    direct = f" · {words['direct']}: {item.id}" if item.measure else ""
    responsible = "、".join(item.responsible)
    return (
        f"  # ── {item.number} {item.name.get(lang)} ({kind}; "
        f"{words['responsible']}: {responsible}){direct}"
    )
