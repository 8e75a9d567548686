"""Fonts subset once per workbook (issue #21 A): one program per face, each with a tag of
its own (ISO 32000-1 §9.6.4), a merged workbook hardly bigger than the same content typeset
as one document, and text that still reads back."""

from __future__ import annotations

import datetime
import io

import pikepdf
import pypdf
import pytest

from generator.models import Content
from generator.pdf import print_pdf
from generator.pdf.document import PrintOptions
from generator.pdf.fonts import subset_once
from generator.pdf.measure import single_document_bytes
from generator.pdf.render import render_pdf
from generator.pdf.selection import all_plan, bank_plan
from tests.pdf.conftest import LONG_FR, page_texts
from tests.pdf.uacheck import subset_faces, subset_tags

DAY = datetime.date(2023, 11, 14)
MAX_RATIO = 1.15
"""Merged bytes / the same content typeset as one document (README, figure h)."""


@pytest.fixture(scope="module")
def bank(rich: Content) -> bytes:
    return print_pdf(rich, bank_plan(rich, "alpha"), PrintOptions(lang="fr", date=DAY))


def test_each_face_is_embedded_once_with_a_tag_of_its_own(bank: bytes, rich: Content) -> None:
    options = PrintOptions(lang="en", edition="facilitator", fillable=True, date=DAY)
    for data in (bank, print_pdf(rich, all_plan(rich), options)):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            faces = subset_faces(pdf)
            assert faces and set(faces.values()) == {1}, faces
            tags = subset_tags(pdf)
            assert len(tags) == len(set(tags)) == len(faces)
            programs = {
                font.DescendantFonts[0].FontDescriptor.FontFile2.objgen
                for page in pdf.pages
                for font in page.Resources.Font.values()
            }
            assert len(programs) == len(faces)


def test_merged_workbook_is_about_the_size_of_one_document(bank: bytes, rich: Content) -> None:
    single = single_document_bytes(
        rich, bank_plan(rich, "alpha"), PrintOptions(lang="fr", date=DAY)
    )
    assert len(bank) / single <= MAX_RATIO, (len(bank), single)


def test_text_reads_back(bank: bytes) -> None:
    """The merged fonts' maps give the words back, with pypdf and with pdfplumber."""
    readers = [
        "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(bank)).pages),
        "\n".join(page_texts(bank)),
    ]
    for text in readers:
        assert "\u2010" not in text
        joined = " ".join(text.replace("\u00ad\n", "").split()).replace("\u202f", " ")
        assert "Écoute « à voix haute »" in joined and "Œuvre commune et façons" in joined
        assert "Qu’avez-vous remarqué ?" in joined


def test_line_break_hyphens_are_soft() -> None:
    """A hyphen the layout adds (``hyphens: auto``; U+2010 to WeasyPrint) reads back as
    U+00AD (ISO 32000-1 §14.8.2.2.3), never as a hard hyphen inside a word: without it, the
    words read back whole."""
    html = (
        '<html lang="fr"><head><style>@font-face { font-family: W; '
        "src: url(fonts/DejaVuSerif.ttf); } p { font: 10pt W; width: 45mm; hyphens: auto; }"
        f"</style></head><body><p>{LONG_FR * 2}</p></body></html>"
    )
    data = render_pdf(html, fillable=False, identifier=b"hyphens")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        subset_once(pdf)
        out = io.BytesIO()
        pdf.save(out)
    merged = out.getvalue()
    readers = [
        "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(merged)).pages),
        "\n".join(page_texts(merged)),
    ]
    for text in readers:
        assert "\u2010" not in text
        assert "\u00ad" in text  # hyphenated, in so narrow a column
        joined = " ".join(text.replace("\u00ad\n", "").replace("\u00ad", "").split())
        assert " ".join(LONG_FR.split()) in joined


def test_single_document_html_holds_every_part(rich: Content) -> None:
    from generator.pdf.measure import single_document_html

    plan = bank_plan(rich, "alpha")
    html = single_document_html(rich, plan, PrintOptions(lang="fr", date=DAY))
    assert html.count("<body") == 1 and 'href="wb:' not in html
    assert all(f'id="{item.anchor}"' in html for item in plan.exercises)
