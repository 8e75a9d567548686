"""`workbook serve`: updates what a save changed, tells each open page whether to reload,
lists the content's problems over the page until they are fixed, keeps the last good site,
and leaves no temporary folder behind (Ctrl-C or SIGTERM)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.site import build_site
from generator.site.live import STATUS_PATH, Reloader, page_file
from generator.site.preview import Preview
from generator.site.serve import make_handler, watch
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content

BANK = "content/banks/alpha.yml"
BROKEN = f"{BANK}:9:14: 'minutes' must be greater than 0 (got -10): give a positive number"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def _status(base: str, since: int, page: str) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(_get(f"{base}{STATUS_PATH}?since={since}&page={page}"))
    return answer


def _edit(bank: Path, old: str, new: str) -> None:
    text = bank.read_text(encoding="utf-8")
    assert old in text
    bank.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextlib.contextmanager
def _preview(tmp_path: Path) -> Iterator[tuple[Reloader, str]]:
    content_dir = write_content(tmp_path / "content")
    reloader = Reloader(content_dir, tmp_path / "site", tmp_path / "work")
    reloader.out_dir.mkdir()
    handler = functools.partial(make_handler(reloader), directory=str(reloader.out_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield reloader, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        reloader.close()


@pytest.fixture
def remembering() -> Iterator[None]:
    """Parsed files and picked sessions kept between updates, as in `workbook serve`."""
    Preview.remember()
    try:
        yield
    finally:
        Preview.remember(False)


def test_page_file() -> None:
    assert page_file("/") == "index.html"
    assert page_file("/en/exercises/first/") == "en/exercises/first/index.html"
    assert page_file("/en/exercises/first") == "en/exercises/first/index.html"
    assert page_file("/404.html") == "404.html"
    assert page_file("/l%C3%A9a/") == "léa/index.html"


@pytest.mark.usefixtures("remembering")
def test_a_save_reloads_the_pages_it_changed_and_problems_show_until_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with _preview(tmp_path) as (reloader, base):
        assert reloader.build() and reloader.problems == []
        first = reloader.generation
        assert first >= 1
        page = _get(base + "/en/exercises/first/")
        assert "<h1" in page and STATUS_PATH in page and f"const since = {first};" in page
        assert (reloader.out_dir / "pagefind" / "pagefind.js").is_file()
        assert not (reloader.out_dir / "sw.js").exists()  # no service worker in a preview
        for path in ("/en/exercises/first/", "/en/about/", "/"):
            assert _status(base, first, path)["reload"] is False

        bank = tmp_path / BANK
        _edit(bank, '"Title"', '"Renamed"')  # the first exercise's English title
        assert reloader.build()
        assert ">Renamed</h1>" in _get(base + "/en/exercises/first/")
        assert _status(base, first, "/en/exercises/first/")["reload"] is True
        assert _status(base, first, "/en/banks/alpha/")["reload"] is True  # lists it
        assert _status(base, first, "/en/about/")["reload"] is False
        assert _status(base, first, "/exercises/first/")["reload"] is False  # French: as it was
        second = reloader.generation

        _edit(bank, "minutes: 10", "minutes: -10")  # a mistake: the last good site stays
        assert not reloader.build()
        status = _status(base, second, "/en/exercises/first/")
        assert status == {"generation": second, "reload": False, "problems": [BROKEN]}
        assert ">Renamed</h1>" in _get(base + "/en/exercises/first/")

        _edit(bank, "minutes: -10", "minutes: 10")  # fixed as it was: nothing to reload
        assert reloader.build()
        assert _status(base, second, "/en/exercises/first/") == {
            "generation": second,
            "reload": False,
            "problems": [],
        }


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of a site but its search index and service worker (the preview has none)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.relative_to(folder).parts[0] != "pagefind"
        and path.name != "sw.js"
    }


@pytest.mark.slow
@pytest.mark.usefixtures("remembering")
def test_after_updates_the_preview_is_what_a_build_writes(tmp_path: Path) -> None:
    """Each kind of update — pages rebuilt alone, the navigation changed (everything rebuilt),
    a page gone — leaves the same files as a build from scratch."""
    banks = {
        "alpha": bank_yaml("alpha", [exercise_yaml("first"), exercise_yaml("second")]),
        "beta": bank_yaml("beta", [exercise_yaml("third")]).replace("Bank}", "Other bank}"),
    }
    content_dir = write_content(tmp_path / "content", banks=banks)
    reloader = Reloader(content_dir, tmp_path / "served", tmp_path / "work")
    reloader.out_dir.mkdir()
    assert reloader.build()
    alpha, beta = content_dir / "banks" / "alpha.yml", content_dir / "banks" / "beta.yml"
    for path, old, new in [
        (alpha, "Résumé de l’exercice.", "Un autre résumé."),  # two pages and the data
        (beta, "Other bank}", "Renamed bank}"),  # in the navigation: every page
        (alpha, exercise_yaml("second"), ""),  # a page gone
    ]:
        _edit(path, old, new)
        assert reloader.build()
        clean = tmp_path / f"clean-{reloader.generation}"
        build_site(load_content(content_dir), clean, with_pdfs=False)
        assert _files(reloader.out_dir) == _files(clean)


def test_a_missing_page_reloads_after_the_next_update(tmp_path: Path) -> None:
    with _preview(tmp_path) as (reloader, base):
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get(base + "/en/no-such-page/")
        assert missing.value.code == 404
        body = missing.value.read().decode()
        assert "The site is being built" in body
        assert "const since = -1;" in body  # served before any update
        assert _status(base, -1, "/en/no-such-page/")["reload"] is False
        assert reloader.build()
        assert _status(base, -1, "/en/no-such-page/")["reload"] is True


def test_watch_calls_back_with_the_changed_file(tmp_path: Path) -> None:
    content_dir = write_content(tmp_path / "content")
    changed: list[str] = []
    seen = threading.Event()

    def record(path: str) -> None:
        changed.append(path)
        seen.set()

    observer = watch([content_dir], record)
    try:
        (content_dir / "banks" / "alpha.yml").write_text("id: alpha\n", encoding="utf-8")
        assert seen.wait(timeout=10)
        assert str(content_dir / "banks" / "alpha.yml") in changed
    finally:
        observer.stop()
        observer.join()


def test_what_is_no_input_does_not_wake_the_preview(tmp_path: Path) -> None:
    content_dir = write_content(tmp_path / "content")
    reloader = Reloader(content_dir, tmp_path / "site", tmp_path / "work")
    (content_dir / "site").mkdir()
    (content_dir / "site" / ".workbook-output").write_text("{}", encoding="utf-8")
    for ignored in (".alpha.yml.swp", "alpha.yml~", ".git/index", "site/index.html"):
        reloader.notice(str(content_dir / ignored))
        assert not reloader._wake.is_set(), ignored
    reloader.notice(str(content_dir / "banks" / "alpha.yml"))
    assert reloader._wake.is_set() and not reloader._templates_changed
    reloader.notice(str(content_dir / "overrides" / "site" / "exercise.md.j2"))
    assert reloader._templates_changed


def test_serve_is_a_workbook_command() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "rebuilt when a bank, set or template changes" in " ".join(result.output.split())


# -- the command, as a user runs it ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    """`workbook serve` on a free port, its temporary files in a folder of the test's own."""
    write_content(tmp_path / "content")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    environment = {**os.environ, "TMPDIR": str(temporary), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "generator", "serve", "--content", "content"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Ctrl-C reaches it as in a terminal, even when the tests themselves were started in
        # the background of a script, which leaves SIGINT ignored for every child
        preexec_fn=_default_interrupt,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:  # until the whole site is there, search index included
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "serve did not build the site in time"
            with contextlib.suppress(OSError):
                if _status(base, 0, "/")["reload"] and _search_ready(temporary):
                    break
            time.sleep(0.2)
        yield process, base, temporary
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _search_ready(temporary: Path) -> bool:
    return any(temporary.glob("workbook-serve-*/site/pagefind/pagefind.js"))


def _stopped(process: subprocess.Popen[str], signum: int) -> str:
    process.send_signal(signum)
    output, _ = process.communicate(timeout=60)
    return output


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_leaves_no_temporary_folder(tmp_path: Path, signum: int) -> None:
    with serving(tmp_path) as (process, _, temporary):
        assert any(temporary.iterdir())
        output = _stopped(process, signum)
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert list(temporary.iterdir()) == []


@pytest.mark.browser
def test_the_browser_shows_the_problems_then_the_fixed_page(tmp_path: Path, browser: Any) -> None:
    with serving(tmp_path) as (process, base, temporary):
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/en/exercises/first/")
        assert page.locator("h1").inner_text() == "Title"
        overlay = page.locator("workbook-problems")
        assert overlay.count() == 0

        bank = tmp_path / BANK
        _edit(bank, "minutes: 10", "minutes: -10")
        overlay.locator("li").first.wait_for(timeout=30_000)
        assert overlay.locator("li").all_inner_texts() == [BROKEN]
        assert "The site was not updated: 1 problem" in overlay.locator("h2").inner_text()
        assert page.locator("h1").inner_text() == "Title"  # the last good page, below

        _edit(bank, "minutes: -10", "minutes: 10")
        overlay.wait_for(state="detached", timeout=30_000)

        _edit(bank, '"Title"', '"Renamed"')
        page.locator("h1", has_text="Renamed").wait_for(timeout=30_000)  # it reloaded
        context.close()
        output = _stopped(process, signal.SIGINT)
    assert "Traceback" not in output
    assert list(temporary.iterdir()) == []
