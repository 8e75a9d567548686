"""Bounded work and unambiguous ids: every limit of the model, the YAML numbers, the ids of
twin files and reserved ids give an exact `file:line:col` message and exit 1, no traceback."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import models
from generator.cli import cli
from generator.loader import MAX_DIGITS
from generator.validate import RESERVED_IDS
from tests.conftest import bank_yaml, exercise_yaml, write_content

ROOT = Path(__file__).resolve().parent.parent
BANK = "content/banks/alpha.yml"
PROMPT = "    prompts:\n      - text: {fr: Qu’avez-vous remarqué ?, en: What did you notice?}\n"
SET = """\
id: {id}
title: {{fr: Parcours, en: Path}}
audience: {{fr: Tous., en: Everyone.}}
minutes: 1000
exercises:
"""


def check() -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", "--content", "content"])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output.splitlines()


def edit_bank(content: Path, old: str, new: str) -> None:
    bank = content / "banks" / "alpha.yml"
    text = bank.read_text(encoding="utf-8")
    assert old in text
    bank.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_title_past_the_limit_says_by_how_much(content: Path) -> None:
    edit_bank(content, 'title: {fr: "Titre"', f'title: {{fr: "{"x" * 5000}"')
    assert check() == (
        1,
        [
            f"{BANK}:6:17: 'title' is longer than 200 characters (got 5,000): shorten it",
            "1 problem found.",
        ],
    )


def test_a_text_past_the_limit_and_a_tag(content: Path) -> None:
    edit_bank(content, "debrief: {fr: Relisez.", f"debrief: {{fr: {'a' * 5001}")
    edit_bank(
        content,
        "    sources: [bordin-1979]\n",
        f"    sources: [bordin-1979]\n    tags: [{{fr: {'t' * 201}, en: tag}}]\n",
    )
    assert check() == (
        1,
        [
            f"{BANK}:20:19: 'debrief' is longer than 5,000 characters (got 5,001): shorten it",
            f"{BANK}:25:17: 'tags' is longer than 200 characters (got 201): shorten it",
            "2 problems found.",
        ],
    )


def test_too_many_prompts(content: Path) -> None:
    prompts = "".join(f"      - text: {{fr: Q{i} ?, en: Q{i}?}}\n" for i in range(2000))
    edit_bank(content, PROMPT, "    prompts:\n" + prompts)
    assert check() == (
        1,
        [
            f"{BANK}:18:7: 'prompts' has more than 30 items (got 2,000): keep at most 30",
            "1 problem found.",
        ],
    )


def test_a_set_listing_an_exercise_too_often_or_too_long(content: Path) -> None:
    sets = content / "sets"
    (sets / "often.yml").write_text(
        SET.format(id="often") + "  - id: first\n" * 6 + "  - id: second\n", encoding="utf-8"
    )
    (sets / "long.yml").write_text(
        SET.format(id="long") + "  - break: 1\n" * 100_000, encoding="utf-8"
    )
    assert check() == (
        1,
        [
            "content/sets/long.yml:6:3: 'exercises' has more than 200 items (got 100,000): "
            "keep at most 200",
            "content/sets/often.yml:11:9: the exercise 'first' is listed 6 times in this set: "
            "list one exercise at most 5 times",
            "2 problems found.",
        ],
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            "9" * 5000,
            "this number has 5,000 digits, more than 18: write a smaller number",
            id="4300-digits",
        ),
        pytest.param(
            "0x" + "f" * 19,
            "this number has 19 digits, more than 18: write a smaller number",
            id="hexadecimal",
        ),
        pytest.param(
            "1:0:0:0:0:0:0:0:0:0:0:0",
            "this number has more than 18 digits: write a smaller number",
            id="sexagesimal",
        ),
        pytest.param(
            "!!int abc", "'abc' is not a valid int: write the value without the !!int tag", id="tag"
        ),
    ],
)
def test_numbers_are_bounded_and_located(content: Path, value: str, message: str) -> None:
    edit_bank(content, "    minutes: 10\n", f"    minutes: {value}\n")
    assert check() == (1, [f"{BANK}:9:14: {message}", "1 problem found."])


def test_a_number_within_the_digits_reaches_the_model(content: Path) -> None:
    edit_bank(content, "    minutes: 10\n", f"    minutes: {'9' * MAX_DIGITS}\n")
    code, lines = check()
    assert code == 1
    assert f"{BANK}:9:14: 'minutes' must be at most 480 (got {'9' * MAX_DIGITS}): " in lines[0]


def test_twin_bank_files_are_named_both(content: Path) -> None:
    twin = content / "banks" / "alpha.yaml"
    twin.write_text(bank_yaml("alpha", [exercise_yaml("third")]), encoding="utf-8")
    assert check() == (
        1,
        [
            "content/banks/alpha.yaml:1:5: the bank id 'alpha' is also the id of "
            f"{BANK}: two files hold the same bank; keep one of them or give this one another id",
            f"{BANK}:1:5: the bank id 'alpha' is also the id of content/banks/alpha.yaml: two "
            "files hold the same bank; keep one of them or give this one another id",
            "2 problems found.",
        ],
    )


def test_twin_set_files_are_named_both(content: Path) -> None:
    for name in ("june.yml", "june.yaml"):
        (content / "sets" / name).write_text(
            SET.format(id="june") + "  - id: first\n", encoding="utf-8"
        )
    code, lines = check()
    assert code == 1
    assert lines == [
        "content/sets/june.yaml:1:5: the set id 'june' is also the id of content/sets/june.yml: "
        "two files hold the same set; keep one of them or give this one another id",
        "content/sets/june.yml:1:5: the set id 'june' is also the id of content/sets/june.yaml: "
        "two files hold the same set; keep one of them or give this one another id",
        "2 problems found.",
    ]


def test_reserved_ids_are_refused(content: Path) -> None:
    (content / "sets" / "index.yml").write_text(
        SET.format(id="index") + "  - id: first\n", encoding="utf-8"
    )
    (content / "banks" / "alpha.yml").rename(content / "banks" / "index.yml")
    edit_path = content / "banks" / "index.yml"
    text = edit_path.read_text(encoding="utf-8").replace("id: alpha", "id: index", 1)
    edit_path.write_text(text.replace("- id: second", "- id: index"), encoding="utf-8")
    assert check() == (
        1,
        [
            "content/banks/index.yml:1:5: the bank id 'index' is reserved: its page would "
            "replace the site's banks/ page; choose another id and rename the file",
            "content/banks/index.yml:25:9: the exercise id 'index' is reserved: its page would "
            "replace the site's exercises/ page; choose another id",
            "content/sets/index.yml:1:5: the set id 'index' is reserved: its page would replace "
            "the site's sets/ page; choose another id and rename the file",
            "3 problems found.",
        ],
    )


def test_reserved_ids_are_the_pages_the_site_makes_in_content_folders(tmp_path: Path) -> None:
    """Every page the site generates under banks/, sets/ or exercises/ that is not an item of
    the content has a reserved name (so no bank, set or exercise can take its place)."""
    from generator.site.pages import site_pages
    from generator.validate import load_content

    content = load_content(write_content(tmp_path / "content"))
    items = {bank.id for bank in content.banks} | set(content.exercises)
    for page in site_pages(content, "fr", with_pdfs=False):
        folder, _, name = page.doc.rpartition("/")
        if folder in ("banks", "sets", "exercises") and name.removesuffix(".md") not in items:
            assert name.removesuffix(".md") in RESERVED_IDS, page.doc


def test_the_composer_clamps_to_the_model_limits() -> None:
    script = (ROOT / "templates" / "site" / "assets" / "composer.js").read_text(encoding="utf-8")

    def constant(name: str) -> int:
        found = re.search(rf"export const {name} = (\d+);", script)
        assert found, name
        return int(found.group(1))

    assert constant("MAX_TITLE") == models.MAX_TITLE
    assert constant("MAX_ENTRIES") == models.MAX_SET_ENTRIES
    exercise_set = models.ExerciseSet.model_fields
    assert exercise_set["exercises"].metadata[-1].max_length == models.MAX_SET_ENTRIES
    reserved = re.search(r"const RESERVED_IDS = new Set\(\[([^\]]*)\]\)", script)
    assert reserved and set(re.findall(r'"([^"]+)"', reserved.group(1))) == set(RESERVED_IDS)


def test_the_shipped_content_is_within_the_limits() -> None:
    result = CliRunner().invoke(cli, ["check", "--content", str(ROOT / "workbook")])
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_composer_clamps_a_shared_link(tmp_path: Path) -> None:
    """parseSelection (composer.js, run in Node) keeps 200 characters of a 3.8 MB title and
    200 of 300 ids; slugify never gives a reserved id."""
    for script in ("composer.js", "catalogue.js"):
        shutil.copy(ROOT / "templates" / "site" / "assets" / script, tmp_path)
    (tmp_path / "explorer.js").write_text(
        "export const loadCatalogue = null; export const mountExplorer = null;\n", encoding="utf-8"
    )
    (tmp_path / "run.mjs").write_text(
        "globalThis.document = { querySelectorAll: () => [] };\n"
        "const c = await import('./composer.js');\n"
        "const known = new Set(Array.from({ length: 300 }, (_, i) => `e${i}`));\n"
        "const search = '?' + new URLSearchParams({ title: '\\u00e9'.repeat(3_800_000),\n"
        "  ids: [...known].join(',') + ',e0,nope' });\n"
        "const s = c.parseSelection(search, known);\n"
        "console.log(JSON.stringify([Array.from(s.title).length, s.ids.length, s.ids[199],\n"
        "  s.unknown, c.slugify('Index'), c.slugify('  ')]));\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["node", "run.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(result.stdout) == [200, 200, "e199", 1, "index-session", "session"]
