"""Counts in words: the plural category of a number, by the rules browsers use.

An interface string that counts something comes in forms, one key per CLDR plural category:
``site.exercises_count.one: "{n} exercise"``, ``site.exercises_count.other: "{n} exercises"``.
The generator picks the form with :func:`category`; the site's scripts pick it with
``Intl.PluralRules`` (``assets/workbook/catalogue.js``: ``plural``), and a browser test keeps
the two in step for every shipped language. A category without its own key (Arabic "two",
French "many" for a million…) takes the ``other`` form; a project whose overrides still give
the bare key alone (``site.exercises_count``) keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.templating import has_ui, ui

CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def _one_if_1(n: int) -> str:
    return "one" if n == 1 else "other"


def _french(n: int) -> str:
    if n in (0, 1):
        return "one"
    return "many" if n % 1_000_000 == 0 else "other"


def _romance(n: int) -> str:  # Spanish, Italian
    if n == 1:
        return "one"
    return "many" if n != 0 and n % 1_000_000 == 0 else "other"


def _arabic(n: int) -> str:
    if n in (0, 1, 2):
        return ("zero", "one", "two")[n]
    if 3 <= n % 100 <= 10:
        return "few"
    if 11 <= n % 100 <= 99:
        return "many"
    return "other"


RULES: dict[str, Callable[[int], str]] = {
    "en": _one_if_1,
    "de": _one_if_1,
    "fr": _french,
    "es": _romance,
    "it": _romance,
    "ar": _arabic,
}
"""CLDR cardinal rules for whole numbers of the shipped languages; any other language counts
like English ("one" for 1)."""


def category(n: int, lang: str) -> str:
    """The CLDR plural category of the whole number ``n`` in ``lang``."""
    return RULES.get(lang.split("-")[0], _one_if_1)(abs(n))


def forms(key: str, lang: str) -> dict[str, str]:
    """The forms of ``key`` in ``lang``, by category (at least ``other``), for the browser."""
    found = {
        name: ui(f"{key}.{name}", lang) for name in CATEGORIES if has_ui(f"{key}.{name}", lang)
    }
    if "other" not in found:
        found["other"] = ui(key, lang)
    return found


def plural(key: str, n: int, lang: str, **values: object) -> str:
    """The form of ``key`` for ``n`` in ``lang``, with ``{n}`` and ``values`` filled in."""
    texts = forms(key, lang)
    return texts.get(category(n, lang), texts["other"]).format(n=n, **values)
