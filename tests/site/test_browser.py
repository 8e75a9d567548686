"""The built site in headless Chromium: search, explorer, language switch, crawl (axe-core in
both colour schemes: test_access.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from generator.site import build_site
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content
from tests.site.conftest import serve

pytestmark = pytest.mark.browser


def _search(page: Any, query: str) -> list[str]:
    box = page.locator("#wb-search-input")
    box.click()
    box.press_sequentially(query)
    page.locator(".wb-search__result").first.wait_for()
    return [str(text) for text in page.locator(".wb-search__title").all_inner_texts()]


@pytest.mark.parametrize(
    ("path", "plural", "singular"),
    [
        ("", "colères", "colère"),
        ("", "valeurs", "valeur"),
        ("", "ruptures", "rupture"),
        ("en/", "ruptures", "rupture"),
        ("en/", "values", "value"),
    ],
)
def test_a_plural_finds_its_singular_and_opens_the_exercise(
    page: Any, shipped_url: str, path: str, plural: str, singular: str
) -> None:
    page.goto(shipped_url + path)
    titles = _search(page, plural)
    assert titles
    assert page.locator(".wb-search__meta").first.inner_text()  # bank · duration
    exercise_link = page.locator(".wb-search__result[href*='/exercises/']").first
    exercise_link.click()
    page.wait_for_load_state()
    assert "/exercises/" in page.url
    assert (path == "en/") == ("/en/" in page.url)
    assert singular in page.locator("[data-pagefind-body]").inner_text().lower()
    assert page.console_errors == []


@pytest.fixture(scope="module")
def stemming_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Only the singular is written anywhere: a hit on the plural is the stemmer's doing."""
    root = tmp_path_factory.mktemp("stem")
    bank = bank_yaml(
        "alpha",
        [
            exercise_yaml("anger", title_fr="Accueillir la colère", title_en="Naming the rupture"),
            exercise_yaml("other", title_fr="Autre chose", title_en="Something else"),
        ],
    )
    content = load_content(write_content(root / "content", banks={"alpha": bank}))
    build_site(content, root / "site", with_pdfs=False)
    with serve(root / "site") as url:
        yield url


@pytest.mark.parametrize(
    ("path", "plural", "title"),
    [("", "colères", "Accueillir la colère"), ("en/", "ruptures", "Naming the rupture")],
)
def test_stemming_on_content_that_holds_only_the_singular(
    page: Any, stemming_site: str, path: str, plural: str, title: str
) -> None:
    page.goto(stemming_site + path)
    _search(page, plural)
    exercises = page.locator(".wb-search__result[href*='/exercises/']")
    assert exercises.locator(".wb-search__title").all_inner_texts() == [title]
    exercises.first.click()
    page.wait_for_load_state()
    assert page.url == f"{stemming_site}{path}exercises/anger/"


def _count(page: Any, facet: str, value: str) -> int:
    text = page.locator(f"label[for='wb-{facet}-{value}'] .wb-facet__count").inner_text()
    return int(text.strip("()"))


def test_explorer_filters_counts_and_url_state(page: Any, shipped_url: str) -> None:
    page.goto(shipped_url + "explorer/")
    cards = page.locator(".wb-explorer .wb-card")
    status = page.locator(".wb-explorer__status")
    status.wait_for()
    total = int(status.inner_text().split()[-1])
    assert total == cards.count() or cards.count() == 60
    solo = _count(page, "format", "solo")
    page.locator("#wb-format-solo").check()
    assert status.inner_text().startswith(f"{solo} ")
    assert "format=solo" in page.url
    bond_with_solo = _count(page, "component", "bond")
    page.locator("#wb-component-bond").check()
    assert status.inner_text().startswith(f"{bond_with_solo} ")
    page.locator("#wb-minutes-max").fill("20")
    shown = int(status.inner_text().split()[0])
    assert shown <= bond_with_solo
    badges = page.locator(".wb-explorer .wb-card .wb-badge--minutes").all_inner_texts()
    assert all(int(text.split()[-2]) <= 20 for text in badges)
    assert "max=20" in page.url and "component=bond" in page.url
    page.reload()
    status.wait_for()
    assert page.locator("#wb-format-solo").is_checked()
    assert page.locator("#wb-component-bond").is_checked()
    assert page.locator("#wb-minutes-max").input_value() == "20"
    assert int(status.inner_text().split()[0]) == shown
    page.get_by_role("button", name="Effacer les filtres").click()
    assert status.inner_text().startswith(f"{total} ")
    assert page.console_errors == []


def test_language_switch_lands_on_the_same_exercise(page: Any, shipped_url: str) -> None:
    page.goto(shipped_url + "exercises/jaw-and-shoulders-map/")
    page.locator(".wb-lang__menu > summary").click()
    page.locator(".wb-lang__choice[hreflang='en']").click()
    page.wait_for_load_state()
    assert page.url == shipped_url + "en/exercises/jaw-and-shoulders-map/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#wb-search-input").get_attribute("placeholder") == "Search"
    page.locator(".wb-lang__menu > summary").click()
    page.locator(".wb-lang__choice[hreflang='fr']").click()
    page.wait_for_load_state()
    assert page.url == shipped_url + "exercises/jaw-and-shoulders-map/"
    assert page.locator("#wb-search-input").get_attribute("placeholder") == "Rechercher"


def test_crawl_finds_no_broken_link_no_console_error_and_stays_local(
    page: Any, shipped_url: str
) -> None:
    """Visit every page reachable from the home page (both languages); check every link."""
    failures: list[str] = []

    def on_response(response: Any) -> None:
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    seen: set[str] = set()
    queue = [shipped_url]
    checked_links: set[str] = set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
        for href in hrefs:
            target, _ = urldefrag(href)
            if not target.startswith(shipped_url):
                continue
            if target.endswith("/") and target not in seen:
                queue.append(target)
            elif not target.endswith("/") and target not in checked_links:
                checked_links.add(target)
                response = page.request.get(target)
                if not response.ok:
                    failures.append(f"{response.status} {target} (linked from {url})")
    assert len(seen) > 100
    assert shipped_url + "en/exercises/jaw-and-shoulders-map/" in seen
    assert failures == []
    assert page.console_errors == []
    host = urlparse(shipped_url).netloc
    assert {urlparse(url).netloc for url in page.requests} == {host}


def test_links_of_the_pages_resolve_inside_the_site(shipped_site: Path) -> None:
    """Without a browser: every relative href of the explorer and bank pages is a file."""
    for html_file in [
        shipped_site / "banks/self-awareness/index.html",
        shipped_site / "en/bibliography/index.html",
    ]:
        html = html_file.read_text(encoding="utf-8")
        base = "http://x/" + html_file.relative_to(shipped_site).as_posix()
        for raw in re.findall(r'href="([^"]+)', html):
            href = urldefrag(unescape(raw))[0]  # an engine may write "/" as "&#x2f;" (Zensical)
            if not href:
                continue
            target = urljoin(base, href)
            if not target.startswith("http://x/"):
                continue
            path = shipped_site / urlparse(target).path.lstrip("/")
            assert path.exists() or (path / "index.html").exists(), (html_file, href)
