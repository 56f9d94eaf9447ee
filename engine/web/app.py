"""The pages of the local workbench: a thin layer over what the command line does.

Every page is rendered by the report templates' Jinja environment from
``reports/templates/web/``; no page needs JavaScript. Reports and downloads are produced by
the same functions as ``check``, ``batch``, ``template`` and ``diff``. Downloads of a report
are embedded in its page (``data:`` links), so nothing uploaded has to be kept on the server.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from engine.criteria.loader import search_path
from engine.errors import EcoassessError
from engine.web.common import PageError, Workbench, lang, page, say
from engine.web.pages import batch, check, compare, criteria_sets, progress
from engine.web.uploads import UploadError

MAX_UPLOAD_MB = 20
SECURITY_HEADERS = {
    # Nothing is fetched from anywhere and nothing runs: styles and pictures are inline.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; frame-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": Chromium then sends "Origin: null" with the workbench's own forms.
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cross_site_refusal() -> Response | None:
    """A 403 page for a state-changing request sent by another site's page, else ``None``.

    The workbench has no accounts to attach a CSRF token to, and needs none: every browser
    that can run a page says where a request comes from — ``Sec-Fetch-Site`` (all current
    browsers) or ``Origin`` (sent with every cross-origin POST). A request naming another
    origin, or the opaque origin ``null`` (a sandboxed frame, a ``data:`` page), is refused,
    so a page the user opens elsewhere cannot make the workbench parse gigabytes for it. A
    request with neither header does not come from a browser page (curl, a script the user
    runs) and is served."""
    if request.method in SAFE_METHODS:
        return None
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if fetch_site is not None:  # the browser's own word, which a page cannot change
        allowed = fetch_site in ("same-origin", "none")
    else:
        allowed = origin is None or urlsplit(origin).netloc == request.host
    if allowed:
        return None
    return page(
        "error",
        403,
        lines=[
            say(
                lang(),
                "跨站请求被拒绝：请在工作台自己的页面上提交",
                "cross-site request refused: submit the form from the workbench's own page",
            )
        ],
    )


def create_app(
    criteria_paths: Sequence[Path] = (),
    *,
    max_upload_mb: int = MAX_UPLOAD_MB,
    trusted_hosts: list[str] | None = None,
    workspace: Path | None = None,
) -> Flask:
    """The workbench application.

    ``trusted_hosts``: the host names requests may name (a page served on 127.0.0.1 must not
    answer a request for another name, which is how DNS rebinding reaches it).
    ``workspace``: the campaign workspace to serve (its pages exist only then).
    """
    app = Flask("ecoassess", static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = max_upload_mb * 1024 * 1024
    # A report page carries its upload back (base64) for the Word download: a form field.
    app.config["MAX_FORM_MEMORY_SIZE"] = max_upload_mb * 1024 * 1024 * 4 // 3 + 4096
    app.config["TRUSTED_HOSTS"] = trusted_hosts
    state = Workbench(search_path(criteria_paths), max_upload_mb)
    if workspace is not None:
        from engine.workspace.store import open_workspace

        state.workspace = open_workspace(workspace)
    app.extensions["ecoassess"] = state

    @app.before_request
    def same_site_only() -> Response | None:
        return cross_site_refusal()

    @app.after_request
    def secure(response: Response) -> Response:
        own = response.headers.get("Content-Security-Policy")  # a download's stricter one
        response.headers.update(SECURITY_HEADERS)
        if own is not None:
            response.headers["Content-Security-Policy"] = own
        return response

    @app.errorhandler(PageError)
    def page_error(error: PageError) -> Response:
        return page("error", error.status, lines=error.lines)

    @app.errorhandler(UploadError)
    def upload_error(error: UploadError) -> Response:
        return page("error", error.status, lines=[error.text(lang())])

    @app.errorhandler(EcoassessError)
    def engine_error(error: EcoassessError) -> Response:
        from engine.workspace.store import ConflictError

        status = 409 if isinstance(error, ConflictError) else 422
        return page("error", status, lines=error.render(lang()).splitlines())

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> Response:
        lines = [
            say(
                lang(),
                f"上传的文件太大：上限 {max_upload_mb} MB"
                "(可用 ecoassess serve --max-upload-mb 调整)",
                f"the upload is too large: the limit is {max_upload_mb} MB "
                "(ecoassess serve --max-upload-mb changes it)",
            )
        ]
        return page("error", 413, lines=lines)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return page("error", error.code or 400, lines=[f"{error.code} {error.name}"])

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        app.logger.exception("unexpected error")  # the traceback goes to the console only
        lines = [
            say(lang(), "内部错误；详情见启动服务的终端窗口", "internal error; see the console")
        ]
        return page("error", 500, lines=lines)

    stateless = (criteria_sets.pages, check.pages, batch.pages, progress.pages, compare.pages)
    for blueprint in stateless:
        app.register_blueprint(blueprint)
    if workspace is not None:
        from engine.web.auth import install
        from engine.web.pages import accounts, departments, workspace_forms
        from engine.web.pages import workspace as workspace_pages

        workspace_blueprints = (accounts.pages, workspace_pages.pages, workspace_forms.pages,
                                departments.pages)  # fmt: skip
        for blueprint in workspace_blueprints:
            app.register_blueprint(blueprint)
        with app.app_context():
            install(app, list(stateless))
    return app


__all__ = ["MAX_UPLOAD_MB", "create_app"]
