"""`workbook serve`: build the site, serve it on localhost, rebuild and reload on changes.

Watches the content folder (banks, sets, sources) and templates/; each change rebuilds the site
through the same stage as `workbook build` (a failed check keeps the last good site and logs
the problems). Open pages poll a tiny version endpoint and reload after a rebuild.
"""

from __future__ import annotations

import functools
import http.server
import logging
import tempfile
import threading
from pathlib import Path
from typing import Any

import click

from generator import resources
from generator.errors import ContentErrors
from generator.options import CONTENT_OPTION, verbosity
from generator.output import staged_directory

logger = logging.getLogger("workbook")
VERSION_PATH = "/__workbook_version"
_RELOAD = (
    "<script>(()=>{let v=null;setInterval(async()=>{try{const r=await fetch('"
    + VERSION_PATH + "');const n=await r.text();if(v!==null&&n!==v)location.reload();v=n}"
    "catch(e){}},1000)})()</script>"
).encode()


class Reloader:
    """Rebuilds the site into ``out_dir``; ``version`` grows with each good build."""

    def __init__(self, content_dir: Path, out_dir: Path) -> None:
        self.content_dir = content_dir
        self.out_dir = out_dir
        self.version = 0
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def build(self) -> bool:
        from generator.site import build_site
        from generator.validate import load_content

        with self._lock:
            try:
                content = load_content(self.content_dir)
                with staged_directory(self.out_dir) as staging:
                    build_site(content, staging, with_pdfs=False)
            except ContentErrors as problems:
                for problem in problems.errors:
                    logging.getLogger("workbook.content").error(str(problem))
                return False
            except Exception as failure:  # keep serving the last good site
                logger.error("site build failed: %s", failure)
                return False
            self.version += 1
            logger.info("site rebuilt (%d)", self.version)
            return True

    def schedule(self, *_: Any) -> None:
        """Rebuild once changes settle (editors write several events per save)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(0.3, self.build)
        self._timer.daemon = True
        self._timer.start()


def make_handler(reloader: Reloader) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            logger.debug("serve: " + format, *args)

        def do_GET(self) -> None:
            if self.path == VERSION_PATH:
                body = str(reloader.version).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file() and not self.path.endswith(".html"):
                if not self.path.split("?")[0].endswith("/"):
                    super().do_GET()  # the redirect to the slash URL
                    return
                body = path.read_bytes().replace(b"</body>", _RELOAD + b"</body>", 1)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

    return Handler


def watch(paths: list[Path], callback: Any) -> Any:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            if event.event_type in ("opened", "closed_no_write") or event.is_directory:
                return
            callback()

    observer = Observer()
    for path in paths:
        if path.exists():
            observer.schedule(OnChange(), str(path), recursive=True)
    observer.start()
    return observer


@click.command("serve")
@CONTENT_OPTION
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@verbosity
def serve_command(content_dir: Path, port: int) -> None:
    """Preview the site on http://127.0.0.1:PORT/, rebuilt when a bank, set or template changes.

    PDFs are not built (use `workbook build` for them). Stop with Ctrl-C.

    \b
    Example:
      workbook serve --content workbook --port 8000
    """
    with tempfile.TemporaryDirectory(prefix="workbook-serve-") as temporary:
        reloader = Reloader(content_dir, Path(temporary) / "site")
        if not reloader.build():
            raise SystemExit(1)
        handler = functools.partial(make_handler(reloader), directory=str(reloader.out_dir))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        observer = watch([content_dir, resources.tool_dir()], reloader.schedule)
        click.echo(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            observer.stop()
            server.server_close()
