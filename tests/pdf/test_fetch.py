"""Printing fetches nothing but the print templates: not file:// elsewhere, not the network."""

from __future__ import annotations

import datetime
import io
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest

from generator.pdf import print_pdf, render
from generator.pdf.document import PrintOptions
from generator.pdf.render import FetchRefused, PrintFetcher, print_dir, render_pdf
from generator.pdf.selection import bank_plan
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content
from tests.pdf.conftest import workbook_log

PRINT_DIR = print_dir()


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets."""
    hits: list[str] = []
    handler = type("Handler", (_Counter,), {"hits": hits})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def warnings() -> Iterator[list[str]]:
    """The workbook logger's warnings."""
    with workbook_log(logging.WARNING, logging.INFO, logging.LogRecord.getMessage) as messages:
        yield messages


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL the renderer asked for, allowed or not."""
    urls: list[str] = []
    original = PrintFetcher.fetch

    def spy(self: PrintFetcher, url: str, headers: Any = None) -> Any:
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(render.PrintFetcher, "fetch", spy)
    return urls


def _no_images_or_files(data: bytes) -> None:
    pdf = pikepdf.open(io.BytesIO(data))
    assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
    for page in pdf.pages:
        assert "/Annots" not in page or all(
            annot.Subtype != "/FileAttachment" for annot in page.Annots
        )
        for xobject in page.Resources.get("/XObject", {}).values():
            assert xobject.Subtype != "/Image"


def test_hostile_content_is_shown_as_text_and_nothing_is_fetched(
    tmp_path: Path, server: tuple[str, list[str]], warnings: list[str], fetched: list[str]
) -> None:
    base, hits = server
    hostile = (
        f"![x](file:///etc/passwd) [lien](file:///etc/passwd) "
        f'<a href="file:///etc/passwd">a</a> <img src="{base}/raw.png"> '
        f"![y]({base}/md.png) [site]({base}/link) <link rel=attachment href=file:///etc/passwd>"
    ).replace("'", "''")
    exercise = exercise_yaml("hostile").replace(
        "purpose: {fr: But., en: Purpose.}", f"purpose: {{fr: '{hostile}', en: '{hostile}'}}"
    )
    content = load_content(
        write_content(tmp_path / "content", banks={"alpha": bank_yaml("alpha", [exercise])})
    )
    data = print_pdf(content, bank_plan(content, "alpha"), PrintOptions())

    assert hits == []
    allowed = PRINT_DIR.as_uri()
    assert fetched and all(url.startswith(allowed) for url in fetched)
    assert any("images are not supported" in message for message in warnings)
    _no_images_or_files(data)
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "root:x:0:0" not in text
    # (a line may break after a slash of the address)
    assert '<a href="file:///etc/passwd">a</a>' in text.replace("/\n", "/").replace("\n", " ")


def test_the_fetcher_refuses_everything_outside_the_print_templates(
    tmp_path: Path, server: tuple[str, list[str]], warnings: list[str]
) -> None:
    base, hits = server
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    link = tmp_path / "link.css"
    link.symlink_to(outside)
    html = f"""<!DOCTYPE html><html lang="fr"><head><title>t</title>
    <link rel="stylesheet" href="workbook.css">
    <link rel="stylesheet" href="{link.as_uri()}">
    <link rel="attachment" href="file:///etc/passwd">
    </head><body><h1>Titre</h1>
    <img src="file:///etc/passwd" alt="a"><img src="../../../../../../etc/hostname" alt="b">
    <img src="{base}/pixel.png" alt="c"><img src="https://example.invalid/x.png" alt="d">
    <img src="data:image/svg+xml,{"%20" * 3000}" alt="e">
    <a rel="attachment" href="{outside.as_uri()}">pièce jointe</a></body></html>"""
    data = render_pdf(html, fillable=False, identifier=b"test")

    assert hits == []
    _no_images_or_files(data)
    refused = [message for message in warnings if message.startswith("not fetched")]
    assert len(refused) >= 7, refused
    assert any("/etc/passwd" in message for message in refused)
    assert any(base in message for message in refused)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (PRINT_DIR / ".." / ".." / "pyproject.toml").as_uri(),
        "http://127.0.0.1/x.png",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        "file://otherhost" + str(PRINT_DIR / "workbook.css"),
        "data:text/plain," + "a" * 5000,
    ],
)
def test_fetcher_refusals(url: str) -> None:
    with pytest.raises(FetchRefused):
        PrintFetcher().check(url)


def test_fetcher_allows_the_print_templates() -> None:
    fetcher = PrintFetcher()
    fetcher.check((PRINT_DIR / "workbook.css").as_uri())
    fetcher.check((PRINT_DIR / "fonts" / "DejaVuSerif.ttf").as_uri())
    fetcher.check("data:text/plain,ok")


def test_today_unless_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pdf.document import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date() == datetime.date(2023, 11, 14)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == datetime.date.today()
