"""``ecoassess serve``: the web workbench on this machine."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.cli.support import (
    LANG_OPTION,
    InputError,
    criteria_path_option,
)


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. 127.0.0.1 is reachable from this machine only; any other "
    "address needs --allow-remote.",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a --host that other machines can reach: anyone on that network could then "
    "use the workbench and see what is uploaded.",
)
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="With --allow-remote: a further name or address other machines use to reach the "
    "workbench (e.g. 192.168.1.20 or eco.example.org); requests naming any other host are "
    "refused. Repeatable.",
)
@click.option(
    "--max-upload-mb",
    default=20,
    show_default=True,
    type=click.IntRange(1, 1024),
    help="Largest upload accepted, in MB.",
)
@click.option(
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also serve this campaign workspace (made by ecoassess workspace init): the "
    "dashboard, entity pages, value entry, evidence upload, check-ins, bulletins.",
)
@click.option(
    "--behind-proxy",
    "proxy",
    metavar="ADDRESS",
    help="The address of a reverse proxy in front that terminates TLS (e.g. 127.0.0.1 for "
    "nginx on this machine): its X-Forwarded-Proto/For/Host headers are believed, so that "
    "session cookies are marked Secure. See docs/workspace.md.",
)
@LANG_OPTION
@criteria_path_option
def serve(
    host: str,
    port: int,
    allow_remote: bool,
    allowed_hosts: tuple[str, ...],
    max_upload_mb: int,
    workspace: Path | None,
    proxy: str | None,
    lang: str,
    criteria_paths: tuple[Path, ...],
) -> None:
    """Start the web workbench on this machine and print the address to open in a browser:
    criteria sets, checks with the Excel template, batches and comparisons, without a
    terminal. Uploads are processed in a private temporary folder and never kept.
    """
    from engine.web.server import is_loopback
    from engine.web.server import serve as run

    if not is_loopback(host):
        if not allow_remote:
            raise InputError(
                f"--host {host}: other machines could reach this address and see what is "
                "uploaded; add --allow-remote if that is intended"
                if lang == "en"
                else f"--host {host}: 其他机器可以访问此地址并看到上传的数据；"
                "确需如此请加 --allow-remote",
                lang,
            )
        click.echo(
            f"warning: listening on {host}: anyone who can reach it can use the workbench"
            if lang == "en"
            else f"警告: 正在 {host} 上监听，能访问该地址的任何人都可以使用本工作台",
            err=True,
        )

    def announce(address: str) -> None:
        click.echo(
            f"ecoassess workbench: open {address} in a browser (Ctrl+C stops it)"
            if lang == "en"
            else f"ecoassess 工作台已启动，请在浏览器中打开: {address} (按 Ctrl+C 停止)"
        )
        sys.stdout.flush()

    if workspace is not None:
        from engine.cli.support import user_errors
        from engine.workspace.accounts import has_accounts
        from engine.workspace.store import open_workspace

        with user_errors(lang):
            opened = open_workspace(workspace)  # no workspace there: say so before listening
        if not is_loopback(host) and not has_accounts(opened):
            raise InputError(
                "--allow-remote --workspace: a workspace served to other machines needs "
                "accounts; create the administrator first: ecoassess workspace adduser "
                f"{workspace} NAME --role admin"
                if lang == "en"
                else "--allow-remote --workspace: 向其他机器提供工作区须先建立账号；请先运行 "
                f"ecoassess workspace adduser {workspace} 用户名 --role admin",
                lang,
            )
    try:
        run(host, port, criteria_paths, max_upload_mb, announce, allowed_hosts, workspace, proxy)
    except OSError as exc:
        raise InputError(f"--host {host} --port {port}: {_why(exc, lang)}", lang) from exc


def _why(exc: OSError, lang: str) -> str:
    """Why the server could not listen, in the user's language."""
    import errno

    known = {
        errno.EADDRINUSE: ("端口已被占用：请换一个 --port，或先停止占用它的程序",
                           "the port is in use: choose another --port, or stop what uses it"),
        errno.EADDRNOTAVAIL: ("本机没有这个地址：请检查 --host",
                              "this machine has no such address: check --host"),
        errno.EACCES: ("没有权限监听此端口(1024 以下的端口需要管理员权限)：请换一个 --port",
                       "not allowed to listen on this port (below 1024 needs root): choose "
                       "another --port"),
    }  # fmt: skip
    if exc.errno in known:
        zh, en = known[exc.errno]
        return en if lang == "en" else zh
    return str(exc.strerror or exc)
