"""build_pdfs: every catalog target written, in parallel; one real bank read back."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from generator.markup import typography
from generator.models import Content
from generator.pdf import build_pdfs, print_pdf
from generator.pdf.catalog import pdf_targets
from generator.pdf.document import PrintOptions
from generator.pdf.selection import bank_plan
from generator.validate import load_content
from tests.pdf.conftest import outline, page_texts, toc_entries

REAL_CONTENT = Path(__file__).resolve().parents[2] / "workbook"


def test_build_writes_every_catalog_target(small: Content, tmp_path: Path) -> None:
    written, cached = build_pdfs(small, tmp_path, jobs=2)
    assert cached == []
    expected = sorted(target.path for target in pdf_targets(small))
    assert sorted(written) == expected
    assert len(expected) == 28  # (2 banks + 1 set + all + 3 handouts) x 2 languages x 2 editions
    found = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.pdf"))
    assert found == expected
    for path in found:
        assert (tmp_path / path).read_bytes().startswith(b"%PDF-1.7")
    english = pikepdf.open(tmp_path / "pdf/en/bank-alpha-facilitator.pdf")
    assert english.Root.Lang == "en"
    assert str(english.docinfo.Title) == "Bank — Facilitator edition"


def test_parallel_and_serial_builds_are_identical(
    small: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    serial = tmp_path / "serial"
    build_pdfs(small, serial, jobs=1)
    parallel = tmp_path / "parallel"
    for path in build_pdfs(small, parallel, jobs=2)[0]:
        assert (serial / path).read_bytes() == (parallel / path).read_bytes()


def test_a_real_bank(tmp_path: Path) -> None:
    """The shipped content's first bank: TOC, outline, fonts and qpdf on a real workbook."""
    content = load_content(REAL_CONTENT)
    bank = content.banks[0]
    data = print_pdf(content, bank_plan(content, bank.id), PrintOptions(lang="fr"))
    texts = page_texts(data)
    marks = [(title, page) for level, title, page in outline(data) if level == 2]
    assert [title for title, _ in marks] == [
        typography(exercise.title.get("fr"), "fr") for exercise in bank.exercises
    ]
    toc_pages = [page for number, _, page in toc_entries("\n".join(texts[1:3])) if number]
    assert toc_pages == [page for _, page in marks]
    for _, page in marks:
        assert texts[page - 1].splitlines()[1] == typography(bank.title.get("fr"), "fr").upper()
    pdf = pikepdf.open(io.BytesIO(data))
    for sheet in pdf.pages:
        for font in sheet.Resources.Font.values():
            assert "/FontFile2" in font.DescendantFonts[0].FontDescriptor
    if shutil.which("qpdf"):
        path = tmp_path / "bank.pdf"
        path.write_bytes(data)
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
