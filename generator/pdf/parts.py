"""A workbook as parts: cover, contents, sections, exercises, bibliography, each its own PDF.

A part's PDF depends only on its HTML, the print templates (CSS, fonts), the engines and the
code that shapes it (:func:`code_digest`), so its cache key is the hash of those: a change to
any of them rebuilds the parts, with no format number to bump by hand. An exercise part
knows nothing of the workbook it goes into (no running header, no page number: they are
stamped after merging), so every workbook that holds the same exercise, numbered alike, in
the same language, edition and paper, reuses the same part.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pikepdf

from generator.cache import digest, engine_versions, tree_digest
from generator.markup import render_inline, typography
from generator.models import Content
from generator.pdf.document import (
    PrintOptions,
    cover_context,
    document_title,
    part_html,
)
from generator.pdf.selection import DocumentPlan, Numbered
from generator.pdf.stamp import right_to_left
from generator.templating import ui

logger = logging.getLogger("workbook")

PACKAGE = Path(__file__).resolve().parent.parent
SHAPING_MODULES = ("markup.py", "templating.py", "strings.py", "resources.py", "weasy.py")
"""The modules outside ``generator/pdf/`` that shape a part: its Markdown, its templates'
environment, its interface text, the files it may read and the WeasyPrint it goes through."""


def code_digest() -> str:
    """The hash of the code that shapes parts and workbooks: every file of ``generator/pdf/``
    and the :data:`SHAPING_MODULES`. Part and workbook keys hold it, so editing any of them
    (a fix to the typesetting, the stamps, the merge) rebuilds what it shapes."""
    return digest(
        tree_digest(PACKAGE / "pdf"),
        *(part for name in SHAPING_MODULES for part in (name, (PACKAGE / name).read_bytes())),
    )


def plain(markup: str) -> str:
    """The text a reader sees of some HTML: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


@dataclass(frozen=True)
class Part:
    """One separately typeset piece of a workbook."""

    kind: str  # cover | toc | section | exercise | bibliography | sheet
    html: str
    fillable: bool
    templates: str = field(repr=False)  # the print templates' and the code's digest
    anchor: str | None = None  # what the contents points to: the page this part starts on
    header: str | None = None  # the running header of its pages; None: no header nor footer
    nested: bool = False  # its bookmarks go under the previous level-1 bookmark
    shaped: tuple[str, ...] = ()  # a glyph sheet: the right-to-left texts of its page 3

    @cached_property
    def key(self) -> str:
        return digest(
            engine_versions(),
            f"pikepdf=={pikepdf.__version__}",
            self.templates,
            "fillable" if self.fillable else "flat",
            self.html,
        )


@dataclass(frozen=True)
class Layout:
    """Every part of one workbook but its contents, which need the others' page counts."""

    plan: DocumentPlan
    options: PrintOptions
    cover: Part
    body: list[Part]
    title: str  # the document's title (its metadata)
    running_title: str  # the header of the contents pages: the cover's title
    handout: bool = False  # one exercise: its part stands for the cover, and there is no contents


def workbook_layout(
    content: Content,
    plan: DocumentPlan,
    options: PrintOptions,
    templates: str,
    memo: dict[tuple[str, PrintOptions], str] | None = None,
) -> Layout:
    """The parts of a workbook, in reading order (the contents comes after the cover).

    ``memo`` keeps exercise parts' HTML between the workbooks of one build: an exercise part
    is the same in every workbook that holds it.
    """
    memo = {} if memo is None else memo
    lang = options.lang

    def part(kind: str, title: str, **context: object) -> str:
        return part_html(content, options, kind, title, **context)

    def make(kind: str, text: str, **extra: object) -> Part:
        return Part(kind, text, options.fillable, templates, **extra)  # type: ignore[arg-type]

    def exercise(item: Numbered) -> str:
        known = (item.exercise.id, options)
        if known not in memo:
            heading_of_part = typography(item.exercise.title.get(lang), lang)
            memo[known] = part("exercise", heading_of_part, item=item)
        return memo[known]

    title = document_title(plan, options)
    if plan.scope == "exercise":  # a handout: the exercise's part, under the workbook's title
        running = typography(content.workbook.title.get(lang), lang)
        item = plan.exercises[0]
        handout = make("exercise", exercise(item), anchor=item.anchor, header=running)
        return Layout(plan, options, handout, [], title, running, handout=True)
    cover = make("cover", part("cover", title, **cover_context(plan, options)))
    body: list[Part] = []
    for section in plan.sections:
        heading = typography(section.title.get(lang), lang)
        body.append(
            make(
                "section",
                part("section", heading, plan=plan, section=section),
                anchor=section.anchor,
                header=heading,
            )
        )
        for item in section.exercises:
            text = exercise(item)
            body.append(make("exercise", text, anchor=item.anchor, header=heading, nested=True))
    if plan.sources:
        heading = ui("pdf_bibliography", lang)
        text = part("bibliography", heading, plan=plan)
        body.append(make("bibliography", text, anchor="bibliography", header=heading))
    running = plain(render_inline(plan.title.get(lang), lang))
    return Layout(plan, options, cover, body, title, running)


def contents_part(content: Content, layout: Layout, starts: dict[str, int], templates: str) -> Part:
    """The table of contents, with the page each of its entries starts on."""
    options = layout.options
    text = part_html(content, options, "toc", layout.title, plan=layout.plan, starts=starts)
    return Part("toc", text, options.fillable, templates, header=layout.running_title)


def start_pages(layout: Layout, counts: dict[str, int], contents_pages: int) -> dict[str, int]:
    """anchor → the page its part starts on, the contents being ``contents_pages`` long."""
    page = 1 + counts[layout.cover.key] + contents_pages
    starts = {}
    for part in layout.body:
        if part.anchor is not None:
            starts[part.anchor] = page
        page += counts[part.key]
    return starts


def guess_contents_pages(layout: Layout) -> int:
    """A first guess of the contents' length (corrected after rendering it)."""
    return 1 + len(layout.body) // 40


def content_headers(content: Content, lang: str) -> frozenset[str]:
    """Every header a workbook of this content can show in ``lang``: its title, its banks'
    and its sets' titles (as section headings and as running titles), the bibliography."""
    titles = [content.workbook.title, *(b.title for b in content.banks)]
    titles += [s.title for s in content.sets]
    headers = {typography(title.get(lang), lang) for title in titles}
    headers |= {plain(render_inline(title.get(lang), lang)) for title in titles}
    headers.add(ui("pdf_bibliography", lang))
    return frozenset(headers)


def sheet_part(
    content: Content, layout: Layout, templates: str, known: frozenset[str] = frozenset()
) -> Part:
    """The glyph sheet: the running header's fonts, positions, and every character it uses.

    With ``known`` (``content_headers``), the sheet holds every header of the content, so
    that all workbooks of a build in one language and edition share it (typeset once).
    """
    options = layout.options
    headers = {layout.running_title} | {part.header for part in layout.body if part.header}
    regular = set(folio(options, 0, 0)) | set("0123456789") | set(options.participant or "")
    for header in headers | known:
        regular |= set(header)
    bold = set(edition_label(options))
    shaped_regular = sorted(
        text for text in headers | known | {options.participant or ""} if right_to_left(text)
    )
    shaped_bold = [text for text in [edition_label(options)] if right_to_left(text)]
    text = part_html(
        content,
        options,
        "sheet",
        "glyphs",
        glyphs=" ".join(sorted(regular - {" "})),
        bold_glyphs=" ".join(sorted(bold - {" "})),
        shaped_regular=shaped_regular,
        shaped_bold=shaped_bold,
    )
    return Part("sheet", text, False, templates, shaped=(*shaped_regular, *shaped_bold))


def folio(options: PrintOptions, page: int, total: int) -> str:
    """The footer's page number in the workbook's language: ``page 3 / 12``, ``Seite 3 / 12``
    (digits alone in a right-to-left language: stamps are not shaped, see stamp.py)."""
    return ui("pdf_folio", options.lang).format(n=page, total=total)


def edition_label(options: PrintOptions) -> str:
    """The edition as the header shows it (``text-transform: uppercase``)."""
    return ui(f"pdf_edition_{options.edition}", options.lang).upper()


def counted_pages(path: Path, meta: dict[str, Any]) -> int | None:
    """The pages of a cached part, counted in its file (a record's number is never used
    alone); None when the file is no PDF or its signed record says otherwise."""
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
    except (pikepdf.PdfError, OSError) as problem:
        logger.debug("ignoring cached part %s: %s", path, problem)
        return None
    if meta.get("pages") != pages:
        logger.debug("ignoring cached part %s: %d pages, not %r", path, pages, meta.get("pages"))
        return None
    return pages
