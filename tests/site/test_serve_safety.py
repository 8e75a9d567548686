"""`workbook serve` answers only requests addressed to it, turns broken paths into 400 (never a
traceback), and says in one line when its port is busy."""

from __future__ import annotations

import functools
import http.client
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.site.live import Reloader
from generator.site.serve import LOCAL_HOSTS, bad_path, make_handler, open_server
from tests.conftest import write_content


@pytest.fixture
def port(tmp_path: Path) -> Iterator[int]:
    """A preview of a one-page site on a free port of 127.0.0.1."""
    site = tmp_path / "site"
    (site / "banks" / "alpha").mkdir(parents=True)
    (site / "index.html").write_text("<html><body>home</body></html>", encoding="utf-8")
    reloader = Reloader(tmp_path / "content", site)
    handler = functools.partial(make_handler(reloader, LOCAL_HOSTS), directory=str(site))
    server = open_server("127.0.0.1", 0, handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def _get(port: int, path: str, host: str | None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(request)
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_the_preview_answers_its_own_names(port: int, name: str) -> None:
    status, body = _get(port, "/", f"{name}:{port}")
    assert status == 200 and "home" in body


@pytest.mark.parametrize(
    "host",
    ["attacker.example:{port}", "attacker.example", "localhost", "127.0.0.1:1", "", None],
    ids=["rebound-name", "no-port", "name-without-port", "other-port", "empty", "missing"],
)
def test_other_hosts_get_421(port: int, host: str | None) -> None:
    status, body = _get(port, "/", None if host is None else host.format(port=port))
    assert status == 421
    assert body == (
        "421 Misdirected Request: this preview answers only for "
        f"http://127.0.0.1:{port}/ and http://localhost:{port}/\n"
    )


@pytest.mark.parametrize("path", ["/%00", "/banks/%zz/", "/%ed%a0%80", "/%", "/a%0a", "/%7f"])
def test_bad_paths_get_400(port: int, path: str, capfd: pytest.CaptureFixture[str]) -> None:
    status, body = _get(port, path, f"127.0.0.1:{port}")
    assert (status, body) == (
        400,
        "400 Bad Request: the path holds a character no file name has\n",
    )
    assert "Traceback" not in capfd.readouterr().err


def test_a_raw_nul_in_the_request_line_is_no_traceback(
    port: int, capfd: pytest.CaptureFixture[str]
) -> None:
    answer = _raw(port, f"GET /a\x00b HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.0 400")
    too_long = _get(port, "/" + "a" * 5000 + "/", f"127.0.0.1:{port}")
    assert too_long[0] == 404
    assert "Traceback" not in capfd.readouterr().err


def test_bad_path_accepts_ordinary_addresses() -> None:
    assert not bad_path("/en/exercises/body-signal-map/?ids=a,b&title=L%E2%80%99%C3%A9coute#x")
    assert not bad_path("/pagefind/pagefind-entry.json?ts=1")


def test_a_busy_port_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_content(tmp_path / "content")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--content", "content", "--port", str(taken)])
    assert result.exit_code == 1
    assert result.output == (
        f"error: port {taken} is already in use on 127.0.0.1: stop the other program or "
        f"choose another port, e.g. --port {taken + 1}\n"
    )


def test_listening_on_every_network_is_refused(tmp_path: Path) -> None:
    write_content(tmp_path / "content")
    result = CliRunner().invoke(
        cli, ["serve", "--content", str(tmp_path / "content"), "--host", "0.0.0.0"]
    )
    assert result.exit_code == 1
    assert result.output == (
        "error: --host 0.0.0.0 would answer on every network: name this machine's address "
        "instead, e.g. --host 192.168.1.10\n"
    )
