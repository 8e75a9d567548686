"""Print HTML → PDF bytes with WeasyPrint 70, fetching nothing outside the tool's print files
and the project folder.

WeasyPrint's own fetcher reads any ``file://`` path and any network URL; content is
untrusted, so the renderer gets a fetcher that only opens the stylesheet and the fonts
shipped with the tool in ``print/`` (or the project's override of the same file, in
``overrides/print/``), the project's own files (its print font and cover logo), and tiny
``data:`` URLs, and refuses everything else. A refusal is a warning: the build goes on without
the resource.
"""

from __future__ import annotations

import functools
import io
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pikepdf

from generator import resources
from generator.pdf import tagging
from generator.pdf.files import save
from generator.templating import active_project
from generator.weasy import HTML, FontConfiguration, URLFetcher, URLFetcherResponse

logger = logging.getLogger("workbook")

MAX_DATA_URL = 2048
"""``data:`` URLs longer than this are refused (the templates use none)."""
PDF_VERSION = "1.7"


def print_dir() -> Path:
    """The tool's print templates, stylesheet and fonts (the base URL of every part)."""
    return resources.tool_dir() / "print"


class FetchRefused(ValueError):
    """A URL outside the print files and the project: never opened."""


class PrintFetcher(URLFetcher):  # type: ignore[misc]
    """Open only the print files (overridden by the project's), project files, small data URLs.

    A file under the tool's print folder is served from the project's ``overrides/print/``
    when the project has a file at the same relative path there.
    """

    def __init__(
        self, allowed: Path | None = None, project: Path | None = None, **kwargs: Any
    ) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, **kwargs)
        self.allowed = Path(os.path.realpath(allowed or print_dir()))
        self.project = Path(os.path.realpath(project)) if project is not None else None

    def resolve(self, url: str) -> str:
        """The URL to open for ``url``; raise FetchRefused unless it may be opened."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            if len(url) > MAX_DATA_URL:
                raise FetchRefused(f"data: URL longer than {MAX_DATA_URL} characters")
            return url
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"only the print files may be loaded, not {url}")
        real = Path(os.path.realpath(unquote(parts.path)))
        if real.is_relative_to(self.allowed):
            relative = real.relative_to(self.allowed).as_posix()
            chosen = resources.find(f"print/{relative}", self.project)
            if chosen.is_file() and chosen != real:
                return Path(os.path.realpath(chosen)).as_uri()
        if self.project is not None and real.is_relative_to(self.project) and real.is_file():
            return url
        if not real.is_relative_to(self.allowed) or not real.is_file():
            raise FetchRefused(f"{real} is outside {self.allowed} and the project")
        return url

    def check(self, url: str) -> None:
        """Raise FetchRefused unless ``url`` may be opened."""
        self.resolve(url)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            target = self.resolve(url)
        except FetchRefused as refusal:
            shown = url if len(url) <= 120 else url[:117] + "..."
            logger.warning("not fetched while printing: %s (%s)", shown, refusal)
            raise
        return super().fetch(target, headers)


def _open_bookmarks(document: Any, pdf: Any) -> None:
    """Open the reader's bookmark panel: the outline is the workbook's map."""
    pdf.catalog["PageMode"] = "/UseOutlines"


@functools.cache
def _fonts() -> FontConfiguration:
    """One font configuration per process: a new one for each document is never freed
    (≈ 0.3 MB a part, gigabytes over thousands of parts), and the output is the same."""
    return FontConfiguration()


def _render(html: str, *, fillable: bool, identifier: bytes, tagged: bool) -> tuple[bytes, int]:
    fetcher = PrintFetcher(print_dir(), active_project())
    fonts = _fonts()
    # Tagged (structure tree, /Lang, title shown) without claiming PDF/UA: pdf/ua-1 costs
    # the same but no validator has checked the claim.
    options: dict[str, Any] = {
        "pdf_forms": fillable,
        "pdf_identifier": identifier,
        "pdf_tags": tagged,
        "pdf_version": PDF_VERSION,
    }
    document = HTML(string=html, base_url=print_dir().as_uri() + "/", url_fetcher=fetcher).render(
        font_config=fonts, **options
    )
    data = document.write_pdf(finisher=_open_bookmarks, **options)
    assert isinstance(data, bytes)
    return data, len(document.pages)


def render_pdf(html: str, *, fillable: bool, identifier: bytes, tagged: bool = True) -> bytes:
    """Lay out ``html`` and write the PDF; same input → same bytes."""
    return _render(html, fillable=fillable, identifier=identifier, tagged=tagged)[0]


def render_part(html: str, *, fillable: bool) -> tuple[bytes, int]:
    """One part of a workbook: its PDF (tagged; same input → same bytes) and page count."""
    return _render(html, fillable=fillable, identifier=b"alliance-workbook-part", tagged=True)


def typeset_part(html: str, fillable: bool, target: Path) -> int:
    """Write one part's PDF to ``target`` (a scratch file), its structure tree repaired for
    PDF/UA (tagging.py); return its page count."""
    data, pages = render_part(html, fillable=fillable)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tagging.repair(pdf)
        save(pdf, target, min_version="")
    return pages
