"""Run the workbench: ``ecoassess serve``, on waitress, a production WSGI server.

Not werkzeug's development server: waitress reads each request completely, with its own
event loop, before a worker thread sees it, and drops a connection idle for
:data:`CHANNEL_TIMEOUT` seconds — so a hundred slow or silent connections hold no thread and
a page is still served at once; at most :data:`CONNECTION_LIMIT` connections are open.

Stopping the server (Ctrl+C, SIGTERM from a service manager, SIGHUP when its terminal
closes) removes the uploads of requests still in progress (:func:`uploads.remove_live`),
which a killed worker thread could not.
"""

from __future__ import annotations

import ipaddress
import signal
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from waitress.server import create_server

from engine.web.app import create_app
from engine.web.uploads import remove_live

LOCAL_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
THREADS = 8
"""Requests computed at once; others wait in waitress's queue, their bytes already read."""
CHANNEL_TIMEOUT = 30
"""Seconds a connection may be idle (sending nothing) before it is closed."""
CONNECTION_LIMIT = 100


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def trusted_hosts(host: str, allowed: Sequence[str] = ()) -> list[str]:
    """The names a request may give in its ``Host`` header: the local names, the address
    listened on (unless it is a wildcard), this machine's names and those ``allowed``.

    A page that answered any name could be reached through DNS rebinding: another site's
    name pointed at this machine, with the browser treating it as that site."""
    names = [*LOCAL_NAMES, *allowed]
    if not is_loopback(host):
        names += [socket.gethostname(), socket.getfqdn()]
    if host not in ("0.0.0.0", "::", ""):
        names.append(host.strip("[]"))
        names.append(f"[{host.strip('[]')}]" if ":" in host else host)
    return list(dict.fromkeys(names))


def make_server(
    host: str,
    port: int,
    criteria_paths: Sequence[Path] = (),
    max_upload_mb: int = 20,
    allowed_hosts: Sequence[str] = (),
    workspace: Path | None = None,
    proxy: str | None = None,
) -> Any:
    """The workbench on waitress, listening (not yet serving) on ``host:port``.

    ``proxy``: the address of a reverse proxy in front (which terminates TLS): its
    X-Forwarded-Proto / -For / -Host headers are then believed, and only its."""
    app = create_app(
        criteria_paths,
        max_upload_mb=max_upload_mb,
        trusted_hosts=trusted_hosts(host, allowed_hosts),
        workspace=workspace,
    )
    return create_server(
        app,
        host=host.strip("[]"),
        port=port,
        threads=THREADS,
        channel_timeout=CHANNEL_TIMEOUT,
        connection_limit=CONNECTION_LIMIT,
        # The form may carry a report's upload back for the Word download (base64: 4/3).
        max_request_body_size=max_upload_mb * 1024 * 1024 * 4 // 3 + 65536,
        ident="ecoassess",
        clear_untrusted_proxy_headers=True,
        **_proxied(proxy),
    )


def _proxied(proxy: str | None) -> dict[str, Any]:
    """waitress's settings for a reverse proxy at ``proxy`` (none without one)."""
    if proxy is None:
        return {}
    headers = {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"}
    return {"trusted_proxy": proxy, "trusted_proxy_count": 1, "trusted_proxy_headers": headers}


def address(server: Any) -> str:
    host, port = server.effective_host, server.effective_port
    shown = f"[{host}]" if ":" in str(host) else host
    return f"http://{shown}:{port}/"


def serve(
    host: str,
    port: int,
    criteria_paths: Sequence[Path],
    max_upload_mb: int,
    announce: Callable[[str], None],
    allowed_hosts: Sequence[str] = (),
    workspace: Path | None = None,
    proxy: str | None = None,
) -> None:
    """Serve until stopped; ``announce`` is told the address to open."""
    server = make_server(host, port, criteria_paths, max_upload_mb, allowed_hosts, workspace, proxy)
    announce(address(server))
    with _stopped_by_signals():
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
            remove_live()


@contextmanager
def background(server: Any) -> Iterator[str]:
    """Serve ``server`` on a thread (tests, screenshots): its base address, without "/"."""
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield address(server).rstrip("/")
    finally:
        # The worker threads first: one still answering a request would write to the
        # server's wake-up pipe after it is closed.
        server.task_dispatcher.shutdown()
        server.close()
        remove_live()


class _Stop(KeyboardInterrupt):
    """A termination signal, handled as Ctrl+C is."""


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    def stop(number: int, _frame: FrameType | None) -> None:
        raise _Stop(signal.Signals(number).name)

    chosen = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    previous = {number: signal.signal(number, stop) for number in chosen}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


__all__ = ["address", "background", "is_loopback", "make_server", "serve", "trusted_hosts"]
