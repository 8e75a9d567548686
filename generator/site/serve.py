"""`workbook serve`: build the site, serve it on localhost, rebuild and reload on changes.

Watches the content folder (banks, sets, sources) and templates/; each change rebuilds the site
through the same stage as `workbook build` (a failed check keeps the last good site and logs
the problems). Open pages poll a tiny version endpoint and reload after a rebuild.

The preview answers only requests addressed to it: the Host header must name localhost,
127.0.0.1, [::1] or the ``--host`` given, with the port (a page of another site that rebinds
its name to 127.0.0.1 gets a 421, not the preview). A request path holding a NUL, a control
character or a broken percent-encoding gets a 400.
"""

from __future__ import annotations

import errno
import functools
import http.server
import logging
import re
import socket
import tempfile
import threading
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from generator import resources
from generator.errors import ContentErrors, ToolError
from generator.options import CONTENT_OPTION, verbosity
from generator.output import staged_directory

logger = logging.getLogger("workbook")
VERSION_PATH = "/__workbook_version"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
_BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_RELOAD = (
    "<script>(()=>{let v=null;setInterval(async()=>{try{const r=await fetch('"
    + VERSION_PATH
    + "');const n=await r.text();if(v!==null&&n!==v)location.reload();v=n}"
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


def bad_path(raw: str) -> bool:
    """Is a request path one no file can have (NUL, control characters, broken escapes)?"""
    path = raw.split("?", 1)[0].split("#", 1)[0]
    if _BROKEN_ESCAPE.search(path):
        return True
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return True
    return any(ord(char) < 0x20 or ord(char) == 0x7F for char in raw + decoded)


def make_handler(
    reloader: Reloader, hosts: Iterable[str] = LOCAL_HOSTS
) -> type[http.server.SimpleHTTPRequestHandler]:
    """The request handler; ``hosts`` are the names (without port) the Host header may use."""
    names = frozenset(host.lower() for host in hosts)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            logger.debug("serve: " + format, *args)

        def _refuse(self, status: int, text: str) -> None:
            body = (text + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.close_connection = True

        def parse_request(self) -> bool:
            if not super().parse_request():
                return False
            address: Any = self.server.server_address
            port = int(address[1])
            host = (self.headers.get("Host") or "").strip().lower()
            allowed = {f"{name}:{port}" for name in names}
            if port == 80:
                allowed |= names
            if host not in allowed:
                self._refuse(
                    421,
                    "421 Misdirected Request: this preview answers only for "
                    f"http://127.0.0.1:{port}/ and http://localhost:{port}/",
                )
                return False
            if bad_path(self.path):
                self._refuse(400, "400 Bad Request: the path holds a character no file name has")
                return False
            return True

        def do_GET(self) -> None:
            if self.path == VERSION_PATH:
                version = str(reloader.version).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(version)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(version)
                return
            path = Path(self.translate_path(self.path))
            body: bytes | None = None
            try:
                if path.is_dir():
                    path = path / "index.html"
                page = path.suffix == ".html" and path.is_file()
                if page and not self.path.endswith(".html"):
                    if not self.path.split("?")[0].endswith("/"):
                        super().do_GET()  # the redirect to the slash URL
                        return
                    body = path.read_bytes().replace(b"</body>", _RELOAD + b"</body>", 1)
            except OSError:  # a name too long for the file system, say: no such page
                self.send_error(404)
                return
            if body is not None:
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


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away mid-answer (or any other failure of one request) is a line
        of debug output, never a traceback on the terminal."""
        logger.debug("serve: request from %s failed", client_address, exc_info=True)


class _Server6(_Server):
    address_family = socket.AF_INET6


def open_server(host: str, port: int, handler: Any) -> http.server.ThreadingHTTPServer:
    """Listen on ``host``:``port``; a busy or forbidden port is one clear line (ToolError)."""
    server_class = _Server6 if ":" in host else _Server
    try:
        return server_class((host.strip("[]"), port), handler)
    except OSError as problem:
        if problem.errno == errno.EADDRINUSE:
            raise ToolError(
                f"port {port} is already in use on {host}: stop the other program or choose "
                f"another port, e.g. --port {port + 1 if port < 65535 else 8001}"
            ) from problem
        if problem.errno == errno.EACCES:
            raise ToolError(
                f"not allowed to listen on port {port}: choose a port above 1023 with --port"
            ) from problem
        raise ToolError(
            f"cannot listen on {host}:{port} ({problem.strerror}): check --host"
        ) from problem


@click.command("serve")
@CONTENT_OPTION
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on, and the one name besides localhost the preview answers "
    "to (e.g. this machine's address on the local network).",
)
@verbosity
def serve_command(content_dir: Path, port: int, host: str) -> None:
    """Preview the site on http://127.0.0.1:PORT/, rebuilt when a bank, set or template changes.

    PDFs are not built (use `workbook build` for them). Stop with Ctrl-C.

    \b
    Example:
      workbook serve --content workbook --port 8000
    """
    if host.strip("[]") in ("0.0.0.0", "::", ""):
        raise ToolError(
            f"--host {host} would answer on every network: name this machine's address instead, "
            "e.g. --host 192.168.1.10"
        )
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    with tempfile.TemporaryDirectory(prefix="workbook-serve-") as temporary:
        reloader = Reloader(content_dir, Path(temporary) / "site")
        handler = functools.partial(
            make_handler(reloader, (*LOCAL_HOSTS, shown)), directory=str(reloader.out_dir)
        )
        server = open_server(host, port, handler)
        if not reloader.build():
            server.server_close()
            raise SystemExit(1)
        observer = watch([content_dir, resources.tool_dir()], reloader.schedule)
        click.echo(f"serving http://{shown}:{server.server_address[1]}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            observer.stop()
            server.server_close()
