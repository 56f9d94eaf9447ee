"""CSV files: one table, UTF-8 (with or without BOM) or GBK as Excel writes it on Chinese
Windows; rows read from disk each time the table reader asks (a large file is never held)."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from engine.data.signature import misnamed
from engine.data.tables import Row, Sheet
from engine.errors import DataError
from engine.inputs import note_read


def csv_sheet(path: Path) -> Sheet:
    encoding = csv_encoding(path)
    note_read(path)

    def rows() -> Iterator[Row]:
        with path.open(encoding=encoding, newline="") as stream:
            yield from enumerate(csv.reader(stream), start=1)

    return Sheet(path.name, rows)


def csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), or GBK as Excel's "CSV (逗号分隔)" writes it on Chinese
    Windows (GB18030 reads it exactly); checked over the whole file, a megabyte at a time."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise DataError.single(
                str(path), f"无法读取: {exc.strerror}", f"cannot read: {exc.strerror}"
            ) from exc
    raise misnamed(path) or DataError.single(
        str(path), "编码无法识别；请另存为“CSV UTF-8”", "unknown encoding; save as 'CSV UTF-8'"
    )
