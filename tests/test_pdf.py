"""PDF output: A4, the Chinese font embedded (so it reads the same on a machine without one),
the date and 第 N 页 / 共 M 页 on every page, and the same words as the Word file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.data.sources import load_data
from engine.evaluation.evaluator import evaluate
from engine.reports.document import Document
from engine.reports.formats import FORMATS
from engine.reports.pdf import write_pdf
from tests.conftest import EXAMPLE, REPO

Q1, Q2 = (str(REPO / "examples" / "progress" / f"baoshan_2017_q{n}.yaml") for n in (1, 2))
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def text_of(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def info_of(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


@needs_poppler
def test_the_report_as_pdf(tmp_path: Path) -> None:
    out = tmp_path / "报告.pdf"
    result = CliRunner().invoke(main, ["check", str(EXAMPLE), "--criteria", "yunnan_2014",
                                       "-o", str(out)])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "已写入" in result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    info = info_of(out)
    assert "A4" in info
    assert "Author:          ecoassess" in info
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "NotoSansCJKSC" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # embedded
    text = text_of(out)
    assert "结论: 尚未具备申报技术评估条件" in text
    assert "需降低 26.8 立方米/万元" in text
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert f"第 1 页 / 共 {pages} 页" in text
    assert f"第 {pages} 页 / 共 {pages} 页" in text


@needs_poppler
def test_the_bulletin_as_pdf(tmp_path: Path) -> None:
    out = tmp_path / "通报.pdf"
    result = CliRunner().invoke(main, ["progress", Q1, Q2, "--criteria", "yunnan_2014",
                                       "-o", str(out)])  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    text = text_of(out)
    assert "阻碍申报的缺口" in text
    assert "A4" in info_of(out)


def test_pdf_needs_a_file() -> None:
    result = CliRunner().invoke(
        main, ["check", str(EXAMPLE), "--criteria", "yunnan_2014", "--format", "pdf"]
    )
    assert result.exit_code == 2
    assert "请用 -o 文件名.pdf 指明要写入的文件" in result.stderr


@needs_poppler
def test_english_and_user_text_are_set_as_text(tmp_path: Path, yunnan) -> None:
    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    out = tmp_path / "r.pdf"
    out.write_bytes(FORMATS["pdf"].write_report(report, yunnan, "en"))
    text = text_of(out)
    assert "page 1 of" in text
    document = Document("t", "zh")
    document.paragraph("(a) Tj ET BT /F1 99 Tf <script>x</script> \\ )")
    document.table(["编号", "条目"], [["1", "一\n二"]])
    out.write_bytes(write_pdf(document))
    assert "(a) Tj ET BT /F1 99 Tf <script>x</script> \\ )" in text_of(out)


def test_a_character_the_bundled_font_lacks_is_still_written(capfd) -> None:
    document = Document("t", "zh")
    document.paragraph("罕见字：𠀀䶮 😀 \u202e \x00\x07")  # a system font, else a box
    document.table(["编号", "条目"], [["1", "x" * 900]])  # one unbroken run in a narrow cell
    assert write_pdf(document).startswith(b"%PDF-")
    assert capfd.readouterr().err == ""  # no library's notes on the office's terminal
