"""Workbooks from parts: typeset what no cache holds, in parallel, then merge and stamp.

For each workbook: the parts but the contents (their page counts come from the cache or from
typesetting them), then the contents with literal page numbers (typeset again, rarely, when
its own length was guessed wrong), then the whole workbook: from the cache when every input
is unchanged, else merged and stamped. Parts are the unit of work in the process pool, and
each distinct part is typeset once however many workbooks hold it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from generator.cache import Cache, digest, tree_digest
from generator.models import Content
from generator.output import write_bytes_atomic
from generator.pdf import render
from generator.pdf.assemble import assemble_workbook
from generator.pdf.document import PrintOptions
from generator.pdf.parts import (
    Layout,
    Part,
    contents_part,
    edition_label,
    guess_contents_pages,
    sheet_part,
    start_pages,
    workbook_layout,
)
from generator.pdf.selection import DocumentPlan
from generator.pdf.stamp import PageStamp

logger = logging.getLogger("workbook")

BOOK_FORMAT = "alliance-workbook-pdf/1"
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
        assert self.contents is not None
        return [self.layout.cover, self.contents, *self.layout.body]


class _Inline(Executor):
    """An executor that runs each job at once, in this process."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        future: Future[object] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as problem:  # handed over like a pool would
            future.set_exception(problem)
        return future


def _init_worker(level: int) -> None:
    if not logger.handlers:  # a spawned (not forked) process: log like the parent
        from generator import log

        log.configure()
        logger.setLevel(level)


class Pipeline:
    """Produce a list of workbooks (see the module's docstring)."""

    def __init__(
        self,
        content: Content,
        cache: Cache,
        executor: Executor,
        progress: Callable[[str], None] | None,
    ) -> None:
        self.content, self.cache, self.executor, self.progress = content, cache, executor, progress
        self.templates = tree_digest(render.PRINT_DIR)
        self.pages: dict[str, int] = {}
        self.data: dict[str, bytes] = {}
        self.typeset: set[str] = set()
        self.futures: dict[Future[Any], tuple[str, Any]] = {}
        self.running: set[str] = set()
        self.waiting: dict[str, list[_Book]] = {}
        self.outcome = Outcome()

    # -- parts: from memory, from the cache, or typeset --------------------------------------
    def _typeset(self, part: Part, book: _Book) -> None:
        if part.key not in book.pending:
            book.pending.add(part.key)
            self.waiting.setdefault(part.key, []).append(book)
        if part.key not in self.running:
            self.running.add(part.key)
            future = self.executor.submit(render.render_part, part.html, fillable=part.fillable)
            self.futures[future] = ("part", part)

    def _page_count(self, part: Part, book: _Book) -> int | None:
        if part.key not in self.pages:
            stored = self.cache.get("pdf-part-pages", part.key)
            if stored is not None and stored.isdigit():
                self.pages[part.key] = int(stored)
            else:
                self._typeset(part, book)
                return None
        return self.pages[part.key]

    def _bytes(self, part: Part, book: _Book) -> bytes | None:
        if part.key not in self.data:
            stored = self.cache.get("pdf-part", part.key)
            if stored is None:
                self._typeset(part, book)
                return None
            self.data[part.key] = stored
        return self.data[part.key]

    def _part_done(self, part: Part, result: tuple[bytes, int]) -> None:
        data, count = result
        self.data[part.key], self.pages[part.key] = data, count
        self.typeset.add(part.key)
        self.outcome.typeset += 1
        self.outcome.pages += count
        logger.debug(
            "typeset %s part %s (%s): %d pages", part.kind, part.anchor or "-", part.key[:12], count
        )
        self.cache.put("pdf-part", part.key, data)
        self.cache.put("pdf-part-pages", part.key, str(count).encode("ascii"))
        self.running.discard(part.key)
        for book in self.waiting.pop(part.key, []):
            book.pending.discard(part.key)
            self._advance(book)

    # -- workbooks ----------------------------------------------------------------------------
    def add(self, request: Request) -> None:
        layout = workbook_layout(self.content, request.plan, request.options, self.templates)
        book = _Book(request, layout, guess_contents_pages(layout))
        headers = sorted({layout.running_title} | {p.header for p in layout.body if p.header})
        book.sheet = sheet_part(self.content, layout, self.templates, headers)
        self._advance(book)

    def _advance(self, book: _Book) -> None:
        if book.done or book.pending:
            return
        layout = book.layout
        while book.key is None:
            counts = [self._page_count(p, book) for p in (layout.cover, *layout.body)]
            if None in counts:
                return
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
            stored = self.cache.get("pdf", book.key)
            if stored is not None:
                self._write(book, stored, cached=True)
                return
        assert book.sheet is not None
        found = [(self._bytes(p, book), p.nested) for p in book.parts()]
        sheet = self._bytes(book.sheet, book)
        parts = [(data, nested) for data, nested in found if data is not None]
        if sheet is None or len(parts) < len(found):
            return
        future = self.executor.submit(assemble_workbook, parts, sheet, book.stamps)
        self.futures[future] = ("book", book)

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
                        f"page {len(stamps) + 1} / {total}",
                    )
                )
        assert book.sheet is not None
        key = digest(
            BOOK_FORMAT,
            f"pikepdf=={pikepdf.__version__}",
            book.sheet.key,
            json.dumps([p.key for p in parts] + [p.nested for p in parts]),
            json.dumps([None if s is None else list(vars(s).values()) for s in stamps]),
        )
        return key, stamps

    def _write(self, book: _Book, data: bytes, *, cached: bool) -> None:
        book.done = True
        write_bytes_atomic(book.request.path, data)
        if cached:
            self.outcome.cached.append(book.request.label)
        if self.progress:
            self.progress(book.request.label)

    def _book_done(self, book: _Book, data: bytes) -> None:
        assert book.key is not None
        self.cache.put("pdf", book.key, data)
        assert book.sheet is not None
        untouched = not any(p.key in self.typeset for p in [*book.parts(), book.sheet])
        self._write(book, data, cached=untouched)

    def run(self, requests: list[Request]) -> Outcome:
        for request in requests:
            self.add(request)
        while self.futures:
            finished, _ = wait(list(self.futures), return_when=FIRST_COMPLETED)
            for future in finished:
                kind, item = self.futures.pop(future)
                result = future.result()
                if kind == "part":
                    self._part_done(item, result)
                else:
                    self._book_done(item, result)
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
    store = cache if cache is not None else Cache(None)
    if jobs <= 1:
        return Pipeline(content, store, _Inline(), progress).run(requests)
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(logger.level,)
    ) as pool:
        return Pipeline(content, store, pool, progress).run(requests)
