"""Logging set-up shared by every command: plain messages on stderr, levels by option."""

from __future__ import annotations

import logging
import sys

logger = logging.getLogger("workbook")


class _PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            return message if record.name == "workbook.content" else f"error: {message}"
        if record.levelno >= logging.WARNING:
            return f"warning: {message}"
        return message


def configure(*, quiet: bool = False, verbose: bool = False) -> None:
    """Send the tool's messages to stderr: warnings only with quiet, details with verbose."""
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PlainFormatter())
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    # The engines are chatty; their warnings matter only when asked for.
    for name in ("weasyprint", "fontTools", "mkdocs", "properdocs"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.ERROR)
