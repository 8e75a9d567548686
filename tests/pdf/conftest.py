"""Small content folders for the PDF tests, and helpers to read PDFs back."""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.models import Content
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content

TITLES = {
    "ecoute": ("Écoute « à voix haute »", "Listening out loud"),
    "oeuvre": ("Œuvre commune et façons de faire", "Shared work"),
    "deja": ("Déjà là : ce qui reste", "Already there"),
}


def small_content(root: Path) -> Path:
    """Two banks, three exercises with French accents in their titles, one set."""
    alpha = bank_yaml(
        "alpha",
        [
            exercise_yaml("ecoute", title_fr=TITLES["ecoute"][0], title_en=TITLES["ecoute"][1]),
            exercise_yaml("oeuvre", title_fr=TITLES["oeuvre"][0], title_en=TITLES["oeuvre"][1]),
        ],
    )
    beta = bank_yaml(
        "beta", [exercise_yaml("deja", title_fr=TITLES["deja"][0], title_en=TITLES["deja"][1])]
    ).replace("{fr: Banque, en: Bank}", "{fr: Deuxième banque, en: Second bank}")
    session = (
        "id: session\n"
        "title: {fr: Séance du mardi, en: Tuesday session}\n"
        "audience: {fr: Équipe, en: Team}\n"
        "minutes: 60\n"
        "exercises:\n"
        "  - id: deja\n"
        "    note: {fr: Commencer doucement., en: Start gently.}\n"
        "  - break: 5\n"
        "    note: {fr: Café., en: Coffee.}\n"
        "  - id: ecoute\n"
    )
    return write_content(root, banks={"alpha": alpha, "beta": beta}, sets={"session": session})


@contextlib.contextmanager
def workbook_log(
    handled: int, shown: int, keep: Callable[[logging.LogRecord], Any]
) -> Iterator[list[Any]]:
    """``keep(record)`` of each workbook-logger record at ``handled`` or above (None: dropped),
    the logger showing ``shown`` and above meanwhile. The list grows as records come. (The
    logger may not propagate to the root logger, so caplog would miss them.)"""
    kept: list[Any] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            item = keep(record)
            if item is not None:
                kept.append(item)

    logger = logging.getLogger("workbook")
    handler, level = Collect(handled), logger.level
    logger.addHandler(handler)
    logger.setLevel(shown)
    try:
        yield kept
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


LONG_FR = (
    "Les représentations professionnelles s’entrecroisent considérablement avec "
    "l’intersubjectivité thérapeutique, particulièrement lorsque l’accompagnement "
    "interdisciplinaire réinterroge systématiquement les vulnérabilités institutionnelles. "
)
RICH_PURPOSE = (
    'purpose: {fr: "' + LONG_FR * 4 + "Voir [la fiche](https://example.org/fiche-longue)."
    '\\n\\n- premier point\\n- second point", en: "Purpose, see [the sheet](https://example.org/a)."}'
)
SOURCE_WITH_DOI = """\
  - id: safran-2011
    authors: ["Safran, J. D.", "Muran, J. C."]
    year: 2011
    title: Repairing alliance ruptures
    container: Psychotherapy, 48(1), 80–87
    doi: 10.1037/a0022140
"""


def rich_content(root: Path) -> Path:
    """The small content, with a long French paragraph (hyphenated), links, a list and a
    source with a DOI (a link in the bibliography)."""
    small_content(root)
    bank = root / "banks" / "alpha.yml"
    text = bank.read_text(encoding="utf-8")
    text = text.replace("purpose: {fr: But., en: Purpose.}", RICH_PURPOSE, 1)
    text = text.replace("sources: [bordin-1979]", "sources: [bordin-1979, safran-2011]", 1)
    bank.write_text(text, encoding="utf-8")
    sources = root / "sources.yml"
    sources.write_text(sources.read_text(encoding="utf-8") + SOURCE_WITH_DOI, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(rich_content(tmp_path_factory.mktemp("rich") / "content"))


def _typeset_part(record: logging.LogRecord) -> tuple[str, str] | None:
    if not str(record.msg).startswith("typeset %s part"):
        return None
    return str(record.args[0]), str(record.args[1])  # type: ignore[index]


@pytest.fixture
def typeset() -> Iterator[list[tuple[str, str]]]:
    """(kind, anchor) of every part typeset, from the workbook logger's debug records."""
    with workbook_log(logging.DEBUG, logging.DEBUG, _typeset_part) as found:
        yield found


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(small_content(tmp_path_factory.mktemp("small") / "content"))


def page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [page.extract_text() or "" for page in document.pages]


def outline(data: bytes) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every bookmark, in order."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                number = reader.get_destination_page_number(item)
                assert number is not None, item
                found.append((level, str(item.title), number + 1))

    walk(reader.outline, 1)
    return found


TOC_LINE = re.compile(r"^(?:(\d+)\s*)?(.+?)\s*\.{2,}\s*(\d+)$")


def toc_entries(text: str) -> list[tuple[str | None, str, int]]:
    """(number, title, page) of every line of a contents page."""
    entries = []
    for line in text.splitlines():
        match = TOC_LINE.match(line.strip())
        if match:
            entries.append((match.group(1), match.group(2).strip(), int(match.group(3))))
    return entries


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder for a `workbook pdf` run: the small content in ./content, dates
    fixed by SOURCE_DATE_EPOCH."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    small_content(tmp_path / "content")
    return tmp_path


def run_pdf(*args: str) -> tuple[int, str]:
    """`workbook pdf --content content ARGS…`: its exit code and output."""
    result = CliRunner().invoke(cli, ["pdf", "--content", "content", *args])
    return result.exit_code, result.output
