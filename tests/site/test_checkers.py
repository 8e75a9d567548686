"""Outside checkers on the built site: the Nu Html Checker finds no error on any page, and pa11y
(HTML_CodeSniffer, WCAG 2 AA) none on the pages people use most, in both languages.

Both come from npm, pinned by package.json and package-lock.json at the repository root:
``PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts`` installs them (``.ci/run`` does; the
fixture below does it when node_modules is missing or older than the lock). The Nu checker runs
on Debian's Java (``default-jre-headless``), pa11y drives Debian's Chromium; the site is served
on 127.0.0.1, so nothing reaches the network but the install from the npm registry.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.site.conftest import CHROMIUM, REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
PA11Y_RUNNER = Path(__file__).with_name("pa11y.mjs")
SEARCH = [
    "set field #wb-search-input to rupture",
    "wait for element .wb-search__result to be added",
]
CARDS = ["wait for element .wb-explorer .wb-card to be added"]
# The pages the brief names, with what makes them whole before the check.
PA11Y_PAGES: list[tuple[str, list[str]]] = [
    ("", []),
    ("banks/self-awareness/", []),
    ("exercises/jaw-and-shoulders-map/", []),
    ("explorer/", CARDS),
    (
        "composer/?ids=what-i-bring-in-check-in,jaw-and-shoulders-map",
        [*CARDS, "wait for element .wb-composer__item to be added"],
    ),
    ("", SEARCH),  # the search results
]


def _installed() -> bool:
    lock = REPO / "package-lock.json"
    marker = NODE_MODULES / ".package-lock.json"
    return (
        VNU_JAR.is_file()
        and (NODE_MODULES / "pa11y").is_dir()
        and marker.is_file()
        and marker.stat().st_mtime >= lock.stat().st_mtime
    )


@pytest.fixture(scope="session")
def checkers() -> Path:
    """The npm packages of package-lock.json, installed into the repository's node_modules."""
    for tool in ("node", "npm", "java"):
        assert shutil.which(tool), f"{tool} is needed: see the README's apt line and .ci/run"
    if not _installed():
        environment = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        result = subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]
    assert _installed()
    return NODE_MODULES


def test_the_nu_html_checker_finds_no_error_on_any_page(checkers: Path, shipped_site: Path) -> None:
    pages = sorted(str(path) for path in shipped_site.rglob("*.html"))
    assert len(pages) > 300
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    report = json.loads(result.stderr or '{"messages": []}')
    errors = [
        f"{Path(message.get('url', '')).as_posix().split('/site/', 1)[-1]}:"
        f"{message.get('lastLine', '?')}: {message['message']}"
        for message in report["messages"]
        if message.get("type") in ("error", "non-document-error")
    ]
    print(f"Nu Html Checker: {len(pages)} pages, {len(errors)} errors")
    assert errors == [], "\n".join(errors[:40])
    assert result.returncode == 0


def _pa11y(checkers: Path, jobs: dict[str, Any], folder: Path) -> list[dict[str, Any]]:
    jobs_file = folder / "jobs.json"
    jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
    result = subprocess.run(
        ["node", str(PA11Y_RUNNER), str(checkers), str(jobs_file)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_pa11y_finds_no_wcag_aa_error_in_either_language(
    checkers: Path, shipped_url: str, tmp_path: Path
) -> None:
    pages = [
        {"url": shipped_url + lang + path, "actions": actions}
        for lang in ("", "en/")
        for path, actions in PA11Y_PAGES
    ]
    results = _pa11y(checkers, {"chromium": CHROMIUM, "pages": pages}, tmp_path)
    assert [result["url"] for result in results] == [page["url"] for page in pages]
    errors = [
        f"{result['url']}: {issue['code']} at {issue['selector']}: {issue['context'][:120]}"
        for result in results
        for issue in result["issues"]
    ]
    print(f"pa11y (HTML_CodeSniffer, WCAG2AA): {len(pages)} pages, {len(errors)} errors")
    assert errors == [], "\n".join(errors)
