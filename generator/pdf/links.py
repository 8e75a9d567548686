"""Links of printed texts: only http(s), mailto and jumps inside the workbook.

A content text may hold relative links, written for the site (``../other/``, ``page.md``,
``#part``), where they are kept as written. A PDF has no "here" for them to be relative to
(a reader would make them ``file:`` links, to any local path), so printed, they become the
absolute address of the site page they name, from the project's ``site: url:``; when that is
not set, or the link leads outside the site, the link is dropped and its words kept as plain
text, with a warning at ``file:line:col`` of the link in its content file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from generator.errors import ContentError, ContentErrors, display_path
from generator.loader import KeyPath, LocatedData, load_yaml
from generator.markup import is_relative
from generator.models import Content
from generator.templating import active_languages

logger = logging.getLogger("workbook")


def _page_url(doc: str) -> str:
    """A site page's address from its Markdown file, as generator.site.urls.url_of makes it:
    ``banks/x.md`` → ``banks/x/``, ``index.md`` → ``""``."""
    stem = doc.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def site_address(site: str, lang: str, doc: str, href: str) -> str | None:
    """The absolute address of relative link ``href`` on the site page ``doc`` (``lang``)
    of the site published at ``site``; None when it leads outside the site. A link to a
    Markdown file (``other.md``) names that page, relative to ``doc`` as the site's sources."""
    root = site.rstrip("/") + "/"
    base = root + ("" if lang == active_languages()[0] else f"{lang}/")
    markdown = urlsplit(href).path.endswith(".md")
    address = urljoin(base + (doc if markdown else _page_url(doc)), href)
    if not address.startswith(root):
        return None
    if markdown:
        parts = urlsplit(address)
        top = urlsplit(root).path
        address = parts._replace(path=top + _page_url(parts.path[len(top) :])).geturl()
    return address


class PrintLinks:
    """How the texts of one print part link (see markup.PrintLinks and the module's
    docstring); ``doc`` is the site page their relative links are relative to."""

    def __init__(self, content: Content, lang: str, doc: str) -> None:
        self.content, self.lang, self.doc = content, lang, doc

    def at(self, doc: str) -> PrintLinks:
        """The links of texts the site shows on another page (the licence: ``about.md``)."""
        return PrintLinks(self.content, self.lang, doc)

    def __call__(self, href: str, text: str) -> str | None:
        if not is_relative(href):  # http(s) or mailto: the Markdown subset lets no other through
            return href
        site = self.content.workbook.site.url
        address = None if site is None else site_address(site, self.lang, self.doc, href)
        if address is None:
            why = (
                "it leads outside the site"
                if site is not None
                else "a relative link needs the site's address: set `site: url:` in workbook.yml"
            )
            _warn_once(self.content, text, href, why)
        return address


_warned: dict[int, set[tuple[str, str]]] = {}


def _warn_once(content: Content, text: str, href: str, why: str) -> None:
    """One warning per link and text in a build (a text is printed in several editions)."""
    if id(content) not in _warned:
        _warned.clear()  # another content: another build
    seen = _warned.setdefault(id(content), set())
    if (text, href) in seen:
        return
    seen.add((text, href))
    path, line, col = _locate(content, text, href)
    message = f"the link to {unquote(href)!r} is not printed, only its words: {why}"
    logger.warning("%s", ContentError(path, line, col, message))


@lru_cache(maxsize=64)
def _loaded(path: str, root: str, modified: int) -> LocatedData | None:
    try:
        return load_yaml(Path(path), Path(root))
    except ContentErrors:
        return None


def _locate(content: Content, text: str, href: str) -> tuple[str, int, int]:
    """``file, line, col`` of the link to ``href`` in ``text`` (a text of a content file):
    at the address as written, else at the text; the content folder when no file holds it."""
    for name in content.files:
        try:
            located = _loaded(name, content.root, os.stat(name).st_mtime_ns)
            if located is None:
                continue
            for key_path, value in _strings(located.data, ()):
                if value == text and key_path in located.values:
                    line, col = _address_at(Path(name), located.values[key_path], href)
                    return display_path(Path(name)), line, col
        except OSError:
            continue
    return display_path(Path(content.root)), 1, 1


def _address_at(path: Path, text_at: tuple[int, int], href: str) -> tuple[int, int]:
    """Where ``href`` is written as a link's address in the text at ``text_at`` (line, col),
    or ``text_at`` when it is written otherwise (escaped, split over lines)."""
    source = path.read_text(encoding="utf-8")
    lines = source.split("\n")
    start = sum(len(line) + 1 for line in lines[: text_at[0] - 1]) + text_at[1] - 1
    found = [
        at + len(opening)
        for address in {href, unquote(href)}
        for opening, closing in (("](", ")"), ("](<", ">)"), ("](", " "))
        if (at := source.find(f"{opening}{address}{closing}", start)) >= 0
    ]
    if not found:
        return text_at
    offset = min(found)
    return source.count("\n", 0, offset) + 1, offset - source.rfind("\n", 0, offset)


def _strings(data: Any, key_path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """(key path, text) of every text in ``data``, in order."""
    if isinstance(data, str):
        yield key_path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*key_path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*key_path, index))


def site_doc(kind: str, context: dict[str, Any]) -> str:
    """The site page that shows the texts of a part (what their relative links start from)."""
    plan = context.get("plan")
    if kind == "exercise":
        return f"exercises/{context['item'].exercise.id}.md"
    if kind == "section" and plan is not None and plan.scope != "set":
        return f"banks/{context['section'].id}.md"
    if plan is not None and plan.scope in ("bank", "set"):
        return f"{plan.scope}s/{plan.id}.md"
    return "index.md"
