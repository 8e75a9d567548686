"""`workbook pdf --out`: files only; a folder is never replaced, and a wrong --out is refused
before any typesetting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import generator.pdf
from generator.cli import cli
from tests.pdf.conftest import small_content


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small content at ./content; typesetting fails the test if it ever starts."""
    monkeypatch.chdir(tmp_path)
    small_content(tmp_path / "content")
    (tmp_path / "names.txt").write_text("Élodie\nSam\n", encoding="utf-8")

    def never(*_: Any, **__: Any) -> None:
        raise AssertionError("typesetting started")

    monkeypatch.setattr(generator.pdf, "produce", never)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["pdf", "--content", "content", *args])
    return result.exit_code, result.output


def test_participants_with_out_naming_a_file_is_refused(folder: Path) -> None:
    (folder / "handouts").write_text("my notes\n", encoding="utf-8")
    code, output = run("--set", "session", "--participants", "names.txt", "--out", "handouts")
    assert (code, output) == (
        1,
        "error: --out handouts is a file: with --participants, --out is the folder the PDFs "
        "go into\n",
    )
    assert (folder / "handouts").read_text(encoding="utf-8") == "my notes\n"


def test_participant_pdf_that_is_a_folder_is_refused(folder: Path) -> None:
    (folder / "handouts" / "sam.pdf").mkdir(parents=True)
    (folder / "handouts" / "sam.pdf" / "keep.txt").write_text("kept\n", encoding="utf-8")
    code, output = run("--set", "session", "--participants", "names.txt", "--out", "handouts")
    assert (code, output) == (
        1,
        "error: handouts/sam.pdf is a folder: choose a file name for the PDF\n",
    )
    assert (folder / "handouts" / "sam.pdf" / "keep.txt").read_text(encoding="utf-8") == "kept\n"


def test_pdf_inside_a_folder_that_holds_a_folder_of_its_name_is_refused(folder: Path) -> None:
    (folder / "out" / "alpha.pdf").mkdir(parents=True)
    code, output = run("--bank", "alpha", "--out", "out")
    assert (code, output) == (
        1,
        "error: out/alpha.pdf is a folder: choose a file name for the PDF\n",
    )
    assert [path.name for path in (folder / "out").iterdir()] == ["alpha.pdf"]
    assert (folder / "out" / "alpha.pdf").is_dir()


def test_pdf_under_a_file_is_refused(folder: Path) -> None:
    (folder / "notes.txt").write_text("my notes\n", encoding="utf-8")
    code, output = run("--bank", "alpha", "--out", "notes.txt/alpha.pdf")
    assert (code, output) == (1, "error: cannot write notes.txt/alpha.pdf: notes.txt is a file\n")
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "my notes\n"
