"""The site stage: Content → a site model per language → the engine adapter → Pagefind.

The first language is built at the output root, each other under ``<code>/``; all share page
paths, so the language switch lands on the same page. The engine (see
``--engine``) is reached only through its adapter in ``generator/site/engines/``.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from generator import resources
from generator.models import Content
from generator.site import urls
from generator.site.catalogue import CATALOGUE_PATH, catalogue_json, run_files
from generator.site.config import BRAND_CSS, brand_css, brand_files, site_model
from generator.site.engines import DEFAULT_ENGINE, SiteModel, engine_named
from generator.site.engines.base import Page, run_all
from generator.site.offline import add_offline_files, write_service_workers
from generator.site.output import compact_html, move_into
from generator.site.pages import site_pages
from generator.site.search import index_site
from generator.site.sitemap import write_sitemaps
from generator.templating import activate, active_project

logger = logging.getLogger("workbook")

__all__ = ["build_site", "site_files", "site_model_of"]


def site_files(
    content: Content, lang: str, *, with_pdfs: bool, pages: list[Page] | None = None
) -> tuple[list[Page], dict[str, str | bytes]]:
    """The pages of the ``lang`` site (unless given: `workbook serve` renders its own, see
    generator.site.preview) and every file of its docs folder, in memory."""
    if pages is None:
        pages = site_pages(content, lang, with_pdfs=with_pdfs)
    files: dict[str, str | bytes] = {}
    files[CATALOGUE_PATH] = catalogue_json(content, lang)
    files.update(run_files(content, lang))
    for name, asset in resources.tree("site/assets", active_project()).items():
        files[f"assets/workbook/{name}"] = asset.read_bytes()
    files[BRAND_CSS] = brand_css(content)
    for doc, path in brand_files(content).items():
        files[doc] = path.read_bytes()
    add_offline_files(files, content, lang)
    return pages, files


def theme_overrides(target: Path) -> Path:
    """Write the theme overrides (the tool's, the project's on top) into ``target``."""
    for name, path in resources.tree("site/overrides", active_project()).items():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(path.read_bytes())
    return target


def site_model_of(
    content: Content,
    lang: str,
    theme_dir: Path,
    *,
    with_pdfs: bool,
    pages: list[Page] | None = None,
) -> SiteModel:
    """The engine-neutral model of the ``lang`` site (with these ``pages``, when given)."""
    pages, files = site_files(content, lang, with_pdfs=with_pdfs, pages=pages)
    return site_model(content, lang, pages, files, theme_dir)


def build_site(
    content: Content, out_dir: Path, *, with_pdfs: bool, engine: str = DEFAULT_ENGINE
) -> list[str]:
    """Build the site in every language into ``out_dir``; return the relative paths written."""
    started = time.perf_counter()
    # render with this content's overrides and languages, whatever was loaded last
    activate(Path(content.root).resolve(), content.languages)
    adapter = engine_named(engine)
    out_dir.mkdir(parents=True, exist_ok=True)
    before = {path for path in out_dir.rglob("*") if path.is_file()}
    with tempfile.TemporaryDirectory(prefix="workbook-site-") as temporary:
        work = Path(temporary)
        commands = []
        docs: list[str] = []
        theme_dir = theme_overrides(work / "theme")
        for lang in content.languages:
            project = work / lang
            model = site_model_of(content, lang, theme_dir, with_pdfs=with_pdfs)
            docs = [page.doc for page in model.pages]  # the same in every language
            commands.append((f"{engine} ({lang})", adapter.prepare(model, project), project))
            logger.debug("site %s: %d pages generated", lang, len(model.pages))
        rendered = time.perf_counter()
        run_all(commands)
        engine_done = time.perf_counter()
        for lang in content.languages:
            compact_html(work / lang / "site")
            move_into(work / lang / "site", out_dir / urls.lang_prefix(lang))
    site_url = content.workbook.site.url
    write_sitemaps(out_dir, str(site_url) if site_url else None, list(content.languages), docs)
    index_site(out_dir)
    write_service_workers(content, out_dir, with_pdfs=with_pdfs)
    logger.debug(
        "site: pages %.1f s, %s %.1f s, compact and search index %.1f s",
        rendered - started,
        engine,
        engine_done - rendered,
        time.perf_counter() - engine_done,
    )
    written = sorted(
        path.relative_to(out_dir).as_posix()
        for path in out_dir.rglob("*")
        if path.is_file() and path not in before
    )
    logger.info("site: %d files in %.1f s", len(written), time.perf_counter() - started)
    return written
