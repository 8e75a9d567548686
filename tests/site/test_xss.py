"""Hostile text in every field stays inert: no script runs on any page, whatever renders it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.site import build_site
from generator.validate import load_content
from tests.conftest import SOURCES_YML, WORKBOOK_YML
from tests.site.conftest import serve

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__xss = 'script'; alert(1)</script>",
    '<img src="x" onerror="window.__xss = \'img\'; alert(2)">',
    '"><svg onload="window.__xss = \'svg\'; alert(3)">',
    "[click me](javascript:window.__xss='link';alert(4))",
    "[data](data:text/html,<script>alert(5)</script>)",
    '</textarea><iframe src="javascript:alert(6)"></iframe>',
    "{{ 7 * 7 }} {% raw %} ${alert(7)} `<b onmouseover=alert(8)>x</b>`",
    '<a href="javascript:alert(9)">plain link</a> \' " & < >',
]


def hostile(index: int) -> dict[str, str]:
    payload = PAYLOADS[index % len(PAYLOADS)]
    return {"fr": f"colère {payload}", "en": f"anger {payload}"}


def hostile_exercise(number: int, moment: str) -> dict[str, Any]:
    return {
        "id": f"hostile-{number}",
        "title": hostile(number),
        "summary": hostile(number + 1),
        "purpose": hostile(number + 2),
        "minutes": 10,
        "format": "group",
        "level": "practice",
        "components": ["rupture"],
        "moment": moment,
        "materials": [hostile(number + 3)],
        "steps": [{"minutes": 10, "text": hostile(number + 4)}],
        "prompts": [{"text": hostile(number + 5), "space": "box", "lines": 3}],
        "debrief": hostile(number + 6),
        "facilitator_notes": hostile(number + 7),
        "safety": hostile(number + 8),
        "adaptations": hostile(number + 9),
        "sources": ["bordin-1979"],
        "tags": [hostile(number + 10)],
    }


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    (content / "banks").mkdir(parents=True)
    (content / "sets").mkdir()
    workbook = yaml.safe_load(WORKBOOK_YML)
    workbook["title"] = hostile(2)
    workbook["subtitle"] = hostile(0)
    (content / "workbook.yml").write_text(yaml.safe_dump(workbook), encoding="utf-8")
    sources = yaml.safe_load(SOURCES_YML)
    sources["sources"][0]["title"] = PAYLOADS[0]
    sources["sources"][0]["container"] = PAYLOADS[1]
    (content / "sources.yml").write_text(yaml.safe_dump(sources), encoding="utf-8")
    bank = {
        "id": "hostile",
        "title": hostile(2),
        "intro": hostile(3),
        "exercises": [
            hostile_exercise(n, m) for n, m in enumerate(["check-in", "core", "closing"])
        ],
    }
    (content / "banks" / "hostile.yml").write_text(yaml.safe_dump(bank), encoding="utf-8")
    session = {
        "id": "hostile-set",
        "title": hostile(4),
        "audience": hostile(5),
        "minutes": 60,
        "description": hostile(6),
        "exercises": [{"id": "hostile-0", "note": hostile(7)}, {"break": 5, "note": hostile(3)}],
    }
    (content / "sets" / "hostile-set.yml").write_text(yaml.safe_dump(session), encoding="utf-8")
    out = root / "site"
    build_site(load_content(content), out, with_pdfs=False)
    return out


def _pages(site: Path) -> list[str]:
    return sorted(
        path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("index.html")
        if "pagefind" not in path.parts
    )


def _assert_inert(page: Any, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.locator("script:text('__xss')").count() == 0


def test_no_payload_runs_on_any_page(hostile_site: Path, browser: Any) -> None:
    pages = _pages(hostile_site)
    assert len(pages) >= 12
    html = (hostile_site / "exercises" / "hostile-1" / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__xss" not in html
    assert not re.search(r"(?i)(href|src)=[\"']?\s*(javascript|data):", html)
    assert "&lt;script&gt;window.__xss" in html
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    with serve(hostile_site) as url:
        for path in pages:
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            page.evaluate(  # fire every handler an injected attribute could have set
                "document.querySelectorAll('body *').forEach(element => "
                "['mouseover', 'focus', 'load', 'error'].forEach(kind => element.dispatchEvent("
                "new Event(kind, {bubbles: false}))))"
            )
            _assert_inert(page, dialogs)
        # What JavaScript renders: search results, explorer cards, the composer's list and print.
        page.goto(url)
        box = page.get_by_role("searchbox").first
        box.press_sequentially("colère")
        page.wait_for_selector("text=/colère/", timeout=5000)
        _assert_inert(page, dialogs)
        page.goto(url + "explorer/")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=/onerror/").count() >= 1  # shown as text, not run
        _assert_inert(page, dialogs)
        page.goto(url + "composer/?ids=hostile-0,hostile-1,hostile-2")
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        _assert_inert(page, dialogs)
    context.close()


def test_payload_text_is_visible_as_text(hostile_site: Path, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    with serve(hostile_site) as url:
        page.goto(url + "exercises/hostile-1/")
        title = page.locator("h1").first.inner_text()
    context.close()
    assert re.search(r"<img src=\"x\" onerror=", title), title
