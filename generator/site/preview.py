"""The site as `workbook serve` keeps it: updated in place, a little at a time, as files change.

`workbook build` builds the whole site from scratch into a new folder. The preview keeps
everything between saves instead, so that a save costs about what it changed:

- the content: a file whose bytes did not change is neither parsed nor validated again
  (``keep_parsed_files``): its models are the very same objects as before; nor is the
  supervision guide's session picked again while the candidates stay the same
  (``remember_plans``); both once :meth:`Preview.remember` is called (serve does);
- the pages: an exercise's page is rendered again only when its exercise, its bank, the
  sources it cites, the sets, the settings or its stale-translation mark changed, and a bank's
  page when its bank did (:class:`RememberingPages`; a page template that reads more of the
  content than that must be added there). Every other page and data file is rendered each
  time: they are few, and the Markdown of their texts is remembered (``generator.markup``);
- the engine: each language's project stays on disk, only the files whose bytes changed are
  written, and the engine rebuilds only their pages when it can (``prepare_preview``), in
  this process when it can (``build_preview``: no start-up to pay);
- the served folder: only the files the engine wrote, and whose bytes changed, replace their
  old copy (``generator.site.publish``).

The first language comes first and is published at once; then each other language, the
sitemaps, and the search index (Pagefind indexes into a folder of its own, swapped in when
done). A newer change stops the work between two of these steps, and Pagefind while it runs;
the next update starts from what is on disk, so nothing is lost. A service worker is not
written: a preview is not meant to work offline, and a worker would keep files of a build
that a later save replaced.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import resources
from generator.loader import keep_parsed_files
from generator.models import Content, Exercise
from generator.sets.pick import remember_plans
from generator.site import site_model_of, urls
from generator.site.engines import DEFAULT_ENGINE, engine_named
from generator.site.engines.base import (
    Page,
    engine_environment,
    engine_failure,
    refused,
    sync_files,
)
from generator.site.pages import PageBuilder
from generator.site.publish import SEARCH_BUNDLE, language_files, publish, swap_in
from generator.site.search import check_index, pagefind_command
from generator.site.sitemap import write_sitemaps
from generator.templating import active_project
from generator.validate import load_content

logger = logging.getLogger("workbook")
Memo = dict[str, tuple[tuple[Any, ...], Page]]


class Stopped(Exception):
    """Serve is stopping: the update ends where it is (its folders are about to go)."""


def _same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


class RememberingPages(PageBuilder):
    """The pages of one language, an exercise's or a bank's page taken from ``memo`` when
    everything it shows is the same objects as when it was rendered."""

    def __init__(
        self, content: Content, lang: str, memo: Memo, closing: threading.Event | None = None
    ) -> None:
        super().__init__(content, lang, with_pdfs=False)
        self.memo = memo
        self.shared = (content.workbook, *content.sets)
        self.closing = closing or threading.Event()

    def _remembered(self, doc: str, inputs: tuple[Any, ...], render: Callable[[], Page]) -> Page:
        kept = self.memo.get(doc)
        if kept is not None and _same(kept[0], inputs):
            return kept[1]
        if self.closing.is_set():
            raise Stopped
        page = render()
        self.memo[doc] = (inputs, page)
        return page

    def exercise(self, exercise: Exercise) -> Page:
        bank = self.content.exercises[exercise.id].bank
        cited = tuple(self.content.sources.get(source) for source in exercise.sources)
        stale = self.is_stale(bank.id, exercise.id)
        inputs = (exercise, bank, stale, *cited, *self.shared)
        doc = urls.exercise_doc(exercise.id)
        return self._remembered(
            doc, inputs, lambda: super(RememberingPages, self).exercise(exercise)
        )

    def page(self, doc: str, template: str, title: str, description: str, **extra: Any) -> Page:
        def render() -> Page:
            return super(RememberingPages, self).page(doc, template, title, description, **extra)

        if template == "bank.md.j2" and set(extra) == {"bank"}:
            return self._remembered(doc, (extra["bank"], *self.shared), render)
        if self.closing.is_set():
            raise Stopped
        return render()


class Runner:
    """Runs the engines and Pagefind; ``stop_all`` ends whatever runs (when serve stops)."""

    def __init__(self) -> None:
        self._running: set[subprocess.Popen[str]] = set()
        self._lock = threading.Lock()
        self.closed = False

    def run(
        self, argv: list[str], cwd: Path | None = None, stop: Callable[[], bool] | None = None
    ) -> tuple[int, str] | None:
        """(exit status, what it said) of ``argv``; None when ``stop()`` turned true first
        (the process is then killed) or serve is stopping."""
        environment = engine_environment()
        with self._lock:
            if self.closed:
                return None
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=environment,
            )
            self._running.add(process)
        try:
            while True:
                try:
                    output, _ = process.communicate(timeout=0.1)
                    break
                except subprocess.TimeoutExpired:
                    if self.closed or (stop is not None and stop()):
                        process.kill()
                        process.communicate()
                        return None
        finally:
            with self._lock:
                self._running.discard(process)
        if self.closed:
            return None
        return process.returncode, output or ""

    def stop_all(self) -> None:
        with self._lock:
            self.closed = True
            running = list(self._running)
        for process in running:
            process.kill()
            process.wait()


def _file_clock(stamp: Path) -> int:
    """Now, by the file system's clock (coarser than ``time.time_ns``): every file written
    from now on has a modification time at least this."""
    stamp.write_bytes(b"")
    return stamp.stat().st_mtime_ns


class Preview:
    """The site of ``content_dir`` in ``out_dir``, updated by :meth:`update`; ``published``
    is called with the paths of the served folder each step replaced or removed."""

    def __init__(
        self,
        content_dir: Path,
        out_dir: Path,
        work: Path,
        published: Callable[[list[str]], None],
        engine: str = DEFAULT_ENGINE,
    ) -> None:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # for a build in this process
        self.content_dir, self.out_dir, self.work = content_dir, out_dir, work
        self.published = published
        self.engine = engine
        self.adapter = engine_named(engine)
        self.memos: dict[str, Memo] = {}
        self.runner = Runner()
        self.index_stale = False
        self.closing = threading.Event()
        self.theme_changed: set[str] = set()  # languages to build again in full

    @staticmethod
    def remember(keep: bool = True) -> None:
        """Keep parsed files and picked sessions between updates, for this whole process
        (`workbook serve`'s): without it, every update parses and picks again."""
        keep_parsed_files(keep)
        remember_plans(keep)

    def forget_pages(self) -> None:
        """Render every page again at the next update (templates or strings changed)."""
        self.memos.clear()

    def update(
        self, stop: Callable[[], bool] = lambda: False, pause: Callable[[], object] | None = None
    ) -> bool:
        """Bring the served site up to date; False when ``stop()`` ended it early. Raises
        ContentErrors for the content's problems, ToolError for the engines'. ``pause()`` is
        called once the first language is published (to let the browser reload first)."""
        started = time.perf_counter()
        content = load_content(self.content_dir)
        theme = self.work / "theme"
        files = resources.tree("site/overrides", active_project())
        synced = sync_files({name: path.read_bytes() for name, path in files.items()}, theme)
        if synced.written or synced.removed:
            self.theme_changed = set(content.languages)
        docs: list[str] = []
        for number, lang in enumerate(content.languages):
            if number and stop():
                return False
            memo = self.memos.setdefault(lang, {})
            pages = RememberingPages(content, lang, memo, self.closing).all_pages()
            model = site_model_of(content, lang, theme, with_pdfs=False, pages=pages)
            docs = [page.doc for page in model.pages]
            if self._language(content, lang, model) and not number and pause:
                pause()
            logger.debug("preview: %s ready after %.2f s", lang, time.perf_counter() - started)
        site_url = content.workbook.site.url
        write_sitemaps(self.out_dir, str(site_url) if site_url else None, content.languages, docs)
        if self.index_stale and not self._index(stop):
            return False
        logger.debug("preview: updated in %.2f s", time.perf_counter() - started)
        return True

    def _language(self, content: Content, lang: str, model: Any) -> bool:
        """Update one language's site; whether a file of it changed."""
        project = self.work / "engine" / lang
        prepare_preview = getattr(self.adapter, "prepare_preview", None)
        if lang in self.theme_changed or prepare_preview is None:
            shutil.rmtree(project, ignore_errors=True)  # a full build
        argv = (prepare_preview or self.adapter.prepare)(model, project)
        if not argv:
            return False  # nothing changed in this language
        since = _file_clock(self.work / "started")
        label = f"{self.engine} ({lang})"
        in_process = getattr(self.adapter, "build_preview", None)
        result = in_process(argv) if in_process is not None else None
        if result is None:
            result = self.runner.run(argv, project)
        if result is None:
            raise Stopped
        if result[0] != 0:
            raise refused([engine_failure(label, *result)])
        self.theme_changed.discard(lang)
        own = language_files(lang, content.languages)
        served = self.out_dir / urls.lang_prefix(lang)
        scratch = self.work / "scratch"
        changed = publish(project / "site", served, since, own, scratch, self.closing.is_set)
        prefix = urls.lang_prefix(lang)
        changed = [prefix + relative for relative in changed]
        if any(path.endswith(".html") for path in changed):
            self.index_stale = True
        if changed:
            self.published(changed)
        return bool(changed)

    def _index(self, stop: Callable[[], bool]) -> bool:
        bundle = self.work / "search"
        shutil.rmtree(bundle, ignore_errors=True)
        result = self.runner.run(pagefind_command(self.out_dir, bundle), stop=stop)
        if result is None:
            return False
        check_index(*result, bundle)
        swap_in(bundle, self.out_dir / SEARCH_BUNDLE, self.work / "search-old")
        self.index_stale = False
        self.published([f"{SEARCH_BUNDLE}/pagefind.js"])
        return True

    def close(self) -> None:
        """End the engines and Pagefind if they run (serve is stopping)."""
        self.closing.set()
        self.runner.stop_all()
