"""Regenerate the golden reports of the bundled example; review the diff before committing.

python scripts/regen_golden.py
"""

from __future__ import annotations

from pathlib import Path

from engine import evaluate, load_criteria, load_data, render, search_path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
EXAMPLE = REPO / "examples" / "baoshan_2016.yaml"
OUTPUTS = {
    "baoshan_2016.zh.md": ("md", "zh"),
    "baoshan_2016.en.md": ("md", "en"),
    "baoshan_2016.zh.txt": ("text", "zh"),
    "baoshan_2016.json": ("json", "zh"),
    "baoshan_2016.zh.html": ("html", "zh"),
}


def golden_reports() -> dict[str, str]:
    """File name → the report as the engine renders it now."""
    criteria = load_criteria("yunnan_2014", search_path())
    report = evaluate(criteria, load_data(EXAMPLE, criteria))
    return {name: render(report, criteria, fmt, lang) for name, (fmt, lang) in OUTPUTS.items()}  # type: ignore[arg-type]


if __name__ == "__main__":
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, text in golden_reports().items():
        (GOLDEN / name).write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN / name}")
