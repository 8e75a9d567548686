"""Hostile or broken YAML: a located message, exit 1, no traceback, no hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.loader import MAX_DEPTH, MAX_FILE_BYTES, load_yaml

BANK = "content/banks/alpha.yml"


def check_with_bank(content: Path, data: bytes | str) -> tuple[int, list[str]]:
    bank = content / "banks" / "alpha.yml"
    if isinstance(data, str):
        data = data.encode("utf-8")
    bank.write_bytes(data)
    result = CliRunner().invoke(cli, ["check", "--content", "content"])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            "a: " + "[" * 100_000 + "]" * 100_000,
            f"{BANK}:1:{3 + MAX_DEPTH}: nesting deeper than {MAX_DEPTH} levels: "
            "this is not a workbook file",
            id="deep-flow-nesting",
        ),
        pytest.param(
            "".join("  " * level + f"k{level}:\n" for level in range(200)),
            f"{BANK}:33:65: nesting deeper than {MAX_DEPTH} levels: this is not a workbook file",
            id="deep-block-nesting",
        ),
        pytest.param(
            'a: &a ["lol", "lol"]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\n',
            f"{BANK}:2:8: aliases (*name) are not supported: write the value out in full",
            id="alias-bomb",
        ),
        pytest.param(
            "id: !!python/object/apply:os.system [echo hacked]\n",
            f"{BANK}:1:5: the tag '!!python/object/apply:os.system' is not allowed: remove it "
            "and write a plain value",
            id="python-tag",
        ),
        pytest.param(
            "id: !custom x\n",
            f"{BANK}:1:5: the tag '!custom' is not allowed: remove it and write a plain value",
            id="custom-tag",
        ),
        pytest.param(
            b"id: alpha\n\x00\x01\x02binary",
            f"{BANK}:2:1: binary data (a NUL byte): this is not a YAML text file",
            id="binary",
        ),
        pytest.param(
            "id: alpha\n---\nid: beta\n",
            f"{BANK}:2:1: this file holds several YAML documents (---): keep one",
            id="two-documents",
        ),
        pytest.param(
            "- a\n- b\n",
            f"{BANK}:1:1: expected a mapping of `key: value` lines at the top of the file",
            id="top-level-list",
        ),
        pytest.param(
            "? [a, b]\n: c\n",
            f"{BANK}:1:3: a key must be a plain name: write `name: value`",
            id="complex-key",
        ),
    ],
)
def test_hostile_yaml_is_refused_with_a_located_message(
    content: Path, data: str | bytes, message: str
) -> None:
    assert check_with_bank(content, data) == (1, [message, "1 problem found."])


def test_huge_file_is_refused_before_parsing(content: Path) -> None:
    data = "id: alpha\n# " + "x" * MAX_FILE_BYTES + "\n"
    code, lines = check_with_bank(content, data)
    assert code == 1
    assert lines == [
        f"{BANK}:1:1: file too large ({len(data):,} bytes, limit {MAX_FILE_BYTES:,}): "
        "split it into several banks",
        "1 problem found.",
    ]


def test_symlink_outside_the_content_folder_is_refused(content: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yml"
    secret.write_text("id: alpha\n", encoding="utf-8")
    bank = content / "banks" / "alpha.yml"
    bank.unlink()
    os.symlink(secret, bank)
    result = CliRunner().invoke(cli, ["check", "--content", "content"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{BANK}:1:1: this link leads outside the content folder ({secret.resolve()}): "
        "copy the file into the folder instead",
        "1 problem found.",
    ]


def test_fifo_is_refused_without_reading(content: Path) -> None:
    bank = content / "banks" / "alpha.yml"
    bank.unlink()
    os.mkfifo(bank)
    result = CliRunner().invoke(cli, ["check", "--content", "content"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{BANK}:1:1: not a regular file: remove it",
        "1 problem found.",
    ]


def test_locations_of_keys_and_values(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("a:\n  b: [1, two]\n  c: {d: null}\n", encoding="utf-8")
    located = load_yaml(path, tmp_path)
    assert located.data == {"a": {"b": [1, "two"], "c": {"d": None}}}
    assert located.values[("a", "b", 1)] == (2, 10)
    assert located.keys[("a", "c")] == (3, 3)
    assert located.values[("a", "c", "d")] == (3, 10)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes("\ufeffa: é\n".encode())
    assert load_yaml(path, tmp_path).data == {"a": "é"}
