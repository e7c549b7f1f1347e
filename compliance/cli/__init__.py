"""The `provenance` command line: a thin layer over library calls (the only package that imports click)."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from typing import Any

import click

from compliance import __version__
from compliance.cli.common import DB_HELP, UserFacingError
from compliance.errors import ComplianceError


def _debug() -> bool:
    """The `debug` setting; a malformed PROVENANCE_DEBUG must not hide the error being reported."""
    from compliance.settings import value

    try:
        return bool(value("debug"))
    except ComplianceError:
        return True


class ProvenanceGroup(click.Group):
    """Turns domain errors into one `error: ... Fix: ...` line and exit 1; never shows a stack trace."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ComplianceError as exc:
            raise UserFacingError(exc.one_line()) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # `provenance ... | head`: the reader left; nothing to report (Python docs, SIGPIPE)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(1) from None
        except KeyboardInterrupt:
            raise UserFacingError("interrupted; work committed so far is kept.") from None
        except Exception as exc:  # last line of defence: one line, the trace only on request
            if _debug():
                traceback.print_exc()
            raise UserFacingError(
                f"unexpected failure ({type(exc).__name__}: {' '.join(str(exc).split())[:300]}). "
                "Fix: rerun with PROVENANCE_DEBUG=1 to see the details and report them."
            ) from None


@click.group(cls=ProvenanceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="URL", default=None, help=DB_HELP)
@click.option("-v", "--verbose", is_flag=True, help="Show progress and crawler log messages.")
@click.version_option(__version__, prog_name="provenance")
@click.pass_context
def cli(ctx: click.Context, db: str | None, verbose: bool) -> None:
    """provenance: where every republished article and image came from, and takedowns handled on time.

    \b
    Three jobs for compliance staff:
      1. crawl audits      provenance crawl URL... --role publisher|aggregator --name NAME
      2. attribution       provenance link; provenance audit; provenance report attribution --format html
      3. takedown tickets  provenance takedown ingest FILE...; takedown act ID --remove --reason ...

    Start with `provenance demo`: it serves bundled sample sites on 127.0.0.1, crawls, links,
    audits and writes the reports.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["verbose"] = verbose
    configure_logging(verbose)


class _QuietLibraries(logging.Filter):
    """Without --verbose, library logs stay out of the user's way: faults are recorded and reported by us."""

    LIBRARIES = ("scrapy", "twisted", "py.warnings", "alembic", "trafilatura", "htmldate", "courlan", "charset_normalizer")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".")[0] in self.LIBRARIES:
            return record.levelno >= logging.CRITICAL
        return True


def configure_logging(verbose: bool) -> None:
    """One stderr handler; Scrapy re-levels its own loggers, so quietness is a handler filter, not logger levels."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(name)s: %(message)s"))
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    if not verbose:
        handler.addFilter(_QuietLibraries())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    logging.captureWarnings(True)


def _register() -> None:
    from compliance.cli.analyse import audit_cmd, link_cmd
    from compliance.cli.crawl import crawl_cmd
    from compliance.cli.demo import demo_cmd
    from compliance.cli.evidence import evidence_group
    from compliance.cli.report import report_group
    from compliance.cli.settings import settings_cmd
    from compliance.cli.sites import sites_group
    from compliance.cli.takedown import takedown_group

    for command in (demo_cmd, crawl_cmd, link_cmd, audit_cmd, sites_group, report_group, takedown_group,
                    settings_cmd, evidence_group):
        cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="provenance")
