"""The composer page in headless Chromium: URL round trip, keyboard reordering, YAML download
that `workbook check` accepts and `workbook pdf --set` prints, and the print layout."""

from __future__ import annotations

import re
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
    return [
        str(text)
        for text in page.locator(".wb-composer__item .wb-composer__name").all_inner_texts()
    ]


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


def test_the_first_action_prints_then_share_then_yaml(
    page: Any, composer_site: tuple[str, Path]
) -> None:
    url, _ = composer_site
    _open(page, url + "en/composer/?ids=hello")
    page.locator(".wb-composer__item").first.wait_for()
    actions = page.locator(".wb-composer__actions > button")
    assert actions.all_inner_texts() == [
        "Print this session",
        "Share the link",
        "Download the set (YAML)",
    ]
    assert "md-button--primary" in (actions.first.get_attribute("class") or "")


def _plan(page: Any) -> list[str]:
    rows = page.locator(".wb-print__plan tbody tr").all_inner_texts()
    return [" | ".join(part.strip() for part in row.split("\t")).strip() for row in rows]


def test_the_session_prints_as_a_handout(page: Any, composer_site: tuple[str, Path]) -> None:
    """Print view: the plan with clock times from the start time, then each exercise with its
    steps and write-in lines, from the build's JSON files; facilitator notes only when asked."""
    url, _ = composer_site
    _open(page, url + "composer/?ids=hello,mirror,pairs&title=Atelier&budget=60&start=14:00")
    page.locator(".wb-composer__item").nth(2).wait_for()
    page.emulate_media(media="print")
    page.locator(".wb-print__exercise").nth(2).wait_for(state="attached")
    assert page.locator(".wb-composer").is_hidden()
    assert page.locator(".md-header").is_hidden()
    assert page.locator(".wb-print").is_visible()
    assert page.locator(".wb-print__title").inner_text() == "Atelier"
    assert page.locator(".wb-print__total").inner_text() == "14:00 – 14:55 · 55 min sur 60"
    assert _plan(page) == [
        "14:00 – 14:05 | 1. Bonjour | 5 min",
        "14:05 – 14:25 | 2. Le miroir | 20 min",
        "14:25 – 14:55 | 3. À deux | 30 min",
        "14:55 | Fin de la séance |",
    ]
    second = page.locator(".wb-print__exercise").nth(1)
    assert second.locator("h2").inner_text() == "2. Le miroir"
    assert second.locator(".wb-print__meta").inner_text() == (
        "14:05 – 14:25 · 20 min · En groupe · Découverte · Lien"
    )
    assert [
        " ".join(text.split()) for text in second.locator(".wb-print__steps li").all_inner_texts()
    ] == ["20 min Écrivez."]
    assert second.locator(".wb-print__question").inner_text() == "Qu’avez-vous remarqué\u202f?"
    assert second.locator(".wb-print__prompt .wb-print__line").count() == 4  # lines: 4
    assert second.locator("h3").all_inner_texts() == [
        "Déroulé",
        "Questions d’écriture",
        "Sécurité et droit de passer",
    ]
    handout = page.locator(".wb-print").inner_text()
    assert "Notes." not in handout and page.locator(".wb-print__notes").count() == 0
    # the exercises' own data files, not their pages
    assert any(request.endswith("/data/run/exercises/mirror.json") for request in page.requests)
    assert not any("/exercises/mirror/" in request for request in page.requests)
    # facilitator notes, when asked: one block per exercise, and the link keeps the choice
    page.emulate_media(media="screen")
    page.get_by_label("Imprimer aussi les notes pour l’animateur ou l’animatrice").check()
    assert "notes=1" in page.url and "start=14%3A00" in page.url
    page.emulate_media(media="print")
    page.locator(".wb-print__notes").nth(2).wait_for(state="attached")
    notes = page.locator(".wb-print__exercise").first.locator(".wb-print__notes")
    assert " ".join(notes.inner_text().split()) == "Notes pour l’animateur ou l’animatrice Notes."
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 4  # the plan, then one per exercise
    assert page.console_errors == []


def test_share_copies_the_link_or_shows_it(browser: Any, composer_site: tuple[str, Path]) -> None:
    url, _ = composer_site
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page = context.new_page()
    try:
        _open(page, url + "en/composer/?ids=hello,bye&title=Ours")
        page.get_by_role("button", name="Share the link").click()
        shared = page.locator(".wb-composer__shared")
        shared.get_by_text("Link copied").wait_for()  # the clipboard answers asynchronously
        assert shared.inner_text() == "Link copied: paste it into a message or an invitation."
        assert page.evaluate("navigator.clipboard.readText()") == page.url
        assert "ids=hello%2Cbye" in page.url
        # no clipboard (an old browser, a refusal): the link is shown to copy by hand
        page.evaluate(
            "() => { navigator.clipboard.writeText = () => Promise.reject(new Error('refused')); }"
        )
        page.get_by_role("button", name="Share the link").click()
        shared.get_by_text("Copy this link").wait_for()
        assert shared.inner_text() == "Copy this link to share the session: Link to this session"
        assert shared.locator("a").get_attribute("href") == page.url
    finally:
        context.close()
