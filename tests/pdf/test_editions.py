"""`workbook pdf --large-print` and `--booklet`: re-set at 16 pt and more; A5 pages imposed
two-up in saddle-stitch order."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pdfplumber
import pikepdf

from generator.pdf.booklet import impose, sheet_order
from generator.pdf.render import render_pdf
from tests.pdf.conftest import run_pdf as run

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)


def test_large_print_of_a_set_sets_every_text_at_16_pt_and_more(folder: Path) -> None:
    assert run("--set", "session", "--large-print", "--out", "large.pdf")[0] == 0
    with pdfplumber.open(folder / "large.pdf") as pdf:
        assert len(pdf.pages) >= 6
        for page in pdf.pages:
            for char in page.chars:
                if not char["text"].strip():
                    continue
                stamp = char["top"] < 25 * MM or char["bottom"] > page.height - 23 * MM
                assert char["size"] >= (12 if stamp else 16) - 0.01, (page.page_number, char)
                assert "Sans" in char["fontname"], char["fontname"]  # no serif
                assert char["text"] != "\u2010"  # never hyphenated
        # the write-in lines are 12 mm apart (8 mm in the standard print)
        prompt = next(p for p in pdf.pages if "Qu’avez-vous remarqué" in (p.extract_text() or ""))
        rows = sorted(
            {
                round(rule["top"], 1)
                for rule in prompt.rects  # each ruled line: a box with a bottom border
                if rule["x1"] - rule["x0"] > 100 * MM and 5 * MM < rule["height"] < 15 * MM
            }
        )
        gaps = [round(b - a, 1) for a, b in itertools.pairwise(rows)]
        assert sum(1 for gap in gaps if abs(gap - 12 * MM) < 0.3) >= 3, gaps
        assert "Gros caractères" in " ".join((pdf.pages[0].extract_text() or "").split())


def test_sheet_order_is_a_saddle_stitched_booklet() -> None:
    assert sheet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    # padded with blank pages (None) to a multiple of 4, at the end of the booklet
    assert sheet_order(5) == [(None, 0), (1, None), (None, 2), (3, 4)]
    assert sheet_order(1) == [(None, 0), (None, None)]
    for pages in range(1, 30):
        sides = sheet_order(pages)
        assert len(sides) % 2 == 0
        shown = [index for side in sides for index in side if index is not None]
        assert sorted(shown) == list(range(pages))


def _numbered_pages(count: int) -> pikepdf.Pdf:
    """A5 pages, each showing its number, big."""
    pages = "".join(
        f'<p style="font: 40pt sans-serif; break-after: page; margin: 0">{n}</p>'
        for n in range(1, count + 1)
    )
    style = "<style>@page { size: A5 }</style>"
    html = f'<html lang="en"><head>{style}</head><body>{pages}</body></html>'
    return pikepdf.open(io.BytesIO(render_pdf(html, fillable=False, identifier=b"n")))


def _halves(data: bytes, pattern: str) -> list[tuple[str | None, str | None]]:
    """What each landscape sheet side shows on its left and right halves: the first group
    of ``pattern`` in each half's text, or None."""
    sides = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            assert (round(page.width), round(page.height)) == (round(A4[1]), round(A4[0]))
            found = []
            for box in (
                (0, 0, page.width / 2, page.height),
                (page.width / 2, 0, page.width, page.height),
            ):
                match = re.search(pattern, page.crop(box).extract_text() or "")
                found.append(match.group(1) if match else None)
            sides.append((found[0], found[1]))
    return sides


def test_a_booklet_puts_each_page_where_folding_needs_it() -> None:
    source = _numbered_pages(6)
    booklet = impose(source)
    data = io.BytesIO()
    booklet.save(data)
    # 6 pages padded to 8: 2 sheets, 4 sides; blank pages last
    assert _halves(data.getvalue(), r"^(\d+)$") == [
        (None, "1"),
        ("2", None),
        ("6", "3"),
        ("4", "5"),
    ]


def test_a_booklet_of_a_set_through_the_command(folder: Path) -> None:
    assert run("--set", "session", "--out", "flat.pdf")[0] == 0
    code, output = run("--set", "session", "--booklet", "--out", "booklet.pdf")
    assert (code, output) == (0, "wrote booklet.pdf\n")
    with pdfplumber.open(folder / "flat.pdf") as flat:
        assert (round(flat.pages[0].width), round(flat.pages[0].height)) == (595, 842)
    # the workbook, typeset on A5 pages: "page k / n" stamped on all but the cover
    data = (folder / "booklet.pdf").read_bytes()
    sides = _halves(data, r"page (\d+) / \d+")
    assert len(sides) % 2 == 0  # whole sheets, printed on both sides
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
        cover = " ".join((pdf.pages[0].extract_text() or "").split())
    pages = int(re.findall(r"page \d+ / (\d+)", text)[0])  # the workbook's A5 pages
    expected = [
        tuple(None if not index else str(index + 1) for index in side)
        for side in sheet_order(pages)
    ]
    assert sides == expected
    assert "bord court" in cover  # how to print it, on the cover
    assert run("--set", "session", "--booklet", "--out", "again.pdf")[0] == 0
    assert (folder / "again.pdf").read_bytes() == data  # the same input, the same bytes


def test_a_booklet_cannot_be_fillable(folder: Path) -> None:
    code, output = run("--bank", "alpha", "--booklet", "--fillable", "--out", "x.pdf")
    assert code == 2 and "--booklet is for paper" in output
