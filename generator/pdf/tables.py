"""Tables as one regular grid (ISO 14289-1 §7.5, ISO 32000-1 §14.8.4.3.4).

WeasyPrint tags a table broken over pages as one Table element per page, each with the
repeated header and footer, and the part of a row carried to the next page as a row of its
own with only the cells that went on (a grid that does not close). Here the fragments of
one table on consecutive pages become one Table: the repeated header and footer are
artifacts (pagination, not content), the rows are gathered under the first fragment's body,
a carried-over row is joined to the row it continues, and every data cell's /Headers point
at the first fragment's header cells. Header cells get a /Scope: Column in a THead, Row
elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pikepdf import Array, Name, String

from generator.pdf.structure import is_element, kids, role

Artifact = Callable[[Any, Any], None]
Moved = Callable[[Any, Any, Any], Any]


def _elements(element: Any) -> Iterator[Any]:
    yield element
    for kid in kids(element):
        if is_element(kid):
            yield from _elements(kid)


def _section(table: Any, kind: str) -> Any:
    return next((kid for kid in kids(table) if is_element(kid) and role(kid) == kind), None)


def _header_cells(table: Any) -> list[Any]:
    head = _section(table, "/THead")
    return [cell for cell in _elements(head) if role(cell) == "/TH"] if head is not None else []


def _columns(table: Any) -> int:
    head = _section(table, "/THead")
    rows = [row for row in kids(head) if is_element(row)] if head is not None else []
    return max((len([c for c in kids(row) if is_element(c)]) for row in rows), default=0)


def scopes(root: Any) -> None:
    """Give each TH a /Scope: Column in a THead, Row in a body or footer row."""
    for element in _elements(root):
        if role(element) != "/TH":
            continue
        attributes = element.get("/A")
        if isinstance(attributes, Array) or attributes is None:
            continue
        if "/Scope" not in attributes:
            row = element.get("/P")
            section = row.get("/P") if row is not None else None
            in_head = section is not None and str(section.get("/S")) == "/THead"
            attributes.Scope = Name.Column if in_head else Name.Row


def _retarget(cells: Iterator[Any], ids: dict[str, str]) -> None:
    for cell in cells:
        attributes = cell.get("/A")
        if role(cell) == "/TD" and attributes is not None and "/Headers" in attributes:
            attributes.Headers = Array(
                [String(ids.get(str(ref), str(ref))) for ref in attributes.Headers]
            )


def _column_of(cell: Any) -> str | None:
    attributes = cell.get("/A")
    headers = attributes.get("/Headers") if attributes is not None else None
    return str(headers[0]) if isinstance(headers, Array) and len(headers) else None


def _join_row(last: Any, carried: Any, moved: Moved) -> None:
    """Cells of ``carried`` (a row's part on the next page) into the cells of ``last``."""
    by_column = {_column_of(cell): cell for cell in kids(last) if is_element(cell)}
    for cell in [kid for kid in kids(carried) if is_element(kid)]:
        target = by_column.get(_column_of(cell))
        if target is None:
            continue
        target.K = Array([*kids(target), *(moved(kid, cell, target) for kid in kids(cell))])
    carried.K = Array([])


def _absorb(first: Any, later: Any, artifact: Artifact, moved: Moved) -> None:
    """Move the rows of ``later`` (the next page's fragment) into ``first``."""
    ids = {
        str(theirs.ID): str(ours.ID)
        for theirs, ours in zip(_header_cells(later), _header_cells(first), strict=False)
        if "/ID" in theirs and "/ID" in ours
    }
    _retarget(_elements(later), ids)
    for kind in ("/THead", "/TFoot"):
        repeated = _section(first if kind == "/TFoot" else later, kind)
        if repeated is not None:
            artifact(repeated, repeated.P)
            repeated.K = Array([])
    ours, theirs = _section(first, "/TBody"), _section(later, "/TBody")
    if theirs is not None and ours is None:  # the first fragment held the caption alone
        _adopt(first, later, theirs)
    elif theirs is not None and ours is not None:
        rows = [row for row in kids(theirs) if is_element(row)]
        previous = [row for row in kids(ours) if is_element(row)]
        if rows and previous and _carried(rows[0]):
            _join_row(previous[-1], rows[0], moved)
            rows = rows[1:]
        for row in rows:
            row.P = ours
        ours.K = Array([*kids(ours), *rows])
        theirs.K = Array([])
    footer = _section(later, "/TFoot")
    if footer is not None:
        first.K = Array([kid for kid in kids(first) if role(kid) != "/TFoot"])
        _adopt(first, later, footer)


def _adopt(table: Any, other: Any, section: Any) -> None:
    """Move ``section`` from ``other`` into ``table``, in its place (caption, head, body, foot)."""
    other.K = Array([kid for kid in kids(other) if not _same(kid, section)])
    section.P = table
    rank = {"/Caption": 0, "/THead": 1, "/TBody": 2, "/TFoot": 3}
    table.K = Array(sorted([*kids(table), section], key=lambda kid: rank.get(role(kid), 2)))


def _carried(row: Any) -> bool:
    """A row's part carried to the next page: some of its cells (those that ended on the
    page before) are there but empty, or missing."""
    cells = [cell for cell in kids(row) if is_element(cell)]
    return any(not kids(cell) for cell in cells) or len(cells) < _columns(row.P.P)


def _text_of_head(table: Any, text: Callable[[Any, Any], str]) -> str:
    head = _section(table, "/THead")
    return "" if head is None else " ".join(text(head, head.P).split())


def join_fragments(
    root: Any,
    page_of: dict[tuple[int, int], int],
    text: Callable[[Any, Any], str],
    artifact: Artifact,
    moved: Moved,
) -> None:
    """Join the fragments of each table broken over pages (see the module)."""
    tables = [element for element in _elements(root) if role(element) == "/Table"]
    by_page: dict[int, list[Any]] = {}
    for table in tables:
        by_page.setdefault(page_of.get(table.Pg.objgen, -1), []).append(table)
    chain: Any = None
    last: Any = None  # the chain's latest fragment
    for table in tables:
        page = page_of.get(table.Pg.objgen, -1)
        if (
            chain is not None
            and page_of.get(last.Pg.objgen) == page - 1
            and by_page[page - 1][-1] is last
            and by_page[page][0] is table
            and _columns(table) == _columns(chain)
            and _text_of_head(chain, text) == _text_of_head(table, text)
        ):
            _absorb(chain, table, artifact, moved)
        else:
            chain = table
        last = table


def _same(kid: Any, element: Any) -> bool:
    return is_element(kid) and bool(kid.objgen == element.objgen)
