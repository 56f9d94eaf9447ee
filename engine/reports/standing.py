"""A criteria set's standing, in words every output shares: superseded or in force, complete
or not (and what its verdict covers), how its items were verified.

``list``, ``show``, every report format and the workbench print these lines, so that no
output states a plain "ready" for a set that leaves binding items untranscribed, or hides
that the set's source has been replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.criteria.model import CriteriaSet, Item
from engine.resources import labels


def status_words(spec: CriteriaSet, lang: str) -> list[str]:
    """``现行`` / ``已被替代``, and ``不完整`` when the set leaves items out."""
    t = labels()[lang]
    words = [str(t["status_superseded" if spec.superseded else "status_in_force"])]
    if spec.incomplete is not None:
        words.append(str(t["status_incomplete"]))
    return words


def standing_lines(spec: CriteriaSet, lang: str) -> list[str]:
    """The set's superseded and incomplete notices (none for a complete set in force)."""
    t = labels()[lang]
    lines = []
    if spec.superseded is not None:
        separator = "、" if lang == "zh" else "; "
        note = spec.superseded.note.get(lang) if spec.superseded.note else ""
        lines.append(
            str(t["superseded_line"])
            .format(since=spec.superseded.since, by=separator.join(spec.superseded.by), note=note)
            .strip()
        )
    if spec.incomplete is not None:
        left = spec.incomplete.untranscribed
        lines.append(
            str(t["incomplete_line"]).format(
                count=len(left),
                binding=spec.incomplete.binding,
                numbers=", ".join(item.number for item in left if item.binding is not False) or "—",
                reason=spec.incomplete.reason.get(lang),
            )
        )
    if spec.binding_convention is not None:
        lines.append(
            str(t["binding_convention_line"]).format(convention=spec.binding_convention.get(lang))
        )
    return lines


def verification_word(level: str, lang: str) -> str:
    return str(labels()[lang][f"verification_{level}"])


def verification_of(item: Item, spec: CriteriaSet) -> str:
    """How ``item`` was verified (:meth:`CriteriaSet.verification_of`)."""
    return spec.verification_of(item)


def verification_counts(items: Iterable[Item], spec: CriteriaSet) -> dict[str, int]:
    """How many items were verified against the official text, a secondary one, or not."""
    counts = {"official": 0, "secondary": 0, "unverified": 0}
    for item in items:
        counts[verification_of(item, spec)] += 1
    return counts


def standing_json(spec: CriteriaSet) -> dict[str, Any]:
    """The set's standing for JSON outputs (``show``, reports)."""
    incomplete = spec.incomplete
    return {
        "status": "superseded" if spec.superseded else "in_force",
        "superseded": spec.superseded.model_dump(mode="json", exclude_none=True)
        if spec.superseded
        else None,
        "complete": incomplete is None,
        "untranscribed": [
            u.model_dump(mode="json", exclude_none=True) for u in incomplete.untranscribed
        ]
        if incomplete
        else [],
    }


__all__ = [
    "standing_json",
    "standing_lines",
    "status_words",
    "verification_counts",
    "verification_of",
    "verification_word",
]
