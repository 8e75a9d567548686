"""The composer page in headless Chromium: URL round trip, keyboard reordering, YAML download
that `workbook check` accepts and `workbook pdf --set` prints, and the print layout."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.site import build_site
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content
from tests.site.conftest import serve

pytestmark = pytest.mark.browser

EXERCISES = [
    ("hello", 5, "group", "check-in", "Bonjour"),
    ("mirror", 20, "group", "core", "Le miroir"),
    ("pairs", 30, "pair", "core", "À deux"),
    ("journal", 15, "solo", "core", "Le journal"),
    ("bye", 10, "group", "closing", "Au revoir"),
]


@pytest.fixture(scope="module")
def composer_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("composer")
    bank = bank_yaml(
        "alpha",
        [
            exercise_yaml(
                ex_id,
                minutes=minutes,
                fmt=fmt,
                moment=moment,
                title_fr=title,
                title_en=title.upper(),
            )
            for ex_id, minutes, fmt, moment, title in EXERCISES
        ],
    )
    content = write_content(root / "content", banks={"alpha": bank})
    build_site(load_content(content), root / "site", with_pdfs=False)
    with serve(root / "site") as url:
        yield url, content


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.locator(".wb-composer__add").first.wait_for()


def _add(page: Any, title: str) -> None:
    card = page.locator(".wb-cards > li", has=page.locator(".wb-card__title", has_text=title))
    card.locator(".wb-composer__add").click()


def _selected(page: Any) -> list[str]:
    return page.locator(".wb-composer__item .wb-composer__name").all_inner_texts()


def test_a_link_restores_the_selection_in_order(page: Any, composer_site: tuple[str, Path]) -> None:
    url, _ = composer_site
    _open(page, url + "composer/")
    for title in ("Le miroir", "Le journal", "Bonjour"):
        _add(page, title)
    assert _selected(page) == ["Le miroir", "Le journal", "Bonjour"]
    # keyboard: move "Bonjour" to the top with Enter on its focused "up" button
    up = page.get_by_role("button", name="Monter « Bonjour »")
    up.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Monter « Bonjour »"
    )
    page.keyboard.press("Enter")
    assert _selected(page) == ["Bonjour", "Le miroir", "Le journal"]
    page.locator("#wb-composer-title").fill("Notre séance")
    page.locator("#wb-composer-budget").fill("60")
    assert page.locator(".wb-composer__total").inner_text() == "40 min sur 60 — Il reste 20 min."
    assert "ids=hello%2Cmirror%2Cjournal" in page.url
    page.reload()
    page.locator(".wb-composer__item").first.wait_for()
    assert _selected(page) == ["Bonjour", "Le miroir", "Le journal"]
    assert page.locator("#wb-composer-title").input_value() == "Notre séance"
    assert page.locator("#wb-composer-budget").input_value() == "60"
    # a fresh page from the copied link shows the same three
    fresh = page.context.new_page()
    _open(fresh, page.url)
    fresh.locator(".wb-composer__item").first.wait_for()
    assert _selected(fresh) == ["Bonjour", "Le miroir", "Le journal"]
    page.get_by_role("button", name="Retirer « Le miroir »").click()
    assert _selected(page) == ["Bonjour", "Le journal"]
    assert page.console_errors == []


def test_the_download_passes_check_and_prints(
    page: Any, composer_site: tuple[str, Path], tmp_path: Path
) -> None:
    url, content = composer_site
    _open(page, url + "en/composer/")
    for title in ("BONJOUR", "LE MIROIR", "AU REVOIR"):
        _add(page, title)
    page.locator("#wb-composer-budget").fill("40")
    assert page.locator(".wb-composer__download").is_enabled()  # 35 ≤ 40
    page.locator("#wb-composer-budget").fill("30")
    assert page.locator(".wb-composer__total").inner_text() == (
        "35 of 30 min — 5 min too many: remove an exercise or raise the time available."
    )
    assert page.locator(".wb-composer__download").is_disabled()
    page.locator("#wb-composer-budget").fill("45")
    page.locator("#wb-composer-title").fill('June "rupture" <b>session</b> \\ é')
    with page.expect_download() as download:
        page.locator(".wb-composer__download").click()
    assert download.value.suggested_filename == "june-rupture-b-session-b-e.yml"
    copy = tmp_path / "content"
    shutil.copytree(content, copy)
    target = copy / "sets" / download.value.suggested_filename
    download.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/set.schema.json\n")
    data = yaml.safe_load(text)
    assert data["title"] == {
        "fr": 'June "rupture" <b>session</b> \\ é',
        "en": 'June "rupture" <b>session</b> \\ é',
    }
    assert data["minutes"] == 45
    assert [entry["id"] for entry in data["exercises"]] == ["hello", "mirror", "bye"]
    check = CliRunner().invoke(cli, ["check", "--content", str(copy)])
    assert check.exit_code == 0, check.output
    assert check.stdout == "ok: 1 banks, 5 exercises, 1 sets, 1 sources\n"
    pdf = tmp_path / "set.pdf"
    printed = CliRunner().invoke(
        cli, ["pdf", "--content", str(copy), "--set", str(target), "--out", str(pdf)]
    )
    assert printed.exit_code == 0, printed.output
    assert pdf.read_bytes().startswith(b"%PDF")
    # the title is text, never markup
    assert page.locator(".wb-composer b, .wb-print b").count() == 0
    assert page.console_errors == []


def test_print_lays_out_a_cover_and_each_exercise(
    page: Any, composer_site: tuple[str, Path]
) -> None:
    url, _ = composer_site
    _open(page, url + "composer/?ids=mirror,pairs&title=Atelier&budget=60")
    page.locator(".wb-composer__item").nth(1).wait_for()
    page.emulate_media(media="print")
    page.wait_for_function("document.querySelectorAll('.wb-print__exercise').length === 2")
    assert page.locator(".wb-print__title").inner_text() == "Atelier"
    assert page.locator(".wb-print__plan li").all_inner_texts() == [
        "Le miroir — 20 min",
        "À deux — 30 min",
    ]
    first = page.locator(".wb-print__exercise").first
    assert first.locator("h2").inner_text() == "1. Le miroir"
    assert first.locator(".wb-print__steps li").all_inner_texts() == ["20 min — Écrivez."]
    assert first.locator(".wb-print__prompt .wb-print__line").count() == 4  # lines: 4
    assert page.locator(".wb-composer").is_hidden()
    assert page.locator(".wb-print").is_visible()
    assert page.console_errors == []
