"""Impose a workbook as a saddle-stitched booklet: two pages a side, printed double-sided.

The workbook is typeset on half sheets (A5 for A4 paper, half-letter for Letter: see
``PrintOptions.booklet``); each side of a landscape sheet holds two of its pages, drawn as
form XObjects, in the order that makes a booklet once the stack is folded in the middle:
the first sheet's front carries the last and the first pages, its back the second and the
one before last, and so on. The page count is padded with blank pages to a multiple of 4.
Printed double-sided, flipping on the short edge (the cover says so), the stack folds into
the booklet. The imposed file is for printing: links, bookmarks and tags stay in the
workbook it is made from.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from generator.pdf.files import rewrite

logger = logging.getLogger("workbook")

BLANK = None


def sheet_order(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page indexes (0-based) of each sheet side in printing order: front of
    sheet 1, back of sheet 1, front of sheet 2, …; None is a blank page of the padding."""
    total = -(-pages // 4) * 4  # rounded up to a multiple of 4

    def page(index: int) -> int | None:
        return index if index < pages else BLANK

    sides: list[tuple[int | None, int | None]] = []
    for sheet in range(total // 4):
        low, high = 2 * sheet, total - 1 - 2 * sheet
        sides.append((page(high), page(low)))  # front: the outer pair
        sides.append((page(low + 1), page(high - 1)))  # back: the inner pair
    return sides


SHEETS = ((841.89, 595.28), (792.0, 612.0))
"""A4 and Letter, landscape (points): the paper an A5 or a half-letter booklet prints on."""


def sheet_size(page_width: float, page_height: float) -> tuple[float, float]:
    """The landscape sheet two pages go on: A4 for A5 pages (297 mm is a little more than
    twice 148 mm), Letter for half-letter ones; else exactly two pages wide."""
    for width, height in SHEETS:
        if abs(height - page_height) < 2 and 0 <= width - 2 * page_width < 6:
            return width, height
    return 2 * page_width, page_height


def _placement(box: list[float], width: float, height: float, left: bool) -> str:
    """The ``cm`` operator drawing a page of ``box`` into one half of a ``width`` × ``height``
    sheet side: scaled to fit (it is the same size but for rounding), centred in its half."""
    page_width, page_height = box[2] - box[0], box[3] - box[1]
    half = width / 2
    scale = min(half / page_width, height / page_height)
    x = (0 if left else half) + (half - page_width * scale) / 2 - box[0] * scale
    y = (height - page_height * scale) / 2 - box[1] * scale
    return f"{scale:.6f} 0 0 {scale:.6f} {x:.4f} {y:.4f} cm"


def impose(source: Pdf) -> Pdf:
    """A new PDF of ``source``'s pages imposed two-up in booklet order (see ``sheet_order``)."""
    pages = list(source.pages)
    if not pages:
        raise ValueError("a booklet needs at least one page")
    first = [float(value) for value in pages[0].mediabox]
    width, height = sheet_size(first[2] - first[0], first[3] - first[1])
    out = Pdf.new()
    forms: dict[int, pikepdf.Object] = {}
    for left, right in sheet_order(len(pages)):
        resources = Dictionary(XObject=Dictionary())
        operations = []
        for index, is_left in ((left, True), (right, False)):
            if index is None:
                continue
            if index not in forms:
                forms[index] = out.copy_foreign(pages[index].as_form_xobject())
            name = f"/P{index + 1}"
            resources.XObject[Name(name)] = forms[index]
            box = [float(value) for value in pages[index].mediabox]
            operations.append(f"q {_placement(box, width, height, is_left)} {name} Do Q")
        sheet = Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, width, height]),
            Resources=resources,
            Contents=out.make_stream("\n".join(operations).encode("ascii")),
        )
        out.pages.append(pikepdf.Page(sheet))
    for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer"):
        if key in source.docinfo:
            out.docinfo[key] = source.docinfo[key]
    if "/Lang" in source.Root:
        out.Root.Lang = source.Root.Lang
    return out


def make_booklet(path: Path) -> int:
    """Impose the workbook at ``path`` as a booklet, in place (atomically); return the number
    of sheet sides written."""
    sides = 0

    def imposed(source: pikepdf.Pdf) -> pikepdf.Pdf:
        nonlocal sides
        booklet = impose(source)
        sides = len(booklet.pages)
        return booklet

    rewrite(path, imposed)
    logger.debug("imposed %s as a booklet: %d sheet sides", path, sides)
    return sides
