"""The site offline and installable: a web manifest, its icon and a service worker per language.

Each language site gets, at its root (French at the output root, English under ``en/``):

- ``manifest.webmanifest`` and ``assets/workbook/icon.svg`` (in the docs folder, see
  :func:`add_offline_files`), which make the site installable;
- ``sw.js``, written after the build (see :func:`write_service_workers`), once Pagefind has
  indexed the site: it is the tool's ``templates/site/assets/sw.js`` with its settings filled
  in: the cache name, which holds a hash of the build (the site key of
  ``generator.incremental``), and the files to cache on the first visit: the language's home,
  journal and privacy pages, its assets and catalogue, and its search index. Pages are cached as
  they are visited. A new build changes the cache name, so the new worker replaces the old
  cache instead of mixing files of two builds.

The worker is served from the language's root, so its scope covers every page of the language
without a ``Service-Worker-Allowed`` header.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from generator import resources
from generator.models import RIGHT_TO_LEFT, Content
from generator.site import urls
from generator.site.pages import plain
from generator.templating import active_project, ui

logger = logging.getLogger("workbook")

SERVICE_WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
ICON = "assets/workbook/icon.svg"
TEMPLATE = "site/assets/sw.js"
SETTINGS_MARK = "{/* settings: filled in by generator/site/offline.py */}"
CACHE_PREFIX = "wb-journal-site-"
PAGES = ("journal.md", "privacy.md")
# Fragments of search results are cached on the first visit when there are few of them; above
# this many they are cached as searches fetch them.
FRAGMENT_LIMIT = 600
# Theme files the site never loads (Material's own search, source maps).
_SKIPPED_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def icon_svg(content: Content) -> str:
    """The application icon: an open notebook on the project's primary colour (maskable)."""
    colour = content.workbook.site.primary
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        f'<rect width="512" height="512" fill="{colour}"/>'
        '<path d="M256 176c-36-26-84-34-132-28v196c48-6 96 2 132 28 36-26 84-34 132-28V148'
        'c-48-6-96 2-132 28z" fill="none" stroke="#ffffff" stroke-width="22" '
        'stroke-linejoin="round"/>'
        '<path d="M256 176v196" stroke="#ffffff" stroke-width="22"/>'
        "</svg>\n"
    )


def manifest_json(content: Content, lang: str) -> str:
    """The web manifest of the ``lang`` site (its URLs are relative to the language's root)."""
    workbook = content.workbook
    name = plain(workbook.title.get(lang), lang)
    manifest = {
        "id": "./",
        "name": name,
        "short_name": name if len(name) <= 24 else name[:23].rstrip() + "…",
        "description": plain((workbook.description or workbook.subtitle).get(lang), lang),
        "lang": lang,
        "dir": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": workbook.site.primary,
        "icons": [
            {"src": ICON, "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": ICON, "sizes": "any", "type": "image/svg+xml", "purpose": "maskable"},
        ],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


def add_offline_files(files: dict[str, str | bytes], content: Content, lang: str) -> None:
    """Add the manifest and its icon to a language's docs files; drop the worker's template.

    The worker itself is written at the site's root after the build (it lists the search
    index, which does not exist yet); its template would be useless under ``assets/``.
    """
    files.pop(f"assets/workbook/{SERVICE_WORKER}", None)
    files[MANIFEST] = manifest_json(content, lang)
    files[ICON] = icon_svg(content)


def _search_files(out_dir: Path, lang: str) -> list[str]:
    """The Pagefind files one language's search needs, relative to the output root."""
    folder = out_dir / "pagefind"
    if not folder.is_dir():
        return []
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        language = entry["languages"][lang]
        index_hash, wasm = str(language["hash"]), str(language.get("wasm") or "unknown")
    except (OSError, ValueError, KeyError, TypeError):
        logger.debug("offline: no search index for %s", lang)
        return []
    found = [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-entry.json",
        f"pagefind/wasm.{wasm}.pagefind",
        f"pagefind/pagefind.{index_hash}.pf_meta",
    ]
    found = [name for name in found if (out_dir / name).is_file()]
    prefix = f"{lang}_"
    for kind in ("index", "filter"):
        found += sorted(
            f"pagefind/{kind}/{path.name}" for path in (folder / kind).glob(f"{prefix}*")
        )
    fragments = sorted(path.name for path in (folder / "fragment").glob(f"{prefix}*"))
    if len(fragments) <= FRAGMENT_LIMIT:
        found += [f"pagefind/fragment/{name}" for name in fragments]
    return found


def precache_list(out_dir: Path, lang: str) -> list[str]:
    """The files of the ``lang`` site cached on the first visit, relative to its root."""
    site = out_dir / urls.lang_prefix(lang)
    listed = ["./"]
    listed += [urls.url_of(doc) for doc in PAGES if (site / urls.url_of(doc)).is_dir()]
    for path in sorted((site / "assets").rglob("*")):
        relative = path.relative_to(site).as_posix()
        if (
            path.is_file()
            and not relative.endswith(".map")
            and not relative.startswith(_SKIPPED_ASSETS)
        ):
            listed.append(relative)
    # the catalogue, not the per-exercise data of subfolders (cached as pages use them)
    listed += sorted(
        path.relative_to(site).as_posix() for path in (site / "data").glob("*") if path.is_file()
    )
    if (site / MANIFEST).is_file():
        listed.append(MANIFEST)
    up = "" if lang == urls.first_language() else "../"
    listed += [up + name for name in _search_files(out_dir, lang)]
    return listed


def service_worker(out_dir: Path, lang: str, build_hash: str) -> str:
    """The text of the ``lang`` site's ``sw.js``."""
    template = resources.find(TEMPLATE, active_project()).read_text(encoding="utf-8")
    if SETTINGS_MARK not in template:
        raise ValueError(f"{TEMPLATE} has lost its settings mark {SETTINGS_MARK!r}")
    settings = {
        "cache": f"{CACHE_PREFIX}{lang}-{build_hash}",
        "prefix": f"{CACHE_PREFIX}{lang}-",
        "precache": precache_list(out_dir, lang),
        "offline": {
            "lang": lang,
            "dir": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
            "title": ui("journal.offline_title", lang),
            "text": ui("journal.offline_text", lang),
            "home": ui("site.nav_home", lang),
        },
    }
    text = json.dumps(settings, ensure_ascii=False, indent=1)
    # JSON is a JavaScript expression, but "</" and U+2028/9 are kept out all the same.
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return template.replace(SETTINGS_MARK, text)


def build_hash(content: Content, *, with_pdfs: bool) -> str:
    """A short hash of the build: the site key (content, templates, strings, tool, engines)."""
    from generator.incremental import site_key

    return site_key(content, with_pdfs=with_pdfs)[:16]


def write_service_workers(content: Content, out_dir: Path, *, with_pdfs: bool) -> None:
    """Write ``sw.js`` at the root of each language site of ``out_dir`` (after indexing)."""
    digest = build_hash(content, with_pdfs=with_pdfs)
    for lang in content.languages:
        target = out_dir / urls.lang_prefix(lang) / SERVICE_WORKER
        target.write_text(service_worker(out_dir, lang, digest), encoding="utf-8")
