"""One language's engine-neutral site model: pages, navigation and settings (plain strings).

The settings come from the project's workbook.yml; the engine adapters in
``generator/site/engines/`` turn the model into their own configuration.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from generator.models import RIGHT_TO_LEFT, Content
from generator.plural import forms
from generator.site import urls
from generator.site.engines.base import NavItem, Page, SiteModel
from generator.site.pages import page_templates, plain
from generator.templating import ui

# Strings the theme overrides print (header search box, language switch).
THEME_STRINGS = (
    "search_label",
    "search_placeholder",
    "search_results",
    "search_none",
    "search_count",
    "search_loading",
    "search_more",
    "search_unavailable",
    "switch_language",
    "switch_label",
    "skip_link",
    "palette_dark",
    "palette_light",
    "not_found_title",
    "not_found_text",
    "not_found_home",
)
# Counts the theme overrides print, in every plural form of the language (generator/plural.py).
THEME_COUNTS = ("search_count",)
NAV_EXTRA_ORDER = ("explorer", "composer")


BRAND_CSS = "assets/workbook/brand.css"
BRAND_DIR = "assets/brand"


def brand_css(content: Content) -> str:
    """The project's colours as Material's CSS variables (light and dark schemes)."""
    site = content.workbook.site
    return (
        "/* The project's colours, from workbook.yml (site.primary, site.accent). */\n"
        ':root, [data-md-color-scheme="default"], [data-md-color-scheme="slate"] {\n'
        f"  --md-primary-fg-color: {site.primary};\n"
        f"  --md-primary-fg-color--light: {site.primary};\n"
        f"  --md-primary-fg-color--dark: {site.primary};\n"
        "  --md-primary-bg-color: #ffffff;\n"
        "}\n"
        ':root, [data-md-color-scheme="default"] {\n'
        f"  --md-accent-fg-color: {site.accent};\n"
        f"  --md-typeset-a-color: {site.accent};\n"
        "}\n"
    )


def brand_files(content: Content) -> dict[str, Path]:
    """The project's logo and favicon, by their path in the docs folder."""
    root = Path(content.root)
    found = {}
    for name, relative in (
        ("logo", content.workbook.site.logo),
        ("favicon", content.workbook.site.favicon),
    ):
        if relative is not None:
            found[f"{BRAND_DIR}/{name}{Path(relative).suffix.lower()}"] = root / relative
    return found


NAV_BANKS_LIMIT = 12
"""Above this many banks the navigation lists none (the home page and explorer list them all):
every page carries the navigation, so 100 banks would add 25 KB to each of 4,000 pages."""


def _nav_entry(title: str, target: str | list[str]) -> NavItem:
    return (title, list(target) if isinstance(target, list) else target)


def navigation(content: Content, lang: str, pages: list[Page]) -> list[NavItem]:
    """Home, banks, explorer, composer, sets, guides, reference, bibliography, about.

    Exercise pages are not listed: at 2,000 exercises, every page would carry the whole list.
    """

    def t(key: str) -> str:
        return ui(key, lang)

    extras = list(page_templates())
    ordered = [name for name in NAV_EXTRA_ORDER if name in extras]
    ordered += [name for name in extras if name not in NAV_EXTRA_ORDER]
    titles = {page.doc: page.title for page in pages}
    nav: list[NavItem] = [_nav_entry(t("site.nav_home"), "index.md")]
    if len(content.banks) <= NAV_BANKS_LIMIT:
        banks = [urls.bank_doc(bank.id) for bank in content.banks]
        nav.append(_nav_entry(t("site.nav_banks"), banks))
    nav += [_nav_entry(titles[f"{name}.md"], f"{name}.md") for name in ordered]
    nav.append(
        _nav_entry(
            t("site.nav_sets"), ["sets/index.md"] + [urls.set_doc(item.id) for item in content.sets]
        )
    )
    nav.append(
        _nav_entry(
            t("site.nav_guides"),
            ["guides/index.md"]
            + [f"guides/{page}.md" for page in ("practitioner", "trainer", "supervision")],
        )
    )
    nav.append(_nav_entry(t("site.nav_reference"), "reference.md"))
    nav.append(_nav_entry(t("site.nav_bibliography"), "bibliography.md"))
    nav.append(_nav_entry(t("site.nav_about"), "about.md"))
    return nav


def direction(lang: str) -> str:
    """``rtl`` for a language written right to left, else ``ltr``."""
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def site_model(
    content: Content,
    lang: str,
    pages: list[Page],
    files: dict[str, str | bytes],
    theme_dir: Path,
) -> SiteModel:
    """The ``lang`` site: ``pages`` and ``files`` with the navigation and the settings.

    ``theme_dir`` holds the theme overrides: the tool's, with the project's on top.
    """
    workbook = content.workbook
    site_url = workbook.site.url
    up = "" if lang == urls.first_language() else "../"  # this site's root → output root
    address = site_url.rstrip("/") + "/" if site_url else ""
    # the output root as an absolute path: where the 404 pages (served at any depth) link to
    root_path = urlsplit(address).path or "/"
    languages = [
        {
            "code": code,
            "name": ui("language_name", code),
            "prefix": up + urls.lang_prefix(code),
            "address": address + urls.lang_prefix(code),
            "home": root_path + urls.lang_prefix(code),
            "dir": direction(code),
        }
        for code in content.languages
    ]
    footer = workbook.site.footer or workbook.licence
    brand = {Path(doc).stem: doc for doc in brand_files(content)}
    return SiteModel(
        lang=lang,
        pages=pages,
        files=files,
        nav=navigation(content, lang, pages),
        unlisted=["/exercises/"] + (["/banks/"] if len(content.banks) > NAV_BANKS_LIMIT else []),
        name=plain(workbook.title.get(lang), lang),
        description=plain((workbook.description or workbook.subtitle).get(lang), lang),
        copyright=plain(footer.get(lang), lang),
        url=site_url.rstrip("/") + "/" + urls.lang_prefix(lang) if site_url else None,
        logo=brand.get("logo"),
        favicon=brand.get("favicon"),
        css=["assets/workbook/site.css", BRAND_CSS, "assets/workbook/print.css"],
        modules=["assets/workbook/search.js"],
        theme_dir=theme_dir,
        direction=direction(lang),
        extra={
            "lang": lang,
            "dir": direction(lang),
            "language_name": ui("language_name", lang),
            # each language: from this site's root to the same page in it, and its address
            "languages": languages,
            "output_root": up,
            "root_path": root_path,
            "site_url": str(site_url or ""),
            **{key: ui(f"site.{key}", lang) for key in THEME_STRINGS},
            **{f"{key}_forms": forms(f"site.{key}", lang) for key in THEME_COUNTS},
        },
    )
