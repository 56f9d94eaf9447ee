"""Pydantic models of the criteria format: what a criteria YAML file may say.

These models only describe and check the *shape* of a file. Cross-references (groups,
inputs, expressions) are checked when a set is compiled (:mod:`engine.compiler`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Level = Literal["city", "county"]
Operator = Literal[">=", ">", "<=", "<", "=="]
Kind = Literal["basic_condition", "indicator"]
InputType = Literal["number", "boolean"]


class Strict(BaseModel):
    """Base for every criteria model: an unknown key is a typo, so it is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
    issuer: Text | None = None
    year: int


class Group(Strict):
    """A group of items as the source document groups them."""

    id: Identifier
    name: Text


class Input(Strict):
    """A named input: a statistic or a fact the data file supplies."""

    name: Text
    type: InputType = "number"
    unit: str = ""
    minimum: float | None = Field(default=None, description="smallest plausible value")
    maximum: float | None = Field(default=None, description="largest plausible value")
    note: Text | None = None


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
    threshold: float | None = None
    decimals: Annotated[int, Field(ge=0, le=6)] | None = Field(
        default=None, description="precision at which the measured value is compared"
    )
    condition: str | None = Field(
        default=None, description="boolean expression over facts that must also hold"
    )
    requirement: Text | None = Field(
        default=None, description="the requirement in the source's words, for reports"
    )
    binding: bool
    applies_to: list[Level] | None = None
    responsible: Annotated[list[str], Field(min_length=1)]
    cooperating: list[str] = []
    source: Annotated[str, Field(min_length=1, description="document and item number cited")]
    note: Text | None = None

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_written(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            raise ValueError(f"write the number in quotes, e.g. number: '{value}'")
        return value

    @model_validator(mode="after")
    def _complete_rule(self) -> Item:
        comparison = (self.measure, self.operator, self.threshold)
        if any(part is not None for part in comparison) and None in comparison:
            raise ValueError("measure, operator and threshold go together: give all three")
        if self.measure is None and self.condition is None:
            raise ValueError("give a measure with operator and threshold, or a condition")
        if self.kind == "basic_condition" and not self.binding:
            raise ValueError("a basic condition is always binding: set binding: true")
        return self


class CriteriaSet(Strict):
    """A whole criteria set, as written in its ``criteria.yaml``."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
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
    departments: dict[str, str] | None = Field(
        default=None,
        description="every department named by the items, with its English name",
    )
    groups: Annotated[list[Group], Field(min_length=1)]
    inputs: dict[Identifier, Input]
    items: Annotated[list[Item], Field(min_length=1)]


LEVEL_NAMES: dict[str, Text] = {
    "city": Text(zh="州(市)", en="prefecture-level city"),
    "county": Text(zh="县(市、区)", en="county-level unit"),
}
