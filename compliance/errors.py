"""Errors the user can act on: each carries a hint that says what to do next."""

from __future__ import annotations


class ComplianceError(Exception):
    """A user-facing error: the CLI prints `error: <message> Fix: <hint>` and exits 1."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The single line shown to the user (newlines in untrusted parts are flattened)."""
        text = self.message if not self.hint else f"{self.message} Fix: {self.hint}"
        return " ".join(text.split())


class DatabaseError(ComplianceError):
    """The database cannot be opened, migrated or written."""


class CrawlError(ComplianceError):
    """A crawl could not start or a start URL could not be captured."""


class InputError(ComplianceError):
    """An argument or input file is not usable as given."""


class ReportError(ComplianceError):
    """A report cannot be produced (nothing to report, unwritable target...)."""
