"""The header search: Pagefind bundle trimmed, first results limited, bank and duration shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site import build_site
from generator.site.search import UNUSED
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content
from tests.site.conftest import serve

FIRST = 5  # results whose fragments load first (search.js)
MORE = 10  # results each click on "more" loads (search.js)
COUNT = 8  # exercises that all match the query


def test_the_unused_pagefind_ui_files_are_not_shipped(shipped_site: Path) -> None:
    bundle = shipped_site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-worker.js").is_file()
    assert [name for name in UNUSED if (bundle / name).exists()] == []


@pytest.fixture(scope="module")
def many_matches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Eight exercises of one bank whose titles all say "colère" / "anger"."""
    root = tmp_path_factory.mktemp("many")
    exercises = [
        exercise_yaml(f"anger-{index}", minutes=5 * (index + 1),
                      title_fr=f"Colère numéro {index}", title_en=f"Anger number {index}")
        for index in range(COUNT)
    ]
    content = load_content(write_content(root / "content",
                                         banks={"alpha": bank_yaml("alpha", exercises)}))
    build_site(content, root / "site", with_pdfs=False)
    with serve(root / "site") as url:
        yield url


RECORD = """
window.__searchEvents = [];
for (const type of ["wb-search-ready", "wb-search-results"]) {
  document.addEventListener(type, (event) => window.__searchEvents.push(
    {type, query: event.detail ? event.detail.query : null}));
}
"""


def _wait_for(page: Any, event: str, query: str | None = None) -> None:
    """Wait for search.js's DOM event (for ``query`` if given), recorded by RECORD."""
    page.wait_for_function(
        "([type, query]) => window.__searchEvents.some("
        "(e) => e.type === type && (query === null || e.query === query))",
        arg=[event, query],
    )


def _fragments(page: Any) -> list[str]:
    return [url for url in page.requests if "/pagefind/fragment/" in url]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "query", "count", "more", "bank"),
                         [("", "colères", "{n} résultat(s)", "Plus de résultats", "Banque"),
                          ("en/", "anger", "{n} result(s)", "More results", "Bank")])
def test_search_shows_the_first_results_with_bank_and_duration_then_more_on_demand(
    page: Any, many_matches: str, path: str, query: str, count: str, more: str, bank: str
) -> None:
    page.add_init_script(RECORD)
    page.goto(many_matches + path)
    box = page.locator("#wb-search-input")
    box.focus()
    _wait_for(page, "wb-search-ready")
    box.press_sequentially(query)
    _wait_for(page, "wb-search-results", query)
    # the 8 exercises match, and so do pages listing them (home, bank): 5 shown, 5 fetched
    message = page.locator(".wb-search__message").inner_text()
    total = int(message.split(" ")[0])
    assert message == count.format(n=total)
    assert COUNT <= total <= FIRST + MORE
    results = page.locator(".wb-search__result")
    assert results.count() == FIRST
    assert len(set(_fragments(page))) == FIRST
    exercises = page.locator(".wb-search__result[href*='/exercises/']")
    assert exercises.count() >= 1
    for meta in exercises.locator(".wb-search__meta").all_inner_texts():
        name, minutes = meta.split(" · ")
        assert name == bank
        assert minutes.endswith(" min") and int(minutes.removesuffix(" min")) % 5 == 0
    button = page.get_by_role("button", name=more)
    button.click()
    page.wait_for_function(
        f"document.querySelectorAll('.wb-search__result').length === {total}")
    assert button.count() == 0
    assert len(set(_fragments(page))) == total
    assert page.locator(".wb-search__result[href*='/exercises/']").count() == COUNT
    # the first newly loaded result has the focus, for keyboard users
    assert page.evaluate(
        "[...document.querySelectorAll('.wb-search__result')].indexOf(document.activeElement)"
    ) == FIRST
    assert page.console_errors == []


@pytest.mark.browser
def test_a_single_letter_shows_nothing_and_the_text_typed_after_it_is_found(
    page: Any, many_matches: str
) -> None:
    page.add_init_script(RECORD)
    page.goto(many_matches)
    box = page.locator("#wb-search-input")
    box.press_sequentially("c")
    assert page.locator(".wb-search__results").is_hidden()
    box.press_sequentially("olère")
    _wait_for(page, "wb-search-results", "colère")
    assert page.locator(".wb-search__result").count() == FIRST
    assert page.console_errors == []
