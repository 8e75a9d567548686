"""The generated mkdocs.yml of one language site, merged with the project's root mkdocs.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from generator.models import LANGUAGES, Content
from generator.site import urls
from generator.site.pages import Page, page_templates, plain
from generator.templating import TEMPLATES, ui

ROOT_CONFIG = TEMPLATES.parent / "mkdocs.yml"
OVERRIDES = TEMPLATES / "site" / "overrides"
# Strings the theme overrides print (header search box, language switch).
THEME_STRINGS = (
    "search_label", "search_placeholder", "search_results", "search_none", "search_count",
    "search_loading", "search_more", "search_unavailable", "switch_language", "switch_label",
)
NAV_EXTRA_ORDER = ("explorer", "composer")


def root_settings() -> dict[str, Any]:
    """The site's own settings (palette, features, copyright) from the root mkdocs.yml."""
    if not ROOT_CONFIG.is_file():
        return {}
    return dict(yaml.safe_load(ROOT_CONFIG.read_text(encoding="utf-8")) or {})


NAV_BANKS_LIMIT = 12
"""Above this many banks the navigation lists none (the home page and explorer list them all):
every page carries the navigation, so 100 banks would add 25 KB to each of 4,000 pages."""


def _nav_entry(title: str, target: Any) -> dict[str, Any]:
    return {str(escape(title)): target}


def navigation(content: Content, lang: str, pages: list[Page]) -> list[Any]:
    """Home, banks, explorer, composer, sets, guides, reference, bibliography, about.

    Exercise pages are not listed: at 2,000 exercises, every page would carry the whole list.
    """

    def t(key: str) -> str:
        return ui(key, lang)

    extras = list(page_templates())
    ordered = [name for name in NAV_EXTRA_ORDER if name in extras]
    ordered += [name for name in extras if name not in NAV_EXTRA_ORDER]
    titles = {page.doc: page.title for page in pages}
    nav: list[Any] = [_nav_entry(t("site.nav_home"), "index.md")]
    if len(content.banks) <= NAV_BANKS_LIMIT:
        banks = [urls.bank_doc(bank.id) for bank in content.banks]
        nav.append(_nav_entry(t("site.nav_banks"), banks))
    nav += [_nav_entry(titles[f"{name}.md"], f"{name}.md") for name in ordered]
    nav.append(
        _nav_entry(t("site.nav_sets"),
                   ["sets/index.md"] + [urls.set_doc(item.id) for item in content.sets])
    )
    nav.append(
        _nav_entry(t("site.nav_guides"),
                   ["guides/index.md"] + [f"guides/{page}.md" for page in
                                          ("practitioner", "trainer", "supervision")])
    )
    nav.append(_nav_entry(t("site.nav_reference"), "reference.md"))
    nav.append(_nav_entry(t("site.nav_bibliography"), "bibliography.md"))
    nav.append(_nav_entry(t("site.nav_about"), "about.md"))
    return nav


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def site_config(
    content: Content, lang: str, pages: list[Page], docs_dir: Path, site_dir: Path
) -> dict[str, Any]:
    """The mkdocs configuration of the ``lang`` site (a plain dict, written as mkdocs.yml)."""
    other = next(code for code in LANGUAGES if code != lang)
    settings = root_settings()
    site_url = settings.get("site_url")
    if site_url:
        settings["site_url"] = str(site_url).rstrip("/") + "/" + urls.lang_prefix(lang)
    generated: dict[str, Any] = {
        "site_name": str(escape(plain(content.workbook.title.get(lang), lang))),
        "site_description": str(escape(plain(
            (content.workbook.description or content.workbook.subtitle).get(lang), lang))),
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "theme": {"name": "material", "language": lang, "custom_dir": str(OVERRIDES),
                  "font": False},
        "plugins": [],
        "nav": navigation(content, lang, pages),
        "not_in_nav": "/exercises/\n"
        + ("/banks/\n" if len(content.banks) > NAV_BANKS_LIMIT else ""),
        "markdown_extensions": ["attr_list"],
        "extra_css": ["assets/workbook/site.css"],
        "extra_javascript": [{"path": "assets/workbook/search.js", "type": "module"}],
        "validation": {"nav": {"omitted_files": "info", "absolute_links": "info"},
                       "links": {"absolute_links": "info", "unrecognized_links": "info"}},
        "extra": {
            "wb": {
                "lang": lang,
                "other_lang": other,
                # from this site's root to the same page in the other language
                "other_prefix": "en/" if lang == urls.FIRST_LANGUAGE else "../",
                "output_root": "" if lang == urls.FIRST_LANGUAGE else "../",
                "site_url": str(site_url or ""),
                **{key: ui(f"site.{key}", lang) for key in THEME_STRINGS},
            },
        },
    }
    config = _merge(settings, generated)
    config["extra"] = _merge(settings.get("extra") or {}, generated["extra"])
    config["theme"]["font"] = False  # never let the root file turn Google fonts back on
    return config
