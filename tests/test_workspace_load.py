"""A bounded load test on loopback: 20 clerks enter values at once (for a minute in CI, a few
seconds elsewhere; ``ECOASSESS_LOAD_SECONDS``) through the real server, on SQLite and on
PostgreSQL. Nothing is lost: every value a clerk was told was stored is a version, every
refusal was a conflict (never an overwrite, never a server error), and the audit trail has
every change."""

from __future__ import annotations

import os
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.criteria.departments import department_inputs, departments
from engine.criteria.loader import load_criteria, search_path
from engine.web.server import background, make_server
from engine.workspace.accounts import add_user
from engine.workspace.audit import entries
from engine.workspace.schema import ValueVersion
from engine.workspace.store import init
from tests.conftest import EXAMPLE

YUNNAN = load_criteria("yunnan_2014", search_path())
CLERKS = 20
PASSWORD = "a long enough password"
SECONDS = float(os.environ.get("ECOASSESS_LOAD_SECONDS") or (60 if os.environ.get("CI") else 8))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a 303 is the answer itself: do not fetch the page it names


def _numbers(department: str) -> list[str]:
    return sorted(
        name
        for name in department_inputs(YUNNAN, department)
        if name in YUNNAN.inputs and YUNNAN.inputs[name].type == "number"
    )


def test_twenty_clerks_at_once_lose_nothing(tmp_path: Path, database: str | None) -> None:
    folder = tmp_path / "ws"
    space = init(folder, database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN, user="创建办")
    imported = set(space.now(YUNNAN, "保山市")[0][1].values)
    with_numbers = [d for d in departments(YUNNAN) if _numbers(d)]
    clerks = [(f"clerk{i:02d}", with_numbers[i % len(with_numbers)]) for i in range(CLERKS)]
    for name, department in clerks:
        add_user(space, name, "clerk", PASSWORD, department)
    stored: dict[str, int] = {}
    conflicts: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def clerk(base: str, name: str, department: str, seed: int) -> None:
        rng = random.Random(seed)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

        def get(path: str) -> str:
            with opener.open(base + path, timeout=60) as response:
                return str(response.read().decode("utf-8"))

        def post(path: str, form: dict[str, str]) -> int:
            """The status; a 303 to a page saying the value equals the newest is 304."""
            body = urllib.parse.urlencode(form).encode()
            try:
                with opener.open(base + path, body, timeout=60) as response:
                    return int(response.status)
            except urllib.error.HTTPError as answer:
                answer.close()
                unchanged = "done=unchanged" in (answer.headers.get("Location") or "")
                return 304 if answer.code == 303 and unchanged else int(answer.code)

        token = re.search(r'name="csrf_token" value="([^"]+)"', get("/login"))
        assert token is not None
        assert post("/login", {"name": name, "password": PASSWORD, "csrf_token": token[1]}) == 303
        token = re.search(r'name="csrf_token" value="([^"]+)"', get("/workspace/tasks"))
        assert token is not None
        inputs = _numbers(department)
        entity = urllib.parse.quote("保山市")
        until = time.monotonic() + SECONDS
        while time.monotonic() < until:
            chosen = rng.choice(inputs)
            page = get(f"/workspace/entity/{entity}/history?input={chosen}&year=2016")
            numbers = re.findall(r'<td class="num">(\d+)</td>', page)
            expected = numbers[0] if numbers else "0"  # the newest version shown first
            declared = YUNNAN.inputs[chosen]
            low = declared.minimum if declared.minimum is not None else 0
            high = declared.maximum if declared.maximum is not None else low + 1000
            value = str(round(rng.uniform(low, high), 2))
            status = post(f"/workspace/entity/{entity}/value",
                          {"input": chosen, "year": "2016", "value": value,
                           "expected": expected, "csrf_token": token[1]})  # fmt: skip
            with lock:
                if status == 303:
                    stored[chosen] = stored.get(chosen, 0) + 1
                elif status in (409, 304):  # a conflict, or the very value already there
                    conflicts.append(1)
                else:
                    failures.append(f"{name} {chosen}: HTTP {status}")

    with background(make_server("127.0.0.1", 0, workspace=folder)) as base:
        threads = [
            threading.Thread(target=clerk, args=(base, name, department, seed))
            for seed, (name, department) in enumerate(clerks)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert sum(stored.values()) > CLERKS  # every clerk got through, more than once
    with Session(space.engine) as session:
        for input_name, count in stored.items():
            versions = session.scalar(
                select(func.count()).select_from(ValueVersion).where(
                    ValueVersion.input == input_name, ValueVersion.year == 2016
                )
            )  # fmt: skip
            before = 1 if input_name in imported else 0
            assert versions == before + count, input_name  # what was imported, then each stored
    changes = [e for e in entries(space.engine) if e.action == "value" and e.user != "创建办"]
    assert len(changes) == sum(stored.values())
    print(f"{sum(stored.values())} stored, {len(conflicts)} conflicts in {SECONDS:.0f} s")
