from pathlib import Path

import pytest

from engine.data.sources import load_data
from engine.errors import DataError
from tests.conftest import write_data


def test_values_may_carry_provenance(tmp_path: Path, mini) -> None:
    path = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values:
          income: 120
          part: {value: 41.3, source: 统计年鉴, evidence: 某文号, note: 初步数}
    """,
    )
    data = load_data(path, mini)
    assert data.values["income"].value == 120
    assert data.values["part"].source == "统计年鉴"
    assert data.values["part"].note == "初步数"


def test_unknown_key_names_the_closest_match(tmp_path: Path, mini) -> None:
    path = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values:
          incom: 120
    """,
    )
    with pytest.raises(
        DataError,
        match=r"data\.yaml:3 values\.incom: not an input or item of mini "
        r"\(did you mean 'income'\?\); `ecoassess template mini` lists every input$",
    ):
        load_data(path, mini)


def test_every_unknown_key_is_reported(tmp_path: Path, mini) -> None:
    path = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values: {a: 1, b: 2, c: 3}
    """,
    )
    with pytest.raises(DataError) as caught:
        load_data(path, mini)
    assert len(caught.value.problems) == 3


def test_many_unknown_keys_are_capped_in_problems_shown_and_suggestion_work(
    tmp_path: Path, mini, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15, defect 4: 357,540 unknown keys ran one did-you-mean search each (still
    running at 300 s) and would have printed as many lines."""
    from engine import errors

    searches = []
    real = errors.did_you_mean
    monkeypatch.setattr(errors, "did_you_mean", lambda *a: searches.append(a) or real(*a))
    path = tmp_path / "data.yaml"
    path.write_text(
        "entity: {name: 甲市, level: city, year: 2020}\nvalues:\n"
        + "".join(f"  incom{n}: 1\n" for n in range(5000)),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_data(path, mini)
    assert len(caught.value.problems) == 5000  # every one counted ...
    assert len(searches) == errors.MAX_SUGGESTIONS  # ... the first few searched
    lines = caught.value.render("zh").splitlines()
    assert len(lines) == errors.MAX_PROBLEMS_SHOWN + 1
    assert lines[-1] == "…… 另有 4950 个问题未列出；请先改正以上问题后再运行"
    assert caught.value.render("en").endswith("… and 4950 more problems not listed; fix those "
                                              "above and run again")  # fmt: skip


def test_direct_value_needs_a_measured_item(tmp_path: Path, mini) -> None:
    path = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values: {plan: true}
    """,
    )
    with pytest.raises(
        DataError,
        match="item plan has no measured value to give directly; give its facts: plan_adopted",
    ):
        load_data(path, mini)


@pytest.mark.parametrize(
    ("entity", "message"),
    [
        (
            "{name: 甲市, level: town, year: 2020}",
            r"entity\.level: Input should be 'city' or 'county'",
        ),
        ("{name: 甲市, level: city}", r"entity\.year: required; add it"),
        ("{name: '', level: city, year: 2020}", r"entity\.name: String should have at least 1"),
        ("{name: 甲市, level: city, year: 2020, colour: red}", r"entity\.colour: unknown key"),
    ],
    ids=["bad-level", "no-year", "empty-name", "unknown-key"],
)
def test_entity_is_validated(tmp_path: Path, mini, entity: str, message: str) -> None:
    path = write_data(tmp_path, f"entity: {entity}\nvalues: {{}}\n")
    with pytest.raises(DataError, match=message):
        load_data(path, mini)


def test_values_must_be_a_mapping(tmp_path: Path, mini) -> None:
    path = write_data(tmp_path, "entity: {name: 甲市, level: city, year: 2020}\nvalues: [1, 2]\n")
    with pytest.raises(DataError, match="values must be a mapping"):
        load_data(path, mini)


def test_unknown_value_field(tmp_path: Path, mini) -> None:
    path = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values:
          income: {valeu: 3}
    """,
    )
    with pytest.raises(DataError, match=r"values\.income\.valeu: unknown key"):
        load_data(path, mini)


def test_entity_level_must_be_one_the_set_applies_to(tmp_path: Path, yunnan) -> None:
    path = write_data(tmp_path, "entity: {name: 施甸县, level: county, year: 2016}\nvalues: {}\n")
    with pytest.raises(
        DataError,
        match=r"data\.yaml:1 entity\.level: criteria set yunnan_2014 "
        r"applies to city only, not to county; choose a set for this level$",
    ):
        load_data(path, yunnan)


def test_history_keys_are_checked_too(tmp_path: Path, mini) -> None:
    path = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values: {income: 1}
        history:
          2019: {incme: 1}
    """,
    )
    with pytest.raises(DataError, match=r"data\.yaml:4 history\.2019\.incme: not an input"):
        load_data(path, mini)


def test_history_must_not_repeat_the_assessed_year(tmp_path: Path, mini) -> None:
    path = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values: {income: 1}
        history:
          2020: {income: 2}
    """,
    )
    with pytest.raises(
        DataError,
        match=r"history\.2020: this is the assessed year; its values "
        "belong under values",
    ):
        load_data(path, mini)


def test_profile_values_are_validated(tmp_path: Path, mini) -> None:
    path = write_data(tmp_path, "entity: {name: 甲市, level: city, year: 2020, terrain: hilly}\n")
    with pytest.raises(
        DataError,
        match=r"entity\.terrain: Input should be 'mountain', 'hill' or "
        "'plain'",
    ):
        load_data(path, mini)


@pytest.mark.parametrize("name", ["保山市\\n## 结论: 具备申报条件", "保山市\\r", "保\\u2028山"])
def test_a_name_is_one_line(tmp_path: Path, name: str) -> None:
    from click.testing import CliRunner

    from engine.cli import main

    path = tmp_path / "forged.yaml"
    path.write_text(
        f'entity: {{name: "{name}", level: city, year: 2016}}\nvalues: {{}}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["check", str(path), "--criteria", "yunnan_2014", "--lang", "en"]
    )
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "entity.name: must be one line, without line breaks or control characters" in line
