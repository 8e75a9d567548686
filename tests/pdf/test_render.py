"""Render small workbooks and read them back: structure, fields, editions, fonts, qpdf."""

from __future__ import annotations

import datetime
import io
import logging
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest

from generator.models import Content
from generator.pdf import print_pdf
from generator.pdf.document import PrintOptions
from generator.pdf.selection import all_plan, bank_plan, set_plan
from tests.pdf.conftest import TITLES, outline, page_texts, toc_entries

DAY = datetime.date(2023, 11, 14)


@pytest.fixture(scope="module")
def participant(small: Content) -> bytes:
    return print_pdf(small, all_plan(small), PrintOptions(lang="fr", date=DAY))


@pytest.fixture(scope="module")
def facilitator(small: Content) -> bytes:
    options = PrintOptions(lang="fr", edition="facilitator", fillable=True, date=DAY)
    return print_pdf(small, all_plan(small), options)


def test_page_count_cover_toc_sections_exercises_bibliography(participant: bytes) -> None:
    # cover, contents, 2 bank pages, 3 exercises (one page each), bibliography
    assert len(pypdf.PdfReader(io.BytesIO(participant)).pages) == 8


def test_toc_lists_every_exercise_with_the_page_it_starts_on(participant: bytes) -> None:
    texts = page_texts(participant)
    entries = toc_entries(texts[1])
    exercises = [(number, title, page) for number, title, page in entries if number]
    assert [(number, title) for number, title, _ in exercises] == [
        ("1", "Écoute « à voix haute »"),
        ("2", "Œuvre commune et façons de faire"),
        ("3", "Déjà là : ce qui reste"),
    ]
    assert [page for *_, page in exercises] == [4, 5, 7]
    for number, title, page in exercises:
        lines = texts[page - 1].splitlines()
        bank = "BANQUE" if number != "3" else "DEUXIÈME BANQUE"
        assert lines[1] == bank  # the bank, not a number: the part is shared between workbooks
        assert lines[2] == title
    sections = [(title, page) for number, title, page in entries if not number]
    assert sections == [("Banque", 3), ("Deuxième banque", 6), ("Bibliographie", 8)]
    assert texts[7].splitlines()[1] == "Bibliographie"


def test_outline_has_banks_and_exercises_at_their_pages(participant: bytes) -> None:
    nnbsp = "\u202f"
    assert outline(participant) == [
        (1, "Sommaire", 2),
        (1, "Banque", 3),
        (2, f"Écoute «{nnbsp}à voix haute{nnbsp}»", 4),
        (2, "Œuvre commune et façons de faire", 5),
        (1, "Deuxième banque", 6),
        (2, f"Déjà là{nnbsp}: ce qui reste", 7),
        (1, "Bibliographie", 8),
    ]


def test_english_outline(small: Content) -> None:
    data = print_pdf(small, bank_plan(small, "alpha"), PrintOptions(lang="en", date=DAY))
    assert [title for _, title, _ in outline(data)] == [
        "Contents",
        "Bank",
        TITLES["ecoute"][1],
        TITLES["oeuvre"][1],
        "Bibliography",
    ]
    assert pikepdf.open(io.BytesIO(data)).Root.Lang == "en"


def test_french_characters_extract_exactly(participant: bytes) -> None:
    pages = pypdf.PdfReader(io.BytesIO(participant)).pages
    text = "\n".join(page.extract_text() for page in pages)
    for expected in (
        "Écoute «\u202fà voix haute\u202f»",
        "Œuvre commune et façons",
        "Déjà là\u202f:",
        "Qu’avez-vous remarqué\u202f?",
        "Cœur de séance",
        "Écrivez.",
    ):
        assert expected in text


def test_every_font_is_embedded_and_ours(participant: bytes, facilitator: bytes) -> None:
    for data in (participant, facilitator):
        pdf = pikepdf.open(io.BytesIO(data))
        names = set()
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor
                names.add(str(font.BaseFont).split("+", 1)[1])
        assert names <= {
            "Workbook-Serif",
            "Workbook-Serif-Bold",
            "Workbook-Serif-Italic",
            "Workbook-Sans",
            "Workbook-Sans-Bold",
        }
        assert {"Workbook-Serif", "Workbook-Sans-Bold"} <= names


def test_fillable_has_one_named_field_per_prompt(small: Content, facilitator: bytes) -> None:
    fields = pypdf.PdfReader(io.BytesIO(facilitator)).get_fields() or {}
    expected = [
        f"{ref.exercise.id}.{number}"
        for ref in small.exercises.values()
        for number, _ in enumerate(ref.exercise.prompts, start=1)
    ]
    assert sorted(fields) == sorted(expected)
    assert all(field["/FT"] == "/Tx" for field in fields.values())


def test_not_fillable_has_no_form(participant: bytes) -> None:
    assert pypdf.PdfReader(io.BytesIO(participant)).get_fields() is None


def test_facilitator_notes_only_in_the_facilitator_edition(
    small: Content, participant: bytes, facilitator: bytes
) -> None:
    quiet, marked = "\n".join(page_texts(participant)), "\n".join(page_texts(facilitator))
    for text in ("POUR L’ANIMATEUR", "Conduite de l’exercice", "Notes.", "Minutage"):
        assert text not in quiet
        assert text in marked
    for text in ("Relisez.", "En ligne."):  # debrief and adaptations serve participants too
        assert text in quiet
        assert text in marked
    assert marked.count("ANIMATEUR\n") >= 3  # the badge on each exercise


def test_set_workbook_has_a_session_plan(small: Content) -> None:
    data = print_pdf(small, set_plan(small, small.sets[0]), PrintOptions(lang="fr", date=DAY))
    texts = page_texts(data)
    plan = texts[2]
    assert "Plan de séance" in plan
    assert "0:00 1 Déjà là : ce qui reste 10 min" in plan
    assert "Commencer doucement." in plan
    assert "0:10 Pause 5 min" in plan and "Café." in plan
    assert "0:15 2 Écoute « à voix haute » 10 min" in plan
    assert texts[3].startswith("Séance du mardi")  # running header: the set's title


def test_cover_shows_edition_date_and_participant(small: Content) -> None:
    options = PrintOptions(lang="fr", participant="Élodie Martin", date=DAY)
    texts = page_texts(print_pdf(small, bank_plan(small, "beta"), options))
    assert "ÉDITION PARTICIPANT" in texts[0]
    assert "14 novembre 2023" in texts[0]
    assert "1 exercice\n" in texts[0]
    assert "Élodie Martin" in texts[0].splitlines()
    assert texts[2].splitlines()[-1] == "Élodie Martin page 3 / 5"


def test_letter_paper(small: Content) -> None:
    data = print_pdf(small, bank_plan(small, "beta"), PrintOptions(paper="letter", date=DAY))
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_metadata_and_tags(participant: bytes) -> None:
    pdf = pikepdf.open(io.BytesIO(participant))
    info = pdf.docinfo
    assert str(info.Title) == "Cahier — Édition participant"
    assert str(info.Author) == "Test author"
    assert str(info.Subject) == "Sous-titre"
    assert str(info.CreationDate).startswith("D:20231114")
    assert pdf.Root.Lang == "fr"
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert "/StructTreeRoot" in pdf.Root
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
    assert pdf.Root.PageMode == "/UseOutlines"


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_check_is_clean(participant: bytes, facilitator: bytes, tmp_path: Path) -> None:
    for name, data in (("participant", participant), ("facilitator", facilitator)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert b"No syntax or stream encoding errors" in result.stdout


def test_same_input_gives_identical_bytes(small: Content, participant: bytes) -> None:
    again = print_pdf(small, all_plan(small), PrintOptions(lang="fr", date=DAY))
    assert again == participant
    other_day = print_pdf(
        small, all_plan(small), PrintOptions(lang="fr", date=DAY + datetime.timedelta(days=1))
    )
    assert other_day != participant


def test_the_engine_has_nothing_to_complain_about(small: Content) -> None:
    """No CSS the engine ignores, no missing resource, no layout problem."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    engine, handler = logging.getLogger("weasyprint"), Collect(logging.WARNING)
    level = engine.level
    engine.addHandler(handler)
    engine.setLevel(logging.WARNING)
    try:
        options = PrintOptions(edition="facilitator", fillable=True, date=DAY)
        print_pdf(small, set_plan(small, small.sets[0]), options)
    finally:
        engine.removeHandler(handler)
        engine.setLevel(level)
    assert [record.getMessage() for record in records] == []


def test_running_header_and_footer_on_every_page_but_the_cover(participant: bytes) -> None:
    texts = page_texts(participant)
    assert "page" not in texts[0]
    headers = [
        "Cahier",
        "Banque",
        "Banque",
        "Banque",
        "Deuxième banque",
        "Deuxième banque",
        "Bibliographie",
    ]
    for number, (text, header) in enumerate(zip(texts[1:], headers, strict=True), start=2):
        lines = text.splitlines()
        assert lines[0] == f"{header} ÉDITION PARTICIPANT"
        assert lines[-1] == f"page {number} / {len(texts)}"


def test_structure_tree_is_well_formed(facilitator: bytes) -> None:
    """One /Document; every page and annotation keyed in the ParentTree; every element's
    parent is the element that lists it; marked content points at its own page."""
    pdf = pikepdf.open(io.BytesIO(facilitator))
    root = pdf.Root.StructTreeRoot
    assert len(root.K) == 1 and root.K[0].S == "/Document"
    nums = root.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert len(tree) == len(nums) // 2
    assert int(root.ParentTreeNextKey) == max(tree) + 1
    for index, page in enumerate(pdf.pages):
        assert int(page.obj.StructParents) == index
        for element in tree[index]:
            if element is not None and "/Pg" in element:
                assert element.Pg.objgen == page.obj.objgen
        for annot in page.obj.get("/Annots", []):
            if "/StructParent" in annot:
                assert tree[int(annot.StructParent)].get("/S") is not None
    widgets = [a for p in pdf.pages for a in p.obj.get("/Annots", []) if a.Subtype == "/Widget"]
    assert widgets and all("/StructParent" in widget for widget in widgets)

    def walk(element: Any, parent: Any) -> int:
        assert element.P.objgen == parent.objgen
        found = element.get("/K")
        kids: list[Any] = list(found) if isinstance(found, pikepdf.Array) else [found]
        return 1 + sum(
            walk(kid, element)
            for kid in kids
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid
        )

    assert walk(root.K[0], root) > 50
    links = [a for p in pdf.pages for a in p.obj.get("/Annots", []) if a.Subtype == "/Link"]
    names = {str(name) for name in pdf.Root.Names.Dests.Names[::2]}
    assert links and all(str(link.Dest) in names for link in links)  # contents → exercises


def test_one_font_configuration_serves_every_part_alike(small: Content) -> None:
    """Parts share the process's font configuration (a new one per part leaks memory):
    a part typeset after others, fillable ones included, comes out byte for byte the same."""
    from generator.pdf import render
    from generator.pdf.parts import workbook_layout

    layout = workbook_layout(small, all_plan(small), PrintOptions(lang="fr", date=DAY), "t")
    first = render.render_part(layout.body[1].html, fillable=False)
    render.render_part(layout.body[2].html, fillable=True)
    render.render_part(layout.cover.html, fillable=False)
    assert render.render_part(layout.body[1].html, fillable=False) == first
    assert render._fonts() is render._fonts()
