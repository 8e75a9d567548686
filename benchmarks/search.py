"""Measure the site search in real Chromium, in both languages, against the issue's goals.

    python benchmarks/search.py                       # builds 2,000 synthetic exercises first
    python benchmarks/search.py --site /tmp/site-2000 --json /tmp/search.json

For each language (French at ``/``, English at ``/en/``), in a fresh browser context (cold cache),
on the home page served by a local ``ThreadingHTTPServer``:

- ready: from the page's load event to the moment the search can answer. The benchmark focuses
  the search box right after the load event (as a user reaching for it would); search.js
  announces readiness with a ``wb-search-ready`` event on the search box. For a search.js
  without that event, the end of the last engine download (wasm, index meta) seen by Chromium
  stands in, and the report says so.
- first-query bytes: the body bytes of every response Chromium received after the load event
  until the first query's results were shown (the search engine's files included, whether the
  page preloaded them or not).
- query time: for ~20 varied queries (French words on ``/``, English on ``/en/``), typed key by
  key with a fixed delay between keys like a fast typist, the time from the last ``keydown`` to
  the first animation frame after the results panel last changed (the frame that paints them);
  the median is the goal's figure. Measured in the page with ``performance.now()``: the results
  are those of the ``wb-search-results`` event search.js fires for that query; for a search.js
  without it, a MutationObserver on ``.wb-search__results`` gives the panel's last change once
  it stays still for 400 ms.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

# The same static server and Chromium as the tests.
from tests.site.conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

GOALS = {"ready_s": 0.5, "first_query_kb": 300.0, "median_query_ms": 50.0}
QUERIES = {
    "": [
        "colères",
        "valeurs",
        "ruptures",
        "silence",
        "fatigue",
        "larmes",
        "désespoir",
        "réparation",
        "objectifs",
        "émotions",
        "signaux",
        "peur",
        "bienveillance",
        "séance",
        "tâches",
        "alliance",
        "compassion",
        "corps",
        "malentendu",
        "rencontre",
        "praticienne",
    ],
    "en/": [
        "angry",
        "values",
        "ruptures",
        "silence",
        "fatigue",
        "tears",
        "despair",
        "repairs",
        "goals",
        "emotion",
        "signals",
        "fears",
        "kindness",
        "sessions",
        "tasks",
        "alliance",
        "compassion",
        "body",
        "misunderstanding",
        "meetings",
        "practitioners",
    ],
}
# Installed before any page script: key times, panel changes (with the frame that paints them),
# the readiness event.
PROBE = """
window.__wb = {keys: [], changes: [], shown: [], ready: null};
document.addEventListener("keydown", () => window.__wb.keys.push(performance.now()), true);
document.addEventListener("wb-search-ready", () => {
  if (window.__wb.ready === null) window.__wb.ready = performance.now();
}, true);
document.addEventListener("wb-search-results", (event) => {
  const shown = {dom: performance.now(), frame: null, query: event.detail.query,
                 results: event.detail.shown};
  window.__wb.shown.push(shown);
  requestAnimationFrame(() => { shown.frame = performance.now(); });
}, true);
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector(".wb-search__results");
  if (!panel) return;
  new MutationObserver(() => {
    const change = {dom: performance.now(), frame: null,
                    results: panel.querySelectorAll(".wb-search__result").length,
                    hidden: panel.hidden};
    window.__wb.changes.push(change);
    requestAnimationFrame(() => { change.frame = performance.now(); });
  }).observe(panel, {childList: true, subtree: true, attributes: true});
});
"""
QUIET_MS = 400


def build(exercises: int, work: Path) -> Path:
    """Generate ``exercises`` synthetic exercises and build their site (no PDFs)."""
    from synth import generate

    content = generate(exercises, work / "content")
    site = work / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--no-pdf",
            "--content",
            str(content),
            "--out",
            str(site),
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )
    click.echo(f"built {exercises} exercises in {time.perf_counter() - started:.0f} s → {site}")
    return site


def _settle(page: Any, after: float) -> dict[str, Any]:
    """Wait until the results panel changed after ``after``, then stayed still: its last change."""
    handle = page.wait_for_function(
        """([after, quiet]) => {
          const changes = window.__wb.changes.filter((c) => c.dom > after);
          if (!changes.length) return false;
          const last = changes[changes.length - 1];
          return last.frame !== null && performance.now() - last.dom > quiet && last;
        }""",
        arg=[after, QUIET_MS],
        polling=50,
        timeout=30_000,
    )
    return dict(handle.json_value())


def _clear(page: Any) -> None:
    box = page.locator("#wb-search-input")
    box.fill("")
    box.dispatch_event("input")
    page.wait_for_function("document.querySelector('.wb-search__results').hidden")


def _type(page: Any, query: str, delay_ms: int) -> dict[str, Any]:
    """Type ``query`` key by key; the time from its last key to its results painted.

    With a search.js that fires ``wb-search-results`` (detail: query, shown), the first such
    event for ``query`` after the last key; else the panel's last change once it stays still.
    """
    before = page.evaluate("performance.now()")
    page.locator("#wb-search-input").press_sequentially(query, delay=delay_ms)
    last_key = page.evaluate("window.__wb.keys[window.__wb.keys.length - 1]")
    assert last_key > before
    if page.evaluate("window.__wb.shown.length > 0"):
        handle = page.wait_for_function(
            """([after, query]) => window.__wb.shown.find(
                 (s) => s.dom > after && s.query === query && s.frame !== null) || false""",
            arg=[last_key, query],
            polling=10,
            timeout=30_000,
        )
        change = dict(handle.json_value())
    else:
        change = _settle(page, last_key)
    return {"query": query, "ms": change["frame"] - last_key, "results": change["results"]}


def _body_size(request: Any) -> int:
    """Body bytes of a finished request (worker scripts report 0 in sizes(): read the body)."""
    size = int(request.sizes()["responseBodySize"])
    response = request.response()
    if not size and response is not None:
        try:
            size = len(response.body())
        except Exception:  # a body Chromium no longer holds
            size = int(response.headers.get("content-length", 0))
    return size


def measure_language(browser: Any, base: str, prefix: str, delay_ms: int) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(PROBE)
    finished: list[Any] = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(base + prefix, wait_until="load")
    on_load = len(finished)
    page.locator("#wb-search-input").focus()
    load_end = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    origin = page.evaluate("performance.timeOrigin")
    # Ready: the page's own event, else the end of the engine's last download.
    ready_source = "wb-search-ready event"
    try:
        page.wait_for_function("window.__wb.ready !== null", timeout=5_000, polling=10)
        ready_ms = page.evaluate("window.__wb.ready") - load_end
    except Exception:  # a search.js without the event
        ready_source = "last engine download (no wb-search-ready event)"
        page.wait_for_load_state("networkidle")
        ends = [
            r.timing["startTime"] + r.timing["responseEnd"]
            for r in finished
            if r.url.endswith((".pf_meta", ".pagefind")) and "/pagefind/" in r.url
        ]
        ready_ms = max(ends) - (origin + load_end) if ends else float("nan")
    queries = QUERIES[prefix]
    first = _type(page, queries[0], delay_ms)
    first_bytes = 0
    files = []
    for request in finished[on_load:]:
        size = _body_size(request)
        first_bytes += size
        files.append((request.url.removeprefix(base), size))
    timings = []
    for query in queries[1:]:
        _clear(page)
        timings.append(_type(page, query, delay_ms))
    context.close()
    values = [t["ms"] for t in timings]
    return {
        "page": "/" + prefix,
        "ready_s": round(ready_ms / 1000, 3),
        "ready_source": ready_source,
        "first_query_kb": round(first_bytes / 1000, 1),
        "first_query_ms": round(first["ms"], 1),
        "first_query_files": files,
        "median_query_ms": round(statistics.median(values), 1),
        "max_query_ms": round(max(values), 1),
        "queries": [{**t, "ms": round(t["ms"], 1)} for t in timings],
        "no_results": [t["query"] for t in [first, *timings] if not t["results"]],
        "console_errors": errors,
    }


def _line(name: str, value: float, goal: float, unit: str) -> str:
    verdict = "ok" if value <= goal else "OVER"
    return f"  {name:<22} {value:>8.3g} {unit:<3} (goal ≤ {goal:g} {unit}) {verdict}"


@click.command(help=__doc__)
@click.option(
    "--site",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A built site; without it, synthetic content is generated and built.",
)
@click.option(
    "--exercises",
    default=2000,
    show_default=True,
    help="Synthetic exercises to build when no --site is given.",
)
@click.option("--delay", default=80, show_default=True, help="Milliseconds between keys.")
@click.option(
    "--json",
    "json_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also save the measures as JSON.",
)
@click.option("--files", is_flag=True, help="List the files the first query downloaded.")
def main(
    site: Path | None, exercises: int, delay: int, json_file: Path | None, files: bool
) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="workbook-search-bench-") as temporary:
        root = site or build(exercises, Path(temporary))
        results = []
        with serve(root) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for prefix in QUERIES:
                results.append(measure_language(browser, base, prefix, delay))
            browser.close()
    for result in results:
        click.echo(f"{result['page']} ({len(result['queries'])} queries, {delay} ms between keys)")
        click.echo(_line("search ready", result["ready_s"], GOALS["ready_s"], "s"))
        click.echo(
            _line("first query download", result["first_query_kb"], GOALS["first_query_kb"], "KB")
        )
        click.echo(_line("median query", result["median_query_ms"], GOALS["median_query_ms"], "ms"))
        click.echo(
            f"  first query {result['first_query_ms']} ms, slowest other "
            f"{result['max_query_ms']} ms; ready from: {result['ready_source']}"
        )
        if result["no_results"]:
            click.echo(f"  queries without results: {', '.join(result['no_results'])}")
        if result["console_errors"]:
            click.echo(f"  console errors: {result['console_errors']}")
        if files:
            for url, size in result["first_query_files"]:
                click.echo(f"    {size:>8} {url}")
    if json_file:
        json_file.write_text(
            json.dumps(
                {"goals": GOALS, "delay_ms": delay, "results": results},
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
