"""Repair the structure tree WeasyPrint 70 writes for a part, as PDF/UA-1 (ISO 14289-1) wants it.

Run on each part once, when it is typeset (the repaired part is what the cache keeps):

- links (§7.18.5): one Link element per link, holding its annotations by OBJR, each
  annotation with a /Contents description and the Print flag. WeasyPrint nests a Link in a
  Link for a link's pseudo-elements and leader, hangs annotations off Spans inside links, and
  gives each piece its own annotation: nested Links are spliced into the outer one, OBJRs
  pulled up to it, annotations lying inside another of the same target dropped, and the
  pieces of one link broken over lines (sibling Links of the same target) joined;
- leader dots (the contents' ``leader(".")``) are layout, not text: artifacts (§7.1);
- lists (§7.6, ISO 32000-1 §14.8.4.3.3): an L holds LI (and Caption), an LI holds Lbl and
  LBody. Whitespace between inline list items becomes an artifact, anything else found
  directly in an L goes into the previous item's body, nested lists too;
- an image with no alternative text is decoration (the cover logo, ``alt=""``): an artifact;
- the ParentTree is rebuilt from the repaired tree: pages keyed by their index, then each
  annotation (its /StructParent) in tree order, as the merge expects.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from generator.pdf import tables
from generator.pdf.marked import make_artifacts, mcid_texts
from generator.pdf.structure import is_element, is_objr, kids, parent_tree, role

logger = logging.getLogger("workbook")

LEADERS = frozenset(".·•…_-‐−")
"""Characters a leader repeats."""
MIN_LEADER = 3
"""Marked-content runs of one leader character, in a row, that make a leader."""
PRINT_FLAG = 4


class _Repair:
    def __init__(self, pdf: Pdf) -> None:
        self.pdf = pdf
        self.pages = {page.obj.objgen: page for page in pdf.pages}
        self.texts: dict[tuple[int, int], dict[int, str]] = {}
        self.artifacts: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.dropped: set[tuple[int, int]] = set()

    # -- marked content ------------------------------------------------------------------
    def ref(self, kid: Any, owner: Any) -> tuple[tuple[int, int], int] | None:
        """(page, MCID) of a content kid of ``owner``; None for elements and OBJRs."""
        if isinstance(kid, int):
            return owner.Pg.objgen, kid
        if isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
            page = kid.get("/Pg", owner.get("/Pg"))
            return page.objgen, int(kid.MCID)
        return None

    def text(self, kid: Any, owner: Any) -> str:
        found = self.ref(kid, owner)
        if found is not None:
            page, mcid = found
            if page not in self.texts:
                self.texts[page] = mcid_texts(self.pages[page]) if page in self.pages else {}
            return self.texts[page].get(mcid, "")
        if is_element(kid):
            return "".join(self.text(inner, kid) for inner in kids(kid))
        return ""

    def moved(self, kid: Any, old: Any, new: Any) -> Any:
        """``kid`` of ``old`` made a kid of ``new``: its parent set, an MCID kept on its page."""
        if isinstance(kid, int) and old.Pg.objgen != new.get("/Pg", old.Pg).objgen:
            return Dictionary(Type=Name.MCR, Pg=old.Pg, MCID=kid)
        if is_element(kid):
            kid.P = new
        return kid

    def artifact(self, kid: Any, owner: Any) -> None:
        found = self.ref(kid, owner)
        if found is not None:
            self.artifacts[found[0]].add(found[1])
        elif is_element(kid):
            for inner in kids(kid):
                self.artifact(inner, kid)

    def blank(self, kid: Any, owner: Any) -> bool:
        """Marked content, or an element of nothing else, that shows no visible text."""
        if self.ref(kid, owner) is not None:
            return not self.text(kid, owner).strip()
        if not is_element(kid) or "/Alt" in kid or "/ActualText" in kid:
            return False
        return all(self.blank(inner, kid) for inner in kids(kid))

    def new_element(self, kind: str, parent: Any, content: list[Any], source: Any) -> Any:
        element = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + kind), P=parent, Pg=source.Pg)
        )
        element.K = Array([self.moved(kid, source, element) for kid in content])
        return element

    # -- links ---------------------------------------------------------------------------
    def gather(self, element: Any, link: Any) -> tuple[list[Any], list[Any]]:
        """``element``'s OBJRs and other kids, nested Links spliced in (made kids of ``link``)."""
        objrs, content = [], []
        for kid in kids(element):
            if is_objr(kid):
                objrs.append(kid)
            elif is_element(kid) and role(kid) == "/Link":
                inner_objrs, inner = self.gather(kid, link)
                objrs += inner_objrs
                content += [self.moved(item, kid, link) for item in inner]
            elif is_element(kid):
                inner_objrs, inner = self.gather(kid, kid)
                objrs += inner_objrs
                kid.K = Array(inner)
                content.append(kid)
            else:
                content.append(kid)
        return objrs, content

    def link(self, link: Any) -> None:
        objrs, content = self.gather(link, link)
        content = self.without_leaders(link, content)
        kept = self.distinct(objrs)
        link.K = Array(kept + content)
        words = " ".join(" ".join(self.text(kid, link) for kid in content).split())
        for objr in kept:
            annot = objr.Obj
            annot.F = int(annot.get("/F", 0)) | PRINT_FLAG
            if words or "/Contents" not in annot:
                annot.Contents = pikepdf.String(words or _target(annot))

    def without_leaders(self, owner: Any, content: list[Any]) -> list[Any]:
        """``content`` less its leader: a run of marked content showing one leader character."""
        marks = [self.text(kid, owner).strip() if self.ref(kid, owner) else "" for kid in content]
        keep = [True] * len(content)
        start = 0
        while start < len(content):
            end = start
            mark = marks[start]
            while end < len(content) and len(mark) == 1 and mark in LEADERS and marks[end] == mark:
                end += 1
            if end - start >= MIN_LEADER:
                for index in range(start, end):
                    keep[index] = False
                    self.artifact(content[index], owner)
            start = max(end, start + 1)
        return [kid for kid, kept in zip(content, keep, strict=True) if kept]

    def distinct(self, objrs: list[Any]) -> list[Any]:
        """Annotations lying inside another of the same target are dropped from their page."""
        by_size = sorted(objrs, key=lambda objr: -_area(objr.Obj))
        kept: list[Any] = []
        for objr in by_size:
            annot = objr.Obj
            if annot.get("/Subtype") == "/Link" and any(
                _target(annot) == _target(other.Obj)
                and _same(objr.get("/Pg"), other.get("/Pg"))
                and _inside(annot, other.Obj)
                for other in kept
            ):
                self.dropped.add(annot.objgen)
                continue
            kept.append(objr)
        return [objr for objr in objrs if any(objr is other for other in kept)]

    def join_links(self, element: Any) -> None:
        """Sibling Links of one target (a link broken over lines) become one element."""
        joined: list[Any] = []
        for kid in kids(element):
            last: Any = joined[-1] if joined else None
            if (
                is_element(kid)
                and role(kid) == "/Link"
                and is_element(last)
                and role(last) == "/Link"
                and _targets(kid) == _targets(last)
                and _targets(kid)
            ):
                inner = kids(kid)
                objrs = [item for item in inner if is_objr(item)]
                rest = [self.moved(item, kid, last) for item in inner if not is_objr(item)]
                previous = kids(last)
                last.K = Array(
                    [item for item in previous if is_objr(item)]
                    + objrs
                    + [item for item in previous if not is_objr(item)]
                    + rest
                )
                continue
            joined.append(kid)
        element.K = Array(joined)

    # -- lists and figures ---------------------------------------------------------------
    def list_(self, element: Any) -> None:
        items: list[Any] = []
        for kid in kids(element):
            kind = role(kid) if is_element(kid) else None
            if kind in ("/LI", "/Caption"):
                items.append(kid)
            elif kind != "/L" and self.blank(kid, element):
                self.artifact(kid, element)
            elif items and role(items[-1]) == "/LI":
                body = self.body(items[-1])
                body.K = Array([*kids(body), self.moved(kid, element, body)])
            else:
                item = self.new_element("LI", element, [], element)
                item.K = Array([self.new_element("LBody", item, [kid], element)])
                items.append(item)
        element.K = Array(items)
        for item in items:
            if role(item) == "/LI":
                self.item(item)

    def body(self, item: Any) -> Any:
        for kid in kids(item):
            if is_element(kid) and role(kid) == "/LBody":
                return kid
        body = self.new_element("LBody", item, [], item)
        item.K = Array([*kids(item), body])
        return body

    def item(self, item: Any) -> None:
        """An LI holds Lbl and LBody only: anything else goes into an LBody."""
        fixed: list[Any] = []
        loose: list[Any] = []
        for kid in [*kids(item), None]:
            if kid is None or (is_element(kid) and role(kid) in ("/Lbl", "/LBody")):
                if loose:
                    fixed.append(self.new_element("LBody", item, loose, item))
                    loose = []
                if kid is not None:
                    fixed.append(kid)
            else:
                loose.append(kid)
        item.K = Array(fixed)

    # -- the walk ------------------------------------------------------------------------
    def walk(self, element: Any) -> None:
        if role(element) == "/Link":
            self.link(element)
            return
        if role(element) == "/Figure" and not str(element.get("/Alt", "")).strip():
            self.artifact(element, element.P)
            element.K = Array([])
            return
        for kid in kids(element):
            if is_element(kid):
                self.walk(kid)
        self.join_links(element)
        if role(element) == "/L":
            self.list_(element)

    def prune(self, element: Any) -> bool:
        """Drop elements left with nothing; True when ``element`` itself is empty."""
        left = [kid for kid in kids(element) if not (is_element(kid) and self.prune(kid))]
        left = [kid for kid in left if not (is_objr(kid) and kid.Obj.objgen in self.dropped)]
        if len(left) != len(kids(element)):
            element.K = Array(left)
        return not left


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(a.objgen == b.objgen)


def _area(annot: Any) -> float:
    x0, y0, x1, y1 = (float(value) for value in annot.Rect)
    return abs(x1 - x0) * abs(y1 - y0)


def _inside(inner: Any, outer: Any, slack: float = 0.5) -> bool:
    a = [float(value) for value in inner.Rect]
    b = [float(value) for value in outer.Rect]
    ax0, ax1, ay0, ay1 = min(a[0], a[2]), max(a[0], a[2]), min(a[1], a[3]), max(a[1], a[3])
    bx0, bx1, by0, by1 = min(b[0], b[2]), max(b[0], b[2]), min(b[1], b[3]), max(b[1], b[3])
    return ax0 >= bx0 - slack and ax1 <= bx1 + slack and ay0 >= by0 - slack and ay1 <= by1 + slack


def _target(annot: Any) -> str:
    action = annot.get("/A")
    if isinstance(action, Dictionary) and "/URI" in action:
        return str(action.URI)
    return str(annot.get("/Dest", ""))


def _targets(element: Any) -> frozenset[str]:
    return frozenset(_target(kid.Obj) for kid in kids(element) if is_objr(kid))


def repair(pdf: Pdf) -> None:
    """Repair ``pdf``'s structure tree in place (see the module); no tree, nothing done."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    fix = _Repair(pdf)
    page_of = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    for kid in kids(root):
        if is_element(kid):
            tables.join_fragments(kid, page_of, fix.text, fix.artifact, fix.moved)
            tables.scopes(kid)
            fix.walk(kid)
            fix.prune(kid)
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, Array) and any(a.objgen in fix.dropped for a in annots):
            page.obj.Annots = Array([a for a in annots if a.objgen not in fix.dropped])
    for objgen, mcids in fix.artifacts.items():
        make_artifacts(pdf, fix.pages[objgen], mcids)
    parent_tree(pdf)
