"""The workbench's real server (waitress): slow connections hold no thread, a stopped server
leaves no upload behind (issue 15, defect 13 and the weakness "no socket timeouts")."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from engine.web.server import background, make_server
from tests.conftest import EXAMPLE


def test_a_hundred_slow_connections_do_not_block_a_page() -> None:
    """Werkzeug's development server gave each of 100 silent connections a thread."""
    with background(make_server("127.0.0.1", 0)) as base:
        host, port = base.removeprefix("http://").split(":")
        slow = []
        for _ in range(90):  # below the connection limit (100), each a request never finished
            connection = socket.create_connection((host, int(port)))
            connection.sendall(b"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999")
            slow.append(connection)
        page = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            started = time.perf_counter()
            page.request("GET", "/criteria")
            response = page.getresponse()
            assert response.status == 200
            assert b"yunnan_2014" in response.read()
            assert time.perf_counter() - started < 5
        finally:
            page.close()
            for connection in slow:
                connection.close()


def _batch_body(boundary: str, copies: int) -> bytes:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="criteria"\r\n\r\n'
             "yunnan_2014\r\n".encode()]  # fmt: skip
    text = EXAMPLE.read_bytes()
    for number in range(copies):
        changed = text.replace("name: 保山市".encode(), f"name: 保山{number}市".encode(), 1)
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="data"; '
            f'filename="e{number}.yaml"\r\nContent-Type: application/x-yaml\r\n\r\n'.encode()
            + changed
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_stopping_the_server_mid_request_leaves_no_upload(tmp_path: Path, stop: str) -> None:
    """SIGTERM or SIGHUP mid-request left the uploaded files in the temporary folder."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "engine", "serve", "--port", "0"],
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        port = int(line.rsplit(":", 1)[1].split("/")[0])
        boundary = uuid.uuid4().hex
        body = _batch_body(boundary, 150)
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(
            f"POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n".encode()
            + body
        )
        deadline = time.monotonic() + 20
        while not list(temporary.glob("ecoassess-upload-*")):
            assert time.monotonic() < deadline, "the upload never reached the folder"
            time.sleep(0.005)
        server.send_signal(getattr(signal, stop))
        server.wait(timeout=20)
        client.close()
        assert list(temporary.glob("ecoassess-upload-*")) == []
    finally:
        server.kill()
        server.wait()
        if server.stdout is not None:
            server.stdout.close()
        shutil.rmtree(temporary, ignore_errors=True)


def test_the_folders_of_requests_in_progress_are_removed_when_the_server_stops() -> None:
    """What the server does on stopping for a request whose thread outlives its shutdown
    wait (a thread killed at exit never runs its own clean-up)."""
    from engine.web.uploads import remove_live, saved_bytes

    with saved_bytes([("a.yaml", b"x: 1")]) as (folder, paths):
        assert paths[0].exists()
        remove_live()
        assert not folder.exists()
