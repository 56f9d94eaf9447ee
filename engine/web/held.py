"""A batch's upload, held in the server's memory for a while so that its page can link to
each entity's report and to the summaries, made when asked for.

Held only in memory (never written anywhere but the private temporary folder a request reads
it from), under an unguessable token (the page's links carry it), for at most
:data:`HOLD_SECONDS`; at most :data:`MAX_HELD_BYTES` in all — the oldest batches are
forgotten first.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

HOLD_SECONDS = 30 * 60
MAX_HELD_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class HeldBatch:
    """What a batch page needs to make a report or a summary again."""

    criteria_id: str
    year: int | None
    uploads: tuple[tuple[str, bytes], ...]
    held_at: float

    @property
    def size(self) -> int:
        return sum(len(content) for _, content in self.uploads)


class BatchStore:
    """Held batches by token; thread-safe (the server answers requests in threads)."""

    def __init__(self, hold_seconds: float = HOLD_SECONDS, max_bytes: int = MAX_HELD_BYTES):
        self.hold_seconds = hold_seconds
        self.max_bytes = max_bytes
        self._held: OrderedDict[str, HeldBatch] = OrderedDict()
        self._lock = threading.Lock()

    def hold(self, criteria_id: str, year: int | None, uploads: list[tuple[str, bytes]]) -> str:
        token = secrets.token_urlsafe(24)
        batch = HeldBatch(criteria_id, year, tuple(uploads), time.monotonic())
        with self._lock:
            self._forget_expired()
            self._held[token] = batch
            while sum(b.size for b in self._held.values()) > self.max_bytes and len(self._held) > 1:
                self._held.popitem(last=False)
        return token

    def get(self, token: str) -> HeldBatch | None:
        """The batch held under ``token``, or ``None`` when unknown or expired."""
        with self._lock:
            self._forget_expired()
            return self._held.get(token)

    def _forget_expired(self) -> None:
        now = time.monotonic()
        for token in [t for t, b in self._held.items() if now - b.held_at > self.hold_seconds]:
            del self._held[token]


__all__ = ["HOLD_SECONDS", "BatchStore", "HeldBatch"]
