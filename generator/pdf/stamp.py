"""Running headers and footers stamped on merged pages, as the stylesheet would have set them.

Parts are typeset without them. A small "glyph sheet", typeset once per workbook by WeasyPrint
with the stylesheet's ``@page running`` margin boxes, gives everything a stamp needs: the
embedded font subsets (with every character the stamps use), the size, colour, baseline and
alignment edge of each margin box, and its letter spacing. Stamps are marked as pagination
artifacts, headers and footers (ISO 32000-1 §14.8.2.2.2: a reader skips them), and use
fixed resource names, so the bytes are reproducible.

The contract with the print stylesheet
--------------------------------------

This is the one place it is written down; ``templates/print/workbook.css`` points here, and
``tests/pdf/test_stamp_contract.py`` checks both sides.

- The stylesheet (``templates/print/workbook.css``, or a project's ``overrides/print/``
  copy) declares ``@page running`` with exactly four margin boxes that show text:
  ``@top-left`` (the section: ``string(section)``), ``@top-right`` (the edition:
  ``string(edition)``), ``@bottom-left`` (the participant: ``string(participant)``) and
  ``@bottom-right`` (the folio: ``"page " counter(page) " / " counter(pages)``). No other
  box of that page may show text.
- The glyph sheet (``part.kind == "sheet"`` in ``workbook.html.j2``) puts its first page on
  that page, with a sample in each string (``string-set``), so WeasyPrint draws exactly
  four text runs there: :class:`Stamper` reads them, and nothing else, from page 1.
- Which run is which comes from where it is: the two highest are the header, the two lowest
  the footer, and in each row the one further left is the left box. A left box's text starts
  at its x; a right box's text ends at its right edge (the sample's end), so right boxes
  must be right-aligned (their default). Each run gives its font, size, colour and letter
  spacing, which every stamp of that box uses.
- Page 2 holds every character the stamps of the workbook show, in the boxes' fonts (so the
  embedded subsets hold their glyphs); a character missing there is left out of a stamp.
- Page 3, when a stamp's text is written right to left (Arabic, Hebrew…), holds each such
  text on a line of its own, in the order the sheet's part lists them (``Part.shaped``):
  stamps draw one glyph per character, which those scripts do not allow (letters join and
  change shape, and the line runs right to left), so WeasyPrint shapes them there and a stamp
  copies the shaped glyph runs as they are.

Where a page's own subset of a box's face holds every character of a stamp, the stamp uses it
instead of the sheet's copy: a page then carries fewer programs of one face, which the merge
into one program per face (fonts.py) no longer has to join.

A right-to-left workbook mirrors the boxes: each text keeps its box's style, but the section
and the participant stand on the right, the edition and the folio on the left.

A sheet with another number of text runs on page 1 (a stylesheet that dropped, added or
emptied a box) is refused with :class:`SheetError`, one line naming the stylesheet.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Dictionary, Matrix, Name, Pdf

from generator.errors import ToolError

logger = logging.getLogger("workbook")

BOXES = ("top-left", "top-right", "bottom-left", "bottom-right")


class SheetError(ToolError):
    """The glyph sheet breaks the contract above (the print stylesheet lost its boxes)."""


def right_to_left(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (it is then shaped on the sheet)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


@dataclass(frozen=True)
class _Shaped:
    """A text as WeasyPrint shaped it on the sheet: its glyph runs, each with its font, size,
    offset from the text's left edge and TJ items (glyph strings and adjustments)."""

    runs: tuple[tuple[Any, float, float, tuple[Any, ...]], ...]
    width: float


@dataclass(frozen=True)
class PageStamp:
    """What one page shows in its margins."""

    header: str  # top left: the section
    edition: str  # top right
    participant: str  # bottom left
    folio: str  # bottom right: "page X / Y"


@dataclass
class _Box:
    font: Any  # the font object, in the sheet
    size: float
    color: tuple[float, float, float]
    x: float  # where the text starts (left boxes) or ends (right boxes)
    y: float
    spacing: float  # letter spacing, in points
    right: bool
    advance: float  # the sample's width


def _widths(font: Any) -> dict[int, float]:
    """Glyph id → advance (thousandths of the size), from the CID font's /W array."""
    widths: dict[int, float] = {}
    array = font.DescendantFonts[0].get("/W", [])
    i = 0
    while i < len(array):
        if isinstance(array[i + 1], pikepdf.Array):
            for j, width in enumerate(array[i + 1]):
                widths[int(array[i]) + j] = float(width)
            i += 2
        else:
            for gid in range(int(array[i]), int(array[i + 1]) + 1):
                widths[gid] = float(array[i + 2])
            i += 3
    return widths


def _advance(font: Any, size: float, items: Sequence[Any]) -> float:
    """How far a TJ operation's items move the pen (points)."""
    widths, advance = _widths(font), 0.0
    for item in items:
        if isinstance(item, pikepdf.String):
            raw = bytes(item)
            gids = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
            advance += sum(widths.get(gid, 0.0) for gid in gids) * size / 1000
        else:
            advance -= float(item) * size / 1000
    return advance


def _face(font: Any) -> str:
    """A font's face: its name without the subset tag (``Workbook-Sans``)."""
    return str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]


def _to_unicode(font: Any) -> dict[str, int]:
    """Character → glyph id, read back from the font's /ToUnicode map."""
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    glyphs: dict[str, int] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for gid, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            glyphs.setdefault(bytes.fromhex(text).decode("utf-16-be"), int(gid, 16))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, text in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = ord(bytes.fromhex(text).decode("utf-16-be"))
            for offset in range(int(high, 16) - int(low, 16) + 1):
                glyphs.setdefault(chr(start + offset), int(low, 16) + offset)
    return glyphs


def _runs(page: pikepdf.Page) -> list[dict[str, Any]]:
    """Every text-showing operation of a page: font, size, colour, matrix, glyphs."""
    ctm, stack = Matrix(), []
    state: dict[str, Any] = {"color": (0.0, 0.0, 0.0)}
    runs = []
    for instruction in pikepdf.parse_content_stream(page):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            stack.append((ctm, dict(state)))
        elif op == "Q":
            ctm, state = stack.pop()
        elif op == "cm":
            ctm = Matrix(*[float(value) for value in operands]) @ ctm
        elif op == "rg":
            state["color"] = tuple(float(value) for value in operands)
        elif op == "Tf":
            state["font"], state["size"] = str(operands[0]), float(operands[1])
        elif op == "Tm":
            state["tm"] = Matrix(*[float(value) for value in operands])
        elif op in ("TJ", "Tj"):
            items = list(operands[0]) if op == "TJ" else [operands[0]]
            runs.append({**state, "ctm": ctm, "items": items})
    return runs


class Stamper:
    """Reads a glyph sheet (a PDF file) and stamps pages of another PDF."""

    def __init__(self, sheet: Path, shaped: Sequence[str] = ()) -> None:
        self.sheet = Pdf.open(sheet)
        self.shaped = self._shaped(shaped)
        page = self.sheet.pages[0]
        runs = _runs(page)
        if len(runs) != len(BOXES):
            raise SheetError(
                f"the running header and footer show {len(runs)} texts, not {len(BOXES)}: "
                "the print stylesheet (print/workbook.css, or the project's copy in "
                "overrides/print/) must keep the four @page running boxes @top-left, "
                "@top-right, @bottom-left and @bottom-right (see generator/pdf/stamp.py)"
            )
        fonts = page.Resources.Font
        boxes = []
        for run in runs:
            font = fonts[run["font"]]
            matrix = run["tm"] @ run["ctm"]
            scale = abs(matrix.a)
            size = run["size"] * scale
            widths, glyphs, natural, advance = _widths(font), 0, 0.0, 0.0
            for item in run["items"]:
                if isinstance(item, pikepdf.String):
                    raw = bytes(item)
                    gids = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                    glyphs += len(gids)
                    natural += sum(widths.get(gid, 0.0) for gid in gids) * size / 1000
                else:
                    advance -= float(item) * size / 1000
            advance += natural
            # letter spacing goes between glyphs, not after the last one
            spacing = (advance - natural) / (glyphs - 1) if glyphs > 1 else 0.0
            boxes.append(
                _Box(font, size, run["color"], matrix.e, matrix.f, spacing, False, advance)
            )
        top = sorted(boxes, key=lambda box: -box.y)[:2]
        bottom = sorted(boxes, key=lambda box: box.y)[:2]
        self.boxes: dict[str, _Box] = {}
        self.glyphs: dict[tuple[int, int], dict[str, int]] = {}
        self.widths: dict[tuple[int, int], dict[int, float]] = {}
        for row, name in ((top, "top"), (bottom, "bottom")):
            left, right = sorted(row, key=lambda box: box.x)
            right.right, right.x = True, right.x + right.advance  # aligned on its right edge
            self.boxes[f"{name}-left"], self.boxes[f"{name}-right"] = left, right
            for box in (left, right):
                self.glyphs[box.font.objgen] = _to_unicode(box.font)
                self.widths[box.font.objgen] = _widths(box.font)

    def _shaped(self, texts: Sequence[str]) -> dict[str, _Shaped]:
        """The shaped glyph runs of page 3, by text (see the contract above)."""
        if not texts:
            return {}
        if len(self.sheet.pages) < 3:
            logger.debug("the glyph sheet has no page of shaped texts: not stamped")
            return {}
        page = self.sheet.pages[2]
        fonts = page.Resources.Font
        lines: dict[float, list[tuple[Any, float, float, tuple[Any, ...]]]] = {}
        for run in _runs(page):
            matrix = run["tm"] @ run["ctm"]
            lines.setdefault(round(matrix.f, 1), []).append(
                (fonts[run["font"]], run["size"] * abs(matrix.a), matrix.e, tuple(run["items"]))
            )
        ordered = [lines[y] for y in sorted(lines, reverse=True)]  # top to bottom
        if len(ordered) != len(texts):
            logger.debug("%d shaped lines for %d texts: not stamped", len(ordered), len(texts))
            return {}
        found = {}
        for text, runs in zip(texts, ordered, strict=True):
            left = min(x for _, _, x, _ in runs)
            right = max(x + _advance(font, size, items) for font, size, x, items in runs)
            found[text] = _Shaped(
                tuple((font, size, x - left, items) for font, size, x, items in runs), right - left
            )
        return found

    def _show_shaped(self, box: _Box, shaped: _Shaped, names: dict[Any, str], place: str) -> bytes:
        x = box.x - shaped.width if box.right else box.x
        r, g, b = box.color
        ops = [f"/Artifact <</Type /Pagination /Subtype /{place}>> BDC q BT"]
        ops.append(f"{r:.6f} {g:.6f} {b:.6f} rg")
        for font, size, offset, items in shaped.runs:
            shown = " ".join(
                f"<{bytes(item).hex()}>"
                if isinstance(item, pikepdf.String)
                else f"{float(item):.4f}"
                for item in items
            )
            ops.append(f"/{names[font.objgen]} {size:.4f} Tf")
            ops.append(f"1 0 0 1 {x + offset:.4f} {box.y:.4f} Tm [{shown}] TJ")
        return (" ".join(ops) + " ET Q EMC\n").encode("ascii")

    def _show(self, box: _Box, name: str, text: str, place: str) -> bytes:
        mapping, widths = self.glyphs[box.font.objgen], self.widths[box.font.objgen]
        if right_to_left(text):
            # Stamps draw one glyph per character: a right-to-left text is drawn from the
            # runs WeasyPrint shaped on the sheet (stamp() does), or left out.
            logger.debug("running header %r is right to left and was not shaped", text)
            return b""
        gids = []
        for char in text:
            if char in mapping:
                gids.append(mapping[char])
            else:
                logger.debug("no glyph for %r in the running header's font", char)
        if not gids:
            return b""
        width = sum(widths.get(gid, 0.0) for gid in gids) * box.size / 1000
        width += box.spacing * (len(gids) - 1)
        x = box.x - width if box.right else box.x
        r, g, b = box.color
        code = "".join(f"{gid:04x}" for gid in gids)
        spacing = f"{box.spacing:.4f} Tc " if box.spacing else ""
        return (
            f"/Artifact <</Type /Pagination /Subtype /{place}>> BDC "
            f"q BT {r:.6f} {g:.6f} {b:.6f} rg /{name} {box.size:.4f} Tf {spacing}"
            f"1 0 0 1 {x:.4f} {box.y:.4f} Tm <{code}> Tj ET Q EMC\n"
        ).encode("ascii")

    def _mirrored(self) -> dict[str, _Box]:
        """The boxes of a right-to-left workbook: each keeps its text's style but swaps its
        place with the other box of its row (the section on the right, the folio on the left),
        aligned on the edge it now stands at."""
        boxes = {}
        for row in ("top", "bottom"):
            left, right = self.boxes[f"{row}-left"], self.boxes[f"{row}-right"]
            boxes[f"{row}-left"] = replace(left, x=right.x, right=True)
            boxes[f"{row}-right"] = replace(right, x=left.x, right=False)
        return boxes

    def stamp(
        self, pdf: Pdf, stamps: Sequence[PageStamp | None], *, mirrored: bool = False
    ) -> None:
        """Stamp ``pdf``'s pages; a page whose stamp is None (the cover) is left alone.
        ``mirrored``: a right-to-left workbook (see ``_mirrored``)."""
        boxes = self._mirrored() if mirrored else self.boxes
        names, copies = {}, {}
        fonts = [box.font for box in self.boxes.values()]
        fonts += [run[0] for shaped in self.shaped.values() for run in shaped.runs]
        for font in fonts:
            key = font.objgen
            if key not in copies:
                copies[key] = pdf.copy_foreign(font)
                names[key] = f"WBStamp{len(copies)}"
        for page, stamp in zip(pdf.pages, stamps, strict=True):
            if stamp is None:
                continue
            resources = page.obj.Resources
            if "/Font" not in resources:
                resources.Font = Dictionary()
            texts = (stamp.header, stamp.edition, stamp.participant, stamp.folio)
            ops = b""
            for box_name, text in zip(BOXES, texts, strict=True):
                box = boxes[box_name]
                place = "Header" if box_name.startswith("top") else "Footer"
                shaped = self.shaped.get(text) if right_to_left(text) else None
                own = None if shaped is not None else self._own_font(page, box, text)
                if shaped is not None:
                    used = [run[0] for run in shaped.runs]
                else:
                    used = [] if own is not None else [box.font]
                for font in used:
                    resources.Font[Name("/" + names[font.objgen])] = copies[font.objgen]
                if shaped is not None:
                    ops += self._show_shaped(box, shaped, names, place)
                elif own is not None:  # the page's own subset: no second program to merge
                    ops += self._show(replace(box, font=own[1]), own[0], text, place)
                else:
                    ops += self._show(box, names[box.font.objgen], text, place)
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"\nQ\n" + ops)

    def _own_font(self, page: pikepdf.Page, box: _Box, text: str) -> tuple[str, Any] | None:
        """(resource name, font) of a font the page already uses for the box's face, when its
        subset holds every character of ``text``: stamping with it leaves one program of that
        face on the page (a one-exercise handout then needs no merge of programs)."""
        fonts = page.obj.Resources.get("/Font")
        if not isinstance(fonts, Dictionary) or not text:
            return None
        face = _face(box.font)
        for name in sorted(fonts.keys()):
            font = fonts[name]
            if (
                not isinstance(font, Dictionary)
                or not font.is_indirect
                or font.get("/Subtype") != "/Type0"
                or "/ToUnicode" not in font
                or _face(font) != face
            ):
                continue
            key = font.objgen
            if key not in self.glyphs:
                self.glyphs[key], self.widths[key] = _to_unicode(font), _widths(font)
            if all(
                char in self.glyphs[key] and self.glyphs[key][char] in self.widths[key]
                for char in text
            ):
                return str(name)[1:], font
        return None

    def close(self) -> None:
        self.sheet.close()
