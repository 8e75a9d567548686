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
        exercise_yaml(
            f"anger-{index}",
            minutes=5 * (index + 1),
            title_fr=f"Colère numéro {index}",
            title_en=f"Anger number {index}",
        )
        for index in range(COUNT)
    ]
    content = load_content(
        write_content(root / "content", banks={"alpha": bank_yaml("alpha", exercises)})
    )
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
    """Wait for search.js's DOM event (for ``query`` if given), recorded by RECORD.

    Polled from here: the pages' Content-Security-Policy forbids the eval that
    ``wait_for_function`` polls with."""
    seen = (
        "([type, query]) => window.__searchEvents.some("
        "(e) => e.type === type && (query === null || e.query === query))"
    )
    for _ in range(500):
        if page.evaluate(seen, [event, query]):
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"no {event} event for {query!r}")


def _fragments(page: Any) -> list[str]:
    return [url for url in page.requests if "/pagefind/fragment/" in url]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "query", "count", "more", "bank"),
    [
        ("", "colères", "{n} résultats", "Plus de résultats", "Banque"),
        ("en/", "anger", "{n} results", "More results", "Bank"),
    ],
)
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
    page.locator(".wb-search__result").nth(total - 1).wait_for()
    assert button.count() == 0
    assert len(set(_fragments(page))) == total
    assert page.locator(".wb-search__result[href*='/exercises/']").count() == COUNT
    # the first newly loaded result has the focus, for keyboard users
    assert (
        page.evaluate(
            "[...document.querySelectorAll('.wb-search__result')].indexOf(document.activeElement)"
        )
        == FIRST
    )
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


@pytest.fixture(scope="module")
def hint_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Exercises whose own texts never say "espace" or "space"; their pages still show the
    write-in hint "Espace de réponse : 4 lignes" / "Answer space: 4 lines"."""
    root = tmp_path_factory.mktemp("hint")
    exercises = [
        exercise_yaml("compass", title_fr="La boussole intérieure", title_en="The inner compass"),
        exercise_yaml("other", title_fr="Le fil rouge", title_en="The red thread"),
    ]
    content = load_content(
        write_content(root / "content", banks={"alpha": bank_yaml("alpha", exercises)})
    )
    build_site(content, root / "site", with_pdfs=False)
    with serve(root / "site") as url:
        yield url


FIND = """async ([root, query]) => {
  const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
  await pagefind.options({ baseUrl: new URL(root).pathname });
  const search = await pagefind.search(query);
  return Promise.all(search.results.map(result => result.data().then(
    data => [data.url, data.content, data.excerpt])));
}"""
HINTS = {"": "espace de réponse", "en/": "answer space"}


def _through(hits: list[list[str]], text: str) -> list[str]:
    """The exercise pages found whose indexed text holds ``text`` (the field reference
    documents the answer space: it may say so)."""
    return [url for url, content, _ in hits if "/exercises/" in url and text in content.lower()]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "hint", "word", "found"),
    [
        ("", "espace", "boussole", "/exercises/compass/"),
        ("en/", "space", "compass", "/en/exercises/compass/"),
    ],
)
def test_interface_text_is_not_searched_and_exercise_text_is(
    page: Any, hint_site: str, path: str, hint: str, word: str, found: str
) -> None:
    """The write-in hint, section headings and badges carry data-pagefind-ignore: no page is
    found through the hint, and no exercise page indexes it; a word of an exercise's own text
    still finds the exercise."""
    page.goto(hint_site + path)
    hits = page.evaluate(FIND, [hint_site, hint])
    assert _through(hits, HINTS[path]) == []
    assert not any(
        f"<mark>{hint}" in excerpt.lower() for url, _, excerpt in hits if "/exercises/" in url
    )
    exercise = page.evaluate(FIND, [hint_site, word])
    assert found in [url for url, _, _ in exercise]
    content = next(text for url, text, _ in exercise if url == found).lower()
    for interface in (HINTS[path], "étapes" if not path else "steps", "min"):
        assert f" {interface} " not in f" {content} ", interface
    assert ("remarqué" if not path else "notice") in content  # the prompt itself is searched


@pytest.mark.browser
@pytest.mark.parametrize(("path", "hint"), [("", "espace"), ("en/", "space")])
def test_no_shipped_page_is_found_through_the_write_in_hint(
    page: Any, shipped_url: str, path: str, hint: str
) -> None:
    page.goto(shipped_url + path)
    hits = page.evaluate(FIND, [shipped_url, hint])
    assert _through(hits, HINTS[path]) == []
    exercise = page.evaluate(FIND, [shipped_url, "mâchoire" if not path else "jaw"])
    assert any("/exercises/jaw-and-shoulders-map/" in url for url, _, _ in exercise)
