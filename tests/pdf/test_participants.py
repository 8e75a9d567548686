"""Names files and form fields: names split on line breaks only, invisible or control names
refused at their line, bidi controls unable to reorder a name; a fillable set that lists an
exercise twice has distinct field names."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import ContentErrors
from generator.pdf.command import read_names
from generator.pdf.document import distinct_field_names
from tests.pdf.conftest import page_texts, small_content

FSI, PDI = "\u2068", "\u2069"


def _names(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "names.txt"
    path.write_bytes(text.encode("utf-8"))
    return read_names(path)


def test_names_split_on_line_breaks_only(tmp_path: Path) -> None:
    text = "Marie\vCurie\r\nAda\fLovelace\u2028King\x85\n\n  Jean   Moulin  \n"
    assert _names(tmp_path, text) == [
        f"{FSI}Marie Curie{PDI}",
        f"{FSI}Ada Lovelace King{PDI}",
        f"{FSI}Jean Moulin{PDI}",
    ]


def test_bidi_controls_are_removed_and_the_name_isolated(tmp_path: Path) -> None:
    assert _names(tmp_path, "Ann\u202eabc\u202c\n\u2067Zoé\u2069 \u200fB\n") == [
        f"{FSI}Annabc{PDI}",
        f"{FSI}Zoé B{PDI}",
    ]


def test_invisible_and_control_names_are_refused_at_their_line(tmp_path: Path) -> None:
    text = "Alice\n\u200b\u200d\u2060\nBob\x1b[2J\n\u202e\u00a0\n" + "x" * 121 + "\n"
    with pytest.raises(ContentErrors) as raised:
        _names(tmp_path, text)
    assert [(error.line, error.col, error.message) for error in raised.value.errors] == [
        (
            2,
            1,
            "this name has no visible character (\\u200b\\u200d\\u2060): write the name or "
            "delete the line",
        ),
        (3, 1, "this name holds a control character (Bob\\x1b[2J): remove it"),
        (5, 1, "this name is longer than 120 characters (got 121): shorten it"),
    ]


def test_field_names_are_distinct_for_repeats() -> None:
    names = ["a.1", "a.2", "b.1", "a.1", "a.2", "a.1"]
    assert distinct_field_names(names) == ["a.1", "a.2", "b.1", "a.1-2", "a.2-2", "a.1-3"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    small_content(tmp_path / "content")
    (tmp_path / "twice.yml").write_text(
        "id: twice\ntitle: {fr: Deux fois, en: Twice}\naudience: {fr: Tous, en: All}\n"
        "minutes: 60\nexercises:\n  - id: oeuvre\n  - id: deja\n  - id: oeuvre\n",
        encoding="utf-8",
    )
    return tmp_path


def test_an_exercise_listed_twice_has_its_own_fields(folder: Path) -> None:
    result = CliRunner().invoke(
        cli, ["pdf", "--content", "content", "--set", "twice.yml", "--fillable", "--out", "t.pdf"]
    )
    assert result.exit_code == 0, result.output
    fields = pypdf.PdfReader(io.BytesIO(Path("t.pdf").read_bytes())).get_fields() or {}
    assert sorted(fields) == ["deja.1", "oeuvre.1", "oeuvre.1-2"]


def test_an_override_prints_the_same_name_on_cover_and_footer(folder: Path) -> None:
    (folder / "names.txt").write_text("Ann\u202eabc\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "pdf",
            "--content",
            "content",
            "--set",
            "twice.yml",
            "--participants",
            "names.txt",
            "--out",
            "handouts",
        ],
    )
    assert result.exit_code == 0, result.output
    texts = page_texts((folder / "handouts" / "annabc.pdf").read_bytes())
    cover = [line for line in texts[0].splitlines() if "Ann" in line]
    footer = texts[2].splitlines()[-1]
    assert [line.strip(FSI + PDI) for line in cover] == ["Annabc"]
    assert footer.strip(FSI + PDI).startswith("Annabc page 3 /")
