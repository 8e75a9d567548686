"""`workbook pdf` through CliRunner: selections, set files, participants, errors."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.pdf.command import participant_files, slugify
from tests.pdf.conftest import outline, page_texts
from tests.pdf.conftest import run_pdf as run

SET_FILE = """\
id: my-session
title: {fr: Ma séance, en: My session}
audience: {fr: Équipe, en: Team}
minutes: 45
exercises:
  - id: oeuvre
  - break: 5
  - id: deja
"""


def test_bank_in_english_facilitator_fillable_letter(folder: Path) -> None:
    code, output = run(
        "--bank",
        "alpha",
        "--lang",
        "en",
        "--edition",
        "facilitator",
        "--fillable",
        "--paper",
        "letter",
        "--out",
        "alpha.pdf",
    )
    assert (code, output) == (0, "wrote alpha.pdf\n")
    data = (folder / "alpha.pdf").read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.get_fields() or {}) == 2
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612)
    assert "FACILITATOR EDITION" in page_texts(data)[0]


def test_two_runs_with_source_date_epoch_are_byte_identical(folder: Path) -> None:
    assert run("--all", "--out", "one.pdf")[0] == 0
    assert run("--all", "--out", "two.pdf")[0] == 0
    one = (folder / "one.pdf").read_bytes()
    assert one == (folder / "two.pdf").read_bytes()
    assert "14 novembre 2023" in page_texts(one)[0]


def test_set_file_from_outside_the_content_folder(folder: Path) -> None:
    downloads = folder / "downloads"
    downloads.mkdir()
    (downloads / "ma séance (1).yml").write_text(SET_FILE, encoding="utf-8")
    code, output = run("--set", "downloads/ma séance (1).yml", "--out", "set.pdf")
    assert (code, output) == (0, "wrote set.pdf\n")
    data = (folder / "set.pdf").read_bytes()
    assert [title for level, title, _ in outline(data) if level == 1] == [
        "Sommaire",
        "Ma séance",
        "Bibliographie",
    ]
    assert "0:10 Pause 5 min" in page_texts(data)[2]


def test_set_by_id_of_the_content(folder: Path) -> None:
    code, _ = run("--set", "session", "--out", "session.pdf")
    assert code == 0
    assert "Séance du mardi" in page_texts((folder / "session.pdf").read_bytes())[0]


def test_bad_set_file_is_reported_at_its_line(folder: Path) -> None:
    bad = SET_FILE.replace("  - id: deja\n", "  - id: nowhere\n  - id: oeuvre\n    colour: red\n")
    (folder / "bad.yml").write_text(bad, encoding="utf-8")
    code, output = run("--set", "bad.yml", "--out", "bad.pdf")
    assert code == 1
    assert output == (
        "bad.yml:10:5: unknown field 'colour': remove it or check its spelling\n1 problem found.\n"
    )
    (folder / "bad.yml").write_text(SET_FILE.replace("deja", "nowhere"), encoding="utf-8")
    code, output = run("--set", "bad.yml", "--out", "bad.pdf")
    assert code == 1
    assert output.startswith("bad.yml:8:9: unknown exercise 'nowhere'")
    assert "Traceback" not in output
    assert not (folder / "bad.pdf").exists()


def test_missing_set_file(folder: Path) -> None:
    code, output = run("--set", "nope.yml", "--out", "x.pdf")
    assert code == 1
    assert output == "nope.yml:1:1: set file not found: check the path\n1 problem found.\n"


def test_unknown_bank_exits_1_with_the_known_ids(folder: Path) -> None:
    code, output = run("--bank", "gamma", "--out", "x.pdf")
    assert (code, output) == (1, "error: unknown bank 'gamma': use one of alpha, beta\n")


def test_two_selections_are_a_usage_error(folder: Path) -> None:
    code, output = run("--bank", "alpha", "--all", "--out", "x.pdf")
    assert code == 2
    assert "choose one of --bank, --set, --all and --exercise" in output


def test_one_exercise_as_a_large_print_handout(folder: Path) -> None:
    code, output = run("--exercise", "deja", "--lang", "en", "--large-print", "--out", "deja.pdf")
    assert (code, output) == (0, "wrote deja.pdf\n")
    texts = page_texts((folder / "deja.pdf").read_bytes())
    lines = texts[0].splitlines()
    assert lines[1:3] == ["Second bank", "Already there"]  # no cover, no contents: the exercise
    assert lines[-1] == f"page 1 / {len(texts)}"
    # its references close it (a handout has no bibliography), in large print too
    last = texts[-1].split("\n")
    assert " ".join(last[last.index("Sources") + 1 : -1]) == (
        "Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the "
        "working alliance. Psychotherapy, 16(3), 252–260."
    )


def test_an_unknown_exercise_names_the_closest_ids(folder: Path) -> None:
    code, output = run("--exercise", "deja-vu", "--out", "x.pdf")
    assert (code, output) == (1, "error: unknown exercise 'deja-vu': did you mean deja?\n")
    code, output = run("--exercise", "zzz", "--out", "x.pdf")
    assert code == 1
    assert output == (
        "error: unknown exercise 'zzz': the id is the last part of an exercise page's address\n"
    )
    assert not (folder / "x.pdf").exists()


def test_one_pdf_per_participant(folder: Path) -> None:
    (folder / "names.txt").write_text(
        "Élodie Martin\n\n  Jean-Luc  O'Brien \nÉlodie Martin\n李\n", encoding="utf-8"
    )
    code, output = run(
        "--set", "session", "--participants", "names.txt", "--out", "handouts", "--jobs", "2"
    )
    assert code == 0, output
    files = [
        "elodie-martin.pdf",
        "jean-luc-o-brien.pdf",
        "elodie-martin-2.pdf",
        "participant-4.pdf",
    ]
    assert output == "".join(f"wrote handouts/{name}\n" for name in files)
    texts = page_texts((folder / "handouts" / "jean-luc-o-brien.pdf").read_bytes())
    assert "Jean-Luc O'Brien" in texts[0].splitlines()
    assert texts[3].splitlines()[-1].startswith("Jean-Luc O'Brien page 4 /")
    assert (folder / "handouts" / "participant-4.pdf").stat().st_size > 0


def test_participants_need_a_set(folder: Path) -> None:
    (folder / "names.txt").write_text("A\n", encoding="utf-8")
    code, output = run("--all", "--participants", "names.txt", "--out", "h")
    assert code == 2
    assert "--participants needs --set FILE" in output


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["pdf", "--help"])
    assert result.exit_code == 0
    assert "workbook pdf --bank self-awareness --lang fr --out conscience.pdf" in result.output


def test_slugs() -> None:
    assert slugify("Élodie N'Diaye-Çelik") == "elodie-n-diaye-celik"
    assert participant_files(["A b", "a B", "!!"]) == [
        ("A b", "a-b.pdf"),
        ("a B", "a-b-2.pdf"),
        ("!!", "participant-3.pdf"),
    ]
