"""Workbooks from parts: typeset what no cache holds, in parallel, then merge and stamp.

For each workbook: the parts but the contents (their page counts are counted in their cached
files, or come from typesetting them), then the contents with literal page numbers (typeset
again, rarely, when its own length was guessed wrong), then the whole workbook: from the cache
when every input is unchanged, else merged, stamped and sanitised. Parts are the unit of work
in the process pool, and each distinct part is typeset once however many workbooks hold it.

Memory stays flat as content grows: parts and workbooks go from the workers to files in the
cache (a temporary one without ``--cache``), never through this process; workers merge
from those files. Jobs wait in a queue by priority (merges, then the small parts that
unblock a workbook, then the rest), so that a workbook is merged as soon as its parts are
ready rather than after every part of the build.
"""

from __future__ import annotations

import json
import logging
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from generator import resources
from generator.cache import Cache, digest, temporary_cache
from generator.models import RIGHT_TO_LEFT, Content
from generator.output import copy_file_atomic
from generator.pdf import render
from generator.pdf.assemble import assemble_workbook
from generator.pdf.document import PrintOptions
from generator.pdf.jobs import BODY, MERGE, UNBLOCK, JobQueue, workers
from generator.pdf.parts import (
    Layout,
    Part,
    code_digest,
    content_headers,
    contents_part,
    counted_pages,
    edition_label,
    folio,
    guess_contents_pages,
    sheet_part,
    start_pages,
    workbook_layout,
)
from generator.pdf.selection import DocumentPlan
from generator.pdf.stamp import PageStamp
from generator.settings import settings_digest
from generator.templating import activate, active_project

logger = logging.getLogger("workbook")

MAX_CONTENTS_TRIES = 3


@dataclass(frozen=True)
class Request:
    """One workbook to write: what it holds, how it is printed, where it goes."""

    plan: DocumentPlan
    options: PrintOptions
    path: Path
    label: str


@dataclass
class Outcome:
    built: list[str] = field(default_factory=list)  # workbooks for which parts were typeset
    cached: list[str] = field(default_factory=list)  # the others: every part from the cache
    typeset: int = 0  # parts typeset
    pages: int = 0  # pages typeset


@dataclass(eq=False)
class _Book:
    request: Request
    layout: Layout
    contents_guess: int
    tries: int = 0
    contents: Part | None = None
    sheet: Part | None = None
    key: str | None = None
    stamps: list[PageStamp | None] = field(default_factory=list)
    pending: set[str] = field(default_factory=set)  # parts being typeset that it waits for
    done: bool = False

    def parts(self) -> list[Part]:
        if self.layout.handout:  # its exercise alone
            return [self.layout.cover]
        assert self.contents is not None
        return [self.layout.cover, self.contents, *self.layout.body]


class Pipeline:
    """Produce a list of workbooks (see the module's docstring)."""

    def __init__(
        self,
        content: Content,
        cache: Cache,
        executor: Executor,
        progress: Callable[[str], None] | None,
    ) -> None:
        assert cache.folder is not None, "parts wait on disk: the pipeline needs a cache folder"
        self.content, self.cache, self.executor, self.progress = content, cache, executor, progress
        # Parts depend on the print files (overrides included), the project's print font and
        # logo, and the code that shapes them: any change there rebuilds them (and, through the
        # glyph sheet's key, the workbooks).
        self.templates = digest(
            resources.tree_digest("print", active_project()),
            settings_digest(content),
            code_digest(),
        )
        self.memo: dict[tuple[str, PrintOptions], str] = {}
        self.memo_options: PrintOptions | None = None
        self.headers: dict[str, frozenset[str]] = {}
        self.pages: dict[str, int] = {}
        self.files: dict[str, Path] = {}  # part key → its verified file in the cache
        self.typeset: set[str] = set()
        self.jobs = JobQueue(executor)
        self.running: set[str] = set()
        self.waiting: dict[str, list[_Book]] = {}
        self.merging: dict[str, list[_Book]] = {}  # workbook key → the requests it serves
        self.outcome = Outcome()

    def _queue(
        self, priority: int, book: _Book, kind: str, item: Any, job: Callable[..., Any], *args: Any
    ) -> None:
        # Merges and contents: the biggest workbook first (it ends the build if it comes
        # last); the body parts in the order the workbooks came.
        rank = 0 if priority == BODY else -len(book.layout.body)
        self.jobs.push(priority, rank, kind, item, job, *args)

    # -- parts: from the cache, or typeset ----------------------------------------------------
    def _typeset(self, part: Part, book: _Book) -> None:
        if part.key not in book.pending:
            book.pending.add(part.key)
            self.waiting.setdefault(part.key, []).append(book)
        if part.key not in self.running:
            self.running.add(part.key)
            target = self.cache.scratch(f"{part.key}.{os.getpid()}.pdf")
            priority = BODY if part.kind in ("section", "exercise", "bibliography") else UNBLOCK
            self._queue(
                priority,
                book,
                "part",
                (part, target),
                render.typeset_part,
                part.html,
                part.fillable,
                target,
            )

    def _page_count(self, part: Part, book: _Book) -> int | None:
        if part.key not in self.pages and self._file(part, book) is None:
            return None
        return self.pages[part.key]

    def _file(self, part: Part, book: _Book) -> Path | None:
        """The part's verified file in the cache, its page count read from the file itself;
        None when it must be typeset (it then is)."""
        if part.key not in self.files:
            found = self.cache.entry("pdf-part", part.key)
            pages = None if found is None else counted_pages(*found)
            if found is None or pages is None:
                self._typeset(part, book)
                return None
            self.files[part.key], self.pages[part.key] = found[0], pages
        return self.files[part.key]

    def _part_done(self, part: Part, target: Path, count: int) -> None:
        self.files[part.key] = self.cache.put_file("pdf-part", part.key, target, {"pages": count})
        self.pages[part.key] = count
        self.typeset.add(part.key)
        self.outcome.typeset += 1
        self.outcome.pages += count
        logger.debug(
            "typeset %s part %s (%s): %d pages", part.kind, part.anchor or "-", part.key[:12], count
        )
        self.running.discard(part.key)
        for book in self.waiting.pop(part.key, []):
            book.pending.discard(part.key)
            self._advance(book)

    # -- workbooks ----------------------------------------------------------------------------
    def add(self, request: Request) -> None:
        if request.options != self.memo_options:
            self.memo.clear()  # workbooks come by language and edition: the others are done
            self.memo_options = request.options
        layout = workbook_layout(
            self.content, request.plan, request.options, self.templates, self.memo
        )
        book = _Book(request, layout, guess_contents_pages(layout))
        lang = request.options.lang
        if lang not in self.headers:
            self.headers[lang] = content_headers(self.content, lang)
        book.sheet = sheet_part(self.content, layout, self.templates, self.headers[lang])
        self._file(book.sheet, book)  # one per language and edition: typeset early, once
        self._advance(book)

    def _advance(self, book: _Book) -> None:
        if book.done or book.pending:
            return
        layout = book.layout
        while book.key is None:
            counts = [self._page_count(p, book) for p in (layout.cover, *layout.body)]
            if None in counts:
                return
            if not layout.handout:  # a handout has no contents
                starts = start_pages(layout, self.pages, book.contents_guess)
                book.contents = contents_part(self.content, layout, starts, self.templates)
                pages = self._page_count(book.contents, book)
                if pages is None:
                    return
                book.tries += 1
                if pages != book.contents_guess and book.tries < MAX_CONTENTS_TRIES:
                    book.contents_guess = pages
                    continue
            book.key, book.stamps = self._key_and_stamps(book)
            stored = self.cache.path("pdf", book.key)
            if stored is not None:
                self._write(book, stored, cached=True)
                return
        assert book.sheet is not None
        found = [(self._file(p, book), p.nested) for p in book.parts()]
        sheet = self._file(book.sheet, book)
        parts = [(path, nested) for path, nested in found if path is not None]
        if sheet is None or len(parts) < len(found):
            return
        if book.key in self.merging:  # the same workbook twice (e.g. two equal names)
            self.merging[book.key].append(book)
            return
        self.merging[book.key] = [book]
        target = self.cache.scratch(f"{book.key}.{os.getpid()}.pdf")
        self._queue(
            MERGE,
            book,
            "book",
            (book, target),
            assemble_workbook,
            parts,
            sheet,
            book.sheet.shaped,
            book.request.options.lang in RIGHT_TO_LEFT,
            book.stamps,
            target,
        )

    def _key_and_stamps(self, book: _Book) -> tuple[str, list[PageStamp | None]]:
        options, parts = book.request.options, book.parts()
        total = sum(self.pages[p.key] for p in parts)
        stamps: list[PageStamp | None] = []
        for part in parts:
            for _ in range(self.pages[part.key]):
                if part.kind == "cover":
                    stamps.append(None)
                    continue
                stamps.append(
                    PageStamp(
                        part.header or "",
                        edition_label(options),
                        options.participant or "",
                        folio(options, len(stamps) + 1, total),
                    )
                )
        assert book.sheet is not None
        key = digest(  # the sheet's key holds the code's digest (see ``code_digest``)
            f"pikepdf=={pikepdf.__version__}",
            book.sheet.key,
            json.dumps([p.key for p in parts] + [p.nested for p in parts]),
            json.dumps([None if s is None else list(vars(s).values()) for s in stamps]),
        )
        return key, stamps

    def _write(self, book: _Book, source: Path, *, cached: bool) -> None:
        """Copy the workbook's file from the cache to its place, atomically."""
        book.done = True
        copy_file_atomic(source, book.request.path)
        if cached:
            self.outcome.cached.append(book.request.label)
        if self.progress:
            self.progress(book.request.label)

    def _book_done(self, book: _Book, target: Path) -> None:
        assert book.key is not None and book.sheet is not None
        stored = self.cache.put_file("pdf", book.key, target)
        untouched = not any(p.key in self.typeset for p in [*book.parts(), book.sheet])
        for same in self.merging.pop(book.key):
            self._write(same, stored, cached=untouched)

    def run(self, requests: list[Request]) -> Outcome:
        unread = deque(requests)
        while unread or self.jobs:
            # Lay out the next workbook while the workers have enough to do.
            if unread and not self.jobs.has_enough():
                self.add(unread.popleft())
                self.jobs.pump()
                continue
            for kind, (item, target), result in self.jobs.finished():
                if kind == "part":
                    self._part_done(item, target, result)
                else:
                    self._book_done(item, target)
        cached = set(self.outcome.cached)
        self.outcome.built = [r.label for r in requests if r.label not in cached]
        self.outcome.cached = [r.label for r in requests if r.label in cached]
        missing = [r.label for r in requests if not r.path.exists()]
        assert not missing, f"workbooks not written: {missing}"
        return self.outcome


def produce(
    content: Content,
    requests: list[Request],
    *,
    jobs: int,
    cache: Cache | None = None,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Write every requested workbook, typesetting parts in ``jobs`` processes."""
    # render with this content's overrides and languages, whatever was loaded last
    activate(Path(content.root).resolve(), content.languages)
    if cache is None or cache.folder is None:
        with temporary_cache() as scratch:
            return produce(content, requests, jobs=jobs, cache=scratch, progress=progress)
    try:
        with workers(jobs) as executor:
            return Pipeline(content, cache, executor, progress).run(requests)
    finally:  # what a failed job left behind
        for leftover in cache.scratch("-").parent.glob(f"*.{os.getpid()}.pdf"):
            leftover.unlink(missing_ok=True)
