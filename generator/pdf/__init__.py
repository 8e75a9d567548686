"""The PDF stage: Content → printable workbooks (WeasyPrint), one process per core."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.models import Content
from generator.output import write_bytes_atomic
from generator.pdf.catalog import PdfTarget, pdf_targets
from generator.pdf.document import PrintOptions, document_html, html_digest
from generator.pdf.render import render_pdf
from generator.pdf.selection import DocumentPlan, document_plan

logger = logging.getLogger("workbook")

__all__ = ["PrintJob", "build_pdfs", "print_pdf", "run_jobs"]


@dataclass(frozen=True)
class PrintJob:
    """One PDF to write: what it holds, how it is printed, and where it goes."""

    plan: DocumentPlan
    options: PrintOptions
    path: Path


def print_pdf(content: Content, plan: DocumentPlan, options: PrintOptions) -> bytes:
    """One workbook as PDF bytes (identical bytes for identical input)."""
    html = document_html(content, plan, options)
    return render_pdf(html, fillable=options.fillable, identifier=html_digest(html))


_worker_content: Content | None = None


def _init_worker(content: Content, level: int | None = None) -> None:
    """Hold the content for ``_run``; in a new process, log like the parent did."""
    global _worker_content
    _worker_content = content
    if level is not None and not logger.handlers:  # a spawned (not forked) process
        from generator import log

        log.configure()
        logger.setLevel(level)


def _run(job: PrintJob) -> tuple[str, float]:
    assert _worker_content is not None
    started = time.perf_counter()
    data = print_pdf(_worker_content, job.plan, job.options)
    write_bytes_atomic(job.path, data)
    return str(job.path), time.perf_counter() - started


def run_jobs(
    content: Content,
    jobs: Sequence[PrintJob],
    *,
    workers: int,
    done: Callable[[str, float], None] | None = None,
) -> None:
    """Write every job's PDF, in ``workers`` processes (in this one when 1)."""
    if workers <= 1 or len(jobs) <= 1:
        _init_worker(content)
        results = map(_run, jobs)
        for path, seconds in results:
            if done:
                done(path, seconds)
        return
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        initializer=_init_worker,
        initargs=(content, logger.level),
    ) as pool:
        for path, seconds in pool.map(_run, jobs):
            if done:
                done(path, seconds)


def _cost(target: PdfTarget) -> int:
    """Bigger documents first, so that no process is left with the longest one at the end."""
    return {"all": 0, "set": 1, "bank": 1}[target.scope]


def build_pdfs(content: Content, out_dir: Path, *, jobs: int) -> list[str]:
    """Write every workbook of the catalog under ``out_dir``; return their relative paths."""
    targets = sorted(pdf_targets(content), key=_cost)
    print_jobs = [
        PrintJob(
            document_plan(content, target.scope, target.id),
            PrintOptions(lang=target.lang, edition=target.edition),  # type: ignore[arg-type]
            out_dir / target.path,
        )
        for target in targets
    ]
    started = time.perf_counter()

    def done(path: str, seconds: float) -> None:
        logger.debug("wrote %s in %.2f s", Path(path).relative_to(out_dir), seconds)

    run_jobs(content, print_jobs, workers=jobs, done=done)
    logger.info(
        "wrote %d PDF workbooks in %.1f s (%d processes)",
        len(print_jobs),
        time.perf_counter() - started,
        max(1, min(jobs, len(print_jobs))),
    )
    return [target.path for target in targets]
