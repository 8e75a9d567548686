"""Four languages in Chromium: German stemming, the language menu keeps the page's state,
and the Arabic pages pass axe-core in both colour schemes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.site.conftest import serve
from tests.test_languages import EXERCISE, four_languages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("four")
    project = four_languages(root / "project")
    result = CliRunner().invoke(
        cli,
        ["build", "--no-pdf", "--content", str(project), "--out", str(root / "site"), "--no-cache"],
    )
    assert result.exit_code == 0, result.output
    with serve(Path(root / "site")) as url:
        yield url


def test_a_german_plural_finds_its_singular(page: Any, site: str) -> None:
    """Only "Beziehungen" is written: "Beziehung" finds it through Pagefind's German stemmer."""
    page.goto(site + "de/")
    box = page.locator("#wb-search-input")
    box.click()
    box.press_sequentially("Beziehung")
    result = page.locator(f".wb-search__result[href*='/exercises/{EXERCISE}/']")
    result.first.wait_for()
    assert "/de/" in result.first.get_attribute("href")


def test_the_language_menu_keeps_the_explorer_filters(page: Any, site: str) -> None:
    page.goto(site + "de/explorer/")
    page.locator(".wb-explorer .wb-card").first.wait_for()
    page.locator("#wb-format-group").check()
    assert "format=group" in page.url
    page.locator(".wb-lang__menu > summary").click()
    page.locator(".wb-lang__choice[hreflang='ar']").click()
    page.wait_for_url("**/ar/explorer/**")
    assert "format=group" in page.url
    assert page.locator("#wb-format-group").is_checked()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["ar/", f"ar/exercises/{EXERCISE}/", "ar/explorer/"])
def test_arabic_pages_pass_axe(browser: Any, site: str, path: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(site + path)
        assert page.locator("body").get_attribute("dir") == "rtl"
        results = Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()
