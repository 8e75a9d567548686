"""The site as people really meet it (issue #22), in headless Chromium: both colour schemes
pass axe-core, every control shows its focus above the sticky header, a skip link on every
page, focus kept after "Show more", no placeholder left unfilled, no heading level skipped,
no sideways scroll on a phone, counts by the browser's plural rules."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest

from generator.plural import category
from generator.strings import shipped_languages

pytestmark = pytest.mark.browser

COMPOSED = "composer/?ids=what-i-bring-in-check-in,jaw-and-shoulders-map"
# One page of each type the brief names (axe, in both schemes and both languages).
AXE_PAGES = [
    "",
    "banks/self-awareness/",
    "exercises/jaw-and-shoulders-map/",
    "explorer/",
    COMPOSED,
    "sets/",
    "sets/rupture-supervision-90/",
    "guides/",
    "guides/supervision/",
]
# Every page type of the site (layout, headings, placeholders).
PAGE_TYPES = [
    *AXE_PAGES,
    "reference/",
    "bibliography/",
    "about/",
    "journal/",
    "privacy/",
    "run/?set=rupture-supervision-90",
    "404.html",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _ready(page: Any, path: str) -> None:
    """Wait until the page's own scripts have drawn it."""
    if path.startswith(("explorer", "composer")):
        page.locator(".wb-explorer .wb-card").first.wait_for()
    if path.startswith("composer"):
        page.locator(".wb-composer__item").first.wait_for()
    if path.startswith("run"):
        page.locator(".wb-run").first.wait_for()


@pytest.fixture(params=["light", "dark"])
def scheme_page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        color_scheme=request.param, viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.scheme = request.param
    yield tab
    context.close()


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_nothing_in_either_colour_scheme(
    scheme_page: Any, shipped_url: str, lang: str, path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = scheme_page
    page.goto(shipped_url + lang + path)
    _ready(page, path)
    expected = "slate" if page.scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    if path in ("", "exercises/jaw-and-shoulders-map/"):  # the search results panel too
        page.locator("#wb-search-input").press_sequentially("rupture")
        page.locator(".wb-search__result").first.wait_for()
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", [path for path in PAGE_TYPES if path not in AXE_PAGES])
def test_axe_finds_nothing_on_the_other_page_types_either(
    scheme_page: Any, shipped_url: str, path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    scheme_page.goto(shipped_url + path)
    _ready(scheme_page, path)
    results = Axe().run(
        scheme_page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()


FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  // what is drawn at the middle of the control: the sticky header, or the control
  const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
  const hit = box.height ? document.elementFromPoint(x, y) : null;
  return {
    name: `${element.tagName} ${element.id} ${String(element.className).slice(0, 40)}`,
    body: element === document.body,
    outline: style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0,
    shadow: style.boxShadow !== "none",
    covered: !!(hit && hit.closest(".md-header") && !element.closest(".md-header")),
  };
}"""


@pytest.mark.parametrize(
    "path", ["", "exercises/jaw-and-shoulders-map/", "explorer/", COMPOSED, "404.html"]
)
def test_every_control_shows_its_focus_below_the_header(
    scheme_page: Any, shipped_url: str, path: str
) -> None:
    """Tab through the whole page: each stop has a ring of 2 px or more, and the sticky header
    never covers it (scroll-padding)."""
    page = scheme_page
    page.goto(shipped_url + path)
    _ready(page, path)
    stops, hidden, covered = 0, [], []
    for _ in range(400):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUSED)
        if found["body"]:
            break
        stops += 1
        if found["outline"] < 2 and not found["shadow"]:
            hidden.append(found["name"])
        if found["covered"]:
            covered.append(found["name"])
    assert stops > 5
    assert hidden == []
    assert covered == []


def test_the_skip_link_comes_first_and_leads_to_the_content(page: Any, shipped_url: str) -> None:
    for path in ("", "en/exercises/jaw-and-shoulders-map/", "explorer/", "404.html"):
        page.goto(shipped_url + path)
        page.keyboard.press("Tab")
        skip = page.locator(".wb-skip")
        assert page.evaluate("document.activeElement.className").startswith("md-skip wb-skip")
        assert skip.inner_text() == ("Skip to content" if "en/" in path else "Aller au contenu")
        opacity = "element => getComputedStyle(element).opacity"
        for _ in range(50):  # it fades in
            if skip.evaluate(opacity) == "1":
                break
            page.wait_for_timeout(20)
        assert skip.evaluate(opacity) == "1"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "wb-content"
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('.md-content')"), path


def test_show_more_sends_the_focus_to_the_first_new_card(page: Any, shipped_url: str) -> None:
    page.goto(shipped_url + "explorer/")
    cards = page.locator(".wb-explorer .wb-card")
    cards.first.wait_for()
    before = cards.count()
    more = page.locator(".wb-explorer__more")
    more.focus()
    page.keyboard.press("Enter")
    assert cards.count() > before
    focused = page.evaluate("document.activeElement.closest('.wb-card')?.querySelector('a').href")
    assert focused == cards.nth(before).locator("a").first.evaluate("link => link.href")
    page.keyboard.press("Tab")  # on from the new card, not from the top of the page
    index = page.evaluate(
        "[...document.querySelectorAll('.wb-explorer .wb-card')]"
        ".indexOf(document.activeElement.closest('.wb-card'))"
    )
    assert index == before + 1


UNFILLED = re.compile(r"\{\w+\}")
TEXTS = """() => [document.body.innerText, ...[...document.querySelectorAll(
  "[aria-label], [title], [placeholder], [alt]")].flatMap(element => ["aria-label", "title",
  "placeholder", "alt"].map(name => element.getAttribute(name) || ""))].join("\\n")"""
HEADINGS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
  .filter(heading => !heading.closest("[hidden], .wb-print"))
  .map(heading => Number(heading.tagName[1]))"""


@pytest.mark.parametrize("lang", ["", "en/"])
def test_no_placeholder_is_left_unfilled_and_no_heading_level_is_skipped(
    page: Any, shipped_url: str, lang: str
) -> None:
    """What a screen reader reads: every {n} filled in (cards, counts, labels), and headings
    that go down one level at a time, on every page type once its scripts have run."""
    for path in PAGE_TYPES:
        page.goto(shipped_url + lang + path)
        _ready(page, path)
        text = page.evaluate(TEXTS)
        assert not UNFILLED.search(text), (path, UNFILLED.findall(text))
        levels = page.evaluate(HEADINGS)
        assert levels and levels[0] == 1, (path, levels)
        jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert jumps == [], (path, levels)
    assert page.console_errors == []


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_on_a_phone(browser: Any, shipped_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        wide = []
        for lang in ("", "en/"):
            for path in PAGE_TYPES:
                page.goto(shipped_url + lang + path)
                _ready(page, path)
                scroll, inner = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll > inner:
                    wide.append((lang + path, scroll))
        assert wide == []
        # the search box opens and its results stay on screen
        page.goto(shipped_url)
        page.locator("#wb-search-input").press_sequentially("rupture")
        page.locator(".wb-search__result").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = page.locator(".wb-search__results").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    finally:
        context.close()


def test_counts_use_the_browser_plural_rules(page: Any) -> None:
    """generator/plural.py picks the same form as Intl.PluralRules, in every shipped language."""
    numbers = [*range(0, 230), 1000, 1001, 100_000, 1_000_000, 2_000_000, 1_000_001]
    page.set_content("<html></html>")
    for lang in shipped_languages():
        browser_categories = page.evaluate(
            "([lang, numbers]) => numbers.map(n => new Intl.PluralRules(lang).select(n))",
            [lang, numbers],
        )
        assert [category(n, lang) for n in numbers] == browser_categories, lang


def test_counts_read_as_words_in_the_page(page: Any, shipped_url: str) -> None:
    status = page.locator(".wb-explorer__status")
    for path, expected in [
        ("explorer/?q=signaux+du+corps", r"1 exercice sur \d+"),
        ("explorer/?q=zzzz", r"0 exercice sur \d+"),  # French: 0 takes the singular
        ("explorer/", r"\d+ exercices sur \d+"),
        ("en/explorer/?q=body-signal", r"1 exercise shown out of \d+"),
        ("en/explorer/?q=zzzz", r"0 exercises shown out of \d+"),
    ]:
        page.goto(shipped_url + path)
        status.wait_for()
        assert re.fullmatch(expected, status.inner_text()), (path, status.inner_text())
    page.goto(shipped_url + "en/explorer/")
    status.wait_for()
    assert re.fullmatch(r"\d+ exercises shown out of \d+", status.inner_text())
    assert "(s)" not in page.locator("body").inner_text()
    page.goto(shipped_url + "en/")
    page.locator("#wb-search-input").press_sequentially("rupture")
    page.locator(".wb-search__result").first.wait_for()
    assert re.fullmatch(r"\d+ results", page.locator(".wb-search__message").inner_text())
