"""Rule shapes: what an item requires, each shape defined once with what it means.

A criteria item's rule is a tree. Its leaves are the shapes a source writes:

- :class:`Threshold` — the measured value compared with a limit (fixed, by the entity's
  profile, or assigned from above and read from the data);
- :class:`Range` — the measured value within ``[low, high]``, both ends included;
- :class:`Trend` — not worse than the previous year (or, ``strict``, better than it);
- :class:`Change` — the change against a named base year (or the previous year), absolute or
  in per cent of the base, compared with a limit (较2015年下降17%);
- :class:`Facts` — a yes/no expression over facts;

and its inner nodes compose them: :class:`AllOf`, :class:`AnyOf`, :class:`AtLeast`.

An item written the classic way (``operator`` + ``threshold``, ``condition``, ``trend``) is
the same tree: ``all_of`` of the parts it names (:func:`build_rule`). The evaluator, the
report view, ``show``, ``diff`` and the charts all read these objects.

How a tree is decided (:meth:`Rule.decide`):

- A leaf first *gathers* every value it reads; a value missing makes it ``missing``, an
  unusable one ``error``; only with every value present is it *judged* ``pass`` or ``fail``.
- ``all_of`` gathers for all its leaves at once; any part ``missing`` or ``error`` makes it
  ``missing`` or ``error`` (the data is needed to decide it, even when another part fails);
  otherwise it passes when every part passes.
- ``any_of`` passes when one part passes — that part alone suffices, so a part that is
  missing does not matter then; with no part passing it fails when every part failed, and is
  ``missing`` or ``error`` when some part could not be decided.
- ``at_least: N`` passes with N parts passing, fails when fewer than N could still pass, and
  is ``missing`` or ``error`` otherwise.

An undecided rule is never a pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Literal

from engine.criteria.comparison import gap, meets, rounded, to_decimal
from engine.criteria.expressions import (
    DivisionByZeroError,
    EvaluationError,
    Expression,
    split_previous,
)
from engine.criteria.judging import (
    CURRENT,
    PREVIOUS,
    Decided,
    Decision,
    Explanation,
    Judging,
    OutOfRange,
    RuleContext,
)
from engine.criteria.model import (
    AssignedTarget,
    Operator,
    Text,
    Variant,
)
from engine.outcomes import MISSING_CODES, Finding, ThresholdBasis


class Rule:
    """A node of an item's rule tree."""

    label: Text | None

    @property
    def shape(self) -> str:
        raise NotImplementedError

    def children(self) -> Sequence[Rule]:
        return ()

    def leaves(self) -> Iterator[Leaf]:
        """Every leaf, depth first."""
        for child in self.children():
            yield from child.leaves()

    def decide(self, judging: Judging, depth: int = 0) -> Decision:
        raise NotImplementedError


class Leaf(Rule):
    """A rule over the item's values: gathered, then judged."""

    def leaves(self) -> Iterator[Leaf]:
        yield self

    def expressions(self) -> Iterator[tuple[Expression | None, int]]:
        """The expressions the leaf reads and in which year (``None``: the item's measure)."""
        return iter(())

    def limit_problems(self, judging: Judging, into: Explanation) -> list[Finding]:
        """Resolve the leaf's limit (if it has one from the data or the profile)."""
        return []

    @cached_property
    def reads(self) -> tuple[tuple[Expression | None, int], ...]:
        """:meth:`expressions`, kept: read for every entity."""
        return tuple(self.expressions())

    def needs(self, judging: Judging) -> list[tuple[str, int]]:
        needs: list[tuple[str, int]] = []
        for expression, year in self.reads:
            if expression is None:
                needs += judging.measure_needs(year)
            else:
                needs += judging.needs_of(expression, year)
        return needs

    @cached_property
    def uses_measure(self) -> bool:
        """Whether it reads the item's measured value this year."""
        return any(e is None and y == CURRENT for e, y in self.reads)

    def judge(self, judging: Judging, into: Explanation, notes: list[Finding]) -> bool:
        raise NotImplementedError

    def decide(self, judging: Judging, depth: int = 0) -> Decision:
        return conjunction((self,), judging, depth, self.label, leaves=(self,))


def _measured_or(judging: Judging, expression: Expression | None, year: int) -> Decimal:
    if expression is None:
        return judging.measured(year)[1]
    return rounded(judging.number(expression, year), judging.decimals)


@dataclass(frozen=True, eq=False)
class Threshold(Leaf):
    """The measured value compared with a limit."""

    operator: Operator
    limit: float | AssignedTarget | tuple[Variant, ...]
    measure: Expression | None = None
    label: Text | None = None

    @property
    def shape(self) -> str:
        return "threshold"

    @cached_property
    def basis(self) -> ThresholdBasis:
        if isinstance(self.limit, AssignedTarget):
            return "assigned"
        return "fixed" if isinstance(self.limit, float | int) else "profile"

    def expressions(self) -> Iterator[tuple[Expression | None, int]]:
        yield self.measure, CURRENT

    def limit_problems(self, judging: Judging, into: Explanation) -> list[Finding]:
        into.operator, into.threshold_basis = self.operator, self.basis
        limit = self.limit
        if isinstance(limit, float | int):
            into.threshold = float(limit)
            return []
        if isinstance(limit, AssignedTarget):
            target = judging.context.value(limit.input, judging.context.year)
            if target is None:
                return [Finding(code="missing", input=limit.input)]
            if isinstance(target, Finding):
                return [target]
            if isinstance(target, float):
                into.threshold = target
            return []
        for variant in limit:
            matched, unknown = judging.context.profile_match(variant.when)
            if unknown:
                return unknown
            if matched:
                into.threshold, into.threshold_label = variant.value, variant.label
                return []
        return [Finding(code="no_threshold")]

    def judge(self, judging: Judging, into: Explanation, notes: list[Finding]) -> bool:
        number = _measured_or(judging, self.measure, CURRENT)
        into.value = float(number)
        if into.threshold is None or meets(number, self.operator, into.threshold):
            return True
        into.gap = gap(number, self.operator, into.threshold)
        return False


@dataclass(frozen=True, eq=False)
class Range(Leaf):
    """The measured value within ``[low, high]``."""

    low: float
    high: float
    measure: Expression | None = None
    label: Text | None = None

    @property
    def shape(self) -> str:
        return "range"

    def expressions(self) -> Iterator[tuple[Expression | None, int]]:
        yield self.measure, CURRENT

    def judge(self, judging: Judging, into: Explanation, notes: list[Finding]) -> bool:
        number = _measured_or(judging, self.measure, CURRENT)
        into.value, into.threshold, into.high = float(number), self.low, self.high
        if number < to_decimal(self.low):
            into.gap = gap(number, ">=", self.low)
            return False
        if number > to_decimal(self.high):
            into.gap = gap(number, "<=", self.high)
            return False
        return True


@dataclass(frozen=True, eq=False)
class Trend(Leaf):
    """Not worse than the previous year in the better direction (``strict``: better)."""

    better: Literal["higher", "lower"]
    of: Expression | None = None
    """What is followed; ``None``: the item's measure."""
    strict: bool = False
    label: Text | None = None

    @property
    def shape(self) -> str:
        return "trend"

    def expressions(self) -> Iterator[tuple[Expression | None, int]]:
        yield self.of, CURRENT
        yield self.of, PREVIOUS

    def judge(self, judging: Judging, into: Explanation, notes: list[Finding]) -> bool:
        current = _measured_or(judging, self.of, CURRENT)
        if self.of is None:
            earlier = judging.measured(PREVIOUS)[0]
        else:
            earlier = judging.number(self.of, PREVIOUS)
        previous = rounded(earlier, judging.decimals)
        into.value, into.base = float(current), float(previous)
        into.base_year = judging.context.year - 1
        if self.better == "higher":
            holds = current > previous if self.strict else current >= previous
        else:
            holds = current < previous if self.strict else current <= previous
        if not holds:
            notes.append(Finding(code="trend_worse", found=str(current), detail=str(previous)))
        return holds


@dataclass(frozen=True, eq=False)
class Change(Leaf):
    """The change against a base year compared with a limit: ``now − base`` in the item's
    unit, or ``(now − base) / |base| × 100`` with ``relative``."""

    base_year: int | Literal["previous"]
    operator: Operator
    value: float
    relative: bool = False
    measure: Expression | None = None
    label: Text | None = None

    @property
    def shape(self) -> str:
        return "change"

    @property
    def year(self) -> int:
        return PREVIOUS if self.base_year == "previous" else self.base_year

    def expressions(self) -> Iterator[tuple[Expression | None, int]]:
        yield self.measure, CURRENT
        yield self.measure, self.year

    def judge(self, judging: Judging, into: Explanation, notes: list[Finding]) -> bool:
        now = _measured_or(judging, self.measure, CURRENT)
        base = _measured_or(judging, self.measure, self.year)
        into.base, into.base_year = float(base), judging.absolute(self.year)
        into.operator, into.threshold, into.relative = self.operator, self.value, self.relative
        if self.relative:
            if base == 0:
                raise DivisionByZeroError("the base year's value is zero")
            change = rounded(float((now - base) / abs(base) * 100), judging.decimals)
        else:
            change = now - base
        into.value = float(change)
        if meets(change, self.operator, self.value):
            return True
        into.gap = gap(change, self.operator, self.value)
        return False


@dataclass(frozen=True, eq=False)
class Facts(Leaf):
    """A yes/no expression over facts that must hold."""

    condition: Expression
    booleans: tuple[str, ...] = ()
    """The names of the yes/no inputs it reads (sorted), each named when false."""
    label: Text | None = None

    @property
    def shape(self) -> str:
        return "facts"

    def expressions(self) -> Iterator[tuple[Expression | None, int]]:
        yield self.condition, CURRENT

    def judge(self, judging: Judging, into: Explanation, notes: list[Finding]) -> bool:
        env = judging.env(self.condition, CURRENT)
        holds = self.condition.evaluate(env)
        if not isinstance(holds, bool):
            raise EvaluationError(f"condition gave {holds!r}, not true/false")
        into.value = holds
        if not holds:
            notes += [
                Finding(code="fact_false", input=split_previous(name)[0])
                for name in self.booleans
                if env.get(name) is False
            ]
        return holds


@dataclass(frozen=True, eq=False)
class AllOf(Rule):
    parts: tuple[Rule, ...]
    label: Text | None = None

    @property
    def shape(self) -> str:
        return "all_of"

    def children(self) -> Sequence[Rule]:
        return self.parts

    @cached_property
    def own_leaves(self) -> tuple[Leaf, ...]:
        """The parts that are leaves (gathered and judged together)."""
        return tuple(part for part in self.parts if isinstance(part, Leaf))

    def decide(self, judging: Judging, depth: int = 0) -> Decision:
        return conjunction(self.parts, judging, depth, self.label, "all_of", self.own_leaves)


@dataclass(frozen=True, eq=False)
class AnyOf(Rule):
    parts: tuple[Rule, ...]
    label: Text | None = None

    @property
    def shape(self) -> str:
        return "any_of"

    def children(self) -> Sequence[Rule]:
        return self.parts

    def decide(self, judging: Judging, depth: int = 0) -> Decision:
        return counted(self.parts, 1, judging, depth, self.label, "any_of")


@dataclass(frozen=True, eq=False)
class AtLeast(Rule):
    count: int
    parts: tuple[Rule, ...]
    label: Text | None = None

    @property
    def shape(self) -> str:
        return "at_least"

    def children(self) -> Sequence[Rule]:
        return self.parts

    def decide(self, judging: Judging, depth: int = 0) -> Decision:
        return counted(self.parts, self.count, judging, depth, self.label, "at_least")


def _undecided(problems: list[Finding]) -> Decided:
    return "missing" if all(p.code in MISSING_CODES for p in problems) else "error"


def _need_key(need: tuple[str, int], year: int) -> str:
    """The order in which missing values are reported: by name, this year's first."""
    name, at = need
    if at == year:
        return name
    return f"{name}@previous" if at == year - 1 else f"{name}@{at}"


def conjunction(
    parts: Sequence[Rule],
    judging: Judging,
    depth: int,
    label: Text | None,
    shape: str | None = None,
    leaves: Sequence[Leaf] | None = None,
) -> Decision:
    """``all_of`` (and a single leaf): gather every leaf's values at once, then judge.
    ``leaves``: the leaves among ``parts``, when the caller keeps them."""
    context = judging.context
    if leaves is None:
        leaves = [part for part in parts if isinstance(part, Leaf)]
    head = Explanation(shape, depth, "pass", label) if shape else None
    below = depth + 1 if head is not None else depth
    shown = [Explanation(leaf.shape, below, "pass", leaf.label) for leaf in leaves]
    problems: list[Finding] = []
    for leaf, into in zip(leaves, shown, strict=True):
        problems += leaf.limit_problems(judging, into)
    value = context.value
    needs = [need for leaf in leaves for need in leaf.needs(judging)]
    # The common case, every value there, without sorting; otherwise each problem in order.
    if not all(isinstance(value(name, at), float | bool) for name, at in needs):
        problems += _gathered(set(needs), context)
    if any(leaf.uses_measure for leaf in leaves):
        direct = context.direct(context.year)
        if isinstance(direct, Finding):
            problems.append(direct)
    decisions = [part.decide(judging, depth + 1) for part in parts if not isinstance(part, Leaf)]
    for decision in decisions:
        if decision.status in ("missing", "error"):
            problems += decision.problems
    notes: list[Finding] = []
    if problems:
        status: Decided = _undecided(problems)
        for leaf, into in zip(leaves, shown, strict=True):
            into.status = status
            _judged_alone(leaf, judging, into)
    else:
        status = _judged(leaves, judging, shown, notes, problems)
        for decision in decisions:
            notes += decision.notes
            if status == "pass" and decision.status == "fail":
                status = "fail"
    if head is None and not decisions:
        return Decision(status, problems, notes, shown)
    explained: list[Explanation] = [] if head is None else [head]
    leaf_parts, inner_parts = iter(shown), iter(decisions)
    for part in parts:
        if isinstance(part, Leaf):
            explained.append(next(leaf_parts))
        else:
            explained += next(inner_parts).parts
    if head is not None:
        head.status = status
    return Decision(status, problems, notes, explained)


def _gathered(needs: set[tuple[str, int]], context: RuleContext) -> list[Finding]:
    """A finding for each value needed that is missing or unusable, by name, this year's
    first; a missing earlier year's value says which year is needed."""
    problems = []
    for name, at in sorted(needs, key=lambda need: _need_key(need, context.year)):
        found = context.value(name, at)
        if at != context.year and isinstance(found, Finding) and found.code == "missing":
            found = None  # an empty value for an earlier year: say which year is needed
        if found is None:
            earlier = at != context.year
            problems.append(
                Finding(
                    code="missing_previous" if earlier else "missing",
                    input=name,
                    detail=str(at) if earlier else None,
                )
            )
        elif isinstance(found, Finding):
            problems.append(found)
    return problems


def _judged_alone(leaf: Leaf, judging: Judging, into: Explanation) -> None:
    """In an undecided ``all_of``, judge a leaf whose own values are all there anyway, so a
    report can say which parts already hold (the ``all_of`` stays undecided)."""
    context = judging.context
    if leaf.limit_problems(judging, Explanation(leaf.shape, 0, "pass")):
        return
    for name, at in leaf.needs(judging):
        if not isinstance(context.value(name, at), float | bool):
            return
    if leaf.uses_measure and isinstance(context.direct(context.year), Finding):
        return
    try:
        into.status = "pass" if leaf.judge(judging, into, []) else "fail"
    except EvaluationError:
        return


def _judged(
    leaves: Sequence[Leaf],
    judging: Judging,
    shown: list[Explanation],
    notes: list[Finding],
    problems: list[Finding],
) -> Decided:
    """Judge every leaf in order (all of them: each failing part is reported)."""
    status: Decided = "pass"
    try:
        for leaf, into in zip(leaves, shown, strict=True):
            if not leaf.judge(judging, into, notes):
                into.status = "fail"
                status = "fail"
        return status
    except OutOfRange as exc:
        problems.append(_out_of_range(exc))
    except DivisionByZeroError:
        problems.append(Finding(code="division_by_zero", detail=_zeros(judging, leaves)))
    except EvaluationError as exc:
        problems.append(Finding(code="evaluation", detail=str(exc)))
    for into in shown:
        into.status = "error"
    return "error"


def counted(
    parts: Sequence[Rule],
    needed: int,
    judging: Judging,
    depth: int,
    label: Text | None,
    shape: str,
) -> Decision:
    """``any_of`` (one part needed) and ``at_least``: each part decided on its own."""
    decisions = [part.decide(judging, depth + 1) for part in parts]
    passed = [d for d in decisions if d.status == "pass"]
    failed = [d for d in decisions if d.status == "fail"]
    undecided = [d for d in decisions if d.status in ("missing", "error")]
    problems: list[Finding] = []
    if len(passed) >= needed:
        status: Decided = "pass"
        notes = [note for d in passed for note in d.notes]
    elif len(passed) + len(undecided) < needed:
        status = "fail"
        notes = [note for d in failed for note in d.notes]
    else:
        problems = [problem for d in undecided for problem in d.problems]
        status = _undecided(problems)
        notes = [note for d in decisions for note in d.notes]
    head = Explanation(shape, depth, status, label)
    if shape == "at_least":
        head.threshold = float(needed)
    return Decision(status, problems, notes, [head, *(p for d in decisions for p in d.parts)])


def _out_of_range(exc: OutOfRange) -> Finding:
    from engine.numbers import format_number

    bounds = f"{'' if exc.low is None else format_number(exc.low)}.." + (
        "" if exc.high is None else format_number(exc.high)
    )
    return Finding(
        code="out_of_range", input=exc.item_id, found=format_number(exc.raw), detail=bounds
    )


def _zeros(judging: Judging, leaves: Iterable[Leaf]) -> str:
    """The inputs that are zero among those the leaves read (a division by zero's cause)."""
    zeros = set()
    for leaf in leaves:
        for name, at in leaf.needs(judging):
            if judging.context.value(name, at) == 0:
                zeros.add(name)
    return ", ".join(sorted(zeros))


@dataclass(frozen=True, eq=False)
class Classic(AllOf):
    """The classic fields' parts: an ``all_of`` that reports as its parts, not as a node."""

    def decide(self, judging: Judging, depth: int = 0) -> Decision:
        return conjunction(self.parts, judging, depth, self.label, leaves=self.own_leaves)
