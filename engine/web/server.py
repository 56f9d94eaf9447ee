"""Run the workbench on this machine: ``ecoassess serve``."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from pathlib import Path

from werkzeug.serving import make_server

from engine.web.app import create_app

LOCAL_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    host: str,
    port: int,
    criteria_paths: Sequence[Path],
    max_upload_mb: int,
    announce: Callable[[str], None],
) -> None:
    """Serve until interrupted; ``announce`` is told the address to open."""
    local = is_loopback(host)
    app = create_app(
        criteria_paths,
        max_upload_mb=max_upload_mb,
        trusted_hosts=[*LOCAL_NAMES, host] if local else None,
    )
    server = make_server(host, port, app, threaded=True)
    shown = f"[{host}]" if ":" in host else host
    announce(f"http://{shown}:{server.port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


__all__ = ["is_loopback", "serve"]
