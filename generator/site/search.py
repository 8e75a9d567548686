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

logger = logging.getLogger("workbook")
# Pagefind's own UIs (default, modular, component) and highlighter: our search.js replaces them.
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


def index_site(out_dir: Path) -> None:
    """Index ``out_dir`` into ``out_dir/pagefind/`` and drop the bundle's unused UI files."""
    command = [sys.executable, "-m", "pagefind", "--site", str(out_dir), "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(
            f"pagefind failed ({result.returncode}): {(result.stderr or result.stdout).strip()}"
        )
    if not (out_dir / "pagefind" / "pagefind.js").is_file():
        raise SearchIndexError("pagefind wrote no pagefind/pagefind.js")
    for name in UNUSED:
        (out_dir / "pagefind" / name).unlink(missing_ok=True)
    logger.debug("pagefind indexed %s", out_dir)
