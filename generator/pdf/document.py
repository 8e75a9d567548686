"""A document plan + print options → the print HTML, through the one Jinja environment.

Content texts are printed with ``links`` (see links.py): a relative link, written for the
site, becomes the address of the site page it names, or plain text.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.languages import source_languages
from generator.models import RIGHT_TO_LEFT, Content, Prompt, Source
from generator.pdf import langtags
from generator.pdf.links import PrintLinks, site_doc
from generator.pdf.selection import DocumentPlan, cited
from generator.templating import render, ui

Edition = Literal["participant", "facilitator"]
Paper = Literal["a4", "letter"]

langtags.install()  # parts are rendered in processes that import this module: /Lang marks

PAGE_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}
BOOKLET_PAGE_SIZES: dict[str, str] = {"a4": "A5", "letter": "5.5in 8.5in"}
"""A booklet's pages: half the sheet they are imposed on (booklet.py), A5 or half-letter."""
LINE_PITCH_MM = 8
"""Height of one ruled line: comfortable handwriting."""
LARGE_PRINT_PITCH_MM = 12
"""Height of one ruled line in large print: room for large handwriting."""
MAX_FIELD_LINES = {"a4": 26, "letter": 24}
"""A box or a form field cannot break across pages: keep it shorter than a page."""
BOOKLET_MAX_FIELD_LINES = {"a4": 17, "letter": 18}
BOOKLET_MARGINS = "13mm 12mm 13mm 14mm"
LARGE_PRINT_MARGINS = "25mm 18mm 23mm 20mm"


def build_date() -> datetime.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()


@dataclass(frozen=True)
class PrintOptions:
    """How one workbook is printed."""

    lang: str = "fr"
    edition: Edition = "participant"
    paper: Paper = "a4"
    fillable: bool = False
    participant: str | None = None
    date: datetime.date = field(default_factory=build_date)
    large_print: bool = False  # re-set at 16 pt and more, sans serif, wider write-in lines
    booklet: bool = False  # A5 (half-letter) pages, imposed two-up afterwards (booklet.py)


def long_date(day: datetime.date, lang: str) -> str:
    month = ui("pdf_months", lang).split()[day.month - 1]
    number = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return ui("pdf_date_format", lang).format(day=number, month=month, year=day.year)


def author_list(authors: list[str], lang: str) -> str:
    """``A``, ``A & B``, ``A, B & C`` (``et`` in French). A name never breaks across lines:
    ``Rodgers, R.-F.`` keeps its initials with its family name."""
    names = [author.replace(" ", "\u00a0").replace("-", "-" + WORD_JOINER) for author in authors]
    if len(names) == 1:
        return names[0]
    conjunction = " et " if lang == "fr" else " & "
    return ", ".join(names[:-1]) + conjunction + names[-1]


def source_link(source: Source) -> str | None:
    if source.doi:
        return f"https://doi.org/{source.doi}"
    return source.url


def line_pitch(options: PrintOptions) -> int:
    """The height of one write-in line, in millimetres."""
    return LARGE_PRINT_PITCH_MM if options.large_print else LINE_PITCH_MM


def page_size(options: PrintOptions) -> str:
    return (BOOKLET_PAGE_SIZES if options.booklet else PAGE_SIZES)[options.paper]


def page_margins(options: PrintOptions) -> str | None:
    """The page margins when they differ from the stylesheet's (booklet, large print)."""
    if options.booklet:
        return BOOKLET_MARGINS
    return LARGE_PRINT_MARGINS if options.large_print else None


def space_lines(prompt: Prompt, options: PrintOptions) -> int:
    """How many ruled lines (or their height, for a box or a field) a prompt's space takes."""
    if prompt.space.value == "box" or options.fillable:
        limits = BOOKLET_MAX_FIELD_LINES if options.booklet else MAX_FIELD_LINES
        return min(prompt.lines, limits[options.paper] * LINE_PITCH_MM // line_pitch(options))
    return prompt.lines


def set_budget(plan: DocumentPlan, lang: str) -> str:
    """A set's time budget said right: ``90 min, dont 70 min d’exercices, 10 min de pause,
    10 min de marge`` (the parts that are not zero)."""
    assert plan.exercise_set is not None
    breaks = sum(row.minutes for row in plan.plan if row.item is None)
    exercises = plan.planned_minutes - breaks
    spare = plan.exercise_set.minutes - plan.planned_minutes
    parts = [
        ui(key, lang).format(n=minutes)
        for key, minutes in (
            ("pdf_budget_exercises", exercises),
            ("pdf_budget_breaks", breaks),
            ("pdf_budget_spare", spare),
        )
        if minutes > 0
    ]
    return ui("pdf_budget_value", lang).format(
        budget=plan.exercise_set.minutes, parts=ui("pdf_budget_separator", lang).join(parts)
    )


def field_name(exercise_id: str, prompt_number: int) -> str:
    """The AcroForm field name of a prompt's write-in space: ``<exercise-id>.<n>``."""
    return f"{exercise_id}.{prompt_number}"


def distinct_field_names(names: list[str]) -> list[str]:
    """``names`` (``field_name``s, in page order) with each repeat renamed for its occurrence:
    ``<exercise-id>.<n>-<k>`` the k-th time a set lists the exercise (k ≥ 2). Two fields of
    one name are one field to a PDF reader, which would copy an answer into the other."""
    seen: dict[str, int] = {}
    distinct = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        distinct.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return distinct


def document_title(plan: DocumentPlan, options: PrintOptions) -> str:
    edition = ui(f"pdf_edition_{options.edition}", options.lang)
    if options.large_print:
        edition += f", {ui('pdf_large_print', options.lang).lower()}"
    return f"{plan.title.get(options.lang)} — {edition}"


def link(anchor: str) -> str:
    """A link to an anchor in another part: a ``wb:`` URI, made internal when parts are merged."""
    return f"wb:{anchor}"


def part_html(
    content: Content,
    options: PrintOptions,
    kind: str,
    title: str,
    **context: Any,
) -> str:
    """One part of a workbook (see templates/print/workbook.html.j2) as an HTML document.

    ``context`` holds what the part shows: ``plan`` (cover, contents, a set's section,
    bibliography), ``section``, ``item`` (an exercise), ``starts`` (contents: anchor → page).
    A part's HTML is all its PDF depends on, besides the print templates and the engines.
    """
    lang = options.lang
    part = {"kind": kind, **{k: v for k, v in context.items() if k in ("section", "item")}}
    # an exercise closes with its references: the same part serves a handout, which has no
    # bibliography, and every workbook
    sources = cited(content, [context["item"].exercise]) if kind == "exercise" else []
    return unbroken_compounds(
        render(
            "print/workbook.html.j2",
            part=part,
            workbook=content.workbook,
            options=options,
            lang=lang,
            facilitator=options.edition == "facilitator",
            title=title,
            page_size=page_size(options),
            page_margins=page_margins(options),
            pitch=line_pitch(options),
            space_lines=lambda prompt: space_lines(prompt, options),
            set_budget=lambda plan: set_budget(plan, lang),
            source_languages=lambda source: source_languages(source, lang),
            field_name=field_name,
            author_list=lambda authors: author_list(authors, lang),
            source_link=source_link,
            clock=lambda minutes: f"{minutes // 60}:{minutes % 60:02d}",
            link=link,
            right_to_left=RIGHT_TO_LEFT,
            links=PrintLinks(content, lang, site_doc(kind, context)),
            brand=print_brand(content),
            sources=sources,
            **{k: v for k, v in context.items() if k not in ("section", "item")},
        )
    )


_TAG = re.compile(r"(<[^>]*>)")
_COMPOUND_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
WORD_JOINER = "\u2060"


def unbroken_compounds(html: str) -> str:
    """The body's text with a word joiner after each hyphen inside a word (``vous-même``):
    lines never break there, so no word is cut across a line, a column or a page (the text
    is ragged and not hyphenated). The joiner is invisible and leaves no trace in the PDF's
    text; tags, their attributes and the head (styles, title) are left alone."""
    head, found, body = html.partition("<body")
    if not found:
        return html
    pieces = _TAG.split(body)  # text, tag, text, …; the first is the rest of <body …>
    pieces[2::2] = [_COMPOUND_HYPHEN.sub("-" + WORD_JOINER, text) for text in pieces[2::2]]
    return head + found + "".join(pieces)


def print_brand(content: Content) -> dict[str, Any]:
    """The project's print settings as the template uses them: file URIs and the accent."""
    settings = content.workbook.print_settings
    root = Path(content.root).resolve()

    def uri(relative: str | None) -> str | None:
        return (root / relative).as_uri() if relative is not None else None

    faces = []
    if settings.font is not None:
        for face, weight, style in (
            ("regular", "normal", "normal"),
            ("bold", "bold", "normal"),
            ("italic", "normal", "italic"),
            ("bold_italic", "bold", "italic"),
        ):
            file_uri = uri(getattr(settings.font, face))
            if file_uri is not None:
                faces.append({"uri": file_uri, "weight": weight, "style": style})
    return {"accent": settings.accent, "faces": faces, "logo": uri(settings.logo)}


def cover_context(plan: DocumentPlan, options: PrintOptions) -> dict[str, Any]:
    """What only the cover shows or carries: the document's metadata and date."""
    lang = options.lang
    keywords = sorted({tag.get(lang) for item in plan.exercises for tag in item.exercise.tags})
    return {
        "plan": plan,
        "keywords": ", ".join(keywords),
        "date_text": long_date(options.date, lang),
        "date_iso": options.date.isoformat(),
    }
