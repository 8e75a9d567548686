"""`workbook serve`: preview the site on localhost, updated within a second or two of a save.

Watches the content folder (banks, sets, sources, settings, overrides) and the tool's
templates; after each change the preview updates only what the change needs (see
generator.site.live and generator.site.preview): the page being edited reloads by itself,
and while the content has problems, every open page lists them over itself, as
`workbook check` prints them, until they are fixed. A failed update keeps the last good site.

The preview answers only requests addressed to it: the Host header must name localhost,
127.0.0.1, [::1] or the ``--host`` given, with the port (a page of another site that rebinds
its name to 127.0.0.1 gets a 421, not the preview). A request path holding a NUL, a control
character or a broken percent-encoding gets a 400. Its files live in a temporary folder,
removed when it stops, by Ctrl-C or by a SIGTERM.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import http.server
import logging
import re
import signal
import socket
import tempfile
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from generator import resources
from generator.errors import ToolError
from generator.options import CONTENT_OPTION, verbosity
from generator.site.live import STATUS_PATH, Reloader

logger = logging.getLogger("workbook")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
_BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


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

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-cache")  # a reload shows the new CSS too
            super().end_headers()

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            address, _, query = self.path.partition("?")
            if address == STATUS_PATH:
                self._send(200, reloader.status_json(query), "application/json")
                return
            path = Path(self.translate_path(self.path))
            script = reloader.script()  # before reading: the page is at least this new
            body: bytes | None = None
            try:
                if path.is_dir():
                    path = path / "index.html"
                page = path.suffix == ".html" and path.is_file()
                if page and not self.path.endswith(".html"):
                    if not address.endswith("/"):
                        super().do_GET()  # the redirect to the slash URL
                        return
                    body = path.read_bytes().replace(b"</body>", script + b"</body>", 1)
                elif not path.exists() and _page_like(address):
                    self._send(404, _missing_page(reloader), "text/html; charset=utf-8")
                    return
            except OSError:  # a name too long for the file system, say: no such page
                self.send_error(404)
                return
            if body is not None:
                self._send(200, body, "text/html; charset=utf-8")
                return
            super().do_GET()

    return Handler


def _page_like(address: str) -> bool:
    name = address.rsplit("/", 1)[-1]
    return name == "" or name.endswith(".html") or "." not in name


def _missing_page(reloader: Reloader) -> bytes:
    """A missing page (or, before the first update, every page): it reloads by itself after
    the next update, and shows the content's problems if there are any."""
    waiting = reloader.generation == 0
    text = "The site is being built…" if waiting else "No page here."
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>workbook serve</title></head><body>"
        f"<p>{text}</p>".encode()
        + reloader.script(missing=True)
        + b"</body></html>"
    )


def watch(paths: list[Path], callback: Any) -> Any:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            if event.event_type in ("opened", "closed_no_write") or event.is_directory:
                return
            callback(str(getattr(event, "dest_path", "") or event.src_path))

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

    A page reloads by itself within a second or two of a save that changed it; while the
    content has problems, open pages list them over themselves until they are fixed. PDFs
    are not built (use `workbook build` for them). Stop with Ctrl-C.

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
    with _stopped_by_sigterm(), tempfile.TemporaryDirectory(prefix="workbook-serve-") as temporary:
        reloader = Reloader(content_dir, Path(temporary) / "site", Path(temporary) / "work")
        reloader.out_dir.mkdir()
        handler = functools.partial(
            make_handler(reloader, (*LOCAL_HOSTS, shown)), directory=str(reloader.out_dir)
        )
        server = open_server(host, port, handler)
        observer = None
        try:
            observer = watch([content_dir, resources.tool_dir()], reloader.notice)
            reloader.start()
            click.echo(f"serving http://{shown}:{server.server_address[1]}/ (Ctrl-C to stop)")
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            with _signals_ignored():  # a second Ctrl-C must not leave the folder behind
                if observer is not None:
                    observer.stop()
                reloader.close()
                server.server_close()
    logger.info("stopped")


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """A SIGTERM stops serve as Ctrl-C does: the temporary folder goes with it."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (a test calling the command): no handler
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    try:
        previous = {
            number: signal.signal(number, signal.SIG_IGN)
            for number in (signal.SIGINT, signal.SIGTERM)
        }
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
