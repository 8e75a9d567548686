"""Nothing active in a published workbook: links to the web and internal jumps, no more.

Whatever the parts say (a cache entry is signed, but this does not rely on it), a merged
workbook never carries JavaScript, an open-action, triggered actions (``/AA``), embedded
files, or an action that launches a program, submits or imports form data, or opens another
file. The only actions kept are links to ``http``, ``https`` and ``mailto`` addresses
(``/URI``) and jumps inside the document (``/GoTo`` to a named or page destination). The
places a reader can run an action from are walked: the catalog, every page, every
annotation, every form field and every outline item.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from pikepdf import Array, Dictionary, Name, Pdf, String

logger = logging.getLogger("workbook")

SAFE_URI = re.compile(r"^(https?|mailto):", re.IGNORECASE)
"""The only addresses a link may lead to (``file:``, ``javascript:`` and relative ones not)."""
_ACTIVE_ANNOTATIONS = frozenset(
    Name(f"/{name}") for name in ("FileAttachment", "Sound", "Movie", "Screen", "RichMedia", "3D")
)
"""Annotations that embed a file, a sound, a film or a program: dropped whole."""
_PAYLOADS = ("/FS", "/Sound", "/Movie", "/RichMediaContent", "/RichMediaSettings", "/3DD")


def safe_action(action: Any) -> bool:
    """A ``/URI`` action to an http(s) or mailto address, or a ``/GoTo`` inside the document."""
    if not isinstance(action, Dictionary):
        return False
    kind = action.get("/S")
    if kind == Name.URI:
        uri = action.get("/URI")
        return isinstance(uri, String) and SAFE_URI.match(str(uri)) is not None
    if kind == Name.GoTo:
        dest = action.get("/D")
        if isinstance(dest, Array):  # [page /XYZ …]: a page of this document, not a number
            return len(dest) > 0 and isinstance(dest[0], Dictionary)
        return isinstance(dest, (String, Name))
    return False


class _Sanitiser:
    def __init__(self) -> None:
        self.removed: list[str] = []

    def drop(self, holder: Any, key: str, what: str) -> None:
        if key in holder:
            del holder[key]
            self.removed.append(what)

    def actions(self, holder: Any, what: str) -> None:
        """Keep ``holder``'s action only when it is safe, and no triggered actions."""
        self.drop(holder, "/AA", f"{what} triggered actions")
        action = holder.get("/A")
        if action is None:
            return
        if not safe_action(action):
            kind = action.get("/S") if isinstance(action, Dictionary) else None
            self.drop(holder, "/A", f"{what} action {kind}")
        else:  # a chain of actions runs them all: keep the safe one alone
            self.drop(action, "/Next", f"{what} chained actions")

    def annotations(self, page: Any) -> None:
        annots = page.get("/Annots")
        if not isinstance(annots, Array):
            return
        kept = []
        for annot in annots:
            if not isinstance(annot, Dictionary):
                continue
            if annot.get("/Subtype") in _ACTIVE_ANNOTATIONS:
                for key in _PAYLOADS:
                    self.drop(annot, key, f"{annot.Subtype} annotation content")
                self.actions(annot, "annotation")
                self.removed.append(f"{annot.Subtype} annotation")
                continue
            self.actions(annot, "annotation")
            kept.append(annot)
        if len(kept) != len(annots):
            page.Annots = Array(kept)

    def fields(self, fields: Any, seen: set[tuple[int, int]]) -> None:
        for field in fields if isinstance(fields, Array) else []:
            if not isinstance(field, Dictionary):
                continue
            if field.is_indirect:
                if field.objgen in seen:
                    continue
                seen.add(field.objgen)
            self.actions(field, "form field")
            self.fields(field.get("/Kids"), seen)

    def outline(self, pdf: Pdf) -> None:
        for item in _outline_items(pdf):
            self.actions(item, "bookmark")

    def run(self, pdf: Pdf) -> list[str]:
        root = pdf.Root
        self.drop(root, "/OpenAction", "open action")
        self.drop(root, "/AA", "document triggered actions")
        self.drop(root, "/URI", "base address of links")
        names = root.get("/Names")
        if isinstance(names, Dictionary):
            self.drop(names, "/JavaScript", "JavaScript")
            self.drop(names, "/EmbeddedFiles", "embedded files")
        form = root.get("/AcroForm")
        if isinstance(form, Dictionary):
            self.drop(form, "/XFA", "XFA form")
            self.fields(form.get("/Fields"), set())
        for page in pdf.pages:
            self.drop(page.obj, "/AA", "page triggered actions")
            self.annotations(page.obj)
        self.outline(pdf)
        return self.removed


def _outline_items(pdf: Pdf) -> Iterator[Any]:
    """Every outline item (bookmark), depth first; a loop in the chain is walked once."""
    outlines = pdf.Root.get("/Outlines")
    stack = [outlines.get("/First")] if isinstance(outlines, Dictionary) else []
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if not isinstance(item, Dictionary) or (item.is_indirect and item.objgen in seen):
            continue
        if item.is_indirect:
            seen.add(item.objgen)
        yield item
        stack += [item.get("/Next"), item.get("/First")]


def sanitise(pdf: Pdf) -> list[str]:
    """Remove from ``pdf`` everything active but safe links (see the module); return what was
    removed (nothing, for a workbook made of parts this tool typeset)."""
    removed = _Sanitiser().run(pdf)
    if removed:
        logger.warning(
            "removed from a workbook what a published PDF must not carry: %s",
            ", ".join(sorted(set(removed))),
        )
    return removed
