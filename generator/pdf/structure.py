"""Walking and indexing a structure tree (ISO 32000-1 §14.7): kids, and the ParentTree."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pikepdf import Array, Dictionary, Pdf


def role(element: Any) -> str:
    """An element's structure type (``/P``, ``/Link``…), as a string."""
    return str(element.get("/S", ""))


def kids(element: Any) -> list[Any]:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, Array) else [found]


def is_element(obj: Any) -> bool:
    return (
        isinstance(obj, Dictionary)
        and "/S" in obj
        and obj.get("/Type")
        not in (
            "/OBJR",
            "/MCR",
        )
    )


def is_objr(obj: Any) -> bool:
    return isinstance(obj, Dictionary) and obj.get("/Type") == "/OBJR"


def parent_tree(pdf: Pdf) -> None:
    """Rebuild the ParentTree from the structure tree: page ``i`` keyed ``i`` (MCID → element),
    then every annotation in tree order (its /StructParent)."""
    root = pdf.Root.StructTreeRoot
    index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    marks: dict[int, dict[int, Any]] = defaultdict(dict)
    annots: list[tuple[Any, Any]] = []
    stack = [(kid, root) for kid in reversed(kids(root))]
    while stack:
        element, _ = stack.pop()
        for kid in kids(element):
            if isinstance(kid, int):
                marks[index[element.Pg.objgen]][kid] = element
            elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
                page = kid.get("/Pg", element.get("/Pg"))
                marks[index[page.objgen]][int(kid.MCID)] = element
            elif is_objr(kid):
                annots.append((kid.Obj, element))
        stack += [(kid, element) for kid in reversed(kids(element)) if is_element(kid)]
    nums: list[Any] = []
    for number, page in enumerate(pdf.pages):
        found = marks.get(number, {})
        if "/StructParents" in page.obj or found:
            page.obj.StructParents = number
            nums += [number, Array([found.get(i) for i in range(max(found, default=-1) + 1)])]
    key = len(pdf.pages)
    for annot, element in annots:
        annot.StructParent = key
        nums += [key, element]
        key += 1
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = key
