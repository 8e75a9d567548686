"""One font program per face in a merged workbook, subset once, with a tag of its own.

Each part embeds its own subset of every face it uses, all under one subset tag (WeasyPrint
derives the tag from the face's description, not from the glyphs kept): a merged workbook
held hundreds of subsets under a handful of names, where ISO 32000-1 §9.6.4 wants distinct
subsets to carry distinct tags, and most of its bytes were fonts.

WeasyPrint subsets with HarfBuzz *retaining glyph ids*: a glyph has the same id in every
subset of a face, so content streams need no change. For each face (same name, same font
file: its ``head`` table's revision, dates and units), the merge keeps one program: the
subset with the most glyphs, to which the glyphs only other subsets have are copied
(fontTools), then one /W, one ToUnicode map (their union), one tag made from the program's
bytes, and every page, form XObject, appearance and the form's resources point at it.
A font WeasyPrint wrote otherwise (not Identity-H TrueType) is kept as it is, retagged.

The hyphen a line break adds (``hyphens: auto``; WeasyPrint maps it to U+2010) is mapped to
U+00AD, the soft hyphen, as ISO 32000-1 §14.8.2.2.3 asks of a hyphen the layout inserted:
text extraction then gives the word, not a word with a hard hyphen inside it.
"""

from __future__ import annotations

import copy
import hashlib
import io
import logging
import re
from collections.abc import Iterator
from typing import Any

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import _g_l_y_f
from pikepdf import Array, Dictionary, Name, Pdf, Stream

from generator.pdf import cmaps

logger = logging.getLogger("workbook")

DROPPED_TABLES = ("GDEF", "GPOS", "GSUB", "MATH")
"""Layout tables: a PDF reader never shapes text, so the merged program leaves them out."""
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
LAYOUT_HYPHEN, SOFT_HYPHEN = "\u2010", "\u00ad"

Key = tuple[str, bytes]


def resource_fonts(pdf: Pdf) -> list[Dictionary]:
    """Every /Font resource dictionary: pages, their form XObjects, annotation appearances,
    the form's default resources."""
    found: list[Dictionary] = []
    seen: set[tuple[int, int]] = set()

    def visit(resources: Any) -> None:
        if not isinstance(resources, Dictionary):
            return
        if resources.is_indirect:
            if resources.objgen in seen:
                return
            seen.add(resources.objgen)
        fonts = resources.get("/Font")
        if isinstance(fonts, Dictionary) and not (fonts.is_indirect and fonts.objgen in seen):
            if fonts.is_indirect:
                seen.add(fonts.objgen)
            found.append(fonts)
        xobjects = resources.get("/XObject")
        for xobject in xobjects.values() if isinstance(xobjects, Dictionary) else []:
            if isinstance(xobject, Stream) and xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots", []):
            for appearance in _appearances(annot.get("/AP")):
                visit(appearance.get("/Resources"))
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, Dictionary):
        visit(form.get("/DR"))
    return found


def _appearances(ap: Any) -> Iterator[Stream]:
    for value in ap.values() if isinstance(ap, Dictionary) else []:
        if isinstance(value, Stream):
            yield value
        elif isinstance(value, Dictionary):
            yield from (state for state in value.values() if isinstance(state, Stream))


def widths(array: Any) -> dict[int, float]:
    """Glyph id → advance, from a CID font's /W array."""
    found: dict[int, float] = {}
    items = list(array) if isinstance(array, Array) else []
    i = 0
    while i + 1 < len(items):
        if isinstance(items[i + 1], Array):
            for j, width in enumerate(items[i + 1]):
                found.setdefault(int(items[i]) + j, float(width))
            i += 2
        else:
            for gid in range(int(items[i]), int(items[i + 1]) + 1):
                found.setdefault(gid, float(items[i + 2]))
            i += 3
    return found


def _w_array(found: dict[int, float]) -> Array:
    runs: list[Any] = []
    for gid in sorted(found):
        if gid - 1 not in found:
            runs += [gid, []]
        width = found[gid]
        runs[-1].append(int(width) if width.is_integer() else round(width, 3))
    return Array([Array(item) if isinstance(item, list) else item for item in runs])


def _program(font: Dictionary) -> Stream | None:
    """The TrueType program of an Identity-H composite font, else None (kept as it is)."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return None
    descendants = font.get("/DescendantFonts")
    if not isinstance(descendants, Array) or len(descendants) != 1:
        return None
    cid = descendants[0]
    if cid.get("/Subtype") != "/CIDFontType2" or cid.get("/CIDToGIDMap", Name.Identity) != (
        Name.Identity
    ):
        return None
    descriptor = cid.get("/FontDescriptor")
    program = descriptor.get("/FontFile2") if isinstance(descriptor, Dictionary) else None
    return program if isinstance(program, Stream) else None


def face_name(font: Dictionary) -> str:
    """The font's name without its subset tag."""
    return SUBSET_TAG.sub("", str(font.get("/BaseFont", "/font"))[1:])


def _fingerprint(data: bytes) -> bytes:
    """What subsetting leaves of a font file's identity: its ``head`` table's revision, units
    per em, dates and style (an sfnt whose tables cannot be read: its hash)."""
    count = int.from_bytes(data[4:6], "big")
    for i in range(count):
        record = data[12 + 16 * i : 28 + 16 * i]
        if record[:4] == b"head":
            offset = int.from_bytes(record[8:12], "big")
            head = data[offset : offset + 54]
            return head[4:8] + head[18:36] + head[44:46]
    return hashlib.sha256(data).digest()


def _tag(name: str, data: bytes, taken: set[str]) -> str:
    """Six capital letters from the program's bytes, distinct within the document."""
    salt = 0
    while True:
        digest = hashlib.sha256(f"{salt}:{name}:".encode() + data).digest()
        tag = "".join(chr(65 + byte % 26) for byte in digest[:6])
        if tag not in taken:
            taken.add(tag)
            return tag
        salt += 1


class _Union:
    """One font program built from the subsets of one face (see ``_union_program``).

    A glyph the text uses has the same id in every subset; a glyph only a composite is made
    of (the dots of an Arabic letter, an accent) does not: each subset numbers those after
    the glyphs it keeps. So the glyphs a text uses are copied to their ids, and the parts of
    composites get fresh ids above every used one, their composites renamed to point at them.
    """

    def __init__(self, font: TTFont, used: set[int]) -> None:
        self.font, self.glyf, self.hmtx = font, font["glyf"], font["hmtx"]
        self.order: list[str] = list(font.getGlyphOrder())
        self.names = set(self.order)
        self.next = max(max(used, default=0) + 1, len(self.order))
        self.covered: set[int] = set()
        self.fresh: dict[tuple[int, int], int] = {}  # (source, its glyph id) → our id

    def _name(self, gid: int) -> str:
        while gid >= len(self.order):
            name = f"glyph{len(self.order):05d}"
            while name in self.names:
                name += "_"
            self.names.add(name)
            self.order.append(name)
            self.glyf.glyphs[name] = _g_l_y_f.Glyph()
            self.hmtx.metrics[name] = (0, 0)
        return self.order[gid]

    def _glyph(self, source: TTFont, gid: int, used: set[int]) -> tuple[Any, Any]:
        """A copy of ``source``'s glyph ``gid``, its components renamed for this font."""
        theirs = source.getGlyphOrder()
        glyph = copy.deepcopy(source["glyf"][theirs[gid]])
        if glyph.isComposite():
            for part in glyph.components:
                part_gid = source.getGlyphID(part.glyphName)
                if part_gid in used:  # a glyph the text uses too: its id is shared
                    self.copy(source, part_gid, used)
                    part.glyphName = self._name(part_gid)
                else:
                    part.glyphName = self._name(self._part(source, part_gid, used))
        return glyph, source["hmtx"].metrics[theirs[gid]]

    def _part(self, source: TTFont, gid: int, used: set[int]) -> int:
        """Our id for ``source``'s glyph ``gid``, a part of composites only: a fresh one."""
        key = (id(source), gid)
        if key not in self.fresh:
            glyph, metrics = self._glyph(source, gid, used)
            self.fresh[key] = ours = self.next
            self.next += 1
            name = self._name(ours)
            self.glyf.glyphs[name], self.hmtx.metrics[name] = glyph, metrics
        return self.fresh[key]

    def copy(self, source: TTFont, gid: int, used: set[int]) -> None:
        """Copy ``source``'s glyph ``gid``, one its text uses, to the same id."""
        if gid in self.covered:
            return
        self.covered.add(gid)
        glyph, metrics = self._glyph(source, gid, used)
        name = self._name(gid)
        self.glyf.glyphs[name], self.hmtx.metrics[name] = glyph, metrics

    def save(self) -> bytes:
        self.font.setGlyphOrder(self.order)
        self.glyf.glyphOrder = self.order
        for table in DROPPED_TABLES:
            if table in self.font:
                del self.font[table]
        out = io.BytesIO()
        self.font.save(out)
        return out.getvalue()


def _union_program(programs: list[tuple[Stream, set[int]]]) -> bytes:
    """One program holding every glyph of ``programs`` (program, the glyphs its text uses):
    the one that uses the most, unchanged when it holds them all; else a new one (``_Union``)."""
    ordered = sorted(programs, key=lambda entry: -len(entry[1]))
    base, covered = ordered[0][0], set(ordered[0][1])
    if all(gids <= covered for _, gids in ordered[1:]):
        return bytes(base.read_bytes())
    font = TTFont(io.BytesIO(base.read_bytes()), recalcTimestamp=False)
    union = _Union(font, set().union(*(gids for _, gids in ordered)))
    for name in font.getGlyphOrder():  # emptied, then filled with what the text uses
        font["glyf"].glyphs[name] = _g_l_y_f.Glyph()
        font["hmtx"].metrics[name] = (0, 0)
    for program, gids in ordered:
        source = TTFont(io.BytesIO(program.read_bytes()))
        for gid in sorted(gids | {0}):  # the .notdef glyph too
            union.copy(source, gid, gids)
    return union.save()


def _merge(pdf: Pdf, name: str, members: list[Dictionary], taken: set[str]) -> Dictionary:
    """One font for ``members``, the fonts of one face."""
    advances: dict[int, float] = {}
    texts: dict[int, str] = {}
    programs: dict[bytes, tuple[Stream, set[int]]] = {}
    box = [0.0, 0.0, 0.0, 0.0]
    for font in members:
        cid = font.DescendantFonts[0]
        used = widths(cid.get("/W"))
        for gid, advance in used.items():
            advances.setdefault(gid, advance)
        unicode = font.get("/ToUnicode")
        if isinstance(unicode, Stream):
            for gid, text in cmaps.parse(unicode.read_bytes()).items():
                texts.setdefault(gid, text)
        program = _program(font)
        assert program is not None
        entry = programs.setdefault(
            hashlib.sha256(program.read_raw_bytes()).digest(), (program, set())
        )
        entry[1].update(used)
        bbox = [float(value) for value in cid.FontDescriptor.get("/FontBBox", [0, 0, 0, 0])]
        box = [
            min(box[0], bbox[0]),
            min(box[1], bbox[1]),
            max(box[2], bbox[2]),
            max(box[3], bbox[3]),
        ]
    data = _union_program(list(programs.values()))
    base_font = Name(f"/{_tag(name, data, taken)}+{name}")
    first = members[0].DescendantFonts[0]
    descriptor = Dictionary({key: value for key, value in first.FontDescriptor.items()})
    if "/CIDSet" in descriptor:
        del descriptor["/CIDSet"]
    program = pdf.make_stream(data)
    program.Length1 = len(data)
    descriptor.FontName, descriptor.FontFile2 = base_font, program
    descriptor.FontBBox = Array([round(value, 3) for value in box])
    cid = Dictionary({key: value for key, value in first.items()})
    cid.BaseFont, cid.W = base_font, _w_array(advances)
    cid.FontDescriptor = pdf.make_indirect(descriptor)
    mapping = {gid: SOFT_HYPHEN if text == LAYOUT_HYPHEN else text for gid, text in texts.items()}
    merged = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type0,
        BaseFont=base_font,
        Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid)]),
        ToUnicode=pdf.make_stream(cmaps.write(mapping)),
    )
    return pdf.make_indirect(merged)


def _retag(font: Dictionary, taken: set[str]) -> None:
    """A font kept as it is gets a tag of its own (from its program, when it has one)."""
    name = face_name(font)
    descendants = font.get("/DescendantFonts")
    cid = descendants[0] if isinstance(descendants, Array) and len(descendants) else font
    descriptor = cid.get("/FontDescriptor")
    if not isinstance(descriptor, Dictionary) or not SUBSET_TAG.match(str(font.BaseFont)[1:]):
        return
    program = next(
        (descriptor[key] for key in ("/FontFile2", "/FontFile3", "/FontFile") if key in descriptor),
        None,
    )
    data = bytes(program.read_raw_bytes()) if isinstance(program, Stream) else b""
    base_font = Name(f"/{_tag(name, data + repr(font.objgen).encode(), taken)}+{name}")
    font.BaseFont = cid.BaseFont = descriptor.FontName = base_font


def subset_once(pdf: Pdf) -> None:
    """Give each face of ``pdf`` one font program and one tag (see the module)."""
    tables = resource_fonts(pdf)
    fonts: dict[tuple[int, int], Dictionary] = {}
    for table in tables:
        for font in table.values():
            if isinstance(font, Dictionary) and font.is_indirect:
                fonts.setdefault(font.objgen, font)
    faces: dict[Key, list[Dictionary]] = {}
    kept: list[Dictionary] = []
    for font in fonts.values():
        program = _program(font)
        if program is None:
            kept.append(font)
            continue
        key = (face_name(font), _fingerprint(bytes(program.read_bytes())))
        faces.setdefault(key, []).append(font)
    taken: set[str] = set()
    replaced: dict[tuple[int, int], Dictionary] = {}
    for (name, _), members in faces.items():
        merged = _merge(pdf, name, members, taken)
        for font in members:
            replaced[font.objgen] = merged
    for font in kept:
        _retag(font, taken)
    for table in tables:
        for name in list(table.keys()):
            font = table[name]
            if isinstance(font, Dictionary) and font.is_indirect and font.objgen in replaced:
                table[name] = replaced[font.objgen]
    logger.debug("fonts: %d faces from %d embedded fonts", len(faces) + len(kept), len(fonts))
