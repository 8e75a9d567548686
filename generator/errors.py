"""A user's mistake in a content folder, located at ``path:line:col``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.log import printable
from generator.models import DEFAULT_LANGUAGES


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in the content, with what to do about it."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        """One line; the file name and the message may quote content, shown escaped."""
        return f"{printable(self.path)}:{self.line}:{self.col}: {printable(self.message)}"


class ContentErrors(Exception):
    """Every problem found in one check, sorted by place."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(error) for error in self.errors))


class ToolError(Exception):
    """A failure the user can fix that is not in the content (a missing library, a busy port,
    an output folder the tool will not touch): one clear line, exit status 1."""


# ---- messages for the models' validation errors ------------------------------

LANGUAGE_NAMES = {
    "ar": "Arabic",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hu": "Hungarian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "zh": "Chinese",
}
"""English names of languages, for messages (a code not listed is shown as itself)."""
_TYPE_NAMES = {
    "str": "a text",
    "int": "a whole number",
    "list": "a list",
    "dict": "a mapping of `key: value` lines",
    "NoneType": "nothing",
    "bool": "true or false",
    "float": "a number",
}


def _describe(value: Any) -> str:
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def _shown(value: Any, limit: int = 60) -> str:
    """A value quoted in a message: a long one cut short (it could be megabytes)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: Any) -> str:
    """``480``, ``1800`` and ``-10,000``: thousands separated only in big numbers."""
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10_000 else str(value)


def _field(loc: tuple[Any, ...], languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> str:
    """The field a message is about: the nearest key that is not a language or a position."""
    for part in reversed(loc):
        if isinstance(part, str) and part not in languages:
            return part
    return "value"


def friendly(error: Any, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> tuple[str, bool]:
    """A message for one pydantic error: what is wrong and what to do; True when it is
    about a key (an unknown field), else about a value."""
    kind = error["type"]
    loc = error["loc"]
    name = str(loc[-1]) if loc else "value"
    value = error.get("input")
    shown = _shown(value)
    if kind == "missing":
        if name in languages:
            return (
                f"missing the {LANGUAGE_NAMES.get(name, name)} text '{name}': every text needs "
                + ", ".join(languages[:-1])
                + (" and " if len(languages) > 1 else "")
                + languages[-1],
                False,
            )
        return f"missing field '{name}': add it", False
    if kind == "extra_forbidden":
        return f"unknown field '{name}': remove it or check its spelling", True
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{shown}' is not allowed for '{name}': use {expected}", False
    if kind == "string_pattern_mismatch":
        if "http" in error.get("ctx", {}).get("pattern", ""):
            return f"'{shown}' is not a web address: start it with https://", False
        if "10\\." in error.get("ctx", {}).get("pattern", ""):
            return f"'{shown}' is not a DOI: write it as 10.xxxx/yyyy", False
        return (
            f"'{shown}' is not a valid id: use lower-case letters, digits and single hyphens",
            False,
        )
    if kind == "string_too_short":
        return f"'{name}' is empty: write the text", False
    if kind == "string_too_long":
        limit, got = error["ctx"]["max_length"], len(str(value).strip())
        field = _field(loc, languages)
        return f"'{field}' is longer than {limit:,} characters (got {got:,}): shorten it", False
    if kind == "too_long":
        limit = error["ctx"]["max_length"]
        got = error["ctx"].get("actual_length") or len(value)
        field = _field(loc, languages)
        message = f"'{field}' has more than {limit:,} items (got {got:,}): keep at most {limit:,}"
        return message, False
    if kind in ("greater_than", "greater_than_equal"):
        limit = error["ctx"].get("gt", error["ctx"].get("ge"))
        word = "greater than" if kind == "greater_than" else "at least"
        hint = "give a positive number" if limit in (0, 1) else "use a larger number"
        return f"'{name}' must be {word} {_number(limit)} (got {shown}): {hint}", False
    if kind in ("less_than", "less_than_equal"):
        limit = error["ctx"].get("lt", error["ctx"].get("le"))
        return (
            f"'{name}' must be at most {_number(limit)} (got {shown}): use a smaller number",
            False,
        )
    if kind == "too_short":
        return f"'{name}' must not be empty: add at least one item", False
    if kind.endswith("_type") or kind in ("int_parsing", "bool_parsing", "model_attributes_type"):
        expected = {
            "string_type": "a text",
            "int_type": "a whole number",
            "int_parsing": "a whole number",
            "list_type": "a list",
            "model_type": "a mapping of `key: value` lines",
            "dict_type": "a mapping of `key: value` lines",
            "bool_type": "true or false",
            "bool_parsing": "true or false",
        }.get(kind, kind.removesuffix("_type"))
        hint = " such as {fr: ..., en: ...}" if expected.startswith("a mapping") else ""
        return f"'{name}' should be {expected}{hint}, not {_describe(value)}", False
    if kind in ("int_from_float", "finite_number"):
        return f"'{name}' must be a whole number (got {shown})", False
    if kind == "undeclared_language":
        return str(error["msg"]), True
    if kind == "value_error":
        return str(error["ctx"]["error"]), False
    return f"'{name}': {error['msg']}", False
