"""Marked content of a page: the text each marked-content id (MCID) shows, and turning tagged
content into artifacts (ISO 32000-1 §14.6 and §14.8.2.2).

Text is decoded through each font's ToUnicode map; codes are two bytes for composite
(Type0) fonts, one byte otherwise. Only the page's own content stream is read: WeasyPrint
draws tagged text there, never in form XObjects.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pikepdf
from pikepdf import ContentStreamInstruction, Dictionary, Name, Operator, Pdf

from generator.pdf import cmaps

_SHOW = frozenset({"Tj", "TJ", "'", '"'})


def _font_map(resources: Any, name: str) -> tuple[int, dict[int, str]]:
    """(bytes per code, code → text) of the font resource ``name``."""
    fonts = resources.get("/Font") if isinstance(resources, Dictionary) else None
    font = fonts.get(name) if isinstance(fonts, Dictionary) else None
    if not isinstance(font, Dictionary):
        return 2, {}
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    unicode = font.get("/ToUnicode")
    return width, cmaps.parse(unicode.read_bytes()) if isinstance(unicode, pikepdf.Stream) else {}


def _decode(raw: bytes, width: int, mapping: dict[int, str]) -> str:
    codes = (int.from_bytes(raw[i : i + width], "big") for i in range(0, len(raw), width))
    return "".join(mapping.get(code, "") for code in codes)


def mcid_texts(page: pikepdf.Page) -> dict[int, str]:
    """MCID → the text its marked content shows (empty for marked content with no text)."""
    resources = page.obj.get("/Resources")
    maps: dict[str, tuple[int, dict[int, str]]] = {}
    texts: dict[int, list[str]] = defaultdict(list)
    stack: list[int | None] = []
    font: tuple[int, dict[int, str]] = (2, {})
    for instruction in pikepdf.parse_content_stream(page):
        if not isinstance(instruction, ContentStreamInstruction):
            continue
        operands, operator = instruction.operands, str(instruction.operator)
        if operator in ("BDC", "BMC"):
            mcid = None
            if operator == "BDC" and isinstance(operands[1], Dictionary):
                found = operands[1].get("/MCID")
                mcid = int(found) if found is not None else None
            stack.append(mcid if mcid is not None else (stack[-1] if stack else None))
            if mcid is not None:
                texts[mcid]
        elif operator == "EMC":
            if stack:
                stack.pop()
        elif operator == "Tf":
            name = str(operands[0])
            if name not in maps:
                maps[name] = _font_map(resources, name)
            font = maps[name]
        elif operator in _SHOW and stack and stack[-1] is not None:
            items = operands[-1]
            strings = list(items) if isinstance(items, pikepdf.Array) else [items]
            for item in strings:
                if isinstance(item, pikepdf.String):
                    texts[stack[-1]].append(_decode(bytes(item), *font))
    return {mcid: "".join(parts) for mcid, parts in texts.items()}


def make_artifacts(pdf: Pdf, page: pikepdf.Page, mcids: set[int]) -> None:
    """Mark the content of ``mcids`` on ``page`` as artifacts (no longer tagged content)."""
    if not mcids:
        return
    rewritten = []
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, ContentStreamInstruction) and str(instruction.operator) == "BDC":
            properties = instruction.operands[1]
            if isinstance(properties, Dictionary) and int(properties.get("/MCID", -1)) in mcids:
                instruction = ContentStreamInstruction([Name.Artifact], Operator("BMC"))
        rewritten.append(instruction)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))
