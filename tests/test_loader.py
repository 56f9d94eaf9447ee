"""Loading criteria sets: every inconsistency is reported with file, line, item and fix."""

import re
from pathlib import Path

import pytest

from engine.criteria.loader import PATH_VARIABLE, discover, find, load_path, search_path
from engine.errors import CriteriaError, CriteriaNotFoundError
from engine.resources import bundled_criteria_dir
from tests.conftest import MINI_SET, write_set


def load_variant(tmp_path: Path, old: str, new: str) -> None:
    assert old in MINI_SET
    load_path(write_set(tmp_path, MINI_SET.replace(old, new, 1)))


def test_bundled_yunnan_set_has_all_items(yunnan) -> None:
    kinds = [compiled.item.kind for compiled in yunnan.items]
    assert kinds.count("basic_condition") == 6
    assert kinds.count("indicator") == 22  # 18 items, 4 of them split in two


def test_mini_set_loads(mini) -> None:
    assert [c.id for c in mini.items] == ["plan", "income_check", "share", "county_only"]
    assert mini.item("share").inputs == ("part", "total")


def test_undeclared_input_names_item_line_and_closest_match(tmp_path: Path) -> None:
    with pytest.raises(
        CriteriaError,
        match=r"criteria\.yaml:\d+ item share \(2\): measure: name 'totl' is not a declared "
        r"input \(did you mean 'total'\?\)$",
    ):
        load_variant(tmp_path, "measure: part / total * 100", "measure: part / totl * 100")


def test_unknown_group(tmp_path: Path) -> None:
    with pytest.raises(
        CriteriaError,
        match=r"item share \(2\): group 'econmy' is not declared "
        r"under groups \(did you mean 'economy'\?\)",
    ):
        load_variant(
            tmp_path,
            "    group: economy\n    name: {zh: 占比}",
            "    group: econmy\n    name: {zh: 占比}",
        )


def test_duplicate_item_id(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match="duplicate item id 'share'"):
        load_variant(tmp_path, "id: county_only", "id: share")


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match=r"criteria\.yaml:\d+: duplicate key 'binding'"):
        load_variant(tmp_path, "    binding: false\n", "    binding: false\n    binding: true\n")


def test_bad_operator(tmp_path: Path) -> None:
    with pytest.raises(
        CriteriaError,
        match=r"item share \(2\): items\.2\.operator: Input should "
        r"be '>=', '>', '<=', '<' or '==' \(found '=>'\)",
    ):
        load_variant(tmp_path, 'operator: ">"', 'operator: "=>"')


def test_unknown_key_is_a_typo(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match=r"items\.2\.treshold: unknown key"):
        load_variant(tmp_path, "threshold: 40", "treshold: 40")


def test_forbidden_expression_is_reported_at_load(tmp_path: Path) -> None:
    with pytest.raises(
        CriteriaError,
        match=r"item share \(2\): measure 'part\.__class__' is not "
        "allowed: Attribute is not allowed",
    ):
        load_variant(tmp_path, "measure: part / total * 100", "measure: part.__class__")


def test_measure_must_read_numbers(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match="a measure reads numbers only, but 'plan_adopted'"):
        load_variant(tmp_path, "measure: income\n", "measure: income + plan_adopted\n")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("measure: income\n", "measure: income >= 10\n", "a measure must compute a number"),
        ("measure: income\n", "measure: not income\n", "a measure must compute a number"),
        ("condition: plan_adopted", "condition: income", "a condition must be true or false"),
        ("condition: plan_adopted", "condition: income * 2", "e.g. income * 2 >= 1"),
        (
            "condition: plan_adopted",
            "condition: plan_adopted or income",
            "a condition must be true or false",
        ),
        ("measure: income\n", "measure: income / 0\n", "divides by zero"),
        ("measure: income\n", "measure: min()\n", "min() takes at least 1 arguments"),
    ],
)
def test_expressions_whose_error_is_visible_at_load_are_refused(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """Issue 15 weakness: a measure that is a comparison, a condition that yields a number,
    ``x / 0`` and ``min()`` passed validate and then failed on every entity."""
    with pytest.raises(CriteriaError, match=re.escape(message)):
        load_variant(tmp_path, old, new)


def test_incomplete_comparison(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match=r"operator and threshold .or thresholds. go together"):
        load_variant(tmp_path, "    threshold: 100\n", "")


def test_unquoted_decimal_number_must_be_quoted(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match=r"write the number in quotes, e\.g\. number: '4\.1'"):
        load_variant(tmp_path, 'number: "2"', "number: 4.1")


def test_basic_condition_must_be_binding(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match="a basic condition is always binding"):
        load_variant(
            tmp_path,
            "    binding: true\n    responsible: [创建办]",
            "    binding: false\n    responsible: [创建办]",
        )


def test_unused_input_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match="input spare: is declared but no item reads it"):
        load_variant(tmp_path, "inputs:\n", "inputs:\n  spare: {name: {zh: 多余}}\n")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = MINI_SET.replace("part / total", "prt / totl").replace("group: economy", "group: eco")
    with pytest.raises(CriteriaError) as caught:
        load_path(write_set(tmp_path, text))
    assert len(caught.value.problems) >= 5


def test_id_must_match_folder(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match="id 'mini' must equal its folder name 'other'"):
        load_path(write_set(tmp_path, MINI_SET, name="other"))


def test_department_glossary_catches_typos(tmp_path: Path) -> None:
    glossary = "departments: {创建办: office, 农业局: agri, 统计局: stats, 县政府: county}\ngroups:"
    with pytest.raises(CriteriaError, match=r"department '农业厅' is not listed under departments"):
        load_path(
            write_set(
                tmp_path, MINI_SET.replace("groups:", glossary, 1).replace("[农业局]", "[农业厅]")
            )
        )


def test_messages_exist_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError) as caught:
        load_variant(tmp_path, "measure: part / total * 100", "measure: part / totl * 100")
    assert "不是已声明的输入项" in caught.value.render("zh")


def test_search_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path / "env"))
    paths = search_path([tmp_path / "cli"])
    assert paths == [tmp_path / "cli", tmp_path / "env", bundled_criteria_dir()]


def test_earlier_folders_shadow_later_ones(tmp_path: Path) -> None:
    write_set(tmp_path / "a")
    write_set(tmp_path / "b")
    assert discover([tmp_path / "a", tmp_path / "b"])["mini"].folder == tmp_path / "a" / "mini"


def test_unknown_set_suggests_and_lists(tmp_path: Path) -> None:
    with pytest.raises(
        CriteriaNotFoundError,
        match=r"no criteria set 'yunan_2014' \(did you mean "
        r"'yunnan_2014'\?\); available: .*yunnan_2014",
    ):
        find("yunan_2014", search_path())


@pytest.mark.parametrize("number", [".nan", ".inf", "-.inf", "1.0e400"])
@pytest.mark.parametrize("field", ["threshold: {}", "minimum: {}"])
def test_non_finite_numbers_in_criteria_are_refused_at_load(
    tmp_path: Path, number: str, field: str
) -> None:
    """Issue 15, defect 8: they loaded, then crashed or silently dropped a check."""
    old = "    threshold: 40\n"
    new = old if field.startswith("threshold") else old + "    minimum: 0\n"
    text = MINI_SET.replace(old, new, 1)
    target = "threshold: 40" if field.startswith("threshold") else "minimum: 0"
    text = text.replace(target, field.format(number), 1)
    with pytest.raises(CriteriaError) as caught:
        load_path(write_set(tmp_path, text))
    message = caught.value.render("en")
    assert "criteria.yaml:" in message
    assert "Traceback" not in message


def test_a_control_character_in_a_criteria_text_is_refused_with_its_place(tmp_path: Path) -> None:
    """Found by the output property test: a criteria text with an ESC or a backspace reached
    every report, and crashed the xlsx template (Excel refuses such a character)."""
    with pytest.raises(CriteriaError, match=r"inputs\.income\.name\.zh: the text holds the "
                       r"control character U\+0008; delete it"):  # fmt: skip
        load_variant(tmp_path, "name: {zh: 收入}", 'name: {zh: "收\\x08入"}')


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("name: {zh: 收入}", "name: {zh: 收入, en: Income, net of tax}",
         "the text was split at a comma: quote an English text that has one"),
        ("    threshold: 100\n", "    threshhold: 100\n",
         "unknown key (did you mean 'threshold'?)"),
        ("    threshold: 100\n", "    threshold: 85%\n",
         "threshold: write 85, without %; the unit goes in `unit` (found '85%')"),
    ],
)  # fmt: skip
def test_the_slips_a_new_user_makes_get_a_message_saying_what_to_write(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """Issue 16, section 5: a flow-style name split at a comma, ``threshhold``, ``85%``."""
    with pytest.raises(CriteriaError) as caught:
        load_variant(tmp_path, old, new)
    rendered = caught.value.render("en")
    assert message in rendered
    assert len(rendered.splitlines()) == 1  # one message, not one per union member
    assert "AssignedTarget" not in caught.value.render("zh")


def test_a_set_extending_yunnan_2014_loads_even_when_empty(tmp_path: Path) -> None:
    """Issue 16, section 5: a kept roll-up's `where` fact was dropped with the unused inputs."""
    folder = tmp_path / "derived"
    folder.mkdir()
    (folder / "criteria.yaml").write_text(
        "id: derived\nextends: yunnan_2014\ntitle: {zh: 派生}\n"
        "document: {number: 测试, title: {zh: 测试}, year: 2024}\nsource: 测试\n",
        encoding="utf-8",
    )
    assert len(load_path(folder).items) == 28
