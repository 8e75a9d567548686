"""Read printed pages back, fast enough for every page of every shipped workbook (pdfium,
which pdfplumber itself depends on): the lines of text of each page's body, its write-in
rules and boxes, where its exercises start."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MM = 72 / 25.4
HEADER = 19 * MM
"""Stamped running headers and footers lie within this distance of the page's top or
bottom edge; the body's text never does."""


@dataclass
class Line:
    text: str
    left: float
    right: float
    bottom: float
    top: float


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]  # the body's lines, top to bottom (stamps left out)
    rules: int  # horizontal rules at least 100 mm long: write-in lines
    boxes: int  # framed areas at least 20 mm high: write-in boxes
    starts: list[tuple[int, str]] = field(default_factory=list)  # (level, title) of bookmarks

    @property
    def write_in(self) -> bool:
        return self.rules >= 2 or self.boxes >= 1


def _lines(textpage: pdfium.PdfTextPage, height: float) -> list[Line]:
    runs = [textpage.get_rect(i) for i in range(textpage.count_rects())]
    runs = [r for r in runs if r[1] > HEADER and r[3] < height - HEADER]
    rows: list[list[tuple[float, float, float, float]]] = []
    for run in sorted(runs, key=lambda r: (-(r[1] + r[3]) / 2, r[0])):
        middle = (run[1] + run[3]) / 2
        if rows and abs((rows[-1][0][1] + rows[-1][0][3]) / 2 - middle) < 2.5:
            rows[-1].append(run)
        else:
            rows.append([run])
    lines = []
    for row in rows:
        left, right = min(r[0] for r in row), max(r[2] for r in row)
        bottom, top = min(r[1] for r in row), max(r[3] for r in row)
        text = "".join(textpage.get_text_bounded(*r) for r in sorted(row))
        lines.append(Line(" ".join(text.split()), left, right, bottom, top))
    return lines


def _shapes(page: pdfium.PdfPage) -> tuple[int, int]:
    rules = boxes = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if right - left >= 100 * MM and top - bottom < 2:
            rules += 1
        elif right - left >= 60 * MM and top - bottom >= 20 * MM:
            boxes += 1
    return rules, boxes


def read_pages(path: Path) -> list[Page]:
    """Every page of the PDF at ``path``, with its bookmarks."""
    document = pdfium.PdfDocument(path)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            rules, boxes = _shapes(page)
            pages.append(Page(index + 1, width, height, _lines(textpage, height), rules, boxes))
            textpage.close()
            page.close()
        for mark in document.get_toc():
            dest = mark.get_dest()
            if dest is not None:
                pages[dest.get_index()].starts.append((mark.level, mark.get_title()))
        return pages
    finally:
        document.close()


def exercise_spans(pages: list[Page], titles: set[str]) -> Iterator[tuple[int, int]]:
    """(first, last) 1-based page of each exercise, from the bookmarks titled as one."""
    starts = [page.number for page in pages if any(t in titles for _, t in page.starts)]
    others = [page.number for page in pages if page.starts]
    for first in starts:
        following = [number for number in others if number > first]
        yield first, (following[0] - 1 if following else len(pages))
