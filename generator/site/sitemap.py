"""Sitemaps of the built site, the same whatever the engine.

A sitemap needs absolute addresses, so it exists only when ``site.url`` is set in
workbook.yml: ``sitemap.xml`` at the output root lists every page of every language, each with
its ``hreflang`` alternates, and ``<lang>/sitemap.xml`` lists the pages of one other language
(with a ``.gz`` copy of each, as the engines write them). Without ``site.url`` the engines'
empty sitemaps are removed: an empty list would tell a search engine the site has no page.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from xml.sax.saxutils import quoteattr

from generator.site import urls

NAMES = ("sitemap.xml", "sitemap.xml.gz")


def _entries(address: str, languages: list[str], docs: list[str], lang: str) -> list[str]:
    lines = []
    for doc in docs:
        page = urls.url_of(doc)
        alternates = "".join(
            f'\n    <xhtml:link rel="alternate" hreflang="{code}" '
            f"href={quoteattr(address + urls.lang_prefix(code) + page)}/>"
            for code in languages
        )
        loc = (address + urls.lang_prefix(lang) + page).replace("&", "&amp;")
        lines.append(f"  <url>\n    <loc>{loc}</loc>{alternates}\n  </url>")
    return lines


def sitemap_xml(entries: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n"
    )


def sitemaps(site_url: str | None, languages: list[str], docs: list[str]) -> dict[str, str]:
    """Every sitemap file by its path in the output folder (none without ``site_url``)."""
    if not site_url:
        return {}
    address = site_url.rstrip("/") + "/"
    ordered = sorted(docs, key=urls.url_of)
    per_language = {lang: _entries(address, languages, ordered, lang) for lang in languages}
    files = {
        "sitemap.xml": sitemap_xml([line for lang in languages for line in per_language[lang]])
    }
    for lang in languages[1:]:
        files[f"{urls.lang_prefix(lang)}sitemap.xml"] = sitemap_xml(per_language[lang])
    return files


def write_sitemaps(
    out_dir: Path, site_url: str | None, languages: list[str], docs: list[str]
) -> None:
    """Replace the engines' sitemaps in ``out_dir`` with :func:`sitemaps` (and their .gz)."""
    for lang in languages:
        for name in NAMES:
            (out_dir / urls.lang_prefix(lang) / name).unlink(missing_ok=True)
    for relative, text in sitemaps(site_url, languages, docs).items():
        target = out_dir / relative
        target.write_text(text, encoding="utf-8")
        with gzip.GzipFile(target.with_name(target.name + ".gz"), "wb", mtime=0) as packed:
            packed.write(text.encode("utf-8"))
