"""The PDF stage: Content → printable workbooks (WeasyPrint), typeset by parts in parallel.

A workbook is typeset as parts (cover, contents, sections, exercises, bibliography; see
parts.py), cached by the hash of what each depends on, merged (assemble.py), and given its
running headers and footers (stamp.py); pipeline.py schedules it all over the processes,
through the priority queue of jobs.py.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.cache import Cache
from generator.models import Content
from generator.pdf.catalog import PdfTarget, pdf_path, pdf_targets
from generator.pdf.document import PrintOptions
from generator.pdf.pipeline import Outcome, Request, produce
from generator.pdf.selection import DocumentPlan, document_plan

logger = logging.getLogger("workbook")

__all__ = ["Outcome", "Request", "build_pdfs", "print_pdf", "produce"]


def print_pdf(content: Content, plan: DocumentPlan, options: PrintOptions) -> bytes:
    """One workbook as PDF bytes (identical bytes for identical input), in this process."""
    with tempfile.TemporaryDirectory(prefix="workbook-pdf-") as folder:
        path = Path(folder) / "workbook.pdf"
        produce(content, [Request(plan, options, path, path.name)], jobs=1)
        return path.read_bytes()


def _order(target: PdfTarget) -> tuple[str, str, int]:
    """By language and edition, the complete workbook first: its parts are typeset first and
    shared with the banks and sets that follow it, which then need little more work; the
    one-exercise handouts last, made of parts typeset by then."""
    return target.lang, target.edition, {"all": 0, "set": 1, "bank": 1, "exercise": 2}[target.scope]


def build_pdfs(
    content: Content,
    out_dir: Path,
    *,
    jobs: int,
    cache: Cache | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[str], list[str]]:
    """Write every workbook of the catalog under ``out_dir``.

    Every workbook is written; return the relative paths of those for which parts were
    typeset (then merged and stamped), and of the others (every part came from ``cache``).
    """
    targets = sorted(pdf_targets(content), key=_order)
    requests = [
        Request(
            document_plan(content, target.scope, target.id),
            PrintOptions(
                lang=target.lang,
                edition=target.edition,  # type: ignore[arg-type]
                paper=content.workbook.print_settings.paper,
            ),
            out_dir / target.path,
            target.path,
        )
        for target in targets
    ]
    started = time.perf_counter()
    outcome = produce(content, requests, jobs=jobs, cache=cache, progress=progress)
    logger.info(
        "wrote %d PDF workbooks in %.1f s (%d processes): typeset %d parts (%d pages), "
        "%d workbooks entirely from cache",
        len(outcome.built) + len(outcome.cached),
        time.perf_counter() - started,
        max(1, jobs),
        outcome.typeset,
        outcome.pages,
        len(outcome.cached),
    )
    warn_long_handouts(content, out_dir)
    return outcome.built, outcome.cached


def warn_long_handouts(content: Content, out_dir: Path) -> list[str]:
    """Warn about each short exercise (``Exercise.short``) whose participant handout takes
    more than one page, in any language: a check-in or a closing round is handed out on one
    sheet. Return the warnings."""
    import pikepdf

    warnings = []
    for bank in content.banks:
        for exercise in (exercise for exercise in bank.exercises if exercise.short):
            for lang in content.languages:
                path = out_dir / pdf_path("exercise", exercise.id, lang, "participant")
                with pikepdf.open(path) as pdf:
                    pages = len(pdf.pages)
                if pages > 1:
                    prompts = len(exercise.prompts)
                    size = f"{exercise.minutes} min, {prompts} prompt{'s' if prompts != 1 else ''}"
                    warnings.append(
                        f"banks/{bank.id}.yml: exercise '{exercise.id}' is short ({size}) but its "
                        f"{lang} handout takes {pages} pages: tighten its texts to fit one page"
                    )
    for warning in warnings[:SHOWN_WARNINGS]:
        logger.warning("%s", warning)
    if len(warnings) > SHOWN_WARNINGS:
        logger.warning(
            "… and %d more short exercises whose handout takes more than one page",
            len(warnings) - SHOWN_WARNINGS,
        )
    return warnings


SHOWN_WARNINGS = 10
"""Long handouts named one by one; more are counted in one line."""
