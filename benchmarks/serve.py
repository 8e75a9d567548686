"""Figure i: how soon `workbook serve` shows a saved change in the browser.

Starts `workbook serve` on a copy of a content folder, opens the first exercise's page (first
language) in Chromium, then saves a change to that exercise's summary several times: each
time, the seconds from the write of the file to the moment the reloaded page shows the new
text. Between two saves it waits until serve has finished the whole update (other languages
and search index included), as an author who reads what they wrote would.

    python benchmarks/serve.py --content workbook --json /tmp/serve.json
    python benchmarks/serve.py --exercises 2000 --json /tmp/serve-2000.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import synth  # noqa: E402

from tests.site.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the tests' Chromium)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Serve:
    """`workbook serve` in a subprocess, its log lines collected as they come."""

    def __init__(self, content: Path, temporary: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "TMPDIR": str(temporary), "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "generator", "serve", "--content", str(content)]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def updates(self) -> int:
        """How many updates serve has finished (its "site updated" lines)."""
        return sum(1 for line in self.lines if line.startswith("site updated in "))

    def wait_for_update(self, after: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.updates() <= after:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("serve stopped or did not update:\n" + "\n".join(self.lines))
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it (its temporary folder goes with it)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _edit_summary(bank: Path, exercise_id: str, lang: str, marker: str) -> None:
    """Put ``marker`` at the start of the exercise's summary in ``lang`` (the file rewritten
    by PyYAML, as an editor that reformats would; the other exercises keep their values)."""
    data = yaml.safe_load(bank.read_text(encoding="utf-8"))
    exercise = next(item for item in data["exercises"] if item["id"] == exercise_id)
    summary = exercise["summary"][lang]
    exercise["summary"][lang] = marker + " " + summary.split(" ", 1)[-1]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    bank.write_text(text, encoding="utf-8")


def measure(content_dir: Path, edits: int, timeout: float) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="workbook-bench-serve-") as folder:
        work = Path(folder)
        content = work / "content"
        shutil.copytree(content_dir, content)
        workbook = yaml.safe_load((content / "workbook.yml").read_text(encoding="utf-8"))
        lang = (workbook.get("languages") or ["fr", "en"])[0]
        bank = sorted((content / "banks").glob("*.y*ml"))[0]
        exercise_id = yaml.safe_load(bank.read_text(encoding="utf-8"))["exercises"][0]["id"]
        (work / "tmp").mkdir()
        started = time.perf_counter()
        serve = Serve(content, work / "tmp")
        try:
            serve.wait_for_update(0, timeout)
            first_build = time.perf_counter() - started
            seconds = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"{serve.base}/exercises/{exercise_id}/")
                for number in range(1, edits + 1):
                    marker = f"Modifié-{number}-{time.time_ns()}"
                    done = serve.updates()
                    written = time.perf_counter()
                    _edit_summary(bank, exercise_id, lang, marker)
                    page.wait_for_function(
                        "marker => document.body && document.body.innerText.includes(marker)",
                        arg=marker,
                        timeout=timeout * 1000,
                        polling=10,
                    )
                    seconds.append(time.perf_counter() - written)
                    print(f"  edit {number}: {seconds[-1]:.2f} s", flush=True)
                    serve.wait_for_update(done, timeout)  # the whole update, search included
                    time.sleep(0.5)
                browser.close()
        finally:
            serve.stop()
    return {
        "exercise": exercise_id,
        "lang": lang,
        "edits_s": seconds,
        "median_s": statistics.median(seconds),
        "max_s": max(seconds),
        "first_build_s": first_build,
        "load_average": os.getloadavg(),
    }


def serve_figures(large: int, edits: int = 5, timeout: float = 1800.0) -> dict[str, Any]:
    """Figure i on the shipped content and on ``large`` synthetic exercises."""
    shipped = measure(ROOT / "workbook", edits, timeout)
    print(f"i (shipped): {shipped['edits_s']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="workbook-bench-synth-") as folder:
        big = measure(synth.generate(large, Path(folder) / "content"), edits, timeout)
    print(f"i ({large}): {big['edits_s']}", flush=True)
    return {
        "raw": {"shipped": shipped, "large": big, "exercises": large},
        "i_serve_reload_shipped_s": shipped["median_s"],
        "i_serve_reload_large_s": big["median_s"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--content", type=Path, default=ROOT / "workbook")
    source.add_argument("--exercises", type=int, help="synthetic content of this many exercises")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="workbook-bench-synth-") as folder:
        content = options.content
        if options.exercises:
            content = synth.generate(options.exercises, Path(folder) / "content")
        result = measure(content, options.edits, options.timeout)
    print(json.dumps(result, indent=2))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
