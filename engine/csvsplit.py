"""Splitting a long CSV into parts at entity boundaries, for processes that read one each.

A part is a byte range of the file that starts at the first row of an entity, so each process
parses only its own rows. That is safe only when every line of the file is one row: no quoted
cell (it could hold a line break or a comma) and no carriage return that does not end a line.
:func:`split` says ``None`` for any other file, which is then read in one piece.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TextIO

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_CHUNK = 1 << 20


class Part(NamedTuple):
    """Bytes ``start`` to ``end`` of a file, whose first row is row number ``row``."""

    start: int
    end: int
    row: int


def split(path: Path, encoding: str, column: int, parts: int) -> list[Part] | None:
    """About ``parts`` parts of equal size after the header row, each starting where the
    value in ``column`` (the entity) changes; ``None`` when lines are not rows."""
    with path.open("rb") as stream:
        header = stream.readline()
        size = stream.seek(0, io.SEEK_END)
        if not _lines_are_rows(stream):
            return None
        starts = [len(header)]
        for part in range(1, parts):
            start = _next_entity(stream, max(size * part // parts, starts[-1]), encoding, column)
            if start >= size:
                break
            if start > starts[-1]:
                starts.append(start)
        rows = _line_numbers(stream, starts)
    ends = [*starts[1:], size]
    return [Part(start, end, row) for start, end, row in zip(starts, ends, rows, strict=True)]


@contextmanager
def open_part(path: Path, encoding: str, part: Part) -> Iterator[TextIO]:
    """The part's text, for ``csv.reader`` (as ``open(..., newline="")`` gives a file)."""
    with path.open("rb") as raw:
        raw.seek(part.start)
        sliced = io.BufferedReader(_Slice(raw, part.end - part.start), _CHUNK)
        yield io.TextIOWrapper(sliced, encoding=encoding, newline="")


def _lines_are_rows(stream: BinaryIO) -> bool:
    """No quote anywhere, and every carriage return ends a line (``\\r\\n``). Chunks end at a
    line's end, so a ``\\r\\n`` is never cut in two."""
    stream.seek(0)
    while chunk := stream.read(_CHUNK) + stream.readline():
        if b'"' in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
            return False
    return True


def _next_entity(stream: BinaryIO, position: int, encoding: str, column: int) -> int:
    """The start of the first line after ``position`` whose entity differs from the one
    before it; blank lines belong to no entity and never end one."""
    stream.seek(position)
    stream.readline()  # the rest of a line cut in two
    current: str | None = None
    while True:
        start = stream.tell()
        line = stream.readline()
        if not line:
            return start
        text = line.decode(encoding).rstrip("\r\n")
        if not text:
            continue
        cells = text.split(",")
        entity = cells[column] if column < len(cells) else ""
        if current is not None and entity != current:
            return start
        current = entity


def _line_numbers(stream: BinaryIO, starts: list[int]) -> list[int]:
    """The line number (from 1) at each of ``starts`` (ascending line starts)."""
    numbers, counted, position = [], 0, 0
    for start in starts:
        stream.seek(position)
        while position < start:
            chunk = stream.read(min(_CHUNK, start - position))
            counted += chunk.count(b"\n")
            position += len(chunk)
        numbers.append(counted + 1)
    return numbers


class _Slice(io.RawIOBase):
    """The next ``size`` bytes of a binary stream, as a stream of their own."""

    def __init__(self, stream: io.BufferedReader, size: int) -> None:
        self.stream, self.left = stream, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        count = self.stream.readinto(memoryview(buffer)[: self.left])
        self.left -= count
        return count


__all__ = ["Part", "open_part", "split"]
