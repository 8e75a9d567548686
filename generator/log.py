"""Logging set-up shared by every command: plain messages on stderr, levels by option.

Content and file names are untrusted: a bank could hold an escape sequence that clears the
terminal and prints a fake success line. Every value from them goes through ``printable``
before it reaches a terminal: the formatter applies it to each argument of a log record and to
the message itself, and the commands' own output (``pick``'s table, ``wrote …`` lines) calls it.
"""

from __future__ import annotations

import logging
import sys
import unicodedata

logger = logging.getLogger("workbook")

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control, format (bidi overrides, zero-width), surrogate, private-use, unassigned, and line or
paragraph separator characters: none of them is text a reader can see."""


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every control or invisible character shown escaped: ``\\x1b``, ``\\u202e``.

    With ``keep_newlines``, ``\\n`` stays a line break (for the tool's own multi-line messages).
    """
    shown = str(text)
    if shown.isprintable():  # the common case: nothing to escape (space is printable)
        return shown
    return "".join(
        char
        if (keep_newlines and char == "\n")
        or (char.isprintable() or unicodedata.category(char) not in _UNSAFE_CATEGORIES)
        else _escaped(char)
        for char in shown
    )


class _PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = printable(_message(record), keep_newlines=True)
        if record.levelno >= logging.ERROR:
            return message if record.name == "workbook.content" else f"error: {message}"
        if record.levelno >= logging.WARNING:
            return f"warning: {message}"
        return message


def _message(record: logging.LogRecord) -> str:
    """The record's message with each argument escaped (a value may hold a line break too)."""
    args = record.args
    if not args:
        return str(record.msg)
    if isinstance(args, dict):
        return str(record.msg) % {key: _safe(value) for key, value in args.items()}
    return str(record.msg) % tuple(_safe(value) for value in args)


def _safe(value: object) -> object:
    """Strings (and paths, and anything shown as text) escaped; numbers kept for ``%d``."""
    if value is None or isinstance(value, (int, float)):
        return value
    return printable(value)


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
