"""Exceptions raised by ecoassess for problems in what the user gave it.

A failing indicator is a *result*, never an exception; these are for input the engine cannot
use at all::

    EcoassessError              base class; carries one or more Problems
    ├── CriteriaError           a criteria set is malformed, inconsistent or unsafe
    ├── CriteriaNotFoundError   no criteria set has the requested id
    └── DataError               a data file is malformed or names unknown keys

Every problem names where it is (file, line, item) and what to do, in Chinese and English,
so the CLI can print one line per problem with no traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Self


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located and explained in both languages."""

    where: str
    zh: str
    en: str

    def render(self, lang: str = "zh") -> str:
        message = self.en if lang == "en" else self.zh
        return f"{self.where}: {message}" if self.where else message


MAX_PROBLEMS_SHOWN = 50
"""Problems listed in full; beyond them, one line says how many more there are (a file of
350,000 unknown keys would otherwise print 350,000 lines)."""
MAX_SUGGESTIONS = 20
"""How many unknown names of one input get a did-you-mean search (each search compares the
name with every candidate)."""


class EcoassessError(Exception):
    """Raised when user input cannot be used; holds every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        self.entity: dict[str, object] = {}
        """What is known of the entity the input was about (name, level, parent), if any."""
        super().__init__(self.render("en"))

    @classmethod
    def single(cls, where: str, zh: str, en: str) -> Self:
        return cls([Problem(where, zh, en)])

    def render(self, lang: str = "zh") -> str:
        shown = [problem.render(lang) for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            shown.append(
                f"… and {more} more problems not listed; fix those above and run again"
                if lang == "en"
                else f"…… 另有 {more} 个问题未列出；请先改正以上问题后再运行"
            )
        return "\n".join(shown)


class CriteriaError(EcoassessError):
    """Raised when a criteria set is malformed, inconsistent or uses a forbidden expression."""


class CriteriaNotFoundError(EcoassessError):
    """Raised when no criteria set on the search path has the requested id."""


class DataError(EcoassessError):
    """Raised when a data file is malformed or names inputs the criteria set does not know."""


def did_you_mean(name: str, candidates: Iterable[str]) -> tuple[str, str]:
    """A ' (did you mean ...)' hint in Chinese and English, or empty strings."""
    matches = get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    if not matches:
        return "", ""
    return f"(是否应为 {matches[0]!r}?)", f" (did you mean {matches[0]!r}?)"


class Suggestions:
    """:func:`did_you_mean` for the first :data:`MAX_SUGGESTIONS` names of one input, then
    no hint: each search compares a name with every candidate, and a file of 350,000 unknown
    names would take minutes to search for hints no one reads past the first screen."""

    def __init__(self, limit: int = MAX_SUGGESTIONS) -> None:
        self.left = limit

    def __call__(self, name: str, candidates: Iterable[str]) -> tuple[str, str]:
        if self.left <= 0:
            return "", ""
        self.left -= 1
        return did_you_mean(name, candidates)
