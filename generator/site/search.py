"""Index the built site with Pagefind: chunked index, French and English stemming by <html lang>.

Only what sits inside ``data-pagefind-body`` is indexed (the page's own content, not the theme's
navigation); exercise pages carry ``data-pagefind-meta`` (bank, minutes) and
``data-pagefind-filter`` (bank). The bundle goes to ``pagefind/`` at the output root and serves
both languages (one index per language).

The site searches through ``pagefind.js`` from its own ``assets/workbook/search.js``; Pagefind's
prebuilt UIs and its highlighter are never loaded, so they are removed from the output
(≈ 420 KB per build).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from generator.errors import ToolError

logger = logging.getLogger("workbook")
# Pagefind's own UIs (default, modular, component) and highlighter: our search.js replaces them.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


PAGEFIND = [sys.executable, "-m", "pagefind"]
"""The Pagefind command (the ``pagefind[bin]`` package's own binary)."""
REINSTALL = "reinstall it with `pip install 'pagefind[bin]'`"


class SearchIndexError(ToolError):
    """Pagefind could not index the site (a broken or missing install): one line."""


def pagefind_command(site: Path, output: Path | None = None) -> list[str]:
    """The command indexing ``site`` into ``output`` (default ``site/pagefind``)."""
    command = [*PAGEFIND, "--site", str(site), "--silent"]
    return command + (["--output-path", str(output)] if output is not None else [])


def check_index(returncode: int, output: str, bundle: Path) -> None:
    """Raise :class:`SearchIndexError` unless Pagefind ended well and wrote its bundle;
    then drop the bundle's unused UI files."""
    if returncode != 0:
        logger.debug("pagefind said:\n%s", output.strip())
        lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
        said = f": {' / '.join(lines[-2:])}" if lines else ""
        raise SearchIndexError(
            f"the search index could not be built: Pagefind stopped with status {returncode}"
            f"{said}; {REINSTALL} (--verbose shows all it said)"
        )
    if not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(
            f"the search index could not be built: Pagefind wrote no {bundle.name}/pagefind.js; "
            + REINSTALL
        )
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)


def index_site(out_dir: Path) -> None:
    """Index ``out_dir`` into ``out_dir/pagefind/`` and drop the bundle's unused UI files."""
    try:
        result = subprocess.run(
            pagefind_command(out_dir), capture_output=True, text=True, check=False
        )
    except OSError as problem:  # the command itself is missing
        raise SearchIndexError(
            f"the search index could not be built: {problem.strerror}; {REINSTALL}"
        ) from problem
    check_index(result.returncode, result.stderr or result.stdout, out_dir / "pagefind")
    logger.debug("pagefind indexed %s", out_dir)
