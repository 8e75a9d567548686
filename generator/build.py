"""The orchestrator: load → validate → render (site | pdf) → write, top to bottom."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import click

from generator.cache import Cache, digest
from generator.incremental import remember_site, reuse_site, site_key
from generator.options import CONTENT_OPTION, ENGINE_OPTION, JOBS_OPTION, verbosity
from generator.output import staged_directory
from generator.pdf.catalog import pdf_targets
from generator.progress import progress
from generator.site.engines import DEFAULT_ENGINE, installed_engines
from generator.site.engines.base import EngineMissing
from generator.validate import load_content

logger = logging.getLogger("workbook")
DEFAULT_CACHE = Path(".workbook-cache")


@dataclass
class BuildReport:
    """What a build did, for its final line."""

    built: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"built {len(self.built)} outputs, {len(self.cached)} from cache, "
            f"in {self.seconds:.1f} s"
        )


def build(
    content_dir: Path,
    out_dir: Path,
    *,
    pdf: bool = True,
    jobs: int | None = None,
    cache_dir: Path | None = DEFAULT_CACHE,
    engine: str = DEFAULT_ENGINE,
) -> BuildReport:
    """Build the whole output (site and PDFs) into ``out_dir``, atomically.

    ``out_dir`` must be new, empty or a previous output (it holds the marker file), and may
    neither be nor contain the content, cache, current or home folder; a link is followed.

    With a cache folder, the site is reused when none of its inputs changed and each PDF
    part comes from the cache when its own inputs did not change.
    """
    from generator.pdf import build_pdfs
    from generator.site import build_site
    from generator.site.engines import engine_named

    adapter = engine_named(engine)
    if not adapter.available():
        raise EngineMissing(
            f"the site engine '{engine}' is not installed here: install it, or choose one of "
            f"{', '.join(installed_engines()) or 'none: reinstall the tool'} with --engine"
        )
    started = time.perf_counter()
    report = BuildReport()
    protected = {"the content folder": content_dir}
    if cache_dir is not None:
        protected["the cache folder"] = cache_dir
    # A dangerous --out is refused before any work; one build at a time from here on.
    with staged_directory(out_dir, protected) as staging:
        content = load_content(content_dir)
        logger.debug("loaded %d exercises from %s", len(content.exercises), content_dir)
        key = digest(site_key(content, with_pdfs=pdf), engine, adapter.version())
        logger.debug("writing into %s; %s is replaced only at the end", staging, out_dir)
        reused = reuse_site(cache_dir, out_dir, key, staging)
        if reused is not None:
            logger.info("site: unchanged, %d files kept", len(reused))
            report.cached += reused
        else:
            site = build_site(content, staging, with_pdfs=pdf, engine=engine)
            report.built += site
            remember_site(cache_dir, out_dir, key, staging, site)
        if pdf:
            cache = Cache(cache_dir / "pdf" if cache_dir is not None else None)
            targets = pdf_targets(content)
            with progress("PDF workbooks", len(targets)) as advance:
                built, cached = build_pdfs(
                    content,
                    staging,
                    jobs=jobs or os.cpu_count() or 1,
                    cache=cache,
                    progress=advance,
                )
            report.built += built
            report.cached += cached
    report.seconds = time.perf_counter() - started
    return report


@click.command("build")
@CONTENT_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="Output folder; replaced atomically at the end of a successful build. It must be "
    "new, empty or a previous output, and hold neither the project nor the cache; a link to a "
    "folder is followed.",
)
@click.option("--no-pdf", is_flag=True, help="Skip the PDF workbooks (a quick site preview).")
@JOBS_OPTION
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_CACHE,
    show_default=True,
    help="Folder keeping what later builds can reuse (checked before use, never trusted).",
)
@click.option("--no-cache", is_flag=True, help="Rebuild everything and keep nothing.")
@ENGINE_OPTION
@verbosity
def build_command(
    content_dir: Path,
    out_dir: Path,
    no_pdf: bool,
    jobs: int | None,
    cache_dir: Path,
    no_cache: bool,
    engine: str,
) -> None:
    """Build the site and the PDF workbooks into one folder.

    The content is checked first; on any problem nothing is written and the previous output
    stays as it was. PDFs go to pdf/<lang>/: one per bank, per set and the complete workbook
    (in volumes of whole banks above 250 exercises), participant and facilitator editions.

    \b
    Example:
      workbook build --content workbook --out site
      workbook build --no-pdf --engine zensical --out preview
    """
    report = build(
        content_dir,
        out_dir,
        pdf=not no_pdf,
        jobs=jobs,
        cache_dir=None if no_cache else cache_dir,
        engine=engine,
    )
    logger.info("%s → %s", report.summary(), out_dir)
