"""What a workbook would weigh typeset as one document: the yardstick of the merged file's size.

A workbook is typeset as parts and merged (pipeline.py); the same content typeset by one
WeasyPrint render, every part's body in one HTML document under the cover's head, is what
its size is held against (benchmarks/run.py, figure h, and the tests): merging may cost a
little (one structure tree and outline per part, the stamps, the metadata), not the fonts
of every part again.
"""

from __future__ import annotations

import re

from generator.models import Content
from generator.pdf.document import PrintOptions
from generator.pdf.parts import contents_part, start_pages, workbook_layout
from generator.pdf.render import render_pdf
from generator.pdf.selection import DocumentPlan

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)


def single_document_html(content: Content, plan: DocumentPlan, options: PrintOptions) -> str:
    """The whole workbook as one HTML document: cover, contents, sections, exercises and
    bibliography, each part's body in order, links between parts made internal."""
    layout = workbook_layout(content, plan, options, "single")
    counts = {part.key: 1 for part in (layout.cover, *layout.body)}
    contents = contents_part(content, layout, start_pages(layout, counts, 1), "single")
    parts = [layout.cover, contents, *layout.body]
    first = parts[0].html
    opening = first[: first.index("<body")]
    tag = re.search(r"<body[^>]*>", first)
    assert tag is not None
    bodies = []
    for part in parts:
        found = _BODY.search(part.html)
        assert found is not None
        bodies.append(found.group(1))
    html = opening + tag.group(0) + "\n".join(bodies) + "</body>\n</html>\n"
    return html.replace('href="wb:', 'href="#')


def single_document_bytes(content: Content, plan: DocumentPlan, options: PrintOptions) -> int:
    """The bytes of the workbook typeset as one document (tagged, like the parts)."""
    html = single_document_html(content, plan, options)
    data = render_pdf(html, fillable=options.fillable, identifier=b"alliance-workbook-single")
    return len(data)
