"""The orchestrator: load → validate → render (site | pdf) → write, top to bottom."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import click

from generator.options import CONTENT_OPTION, verbosity
from generator.output import staged_directory
from generator.validate import load_content

logger = logging.getLogger("workbook")


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
    content_dir: Path, out_dir: Path, *, pdf: bool = True, jobs: int | None = None
) -> BuildReport:
    """Build the whole output (site and PDFs) into ``out_dir``, atomically."""
    from generator.pdf import build_pdfs
    from generator.site import build_site

    started = time.perf_counter()
    report = BuildReport()
    content = load_content(content_dir)
    logger.debug("loaded %d exercises from %s", len(content.exercises), content_dir)
    with staged_directory(out_dir) as staging:
        logger.debug("writing into %s; %s is replaced only at the end", staging, out_dir)
        report.built += build_site(content, staging, with_pdfs=pdf)
        if pdf:
            report.built += build_pdfs(content, staging, jobs=jobs or os.cpu_count() or 1)
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
    help="Output folder; replaced atomically at the end of a successful build.",
)
@click.option("--no-pdf", is_flag=True, help="Skip the PDF workbooks (a quick site preview).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering PDFs in parallel (default: the number of cores).",
)
@verbosity
def build_command(content_dir: Path, out_dir: Path, no_pdf: bool, jobs: int | None) -> None:
    """Build the site and the PDF workbooks into one folder.

    The content is checked first; on any problem nothing is written and the previous output
    stays as it was.

    \b
    Example:
      workbook build --content workbook --out site
    """
    report = build(content_dir, out_dir, pdf=not no_pdf, jobs=jobs)
    logger.info("%s → %s", report.summary(), out_dir)
