"""The site stage: Content → Markdown pages + mkdocs.yml per language → mkdocs → Pagefind.

French is built at the output root, English under ``en/``; both share page paths, so the
language switch lands on the same page.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from generator import resources
from generator.models import LANGUAGES, Content
from generator.site import urls
from generator.site.catalogue import CATALOGUE_PATH, catalogue_json
from generator.site.config import BRAND_CSS, brand_css, brand_files, site_config
from generator.site.engine import compact_html, move_into, run_mkdocs_parallel, write_project
from generator.site.pages import Page, site_pages
from generator.site.search import index_site
from generator.templating import active_project

logger = logging.getLogger("workbook")

__all__ = ["build_site", "site_files"]


def site_files(content: Content, lang: str, *, with_pdfs: bool) -> tuple[list[Page],
                                                                        dict[str, str | bytes]]:
    """The pages of the ``lang`` site and every file of its docs folder, in memory."""
    pages = site_pages(content, lang, with_pdfs=with_pdfs)
    files: dict[str, str | bytes] = {page.doc: page.markdown() for page in pages}
    files[CATALOGUE_PATH] = catalogue_json(content, lang)
    for name, asset in resources.tree("site/assets", active_project()).items():
        files[f"assets/workbook/{name}"] = asset.read_bytes()
    files[BRAND_CSS] = brand_css(content)
    for doc, path in brand_files(content).items():
        files[doc] = path.read_bytes()
    return pages, files


def theme_overrides(target: Path) -> Path:
    """Write the theme overrides (the tool's, the project's on top) into ``target``."""
    for name, path in resources.tree("site/overrides", active_project()).items():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(path.read_bytes())
    return target


def build_site(content: Content, out_dir: Path, *, with_pdfs: bool) -> list[str]:
    """Build the bilingual site into ``out_dir``; return the relative paths written."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    before = {path for path in out_dir.rglob("*") if path.is_file()}
    with tempfile.TemporaryDirectory(prefix="workbook-site-") as temporary:
        work = Path(temporary)
        config_files = []
        custom_dir = theme_overrides(work / "theme")
        for lang in LANGUAGES:
            project = work / lang
            pages, files = site_files(content, lang, with_pdfs=with_pdfs)
            config = site_config(
                content, lang, pages, project / "docs", project / "site", custom_dir
            )
            config_files.append(write_project(project, files, config))
            logger.debug("site %s: %d pages generated", lang, len(pages))
        rendered = time.perf_counter()
        run_mkdocs_parallel(config_files)
        engine_done = time.perf_counter()
        for lang in LANGUAGES:
            compact_html(work / lang / "site")
            move_into(work / lang / "site", out_dir / urls.lang_prefix(lang))
    index_site(out_dir)
    logger.debug(
        "site: pages %.1f s, mkdocs %.1f s, compact and search index %.1f s",
        rendered - started, engine_done - rendered, time.perf_counter() - engine_done,
    )
    written = sorted(
        path.relative_to(out_dir).as_posix()
        for path in out_dir.rglob("*")
        if path.is_file() and path not in before
    )
    logger.info("site: %d files in %.1f s", len(written), time.perf_counter() - started)
    return written
