"""Pydantic models of the criteria format: what a criteria YAML file may say.

These models only describe and check the *shape* of a file. Cross-references (groups,
inputs, expressions) are checked when a set is compiled (:mod:`engine.criteria.compiler`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Level = Literal["city", "county"]
PublicUrl = Annotated[
    str,
    Field(pattern=r"^https?://[^\s<>\"']+$", max_length=500, description="an http(s) address"),
]
"""A public address: http or https only (a criteria file may come from anyone: never a
``javascript:`` link in a page)."""
Region = Literal["arid_semi_arid", "qinghai_tibet", "other"]
Terrain = Literal["mountain", "hill", "plain"]
CitySize = Literal["megacity", "large", "medium_small"]
ProfileKey = Literal["level", "region", "terrain", "coastal", "city_size"]
ProfileValue = str | bool
#: The values each profile key may take, in the order reports list them.
PROFILE_VALUES: dict[str, tuple[ProfileValue, ...]] = {
    "level": ("city", "county"),
    "region": ("arid_semi_arid", "qinghai_tibet", "other"),
    "terrain": ("mountain", "hill", "plain"),
    "coastal": (True, False),
    "city_size": ("megacity", "large", "medium_small"),
}
Operator = Literal[">=", ">", "<=", "<", "=="]
Finite = Annotated[float, Field(allow_inf_nan=False)]
"""A number the criteria compare with or bound by: .nan and .inf (or 1.0e400) are refused —
they would decide nothing, or silently drop a check."""
Kind = Literal["basic_condition", "indicator"]
InputType = Literal["number", "boolean"]


class Strict(BaseModel):
    """Base for every criteria model: an unknown key is a typo, so it is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Strict):
    """A text in Chinese, optionally with its English translation."""

    zh: Annotated[str, Field(min_length=1)]
    en: str | None = None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh


class Document(Strict):
    """The official document a criteria set transcribes."""

    number: Annotated[str, Field(min_length=1, description="文号, e.g. 云环发〔2014〕38号")]
    title: Text
    issuer: Text | None = Field(
        default=None, description="who issued it: a mapping {zh: …, en: …}, like every text"
    )
    year: int
    url: PublicUrl | None = Field(default=None, description="a public address where it can be read")


class Group(Strict):
    """A group of items as the source document groups them."""

    id: Identifier
    name: Text


class Rollup(Strict):
    """In a batch, an input counted from the entity's sub-units' own records."""

    count: Level = Field(description="the sub-units' level, e.g. county")
    where: Identifier | None = Field(
        default=None, description="a yes/no input of the sub-units: count those where it is yes"
    )


class Input(Strict):
    """A named input: a statistic or a fact the data file supplies."""

    name: Text
    type: InputType = "number"
    unit: str = ""
    minimum: Finite | None = Field(default=None, description="smallest plausible value")
    maximum: Finite | None = Field(default=None, description="largest plausible value")
    evidence: bool = Field(
        default=True, description="for a yes/no fact: flag a 'yes' given without evidence"
    )
    rollup: Rollup | None = Field(
        default=None, description="in a batch, computed from the sub-units' records"
    )
    note: Text | None = None


class ProfileCondition(Strict):
    """A condition on the entity's profile: every key given must match (a list: any of)."""

    level: Level | list[Level] | None = None
    region: Region | list[Region] | None = None
    terrain: Terrain | list[Terrain] | None = None
    coastal: bool | None = None
    city_size: CitySize | list[CitySize] | None = None

    def requirements(self) -> dict[str, tuple[ProfileValue, ...]]:
        """Each key that is constrained, with the values it accepts."""
        wanted = {}
        for key in PROFILE_VALUES:
            value = getattr(self, key)
            if value is not None:
                wanted[key] = tuple(value) if isinstance(value, list) else (value,)
        return wanted

    @model_validator(mode="after")
    def _not_empty(self) -> ProfileCondition:
        if not self.requirements():
            raise ValueError(f"name at least one of {', '.join(PROFILE_VALUES)}")
        return self


class Variant(Strict):
    """A threshold that applies to entities whose profile matches ``when``."""

    when: ProfileCondition
    value: Finite
    label: Text | None = Field(default=None, description="e.g. 山区, shown in reports")


class AssignedTarget(Strict):
    """A threshold taken from the data: usually the target assigned by the superior government."""

    input: Identifier
    label: Text | None = Field(
        default=None, description="what the target is, for reports (default: 上级下达目标)"
    )


class Trend(Strict):
    """ "Stable or improving": this year is not worse than the previous year."""

    better: Literal["higher", "lower"]
    of: str | None = Field(
        default=None, description="expression followed over the years (default: the measure)"
    )


class ThresholdRule(Strict):
    """The measured value compared with a limit: fixed, by the entity's profile, or assigned."""

    operator: Operator
    value: Finite | AssignedTarget | None = Field(
        default=None, description="a number, or {input: NAME} for a target assigned from above"
    )
    values: list[Variant] | None = Field(
        default=None, description="limits by profile; the first matching variant applies"
    )
    measure: str | None = Field(default=None, description="what is compared (default: the item's)")

    @model_validator(mode="after")
    def _one_limit(self) -> ThresholdRule:
        if (self.value is None) == (self.values is None):
            raise ValueError(
                "请给出 value(数字或 {input: NAME})或 values(按特征) / "
                "give value (a number or {input: NAME}) or values (by profile)"
            )
        return self


class RangeRule(Strict):
    """The measured value lies within [low, high], both ends included."""

    low: Finite
    high: Finite
    measure: str | None = Field(default=None, description="what is checked (default: the item's)")

    @model_validator(mode="after")
    def _ordered(self) -> RangeRule:
        if self.low > self.high:
            raise ValueError("low 不能大于 high / low must not be above high")
        return self


class TrendRule(Trend):
    """Not worse than the previous year (``strict``: better than it, 持续提高 / 持续下降)."""

    strict: bool = Field(default=False, description="true: must be better than last year")


class ChangeRule(Strict):
    """The change of the measured value against a base year, compared with a limit.

    ``relative: true`` measures the change in per cent of the base year's value (较2015年下降
    17% is ``{base_year: 2015, relative: true, operator: "<=", value: -17}``); otherwise in the
    item's unit. ``base_year: previous`` compares with the year before the assessed one.
    """

    base_year: Annotated[int, Field(ge=1900, le=2200)] | Literal["previous"]
    operator: Operator
    value: Finite
    relative: bool = False
    measure: str | None = Field(default=None, description="what changes (default: the item's)")


class AtLeastRule(Strict):
    """At least ``count`` of the parts hold."""

    count: Annotated[int, Field(ge=1)]
    of: Annotated[list[Rule], Field(min_length=2)]

    @model_validator(mode="after")
    def _reachable(self) -> AtLeastRule:
        if self.count > len(self.of):
            raise ValueError(
                f"count {self.count} 多于给出的 {len(self.of)} 项 / "
                f"count {self.count} is more than the {len(self.of)} parts given"
            )
        return self


RULE_SHAPES = ("threshold", "range", "trend", "change", "facts", "all_of", "any_of", "at_least")


class Rule(Strict):
    """One rule: exactly one shape, optionally with the source's words for it (``label``).

    Shapes compose: ``all_of`` / ``any_of`` take a list of rules, ``at_least`` a count and a
    list; the others are leaves over the item's measure or its facts.
    """

    threshold: ThresholdRule | None = None
    range: RangeRule | None = None
    trend: TrendRule | None = None
    change: ChangeRule | None = None
    facts: str | None = Field(default=None, description="boolean expression over facts")
    all_of: Annotated[list[Rule], Field(min_length=2)] | None = None
    any_of: Annotated[list[Rule], Field(min_length=2)] | None = None
    at_least: AtLeastRule | None = None
    label: Text | None = Field(default=None, description="the source's words, for reports")

    @property
    def shape(self) -> str:
        """The one shape this rule is (checked when the file is read)."""
        return next(name for name in RULE_SHAPES if getattr(self, name) is not None)

    @model_validator(mode="after")
    def _one_shape(self) -> Rule:
        given = [name for name in RULE_SHAPES if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                f"每条规则只能给出以下之一: {', '.join(RULE_SHAPES)} / "
                f"give exactly one of {', '.join(RULE_SHAPES)}"
            )
        return self


class Bundle(Strict):
    """An item of the source made of several checked parts; it passes when every part does."""

    number: Annotated[str, Field(min_length=1)]
    name: Text
    parts: Annotated[list[Identifier], Field(min_length=2)]

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_written(cls, value: Any) -> Any:
        return _number_text(value)


def _number_text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError(f"write the number in quotes, e.g. number: '{value}'")
    return value


class Item(Strict):
    """One check: a basic condition or a construction indicator (or one sub-indicator)."""

    id: Identifier
    number: Annotated[str, Field(min_length=1, description="numbering exactly as in the source")]
    kind: Kind
    group: Identifier
    name: Text
    unit: str = ""
    measure: str | None = Field(
        default=None, description="expression giving the measured quantity from inputs"
    )
    operator: Operator | None = None
    threshold: Finite | AssignedTarget | None = Field(
        default=None, description="a number, or {input: NAME} for a target assigned from above"
    )
    thresholds: list[Variant] | None = Field(
        default=None, description="thresholds by profile; the first matching variant applies"
    )
    trend: Trend | None = None
    rule: Rule | None = Field(
        default=None,
        description="a composed rule (all_of, any_of, at_least, range, change …) instead of "
        "operator/threshold, condition and trend",
    )
    decimals: Annotated[int, Field(ge=0, le=6)] | None = Field(
        default=None, description="precision at which the measured value is compared"
    )
    minimum: Finite | None = Field(
        default=None, description="smallest physically possible measured value (e.g. 0 for a share)"
    )
    maximum: Finite | None = Field(
        default=None,
        description="largest physically possible measured value (e.g. 100 for a share)",
    )
    condition: str | None = Field(
        default=None, description="boolean expression over facts that must also hold"
    )
    requirement: Text | None = Field(
        default=None, description="the requirement in the source's words, for reports"
    )
    binding: bool
    applies_to: list[Level] | None = None
    applies_when: ProfileCondition | None = Field(
        default=None, description="the item applies only to entities whose profile matches"
    )
    applicability: Text | None = Field(
        default=None, description="why the item may not apply, e.g. 沿海地区适用"
    )
    lead: list[str] = Field(
        default=[],
        description="牵头单位: the departments that lead the work, as the source names them",
    )
    responsible: list[str] = Field(
        default=[], description="责任单位: the departments responsible, as the source names them"
    )
    cooperating: list[str] = Field(default=[], description="配合单位: the cooperating departments")
    source: Annotated[
        str,
        Field(
            min_length=1,
            description="the citation a user can look up: 《title》 document number, section",
        ),
    ]
    source_url: PublicUrl | None = Field(
        default=None, description="the public address where the source was read"
    )
    verification: Verification | None = Field(
        default=None,
        description="how the item was checked: official (against the official text), "
        "secondary (against a document restating it, e.g. a city's plan), unverified; "
        "default: the set's verification",
    )
    binding_basis: Literal["source", "convention"] = Field(
        default="source",
        description="source: the source states 约束性/指导性; convention: the set's "
        "binding_convention decided it (the source gives no flag)",
    )
    note: Text | None = None
    target_year: Annotated[int, Field(ge=1900, le=2200)] | None = Field(
        default=None, description="this item's target is due in this year (default: the set's)"
    )
    explanation: Text | None = Field(
        default=None, description="指标解释: what the indicator means, as its source explains it"
    )
    method: Text | None = Field(
        default=None, description="计算方法: how its value is computed, as its source says"
    )
    data_source: Text | None = Field(
        default=None, description="数据来源: where its data come from, as its source says"
    )
    explanation_source: str | None = Field(
        default=None,
        description="the citation of explanation / method / data_source (《title》 section, "
        "public address); required with any of them",
    )

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_written(cls, value: Any) -> Any:
        return _number_text(value)

    @property
    def compares(self) -> bool:
        """Whether the item compares its measure with a threshold."""
        return self.operator is not None

    @model_validator(mode="after")
    def _complete_rule(self) -> Item:
        explained = (self.explanation, self.method, self.data_source)
        if any(text is not None for text in explained) and not self.explanation_source:
            raise ValueError(
                "给出 explanation、method 或 data_source 时，须用 explanation_source 注明出处 / "
                "cite where explanation, method and data_source come from in explanation_source"
            )
        if not self.lead and not self.responsible:
            raise ValueError(
                "请列出牵头单位(lead)或责任单位(responsible) / "
                "name the lead (牵头单位) or responsible (责任单位) departments"
            )
        if self.kind == "basic_condition" and not self.binding:
            raise ValueError("a basic condition is always binding: set binding: true")
        if self.rule is not None:
            others = [
                name
                for name in ("operator", "threshold", "thresholds", "condition", "trend")
                if getattr(self, name) is not None
            ]
            if others:
                raise ValueError(
                    f"rule 不能与 {', '.join(others)} 同时给出 / "
                    f"give rule or {', '.join(others)}, not both"
                )
            return self
        limits = (self.threshold is not None) + (self.thresholds is not None)
        if limits > 1:
            raise ValueError("give threshold or thresholds, not both")
        if (self.operator is None) != (limits == 0):
            raise ValueError("operator and threshold (or thresholds) go together: give both")
        if self.operator is not None and self.measure is None:
            raise ValueError("a threshold needs a measure: the expression it is compared with")
        if self.trend is not None and self.trend.of is None and self.measure is None:
            raise ValueError("a trend follows the measure: give a measure or trend.of")
        if self.operator is None and self.condition is None and self.trend is None:
            raise ValueError(
                "give a measure with operator and threshold, a condition, a trend, or a rule"
            )
        return self


Verification = Literal["official", "secondary", "unverified"]


class Superseded(Strict):
    """The documents that replaced a set's source, and since when."""

    by: Annotated[list[str], Field(min_length=1, description="《title》 and number of each")]
    since: Annotated[str, Field(min_length=4, description="the date, e.g. 2024-02-01")]
    note: Text | None = Field(default=None, description="e.g. who is still checked against it")


class Untranscribed(Strict):
    """An item of the source that the set does not (yet) transcribe."""

    number: Annotated[str, Field(min_length=1)]
    name: Text
    binding: bool | None = Field(default=None, description="None when the source is unclear")
    why: Text | None = None

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_written(cls, value: Any) -> Any:
        return _number_text(value)


class Incomplete(Strict):
    """A set that transcribes only part of its source: what is left out, and why."""

    reason: Text
    untranscribed: Annotated[list[Untranscribed], Field(min_length=1)]

    @property
    def binding(self) -> int:
        """Untranscribed items that are (or may be) binding: unknown counts as binding."""
        return sum(1 for item in self.untranscribed if item.binding is not False)


class CriteriaSet(Strict):
    """A whole criteria set, as written in its ``criteria.yaml``."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        defer_build=True,
        json_schema_extra={"title": "ecoassess criteria set"},
    )

    id: Identifier
    title: Text
    document: Document
    level: Annotated[list[Level], Field(min_length=1)]
    source: Annotated[str, Field(min_length=1, description="where this transcription comes from")]
    decimals: Annotated[int, Field(ge=0, le=6)] = Field(
        default=2, description="default comparison precision for items"
    )
    non_binding: Text | None = Field(
        default=None,
        description="the source's word for non-binding items: 指导性 (default) or 参考性",
    )
    target_year: Annotated[int, Field(ge=1900, le=2200)] | None = Field(
        default=None,
        description="the year a plan's targets are due (e.g. 2025 for 「到2025年」): reports "
        "then say per item whether it is on track to meet its target by that year",
    )
    base_year: Annotated[int, Field(ge=1900, le=2200)] | None = Field(
        default=None,
        description="the year the trajectory is measured from (default: the earliest year "
        "of the item's data)",
    )
    departments: dict[str, str] | None = Field(
        default=None,
        description="every department named by the items, with its English name",
    )
    groups: Annotated[list[Group], Field(min_length=1)]
    inputs: dict[Identifier, Input]
    items: Annotated[list[Item], Field(min_length=1)]
    bundles: list[Bundle] = Field(
        default=[], description="source items checked as several parts (e.g. 7 = 7.1 + 7.2)"
    )
    correspondence: dict[Identifier, dict[Identifier, Identifier]] = Field(
        default={},
        description="for `ecoassess diff`: other set id → {this set's item id: its item id}",
    )
    verification: Verification = Field(
        default="unverified",
        description="how the items were checked against the source, unless an item says "
        "otherwise: official, secondary or unverified",
    )
    superseded: Superseded | None = Field(
        default=None,
        description="the source has been replaced (the set is kept for those "
        "still checked against it)",
    )
    incomplete: Incomplete | None = Field(
        default=None, description="items of the source not transcribed, and why"
    )
    binding_convention: Text | None = Field(
        default=None,
        description="how items were flagged 约束性/指导性 where the source gives no flag "
        "(items with binding_basis: convention)",
    )

    def verification_of(self, item: Item) -> Verification:
        """How ``item`` was verified: as it says, else as this set says."""
        return item.verification or self.verification


LEVEL_NAMES: dict[str, Text] = {
    "city": Text(zh="州(市)", en="prefecture-level city"),
    "county": Text(zh="县(市、区)", en="county-level unit"),
}


def _optional_fields_of(model: type[BaseModel], skip: set[str]) -> dict[str, Any]:
    return {
        name: (field.annotation | None, None)  # type: ignore[operator]
        for name, field in model.model_fields.items()
        if name not in skip
    }


ItemChange = create_model(
    "ItemChange",
    __base__=Strict,
    __doc__="Fields of a base item replaced by a set that extends it; cite the change's source.",
    **_optional_fields_of(Item, skip={"id", "kind"}),
)


class DerivedSet(Strict):
    """A criteria set that extends another: the base's items, changed, removed or added to."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        defer_build=True,
        json_schema_extra={"title": "ecoassess derived criteria set"},
    )

    id: Identifier
    extends: Identifier
    title: Text
    document: Document
    level: Annotated[list[Level], Field(min_length=1)] | None = None
    source: Annotated[str, Field(min_length=1)]
    decimals: Annotated[int, Field(ge=0, le=6)] | None = None
    non_binding: Text | None = None
    target_year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    base_year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    departments: dict[str, str] | None = None
    groups: list[Group] = []
    inputs: dict[Identifier, Input] = {}
    items: list[Item] = []
    bundles: list[Bundle] = []
    change: dict[Identifier, ItemChange] = Field(
        default={}, description="base item id → the fields replaced (with their source)"
    )
    remove: list[Identifier] = Field(default=[], description="base item ids that do not apply")
    correspondence: dict[Identifier, dict[Identifier, Identifier]] = {}
    verification: Verification | None = None
    superseded: Superseded | None = None
    incomplete: Incomplete | None = None
    binding_convention: Text | None = None
