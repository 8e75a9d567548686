"""Merge part PDFs into one workbook (pikepdf): pages, outline, anchors, links, form, tags.

Each part is a complete tagged PDF written by WeasyPrint. The merge keeps what a single
document would have had: one outline (an exercise's bookmark under its section's), one sorted
table of named destinations, links between parts (written ``wb:<anchor>`` by the parts) made
internal, one form, one structure tree under one /Document element, the metadata of the cover.
After stamping, each font face gets one program subset once (fonts.py) and the document its
XMP metadata (metadata.py, PDF/UA-1). Before it is saved, the workbook is sanitised
(sanitise.py): whatever its parts held, it carries no JavaScript, open-action or launch, and
links only to http(s) and mailto addresses.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String

from generator.pdf.files import save
from generator.pdf.fonts import subset_once
from generator.pdf.metadata import describe
from generator.pdf.sanitise import sanitise
from generator.pdf.stamp import PageStamp, Stamper

logger = logging.getLogger("workbook")

LINK_PREFIX = "wb:"
METADATA = (
    "/Title",
    "/Author",
    "/Subject",
    "/Keywords",
    "/Creator",
    "/Producer",
    "/CreationDate",
    "/ModDate",
)


@dataclass
class _Mark:
    title: str
    page: int
    top: float
    children: list[_Mark]


@dataclass
class _Merged:
    dests: list[tuple[str, Array]]
    marks: list[_Mark]
    fields: list[Any]
    struct_kids: list[Any]
    parent_nums: list[tuple[int, int, int, int, Any]]  # old key, part, base, pages, value
    ranges: list[tuple[int, int, int]]  # part, first page, pages
    form_dr: Any = None
    form_da: Any = None


def _indirect(source: Pdf, obj: Any) -> Any:
    return obj if obj.is_indirect else source.make_indirect(obj)


def _copy_part(dst: Pdf, src: Pdf, index: int, nested: bool, merged: _Merged) -> None:
    base = len(dst.pages)
    struct = src.Root.get("/StructTreeRoot")
    document = struct.K[0] if struct is not None else None
    if document is not None:  # detach the kids, or copying them drags the old root along
        for kid in document.K:
            if isinstance(kid, Dictionary) and "/P" in kid:
                del kid["/P"]
    count = len(src.pages)
    with warnings.catch_warnings():  # forms and links: merged below, not by pikepdf
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        dst.pages.extend(src.pages)  # later copies from this part map onto these pages
    position = {src.pages[i].obj.objgen: base + i for i in range(count)}

    with src.open_outline() as outline:

        def convert(items: list[OutlineItem]) -> list[_Mark]:
            marks = []
            for item in items:
                target: Any = item.destination
                page = position[target[0].objgen]
                marks.append(_Mark(str(item.title), page, float(target[3]), convert(item.children)))
            return marks

        marks = convert(list(outline.root))
    if nested and merged.marks:
        merged.marks[-1].children.extend(marks)
    else:
        merged.marks.extend(marks)

    if "/Names" in src.Root and "/Dests" in src.Root.Names:
        for name, target in pikepdf.NameTree(src.Root.Names.Dests).items():
            page = dst.pages[position[target[0].objgen]].obj
            merged.dests.append((name, Array([page, *list(target)[1:]])))

    if "/AcroForm" in src.Root:
        form = src.Root.AcroForm
        merged.fields.extend(dst.copy_foreign(item) for item in form.Fields)
        if merged.form_dr is None and "/DR" in form:
            merged.form_dr = dst.copy_foreign(_indirect(src, form.DR))
            merged.form_da = form.get("/DA")

    if document is not None and struct is not None:
        merged.struct_kids.extend(dst.copy_foreign(_indirect(src, document.K)))
        nums = struct.ParentTree.Nums
        for j in range(0, len(nums), 2):
            value = dst.copy_foreign(_indirect(src, nums[j + 1]))
            merged.parent_nums.append((int(nums[j]), index, base, count, value))
    merged.ranges.append((index, base, count))


def _links(dst: Pdf, known: set[str]) -> None:
    """``wb:`` links become internal; a link to an anchor that exists nowhere goes nowhere."""
    for page in dst.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            uri = str(annot.A.get("/URI", "")) if "/A" in annot else ""
            if uri.startswith(LINK_PREFIX):
                annot.Dest = String(uri[len(LINK_PREFIX) :])
                del annot["/A"]
            dest = annot.get("/Dest")
            if isinstance(dest, String) and str(dest) not in known:
                logger.debug("link to a missing anchor %s", dest)
                annot.Dest = Array([page.obj, Name.Fit])


def _outline(dst: Pdf, marks: list[_Mark]) -> None:
    def build(items: list[_Mark]) -> list[OutlineItem]:
        built = []
        for mark in items:
            item = OutlineItem(mark.title, mark.page, "XYZ", left=0, top=mark.top)
            item.children.extend(build(mark.children))
            built.append(item)
        return built

    with dst.open_outline() as outline:
        outline.root.extend(build(marks))


def _structure(dst: Pdf, merged: _Merged) -> None:
    """One structure tree; ParentTree keys: pages by index, then annotations after them."""
    root = dst.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = dst.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array(merged.struct_kids))
    )
    for kid in merged.struct_kids:
        if isinstance(kid, Dictionary):
            kid.P = document
    root.K = Array([document])
    nums: list[Any] = []
    for old, _, base, count, value in merged.parent_nums:
        if old < count:  # a page's entry: WeasyPrint keys pages by their index
            nums += [base + old, value]
    for index, page in enumerate(dst.pages):
        if "/StructParents" in page.obj:
            page.obj.StructParents = index
    key, renumbered = len(dst.pages), {}
    for old, part, _, count, value in merged.parent_nums:
        if old >= count:  # an annotation's entry
            renumbered[(part, old)] = key
            nums += [key, value]
            key += 1
    for part, base, count in merged.ranges:
        for page in dst.pages[base : base + count]:
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = renumbered[(part, int(annot.StructParent))]
    root.ParentTree = dst.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = key
    dst.Root.StructTreeRoot = root
    dst.Root.MarkInfo = Dictionary(Marked=True)


@contextlib.contextmanager
def merged_parts(parts: list[tuple[Path, bool]]) -> Iterator[Pdf]:
    """One PDF of ``parts`` ((PDF file, nested bookmarks?), in order); the first is the cover.

    The parts stay open until the block ends: the merged PDF reads their streams when saved.
    They are opened from their files, which qpdf reads as needed, not loaded into memory.
    """
    sources: list[Pdf] = []
    try:
        sources += [Pdf.open(path) for path, _ in parts]
        yield _merge(sources, [nested for _, nested in parts])
    finally:
        for source in sources:
            source.close()


def _merge(sources: list[Pdf], nesting: list[bool]) -> Pdf:
    dst = Pdf.new()
    merged = _Merged([], [], [], [], [], [])
    for index, (source, nested) in enumerate(zip(sources, nesting, strict=True)):
        _copy_part(dst, source, index, nested, merged)

    merged.dests.sort(key=lambda entry: entry[0])
    _links(dst, {name for name, _ in merged.dests})
    names: list[Any] = []
    for name, target in merged.dests:
        names += [String(name), target]
    # One Array at the end: extending a pikepdf Array copies it (quadratic in the parts).
    dst.Root.Names = Dictionary(Dests=dst.make_indirect(Dictionary(Names=Array(names))))
    _outline(dst, merged.marks)
    if merged.fields:
        form = Dictionary(Fields=Array(merged.fields), NeedAppearances=True)
        if merged.form_dr is not None:
            form.DR = merged.form_dr
            if merged.form_da is not None:
                form.DA = merged.form_da
        dst.Root.AcroForm = dst.make_indirect(form)
    if merged.struct_kids:
        _structure(dst, merged)
    first = sources[0]
    if "/Lang" in first.Root:
        dst.Root.Lang = first.Root.Lang
    dst.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    dst.Root.PageMode = Name.UseOutlines
    for key in METADATA:
        if key in first.docinfo:
            dst.docinfo[key] = first.docinfo[key]
    return dst


def assemble_workbook(
    parts: list[tuple[Path, bool]],
    sheet: Path,
    shaped: tuple[str, ...],
    mirrored: bool,
    stamps: list[PageStamp | None],
    target: Path,
) -> None:
    """Merge typeset parts into one workbook, stamp its headers and footers, sanitise it and
    save it to ``target`` (written from disk to disk: a big workbook never sits whole in
    memory)."""
    stamper = Stamper(sheet, shaped)
    try:
        with merged_parts(parts) as pdf:
            stamper.stamp(pdf, stamps, mirrored=mirrored)
            subset_once(pdf)
            describe(pdf)
            sanitise(pdf)
            save(pdf, target)
    finally:
        stamper.close()
        release_memory()


def release_memory() -> None:
    """Hand the memory a merge freed back to the system (glibc keeps it otherwise, and a
    worker process would stay as big as its biggest merge for the rest of the build)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
