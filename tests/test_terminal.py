"""Content and file names never reach the terminal raw: control and invisible characters are
shown escaped in problems, warnings and `pick`'s table, so a bank cannot clear the screen and
print a fake success line."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import log
from generator.cli import cli
from generator.log import printable
from tests.conftest import bank_yaml, exercise_yaml, write_content

ESC = "\x1b"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J\x1b[Hok: 1 banks", "\\x1b[2J\\x1b[Hok: 1 banks"),
        ("bell\x07 and nul\x00", "bell\\x07 and nul\\x00"),
        ("right\u202eto left \u2066isolate\u2069", "right\\u202eto left \\u2066isolate\\u2069"),
        (
            "zero\u200bwidth, line\u2028separator, del\x7f",
            "zero\\u200bwidth, line\\u2028separator, del\\x7f",
        ),
        ("two\nlines\ttab", "two\\nlines\\ttab"),
        (
            "« L’écoute » : 10\u202fmin, café\u00a0crème 🌱",
            "« L’écoute » : 10\u202fmin, café\u00a0crème 🌱",
        ),
    ],
)
def test_printable_escapes_what_a_terminal_would_obey(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_printable_keeps_the_tools_own_line_breaks() -> None:
    assert printable("first\nsecond\x1b", keep_newlines=True) == "first\nsecond\\x1b"


def test_log_arguments_are_escaped_line_breaks_included(capsys: pytest.CaptureFixture[str]) -> None:
    log.configure()
    logging.getLogger("workbook").warning("not covered: %s (%d)", "a\x1b[2J\nok: fine", 3)
    logging.getLogger("workbook").error("one\ntwo \x07")
    err = capsys.readouterr().err
    assert err == "warning: not covered: a\\x1b[2J\\nok: fine (3)\nerror: one\ntwo \\x07\n"


def test_check_shows_content_and_file_names_escaped(content: Path) -> None:
    bank = content / "banks" / "alpha.yml"
    bank.write_text(
        bank.read_text(encoding="utf-8").replace("format: solo", 'format: "\\e[2J\\e[Hsolo"', 1),
        encoding="utf-8",
    )
    (content / "banks" / f"{ESC}]0;pwned{chr(7)}.yml").write_text(
        bank_yaml("beta", [exercise_yaml("third")]), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["check", "--content", "content"])
    assert result.exit_code == 1
    assert ESC not in result.output and "\x07" not in result.output
    assert result.output.splitlines() == [
        "content/banks/\\x1b]0;pwned\\x07.yml:1:5: the bank id 'beta' differs from its file "
        "name: rename the file beta.yml or the id to '\\x1b]0;pwned\\x07'",
        "content/banks/alpha.yml:10:13: '\\x1b[2J\\x1b[Hsolo' is not allowed for 'format': "
        "use 'solo', 'pair', 'group' or 'supervision'",
        "2 problems found.",
    ]


def test_pick_table_and_warnings_show_titles_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    title = "\\e[2J\\e[Hok: 0 problems\\a"
    hostile = f'title: {{fr: Banque, en: "{title}"}}'  # the warning names a bank in English
    alpha = bank_yaml("alpha", [exercise_yaml("first", minutes=20, title_fr=title)])
    beta = bank_yaml("beta", [exercise_yaml("second", minutes=20, title_fr=title)])
    banks = {
        name: text.replace("title: {fr: Banque, en: Bank}", hostile)
        for name, text in (("alpha", alpha), ("beta", beta))
    }
    write_content(tmp_path / "content", banks=banks)  # 30 minutes: room for one bank only
    result = CliRunner().invoke(
        cli,
        [
            "pick",
            "--content",
            "content",
            "--minutes",
            "30",
            "--bank",
            "alpha",
            "--bank",
            "beta",
            "--out",
            "s.yml",
        ],
    )
    assert result.exit_code == 0, result.output
    assert ESC not in result.stdout and ESC not in result.stderr and "\x07" not in result.output
    assert "\\x1b[2J\\x1b[Hok: 0 problems\\x07" in result.stdout
    assert "warning: not covered within 30 minutes: \\x1b[2J\\x1b[Hok: 0 problems\\x07\n" in (
        result.stderr
    )
