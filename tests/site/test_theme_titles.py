"""Titles reach the theme HTML-escaped once; no attribute escapes them a second time (a screen
reader would read "&#39;" in the previous/next links, a tooltip would show "&amp;")."""

from __future__ import annotations

import html.parser
import json
from pathlib import Path

import pytest

from generator.site import build_site
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content

TITLES = {"fr": "L'atelier & co", "en": "Tom's & co"}
BANKS = {"fr": "L'alliance & <b>", "en": 'Bank\'s & "co"'}


class _Attributes(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("title", "aria-label") and value:
                self.found.append((tag, name, value))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("titles")
    alpha = bank_yaml("alpha", [exercise_yaml("first")]).replace(
        "title: {fr: Banque, en: Bank}",
        f"title: {{fr: {json.dumps(BANKS['fr'])}, en: {json.dumps(BANKS['en'])}}}",
    )
    beta = bank_yaml("beta", [exercise_yaml("second")])
    content = write_content(root / "content", banks={"alpha": alpha, "beta": beta})
    workbook = content / "workbook.yml"
    workbook.write_text(
        workbook.read_text(encoding="utf-8").replace(
            "title: {fr: Cahier, en: Workbook}",
            f'title: {{fr: "{TITLES["fr"]}", en: "{TITLES["en"]}"}}',
        ),
        encoding="utf-8",
    )
    build_site(load_content(content), root / "site", with_pdfs=False)
    return root / "site"


def _attributes(page: Path) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


@pytest.mark.parametrize(
    ("lang", "prefix", "previous"), [("fr", "", "Précédent"), ("en", "en/", "Previous")]
)
def test_titles_are_read_once_in_every_attribute(
    site: Path, lang: str, prefix: str, previous: str
) -> None:
    pages = sorted((site / prefix).glob("**/index.html"))
    assert len(pages) > 10
    for page in pages:
        for tag, name, value in _attributes(page):
            assert "&#" not in value and "&amp;" not in value and "&lt;" not in value, (
                page,
                tag,
                name,
                value,
            )
    home = _attributes(site / prefix / "index.html")
    logos = [value for tag, name, value in home if tag == "a" and name == "title"]
    assert logos.count(TITLES[lang]) == 2  # the logo's tooltip, in the header and the drawer
    beta = _attributes(site / prefix / "banks" / "beta" / "index.html")
    assert ("a", "aria-label", f"{previous}: {BANKS[lang]}") in beta
