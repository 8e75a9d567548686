"""Every shipped workbook read back, page by page (issue #21): no page of a line or two, no
word cut across a page, no paragraph's last line alone at the top of a page, no heading
left at the bottom of one, no blank page; running text at a measure of about 70
characters, safety notes at body size and contrast, other languages marked as such, sets'
time budgets said right, short exercises on one page."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from generator.languages import detect_language
from generator.markup import typography
from generator.models import Content
from generator.pdf import build_pdfs, warn_long_handouts
from generator.validate import load_content
from tests.pdf.reading import HEADER, MM, Line, Page, exercise_spans, read_pages

pytestmark = pytest.mark.slow

REAL_CONTENT = Path(__file__).resolve().parents[2] / "workbook"
MIN_LINES = 4
HYPHENS = "-\u2010\u00ad"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Content, Path]:
    """Every workbook `workbook build` writes for the shipped content."""
    content = load_content(REAL_CONTENT)
    out = tmp_path_factory.mktemp("shipped")
    build_pdfs(content, out, jobs=min(2, os.cpu_count() or 1))
    return content, out


@pytest.fixture(scope="module")
def pages(shipped: tuple[Content, Path]) -> dict[str, list[Page]]:
    _, out = shipped
    return {str(path.relative_to(out)): read_pages(path) for path in sorted(out.rglob("*.pdf"))}


def _titles(content: Content) -> set[str]:
    return {
        typography(exercise.title.get(lang), lang)
        for bank in content.banks
        for exercise in bank.exercises
        for lang in content.languages
    }


def _one_page_exercises(content: Content, document: list[Page]) -> set[int]:
    return {first for first, last in exercise_spans(document, _titles(content)) if first == last}


def _pairs(pages: dict[str, list[Page]]) -> Iterator[tuple[str, Page, Page]]:
    for name, document in pages.items():
        for before, after in itertools.pairwise(document):
            yield name, before, after


def test_no_page_holds_only_a_line_or_two(
    shipped: tuple[Content, Path], pages: dict[str, list[Page]]
) -> None:
    content, _ = shipped
    thin = []
    for name, document in pages.items():
        alone = _one_page_exercises(content, document)
        for page in document:
            if len(page.lines) < MIN_LINES and page.number not in alone and not page.write_in:
                thin.append(f"{name} p. {page.number}: {[line.text for line in page.lines]}")
    assert thin == []


def test_no_page_is_blank_or_nearly_so(shipped: tuple[Content, Path]) -> None:
    """Each page rendered at low resolution (pdftoppm): ink in its body, not only stamps."""
    _, out = shipped
    blank = []
    for path in sorted(out.rglob("*.pdf")):
        result = subprocess.run(
            ["pdftoppm", "-r", "12", "-gray", str(path)], capture_output=True, check=True
        )
        for number, ink in enumerate(_body_ink(result.stdout), start=1):
            if ink < 0.004:
                blank.append(f"{path.relative_to(out)} p. {number}: {ink:.4f}")
    assert blank == []


def _body_ink(data: bytes) -> Iterator[float]:
    """Per page of pdftoppm's concatenated PGM images: the share of the body's pixels that
    hold ink (darker than light grey), the top and bottom margins left out."""
    position = 0
    while position < len(data):
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data[position:])
        assert header is not None
        width, height = int(header.group(1)), int(header.group(2))
        start = position + header.end()
        pixels = data[start : start + width * height]
        margin = round(height * HEADER / (297 * MM)) + 1
        body = pixels[margin * width : (height - margin) * width]
        yield sum(1 for value in body if value < 200) / max(1, len(body))
        position = start + width * height


def test_no_word_is_cut_across_a_page(pages: dict[str, list[Page]]) -> None:
    cut = [
        f"{name} p. {before.number}: {before.lines[-1].text!r} / {after.lines[0].text!r}"
        for name, before, after in _pairs(pages)
        if before.lines
        and after.lines
        and re.search(rf"\w[{HYPHENS}]$", before.lines[-1].text)
        and after.lines[0].text[:1].islower()
    ]
    assert cut == []
    # no automatic hyphenation anywhere (a line ending in U+2010 or a soft hyphen), and a
    # hyphen inside a word reads back as a hyphen-minus
    marks = [
        f"{name} p. {page.number}: {line.text!r}"
        for name, document in pages.items()
        for page in document
        for line in page.lines
        if "\u2010" in line.text or "\u00ad" in line.text
    ]
    assert marks == []


def _gap(upper: Line, lower: Line) -> float:
    """The white space between two lines (a paragraph's lines: about 4 pt; between
    paragraphs or blocks: 8 pt and more)."""
    return upper.bottom - lower.top


def test_a_paragraph_never_leaves_one_line_alone_across_a_page(
    pages: dict[str, list[Page]],
) -> None:
    """Widows and orphans: a paragraph going over to the next page leaves at least two lines
    on each side (the stylesheet asks for three)."""
    alone = []
    for name, before, after in _pairs(pages):
        if not before.lines or not after.lines or not after.lines[0].text[:1].islower():
            continue  # the next page does not go on with a paragraph
        top = after.lines
        if len(top) == 1 or _gap(top[0], top[1]) > 6:
            alone.append(f"{name} p. {after.number} starts with a lone {top[0].text!r}")
        bottom = before.lines
        if len(bottom) >= 2 and _gap(bottom[-2], bottom[-1]) > 6:
            alone.append(f"{name} p. {before.number} ends with a lone {bottom[-1].text!r}")
    assert alone == []


def test_headings_stay_with_what_follows(pages: dict[str, list[Page]]) -> None:
    left = [
        f"{name} p. {page.number}: {page.lines[-1].text!r}"
        for name, document in pages.items()
        for page in document[1:]
        if page.lines
        and re.fullmatch(r"[^\W\d_][^\d]*", page.lines[-1].text)  # words (not a URL's end)
        and page.lines[-1].text.isupper()
        and len(page.lines[-1].text) < 40
        and not page.write_in
    ]
    assert left == []


def test_running_text_keeps_a_measure_of_about_70_characters(
    shipped: tuple[Content, Path],
) -> None:
    _, out = shipped
    for lang in ("fr", "en"):
        lengths = []
        with pdfplumber.open(out / f"pdf/{lang}/bank-self-awareness-participant.pdf") as pdf:
            for page in pdf.pages[2:]:
                for line in page.extract_text_lines():
                    chars = line["chars"]
                    if all(_running(char) for char in chars[:3]):
                        lengths.append(len(line["text"]))
        lengths.sort()
        longest = lengths[int(0.9 * len(lengths))]  # a full line (the 90th percentile)
        assert 60 <= longest <= 78, (lang, longest)


def _running(char: dict[str, object]) -> bool:
    """A character of running text: the body's size, in the serif regular face."""
    name = str(char["fontname"])
    size = float(str(char["size"]))
    return abs(size - 9.5) < 0.05 and "Serif" in name and "Bold" not in name


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_safety_notes_at_body_size_and_contrast(shipped: tuple[Content, Path]) -> None:
    content, out = shipped
    bank = content.bank("self-awareness")
    with pdfplumber.open(out / "pdf/fr/bank-self-awareness-participant.pdf") as pdf:
        for exercise in bank.exercises:
            words = " ".join(typography(exercise.safety.get("fr"), "fr").split()[:2])
            found = [match for page in pdf.pages for match in page.search(words, regex=False)]
            assert found, words
            for char in found[0]["chars"]:
                assert char["size"] >= 9.5 - 0.01, words
                colour = tuple(char["non_stroking_color"] or (0, 0, 0))
                rgb = colour * 3 if len(colour) == 1 else colour
                assert (1.05) / (_luminance(rgb) + 0.05) >= 4.5, (words, rgb)


def _languages(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        found = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/Lang" in node and node.get("/Type") == "/StructElem":
                    found.append(str(node.Lang))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])  # type: ignore[list-item]
        return found


def test_titles_in_another_language_are_marked_with_it(shipped: tuple[Content, Path]) -> None:
    content, out = shipped
    every = {lang: 0 for lang in ("fr", "en")}
    for source in content.sources.values():
        lang = detect_language(source.title)
        if lang in every:
            every[lang] += 1
    assert every["en"] > 50 and every["fr"] > 5
    for document, other in (("fr", "en"), ("en", "fr")):
        marks = _languages(out / f"pdf/{document}/workbook-participant.pdf")
        assert marks.count(other) >= every[other], document
        assert document not in marks


def test_sets_say_their_time_budget_right(
    shipped: tuple[Content, Path], pages: dict[str, list[Page]]
) -> None:
    content, _ = shipped
    for exercise_set in content.sets:
        text = " ".join(
            line.text
            for page in pages[f"pdf/fr/set-{exercise_set.id}-participant.pdf"][:4]
            for line in page.lines
        )
        assert re.search(rf"Durée prévue ?{exercise_set.minutes} min, dont \d+ min", text)
        assert "prévues)" not in text


def test_debriefs_are_headed_for_the_format(
    shipped: tuple[Content, Path], pages: dict[str, list[Page]]
) -> None:
    content, _ = shipped
    for exercise in (e for bank in content.banks for e in bank.exercises):
        text = " ".join(
            line.text
            for page in pages[f"pdf/fr/exercise-{exercise.id}-participant.pdf"]
            for line in page.lines
        ).replace(" ", "")
        in_group = "RETOURENGROUPE" in text
        assert in_group == (exercise.format.value == "group"), exercise.id


def test_short_exercises_fit_one_page(
    shipped: tuple[Content, Path], pages: dict[str, list[Page]]
) -> None:
    """Every shipped short exercise (``Exercise.short``: a quarter of an hour, at most three
    prompts) prints on one page in its participant handout, in every language (2 of 30 did
    before issue #21), and the build that wrote them warned about none."""
    content, out = shipped
    short = [e.id for bank in content.banks for e in bank.exercises if e.short]
    assert len(short) >= 30
    longer = [
        f"{lang}: {i} ({len(pages[f'pdf/{lang}/exercise-{i}-participant.pdf'])} pages)"
        for lang in content.languages
        for i in short
        if len(pages[f"pdf/{lang}/exercise-{i}-participant.pdf"]) != 1
    ]
    assert longer == []
    assert warn_long_handouts(content, out) == []
