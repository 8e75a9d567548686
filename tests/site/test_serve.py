"""`workbook serve`: rebuilds on change, injects the reload poller, keeps the last good site."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.site.serve import VERSION_PATH, Reloader, make_handler, watch
from tests.conftest import write_content


def _get(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return str(response.read().decode("utf-8"))


def test_serve_rebuilds_and_pages_poll_for_reload(tmp_path: Path) -> None:
    content_dir = write_content(tmp_path / "content")
    reloader = Reloader(content_dir, tmp_path / "out")
    assert reloader.build() and reloader.version == 1
    handler = functools.partial(make_handler(reloader), directory=str(reloader.out_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert _get(base + VERSION_PATH) == "1"
        page = _get(base + "/en/exercises/first/")
        assert VERSION_PATH in page and "<h1" in page
        bank = content_dir / "banks" / "alpha.yml"
        bank.write_text(bank.read_text(encoding="utf-8").replace('"Title"', '"Renamed"', 1),
                        encoding="utf-8")
        assert reloader.build()
        assert _get(base + VERSION_PATH) == "2"
        assert ">Renamed</h1>" in _get(base + "/en/exercises/first/")
        bank.write_text("id: alpha\n", encoding="utf-8")  # invalid: the last good site stays
        assert not reloader.build()
        assert _get(base + VERSION_PATH) == "2"
        assert ">Renamed</h1>" in _get(base + "/en/exercises/first/")
    finally:
        server.shutdown()
        server.server_close()


def test_watch_calls_back_when_a_bank_changes(tmp_path: Path) -> None:
    content_dir = write_content(tmp_path / "content")
    changed = threading.Event()
    observer = watch([content_dir], changed.set)
    try:
        (content_dir / "banks" / "alpha.yml").write_text("id: alpha\n", encoding="utf-8")
        assert changed.wait(timeout=10)
    finally:
        observer.stop()
        observer.join()


def test_serve_is_a_workbook_command() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "rebuilt when a bank, set or template changes" in " ".join(result.output.split())
