"""The safe Markdown subset of content texts, and French typography.

Content comes from files anyone may have written, so it is untrusted: raw HTML is shown as
text, only http(s), mailto and in-page or relative links survive (``javascript:``, ``data:``,
``file:`` and the rest are dropped), external links open with ``rel="noopener noreferrer"``,
and images are not part of the subset, so nothing a text points to is ever fetched.

The site keeps relative links as written. Print has no "here" to be relative to (a PDF
reader would make them ``file:`` links), so print templates pass ``links``: each link's
address goes through it, and comes out absolute (http(s), mailto) or is dropped, its words
kept as plain text (see generator.pdf.links).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

logger = logging.getLogger("workbook")

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
# Only where the author wrote a space: "http://", "10:30" and "a?b" stay as they are.
_FRENCH_SPACE_BEFORE = re.compile(r"(?<=\S)[ \u00a0\u202f]+(?=[;:!?»])")
_FRENCH_SPACE_AFTER = re.compile(r"(?<=«)[ \u00a0\u202f]+")
_NARROW_NBSP = "\u202f"

PrintLinks = Callable[[str, str], str | None]
"""(a link's address, the text it is in) → the address to print, or None: drop the link and
keep its words."""


def safe_href(url: str) -> bool:
    """True for links a reader may follow: http(s), mailto, or relative without a scheme."""
    match = _SCHEME.match(url)
    if match is None:
        return not url.strip().startswith("//")  # protocol-relative: another host
    return f"{match.group(1).lower()}:" in _SAFE_SCHEMES


def is_relative(url: str) -> bool:
    """True for a link without a scheme (``../x/``, ``page.md``, ``#part``)."""
    return _SCHEME.match(url) is None


def french_typography(text: str) -> str:
    """Make the space before ; : ! ? » and after « a narrow no-break space, as French wants."""
    text = _FRENCH_SPACE_BEFORE.sub(_NARROW_NBSP, text)
    return _FRENCH_SPACE_AFTER.sub(_NARROW_NBSP, text)


def typography(text: str, lang: str) -> str:
    return french_typography(text) if lang == "fr" else text


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["emphasis", "list", "link", "newline", "escape", "backticks"])
    parser.validateLink = safe_href  # type: ignore[method-assign]

    def link_open(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        href = str(token.attrGet("href") or "")
        links: PrintLinks | None = env.get("links")
        if links is not None:
            printed = links(href, env["text"])
            if printed is None:  # its words stay, as text; link_close drops its end too
                env["dropped"] = True
                return ""
            href = printed
            token.attrSet("href", href)
        if _SCHEME.match(href):
            token.attrSet("rel", "noopener noreferrer")
        return str(renderer.renderToken(tokens, index, options, env))

    def link_close(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        if env.pop("dropped", False):  # links do not nest: this ends the dropped one
            return ""
        return str(renderer.renderToken(tokens, index, options, env))

    parser.add_render_rule("link_open", link_open)
    parser.add_render_rule("link_close", link_close)
    return parser


_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]*)\)")


def _env(text: str, links: PrintLinks | None) -> dict[str, Any]:
    return {} if links is None else {"links": links, "text": text}


def render_markdown(text: str, lang: str, links: PrintLinks | None = None) -> Markup:
    """Render a content text (Markdown subset) to safe HTML; for print, with ``links``."""
    if links is None:  # the site's: the same text is shown on several pages and data files
        return _site_markdown(text, lang)
    return _markdown(text, lang, links)


def _markdown(text: str, lang: str, links: PrintLinks | None) -> Markup:
    for match in _IMAGE.finditer(text):
        logger.warning("images are not supported in texts; shown as text: %s", match.group(1))
    html = _parser().render(typography(text, lang), _env(text, links))
    return Markup(html)  # markdown-it escapes all input HTML


@lru_cache(maxsize=1 << 15)
def _site_markdown(text: str, lang: str) -> Markup:
    return _markdown(text, lang, None)


def first_paragraph_inline(html: Markup) -> Markup:
    """A list item's rendered text with its first paragraph unwrapped: the item's number then
    shares a line with its first words, so that a page never breaks between them (what
    ``orphans`` and ``widows`` keep together is the item's own lines)."""
    if not html.startswith("<p>"):
        return html
    end = html.index("</p>")
    return Markup(html[3:end] + html[end + 4 :])


def render_inline(text: str, lang: str, links: PrintLinks | None = None) -> Markup:
    """Render a one-line text (a title, a prompt) without the surrounding paragraph."""
    if links is None:
        return _site_inline(text, lang)
    return _inline(text, lang, links)


def _inline(text: str, lang: str, links: PrintLinks | None) -> Markup:
    return Markup(_parser().renderInline(typography(text, lang), _env(text, links)))


@lru_cache(maxsize=1 << 15)
def _site_inline(text: str, lang: str) -> Markup:
    return _inline(text, lang, None)
