"""Language marks in a part's structure tree: an element written in another language than
the document (an English title in a French workbook's bibliography, marked ``lang`` in the
print HTML) gets its /Lang (ISO 32000-1 §14.9.2), so that a screen reader reads it aloud in
its own language.

WeasyPrint 70 writes /Lang on the catalog only. Its tag builder, ``_build_box_tree`` in
``weasyprint.pdf.tags`` (which calls itself through the module, so every level goes through
the wrapper), is wrapped once per process to copy an element's ``lang`` attribute onto the
structure elements made for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf

MARK = "_workbook_lang"


def _own_language(box: Any) -> str | None:
    """The ``lang`` written on the element a box is made for (not the html root's)."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in ("html", "body"):
        return None
    lang = element.get("lang")
    return str(lang) if lang else None


def install() -> None:
    """Wrap WeasyPrint's tag builder (once; a later call does nothing)."""
    from generator import weasy

    del weasy  # imported first: without Pango, one clear message rather than a traceback
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    if getattr(original, MARK, False):
        return

    def build(box: Any, parent: Any, pdf: Any, *rest: Any) -> Iterator[Any]:
        lang = _own_language(box)
        for element in original(box, parent, pdf, *rest):
            if lang is not None and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    setattr(build, MARK, True)
    tags._build_box_tree = build
