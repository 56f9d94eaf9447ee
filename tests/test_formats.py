"""The output-format registry: the commands' --format choices and -o suffixes come from it;
a suffix no format claims is a clear error and nothing is written."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.reports.formats import (
    BULLETIN_FORMATS,
    DOCUMENT_FORMATS,
    FORMATS,
    REPORT_FORMATS,
    format_of_suffix,
)
from tests.conftest import REPO

EXAMPLE = str(REPO / "examples" / "baoshan_2016.yaml")
Q1, Q2 = (str(REPO / "examples" / "progress" / f"baoshan_2017_q{n}.yaml") for n in (1, 2))


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_the_registry() -> None:
    assert REPORT_FORMATS == ("md", "text", "json", "html", "docx", "pdf")
    assert BULLETIN_FORMATS == ("md", "json", "html", "docx", "pdf")
    assert DOCUMENT_FORMATS == ("md", "html", "docx", "pdf")
    assert format_of_suffix(".HTM") is FORMATS["html"]
    assert format_of_suffix(".PDF") is FORMATS["pdf"]
    assert format_of_suffix(".odt") is None


@pytest.mark.parametrize("name", ["report.odt", "report.doc", "report.xlsx", "report.MD.bak"])
def test_check_refuses_a_suffix_no_format_claims(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = run("check", EXAMPLE, "--criteria", "yunnan_2014", "-o", str(out), "--lang", "en")
    assert result.exit_code == 2
    assert f"-o {out}: cannot write a {out.suffix} file; the formats are md, text, json" in (
        result.stderr
    )
    assert ".docx" in result.stderr
    assert not out.exists()
    # --format does not make such a file of Markdown either
    result = run("check", EXAMPLE, "--criteria", "yunnan_2014", "-o", str(out), "--format", "md")
    assert result.exit_code == 2
    assert not out.exists()


@pytest.mark.parametrize(("name", "fmt"), [("r.pdf", "md"), ("r.html", "docx"), ("r.docx", "pdf")])
def test_a_paper_file_is_never_written_in_another_format(
    tmp_path: Path, name: str, fmt: str
) -> None:
    out = tmp_path / name
    result = run("check", EXAMPLE, "--criteria", "yunnan_2014", "-o", str(out), "--format", fmt)
    assert result.exit_code == 2
    assert f"{out.suffix} 文件应为" in result.stderr
    assert not out.exists()


def test_progress_refuses_a_format_it_does_not_write(tmp_path: Path) -> None:
    out = tmp_path / "bulletin.txt"
    result = run("progress", Q1, Q2, "--criteria", "yunnan_2014", "-o", str(out))
    assert result.exit_code == 2
    assert "可用格式 md, json, html, docx, pdf" in result.stderr
    assert not out.exists()


def test_a_format_chosen_by_suffix_and_explicit_format_still_work(tmp_path: Path) -> None:
    out = tmp_path / "r.htm"
    assert run("check", EXAMPLE, "--criteria", "yunnan_2014", "-o", str(out)).exit_code == 1
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    plain = tmp_path / "r.txt"
    result = run("check", EXAMPLE, "--criteria", "yunnan_2014", "-o", str(plain), "--format", "md")
    assert result.exit_code == 1
    assert plain.read_text(encoding="utf-8").startswith("# ")


def test_word_needs_a_file(tmp_path: Path) -> None:
    result = run("check", EXAMPLE, "--criteria", "yunnan_2014", "--format", "docx")
    assert result.exit_code == 2
    assert "请用 -o 文件名.docx 指明要写入的文件" in result.stderr


def test_batch_writes_word_reports_through_the_registry(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", EXAMPLE, "--criteria", "yunnan_2014", "-o", str(out), "--format", "docx")
    assert result.exit_code == 1, result.output
    document = docx.Document(str(out / "保山市.docx"))
    assert any("尚未具备" in p.text for p in document.paragraphs)
