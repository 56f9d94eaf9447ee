"""The ``ecoassess`` command line: a thin layer over the engine.

Engine errors become one line per problem on stderr and exit status 2; see
:class:`engine.cli.exit_codes.ExitCode` for every status. Each command lives in a module of
this package (``check``, ``batch``, ``progress``, ``template``, ``serve``, and ``sets`` for
list, show, validate, diff and schema); what commands share is in :mod:`engine.cli.support`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from engine.cli import departments as _departments  # noqa: F401  (adds its commands)
from engine.cli import usage
from engine.cli.batch import batch
from engine.cli.check import check
from engine.cli.help import asked as help_asked
from engine.cli.help import in_chinese
from engine.cli.progress import progress
from engine.cli.serve import serve
from engine.cli.sets import diff_sets, list_sets, schema, show, validate
from engine.cli.template import template
from engine.cli.workspace import workspace


class _Main(click.Group):
    """The top group: click's own usage errors (engine.cli.usage) and the help pages
    (engine.cli.help) in Chinese unless ``--lang en`` is given."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        words = list(sys.argv[1:] if args is None else args)
        if help_asked(words) and not usage.english_asked(words):
            with in_chinese(self):
                return self._main(words, prog_name, complete_var, standalone_mode, **extra)
        return self._main(words, prog_name, complete_var, standalone_mode, **extra)

    def _main(
        self,
        args: list[str],
        prog_name: str | None,
        complete_var: str | None,
        standalone_mode: bool,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            done = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as error:
            usage.show(error, args)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("已中止 / aborted", err=True)
            sys.exit(1)
        # As click's standalone mode: the process ends here, with the command's status.
        sys.exit(done if isinstance(done, int) else 0)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ecoassess")
def main() -> None:
    """ecoassess — 生态文明建设示范区达标评估 (readiness checks against criteria sets)."""


for command in (
    check,
    list_sets,
    show,
    validate,
    template,
    diff_sets,
    schema,
    batch,
    progress,
    serve,
    workspace,
):
    main.add_command(command)


if __name__ == "__main__":
    main()
