"""Every class of content mistake gives exit 1 and the exact `path:line:col: message`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import bank_yaml, exercise_yaml, write_content

BANK = "content/banks/alpha.yml"


def check(content_dir: str = "content") -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", "--content", content_dir])
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def edit_bank(content: Path, old: str, new: str, count: int = 1) -> None:
    bank = content / "banks" / "alpha.yml"
    text = bank.read_text(encoding="utf-8")
    assert old in text
    bank.write_text(text.replace(old, new, count), encoding="utf-8")


def test_valid_content_passes(content: Path) -> None:
    assert check() == (0, ["ok: 1 banks, 2 exercises, 0 sets, 1 sources"])


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "format: solo",
            "format: [solo",
            f"{BANK}:11:10: YAML syntax error: while parsing a flow sequence did not find "
            "expected ',' or ']'; fix the syntax here",
            id="yaml-syntax",
        ),
        pytest.param(
            "    level: discovery",
            "    level: discovery\n    level: practice",
            f"{BANK}:12:5: duplicate key 'level' (first at line 11): keep only one",
            id="duplicate-key",
        ),
        pytest.param(
            "    level: discovery\n",
            "",
            f"{BANK}:5:5: missing field 'level': add it",
            id="missing-field",
        ),
        pytest.param(
            "    moment: core",
            "    momment: core",
            f"{BANK}:13:5: unknown field 'momment': remove it or check its spelling",
            id="unknown-field",
        ),
        pytest.param(
            "minutes: 10\n    format",
            "minutes: ten\n    format",
            f"{BANK}:9:14: 'minutes' should be a whole number, not a text",
            id="wrong-type",
        ),
        pytest.param(
            "format: solo",
            "format: duo",
            f"{BANK}:10:13: 'duo' is not allowed for 'format': use 'solo', 'pair', 'group' "
            "or 'supervision'",
            id="wrong-enum",
        ),
        pytest.param(
            'title: {fr: "Titre", en: "Title"}',
            'title: {fr: "Titre"}',
            f"{BANK}:6:12: missing the English text 'en': every text needs fr and en",
            id="missing-language",
        ),
        pytest.param(
            "minutes: 10\n    format",
            "minutes: 0\n    format",
            f"{BANK}:9:14: 'minutes' must be greater than 0 (got 0): give a positive number",
            id="non-positive-duration",
        ),
        pytest.param(
            "sources: [bordin-1979]",
            "sources: [nobody-2020]",
            f"{BANK}:24:15: unknown source 'nobody-2020': add it to sources.yml or fix the id",
            id="unknown-source",
        ),
        pytest.param(
            "  - minutes: 10\n",
            "  - minutes: 7\n",
            f"{BANK}:5:5: the steps add up to 7 minutes but 'minutes' says 10; make them agree",
            id="steps-do-not-add-up",
        ),
        pytest.param(
            "id: first",
            "id: First Exercise",
            f"{BANK}:5:9: 'First Exercise' is not a valid id: use lower-case letters, digits "
            "and single hyphens",
            id="bad-slug",
        ),
        pytest.param(
            "title: {fr: Banque, en: Bank}",
            "title: {fr: Banque, en: Bank}\ntitle: x",
            f"{BANK}:3:1: duplicate key 'title' (first at line 2): keep only one",
            id="duplicate-top-key",
        ),
    ],
)
def test_one_mistake_gives_its_exact_message(
    content: Path, old: str, new: str, expected: str
) -> None:
    edit_bank(content, old, new)
    assert check() == (1, [expected, "1 problem found."])


def test_exercise_id_used_twice_names_both_places(content: Path) -> None:
    edit_bank(content, "id: second", "id: first")
    assert check() == (
        1,
        [
            f"{BANK}:5:9: exercise id 'first' is used again at {BANK}:25:9: "
            "give one of them another id",
            f"{BANK}:25:9: exercise id 'first' is already used at {BANK}:5:9: "
            "give one of them another id",
            "2 problems found.",
        ],
    )


def test_all_mistakes_are_reported_at_once_sorted(content: Path) -> None:
    (content / "banks" / "beta.yml").write_text(
        bank_yaml("beta", [exercise_yaml("third", minutes=-5)]), encoding="utf-8"
    )
    edit_bank(content, "format: solo", "format: duo")
    code, lines = check()
    assert code == 1
    assert lines == [
        f"{BANK}:10:13: 'duo' is not allowed for 'format': use 'solo', 'pair', 'group' "
        "or 'supervision'",
        "content/banks/beta.yml:9:14: 'minutes' must be greater than 0 (got -5): "
        "give a positive number",
        "content/banks/beta.yml:15:18: 'minutes' must be greater than 0 (got -5): "
        "give a positive number",
        "3 problems found.",
    ]


def test_empty_file(content: Path) -> None:
    (content / "banks" / "alpha.yml").write_text("", encoding="utf-8")
    assert check() == (
        1,
        [f"{BANK}:1:1: this file is empty: fill it in or delete it", "1 problem found."],
    )


def test_file_not_utf8(content: Path) -> None:
    (content / "banks" / "alpha.yml").write_bytes("id: alpha\ntitle: é\n".encode("latin-1"))
    assert check() == (
        1,
        [
            f"{BANK}:2:8: this file is not UTF-8: save it with the UTF-8 encoding",
            "1 problem found.",
        ],
    )


def test_missing_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert check("nowhere") == (
        1,
        [
            "nowhere:1:1: content folder not found: pass --content DIR or create it",
            "1 problem found.",
        ],
    )


def test_alias_is_refused(content: Path) -> None:
    (content / "banks" / "alpha.yml").write_text("a: &x [1, 2]\nb: *x\n", encoding="utf-8")
    assert check() == (
        1,
        [
            f"{BANK}:2:4: aliases (*name) are not supported: write the value out in full",
            "1 problem found.",
        ],
    )


def test_python_tag_is_refused(content: Path) -> None:
    (content / "banks" / "alpha.yml").write_text(
        "id: !!python/object:os.system x\n", encoding="utf-8"
    )
    assert check() == (
        1,
        [
            f"{BANK}:1:5: the tag '!!python/object:os.system' is not allowed: remove it and "
            "write a plain value",
            "1 problem found.",
        ],
    )


def test_set_with_unknown_exercise_and_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_content(
        tmp_path / "content",
        sets={
            "session": (
                "id: session\ntitle: {fr: S, en: S}\naudience: {fr: A, en: A}\nminutes: 30\n"
                "exercises:\n  - id: nope\n  - id: session\n  - break: 5\n  - id: first\n"
            )
        },
    )
    assert check() == (
        1,
        [
            "content/sets/session.yml:6:9: unknown exercise 'nope': check the id against the "
            "banks (workbook check lists them with --verbose)",
            "content/sets/session.yml:7:9: the set 'session' lists itself: a set lists exercise "
            "ids, not sets",
            "2 problems found.",
        ],
    )


def test_set_over_its_minutes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_content(
        tmp_path / "content",
        sets={
            "session": (
                "id: session\ntitle: {fr: S, en: S}\naudience: {fr: A, en: A}\nminutes: 20\n"
                "exercises:\n  - id: first\n  - break: 5\n  - id: second\n"
            )
        },
    )
    assert check() == (
        1,
        [
            "content/sets/session.yml:4:10: the exercises and breaks take 25 minutes, more than "
            "the set's 20: raise 'minutes' or remove an exercise",
            "1 problem found.",
        ],
    )


def test_bank_id_must_match_file_name(content: Path) -> None:
    edit_bank(content, "id: alpha", "id: other")
    assert check() == (
        1,
        [
            f"{BANK}:1:5: the bank id 'other' differs from its file name: rename the file "
            "other.yml or the id to 'alpha'",
            "1 problem found.",
        ],
    )
