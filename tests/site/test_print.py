"""The browser's print of an exercise page (assets/print.css): one clean handout, with the
write-in lines of the PDF and the facilitator notes only when unfolded."""

from __future__ import annotations

from typing import Any

import pytest

from generator.validate import load_content
from tests.site.conftest import REPO

pytestmark = pytest.mark.browser

MM_PX = 96 / 25.4


def test_printing_an_exercise_page_gives_one_clean_handout(page: Any, shipped_url: str) -> None:
    exercise = load_content(REPO / "workbook").banks[0].exercises[0]
    page.goto(f"{shipped_url}exercises/{exercise.id}/")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar", ".md-footer", ".wb-crumb", ".wb-back"):
        shown = page.locator(chrome).evaluate_all(
            "nodes => nodes.filter(n => n.offsetParent !== null || n.getClientRects().length)"
            ".map(n => n.className)"
        )
        assert shown == [], chrome
    assert page.locator(".md-typeset .md-button:visible").count() == 0
    # each prompt: ruled write-in lines, as many as it asks for, 8 mm each
    spaces = page.locator(".wb-prompts .wb-answer__print")
    assert spaces.count() == len(exercise.prompts)
    for index, prompt in enumerate(exercise.prompts):
        box = spaces.nth(index).bounding_box()
        assert box is not None
        assert box["height"] == pytest.approx(prompt.lines * 8 * MM_PX, abs=2)
    # the facilitator notes: left out while folded, printed once unfolded
    notes = page.locator("details.wb-facilitator")
    assert not notes.is_visible()
    notes.evaluate("node => { node.open = true; }")
    assert page.locator("details.wb-facilitator .wb-facilitator__body").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".md-header").is_visible()
