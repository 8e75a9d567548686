"""`workbook serve`'s live state: it updates the preview after each save, and tells open pages
whether to reload and what is wrong with the content.

Every page the preview serves carries ``templates/serve/live.js``, with the number of the
update it comes from. The script asks :data:`STATUS_PATH` several times a second; the answer
(:meth:`Reloader.status`) says to reload when an update since then replaced the page's own
file or a stylesheet or script, and lists the problems of the last update: the content's, as
``file:line:col: message`` (the script shows them over the page until they are fixed), or an
engine's, in one line. A failed update keeps the last good site.

Updates run one at a time in a thread of their own: a save wakes it, it waits until the editor
is done writing (:data:`QUIET_SECONDS` without a new event), then updates the site (see
generator.site.preview), stopping early when another save comes in.
"""

from __future__ import annotations

import gc
import json
import logging
import threading
import time
import traceback
import urllib.parse
from pathlib import Path
from typing import Any

from generator import resources
from generator.errors import ContentErrors, ToolError
from generator.output import MARKER
from generator.site.engines import DEFAULT_ENGINE
from generator.site.preview import Preview, Stopped
from generator.site.publish import SEARCH_BUNDLE

logger = logging.getLogger("workbook")
content_logger = logging.getLogger("workbook.content")

STATUS_PATH = "/__workbook/status"
QUIET_SECONDS = 0.08
"""How long a save's events must have stopped before the update starts."""
RELOAD_SECONDS = 1.0
"""How long the first language's pages have to reload before the rest of the update."""


def page_file(pathname: str) -> str:
    """The served file of a page's address: ``/en/banks/x/`` → ``en/banks/x/index.html``."""
    relative = urllib.parse.unquote(pathname).lstrip("/")
    if relative == "" or relative.endswith("/"):
        return relative + "index.html"
    if "." not in relative.rsplit("/", 1)[-1]:
        return relative + "/index.html"
    return relative


def _reloads_every_page(path: str) -> bool:
    """A stylesheet, a script, an image: what every page may use (not a page, a language's
    catalogue and run data, the search index or a sitemap)."""
    parts = path.split("/")
    return not (
        path.endswith(".html")
        or parts[0] == SEARCH_BUNDLE
        or "data" in parts[:2]  # data/… or <lang>/data/…
        or parts[-1].startswith("sitemap.xml")
    )


def _settle_memory() -> None:
    """Collect what the update left, then keep what lives on (the content, the pages) out of
    the collector's way: a full collection over a big workbook's objects would otherwise take
    a second of the next save's update. Done once an update is over, while the author reads."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Reloader:
    """The preview of ``content_dir``, served from ``out_dir``; ``work`` keeps the engines'
    projects between updates (default: beside ``out_dir``)."""

    def __init__(
        self,
        content_dir: Path,
        out_dir: Path,
        work: Path | None = None,
        engine: str = DEFAULT_ENGINE,
    ) -> None:
        self.content_dir, self.out_dir = content_dir, out_dir
        work = work if work is not None else out_dir.parent / f"{out_dir.name}-work"
        self.preview = Preview(content_dir, out_dir, work, self._published, engine)
        self.generation = 0
        self.problems: list[str] = []
        self._changed: dict[str, int] = {}
        self._every_page = 0  # the last update that changed what every page uses
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._templates_changed = False
        self._thread: threading.Thread | None = None
        self._script = (resources.tool_dir() / "serve" / "live.js").read_text(encoding="utf-8")

    @property
    def version(self) -> int:
        """Grows with each update that published something."""
        return self.generation

    # -- updating ----------------------------------------------------------------------------
    def _published(self, paths: list[str]) -> None:
        with self._lock:
            self.generation += 1
            for path in paths:
                self._changed[path] = self.generation
            if any(_reloads_every_page(path) for path in paths):
                self._every_page = self.generation

    def _let_pages_reload(self) -> None:
        """A moment for open pages to reload before the other languages take the processor
        (sooner if another change comes)."""
        self._wake.wait(RELOAD_SECONDS)

    def _stop(self) -> bool:
        return self._wake.is_set() or self._closing.is_set()

    def build(self) -> bool:
        """Update the site now; True when it is up to date and has no problem."""
        started = time.perf_counter()
        try:
            done = self.preview.update(self._stop, self._let_pages_reload)
        except Stopped:
            return False
        except ContentErrors as problems:
            if self._closing.is_set():
                return False
            for problem in problems.errors:
                content_logger.error(str(problem))
            self._set_problems([str(problem) for problem in problems.errors])
            logger.info("the site was not updated: fix the problems above and save")
            return False
        except ToolError as failure:
            if not self._closing.is_set():
                logger.debug(traceback.format_exc().rstrip())
                logger.error("%s", failure)
                self._set_problems([str(failure)])
            return False
        except Exception as failure:  # a bug: keep serving the last good site, say so
            if not self._closing.is_set():
                logger.debug(traceback.format_exc().rstrip())
                logger.error("the site could not be updated (%s): please report it", failure)
                self._set_problems([f"the site could not be updated: {failure}"])
            return False
        self._set_problems([])
        if done:
            logger.info("site updated in %.1f s", time.perf_counter() - started)
        return done

    def _set_problems(self, problems: list[str]) -> None:
        with self._lock:
            self.problems = problems

    def notice(self, path: str) -> None:
        """A file changed (the watcher's callback): update soon, unless it is no input (an
        editor's swap file, a build's output or cache inside the project, ``.git``)."""
        changed = Path(path)
        if changed.name.startswith(".") or path.endswith("~"):
            return
        root = self.content_dir.resolve()
        try:
            relative = changed.resolve().relative_to(root)
        except ValueError:  # the tool's own templates and interface text
            self._templates_changed = True
        else:
            if any(part.startswith(".") for part in relative.parts):
                return
            if any((root / parent / MARKER).exists() for parent in relative.parents):
                return  # inside what `workbook build` wrote
            if relative.parts[:1] == ("overrides",):
                self._templates_changed = True
        self._wake.set()

    def start(self) -> None:
        """Build the site, then update it after each change, in a thread of its own."""
        self.preview.remember()
        self._thread = threading.Thread(target=self._run, name="workbook-preview", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        if self.build():
            _settle_memory()
        while not self._closing.is_set():
            self._wake.wait()
            while self._wake.is_set() and not self._closing.is_set():
                self._wake.clear()
                time.sleep(QUIET_SECONDS)
            if self._closing.is_set():
                break
            if self._templates_changed:
                self._templates_changed = False
                self.preview.forget_pages()
            if self.build() and not self._wake.is_set():
                _settle_memory()

    def close(self) -> None:
        """Stop updating: end the engines if they run, wait for the thread."""
        self._closing.set()
        self._wake.set()
        self.preview.close()
        if self._thread is not None:
            self._thread.join()

    # -- what pages ask ----------------------------------------------------------------------
    def status(self, since: int, pathname: str) -> dict[str, Any]:
        """What the page at ``pathname``, served at update ``since``, should do."""
        with self._lock:
            if since < 0:  # a page that was missing (-1 - the update it was missing at)
                reload = self.generation > -1 - since
            else:
                changed = self._changed.get(page_file(pathname), 0)
                reload = max(changed, self._every_page) > since
            return {"generation": self.generation, "reload": reload, "problems": self.problems}

    def status_json(self, query: str) -> bytes:
        values = urllib.parse.parse_qs(query)
        try:
            since = int(values.get("since", ["0"])[0])
        except ValueError:
            since = 0
        page = values.get("page", ["/"])[0]
        return json.dumps(self.status(since, page)).encode()

    def script(self, *, missing: bool = False) -> bytes:
        """The live script for a page served now (``missing``: in place of a missing one)."""
        with self._lock:
            since = -1 - self.generation if missing else self.generation
        text = self._script.replace("__WORKBOOK_SINCE__", str(since), 1)
        text = text.replace("__WORKBOOK_STATUS__", json.dumps(STATUS_PATH), 1)
        return f"<script>{text}</script>".encode()
