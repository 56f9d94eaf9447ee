"""Build the PDF font engine/reports/fonts/NotoSansSC-ecoassess.ttf: Noto Sans CJK SC (from
Debian's fonts-noto-cjk) cut to GB 2312, common symbols and every character of the bundled
files, with its outlines converted to TrueType (fpdf2 subsets TrueType outlines about twice
as fast as CFF ones, and each PDF written subsets the font).

Run (about half a minute):
    python scripts/make_pdf_font.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
        engine/reports/fonts/NotoSansSC-ecoassess.ttf criteria reports engine examples
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

RANGES = [
    (0x20, 0x7E), (0xA0, 0x17F), (0x391, 0x3C9), (0x2000, 0x206F), (0x2070, 0x209F),
    (0x2100, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F),
    (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x3000, 0x303F), (0xFF00, 0xFFEF),
]  # fmt: skip
TEXT_SUFFIXES = {".yaml", ".j2", ".py", ".md", ".csv"}


def gb2312() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([high, low]).decode("gb2312"))
    return chars


def to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by quadratic (TrueType) ones, within one font unit."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 0)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font.sfntVersion = "\000\001\000\000"


def main(source: str, output: str, folders: list[str]) -> None:
    font = TTCollection(source).fonts[2]  # Noto Sans CJK SC
    chars = gb2312() | {chr(c) for low, high in RANGES for c in range(low, high + 1)}
    for folder in folders:
        for path in Path(folder).rglob("*"):
            if path.suffix in TEXT_SUFFIXES and path.is_file():
                chars |= set(path.read_text(encoding="utf-8", errors="ignore"))
    cmap = font.getBestCmap()
    options = subset.Options()
    options.layout_features, options.name_IDs, options.name_legacy = ["*"], ["*"], True
    options.notdef_outline, options.hinting = True, False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars if ord(c) in cmap))
    subsetter.subset(font)
    to_truetype(font)
    font.save(output)
    print(f"{len(font.getBestCmap())} characters, {Path(output).stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
