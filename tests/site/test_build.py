"""The real engine: mkdocs --strict and Pagefind on small content and on the shipped content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.models import DEFAULT_LANGUAGES as LANGUAGES
from generator.site import build_site, site_model_of, theme_overrides
from generator.site.engines import ENGINES, engine_named
from generator.site.engines.base import run_all
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content
from tests.site.conftest import BUILD_SECONDS

_EXTERNAL = re.compile(r"""<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)=["'](?:https?:)?//""")


@pytest.mark.parametrize("engine", ENGINES)
def test_generated_project_passes_the_engine_in_strict_mode(tmp_path: Path, engine: str) -> None:
    """Each engine's adapter builds the generated project with warnings as errors."""
    adapter = engine_named(engine)
    assert adapter.available(), f"{engine} is in the test extra: pip install -e '.[test]'"
    content = load_content(write_content(tmp_path / "content"))
    theme_dir = theme_overrides(tmp_path / "theme")
    commands = []
    for lang in LANGUAGES:
        model = site_model_of(content, lang, theme_dir, with_pdfs=True)
        commands.append((lang, adapter.prepare(model, tmp_path / lang), tmp_path / lang))
    run_all(commands)
    for lang in LANGUAGES:
        assert (tmp_path / lang / "site" / "exercises" / "first" / "index.html").is_file()


def test_build_site_writes_both_languages_and_the_search_index(tmp_path: Path) -> None:
    bank = bank_yaml(
        "alpha",
        [
            exercise_yaml("evil", title_fr="<script>alert(1)</script>", title_en="Fine"),
            exercise_yaml("second"),
        ],
    )
    content = load_content(write_content(tmp_path / "content", banks={"alpha": bank}))
    out = tmp_path / "site"
    written = build_site(content, out, with_pdfs=False)
    for path in (
        "index.html",
        "en/index.html",
        "banks/alpha/index.html",
        "en/exercises/evil/index.html",
        "explorer/index.html",
        "en/explorer/index.html",
        "data/exercises.json",
        "en/data/exercises.json",
        "pagefind/pagefind.js",
        "assets/workbook/explorer.js",
        "bibliography/index.html",
        "reference/index.html",
        "sets/index.html",
        "guides/supervision/index.html",
        "about/index.html",
    ):
        assert path in written, path
    html = (out / "exercises/evil/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; - Cahier</title>" in html
    assert '<h1 class="wb-exercise__title">&lt;script&gt;alert(1)&lt;/script&gt;</h1>' in html
    assert '<meta name="description" content="Résumé de l’exercice.">' in html
    assert '<html lang="fr"' in html
    en = (out / "en/exercises/evil/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in en
    assert 'href="../../../exercises/evil/" hreflang="fr"' in en
    assert 'href="../../en/exercises/evil/" hreflang="en"' in html
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"fr", "en"}


def test_shipped_site_is_small_local_and_described(shipped_site: Path) -> None:
    content = load_content(Path(__file__).resolve().parents[2] / "workbook")
    pages = list(shipped_site.rglob("*.html"))
    assert len([p for p in pages if "/exercises/" in p.as_posix()]) == 2 * len(content.exercises)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not _EXTERNAL.search(html), page
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        if page.name == "index.html":
            assert re.search(r'<meta name="description" content="[^"]{10,}">', html), page
    size = sum(f.stat().st_size for f in shipped_site.rglob("*") if f.is_file())
    home = (shipped_site / "index.html").stat().st_size
    print(
        f"shipped site: {size / 1e6:.1f} MB, home {home / 1e3:.0f} KB, "
        f"built in {BUILD_SECONDS.get('shipped', 0):.1f} s"
    )
    assert home < 100_000


def test_workbook_build_no_pdf_writes_the_site(tmp_path: Path) -> None:
    write_content(tmp_path / "content")
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--content",
            str(tmp_path / "content"),
            "--out",
            str(tmp_path / "out"),
            "--no-pdf",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "en" / "exercises" / "first" / "index.html").is_file()


# ---- issue #22: valid markup, sitemaps, the 404 pages and the scheme toggle per language ------


def test_the_theme_markup_is_made_valid() -> None:
    from generator.site.output import conform_html

    html = (
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" '
        'autocomplete="off"><label class="md-overlay" for="__drawer" aria-hidden="true"></label>'
        '<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">'
        '<input id="wb-search-input" type="search" autocomplete="off">'
        '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">'
    )
    assert conform_html(html) == (
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" '
        'aria-hidden="true" tabindex="-1"><label class="md-overlay" for="__drawer"></label>'
        '<label class="md-nav__link" for="__nav_2" id="__nav_2_label">'
        '<input id="wb-search-input" type="search" autocomplete="off">'
        '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc" aria-hidden="true" '
        'tabindex="-1">'
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_sitemaps_list_every_page_when_the_site_has_an_address(tmp_path: Path, engine: str) -> None:
    from xml.etree import ElementTree

    from generator.site.urls import url_of

    content_dir = write_content(tmp_path / "content")
    settings = content_dir / "workbook.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "site:\n  url: https://example.org/alliance/\n",
        encoding="utf-8",
    )
    content = load_content(content_dir)
    out = tmp_path / "site"
    build_site(content, out, with_pdfs=False, engine=engine)
    docs = {page.doc for page in site_model_of(content, "fr", tmp_path, with_pdfs=False).pages}
    pages = {"https://example.org/alliance/" + url_of(doc) for doc in docs}
    english = {"https://example.org/alliance/en/" + url_of(doc) for doc in docs}
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def listed(path: Path) -> set[str]:
        root = ElementTree.fromstring(path.read_bytes())
        return {loc.text or "" for loc in root.findall("s:url/s:loc", namespace)}

    assert listed(out / "sitemap.xml") == pages | english  # the whole site
    assert listed(out / "en" / "sitemap.xml") == english
    assert len(pages) >= 14 and "https://example.org/alliance/exercises/first/" in pages
    assert (out / "sitemap.xml.gz").is_file() and (out / "en" / "sitemap.xml.gz").is_file()
    alternates = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert (
        '<xhtml:link rel="alternate" hreflang="en" '
        'href="https://example.org/alliance/en/exercises/first/"/>' in alternates
    )
    # the 404 pages of a site under a path link to each language's home by its absolute path
    for page in (out / "404.html", out / "en" / "404.html"):
        html = page.read_text(encoding="utf-8")
        assert 'href="/alliance/" hreflang="fr"' in html or 'href="&#x2f;alliance&#x2f;"' in html
        assert "//" not in html.split('class="wb-lang__list"')[1].split("</ul>")[0]


def test_no_sitemap_without_an_address(shipped_site: Path) -> None:
    """Without site.url a sitemap could hold no absolute address: none is written."""
    assert not (shipped_site / "sitemap.xml").exists()
    assert not (shipped_site / "en" / "sitemap.xml").exists()
    assert not (shipped_site / "sitemap.xml.gz").exists()


def test_the_404_pages_and_the_scheme_toggle_speak_their_language(shipped_site: Path) -> None:
    import html as entities

    def text(path: str) -> str:
        return entities.unescape((shipped_site / path).read_text(encoding="utf-8"))

    french, english = text("404.html"), text("en/404.html")
    assert "<h1>Page introuvable</h1>" in french and "<h1>Page not found</h1>" in english
    for page in (french, english):
        menu = page.split('class="wb-lang__list"')[1].split("</ul>")[0]
        assert 'href="/" hreflang="fr"' in menu and 'href="/en/" hreflang="en"' in menu
        assert "404 - Not found" not in page
    home_fr, home_en = text("index.html"), text("en/index.html")
    assert 'aria-label="Passer en mode sombre"' in home_fr and "Switch to" not in home_fr
    assert 'aria-label="Switch to dark mode"' in home_en and "Passer en mode" not in home_en
    assert '<a class="md-skip wb-skip" href="#wb-content">Aller au contenu' in home_fr
