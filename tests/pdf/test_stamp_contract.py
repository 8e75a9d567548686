"""The contract between stamp.py and the print stylesheet (see "The contract with the print
stylesheet" in generator/pdf/stamp.py): the glyph sheet shows exactly four texts, in the four
corners of the page where the stamps go, and a stylesheet without them is one clear error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.models import Content
from generator.pdf import render
from generator.pdf.document import PrintOptions
from generator.pdf.parts import sheet_part, workbook_layout
from generator.pdf.selection import bank_plan
from generator.pdf.stamp import BOXES, SheetError, Stamper
from generator.resources import tool_dir
from generator.validate import load_content
from tests.pdf.conftest import small_content

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
MARGINS = {"top": 24 * MM, "right": 20 * MM, "bottom": 22 * MM, "left": 22 * MM}
"""The page margins of the print stylesheet (``@page { margin: 24mm 20mm 22mm 22mm; }``)."""
STYLESHEET = tool_dir() / "print" / "workbook.css"


def typeset_sheet(content: Content, target: Path) -> Path:
    options = PrintOptions(lang="fr", edition="facilitator")
    layout = workbook_layout(content, bank_plan(content, "alpha"), options, "contract")
    render.typeset_part(sheet_part(content, layout, "contract").html, False, target)
    return target


def without_running_boxes(css: str) -> str:
    """The stylesheet with its ``@page running { … }`` rule (and the boxes in it) removed."""
    start = css.index("@page running {")
    depth, end = 0, start
    for end in range(start, len(css)):
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        if depth == 0 and css[end] == "}":
            break
    return css[:start] + css[end + 1 :]


def test_the_stylesheet_points_to_the_contract() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    assert "generator/pdf/stamp.py" in css
    assert re.findall(r"@(top|bottom)-(left|right|center)\b", css) == [
        ("top", "left"),
        ("top", "right"),
        ("bottom", "left"),
        ("bottom", "right"),
    ]


def test_the_sheet_shows_the_four_boxes_where_the_stamps_go(small: Content, tmp_path: Path) -> None:
    stamper = Stamper(typeset_sheet(small, tmp_path / "sheet.pdf"))
    try:
        boxes = stamper.boxes
        assert sorted(boxes) == sorted(BOXES)
        width, height = A4
        for name in ("top-left", "top-right"):  # in the top margin, above the text block
            assert height - MARGINS["top"] < boxes[name].y < height
        for name in ("bottom-left", "bottom-right"):  # in the bottom margin
            assert 0 < boxes[name].y < MARGINS["bottom"]
        assert boxes["top-left"].y == pytest.approx(boxes["top-right"].y, abs=1.5)
        assert boxes["bottom-left"].y == pytest.approx(boxes["bottom-right"].y, abs=1.5)
        for name in ("top-left", "bottom-left"):  # text starts at the left margin
            assert not boxes[name].right
            assert boxes[name].x == pytest.approx(MARGINS["left"], abs=1)
        for name in ("top-right", "bottom-right"):  # text ends at the right margin
            assert boxes[name].right
            assert boxes[name].x == pytest.approx(width - MARGINS["right"], abs=1)
        sizes = {name: round(box.size, 2) for name, box in boxes.items()}
        assert sizes == {"top-left": 7.5, "top-right": 7.0, "bottom-left": 7.5, "bottom-right": 7.5}
        assert boxes["top-right"].spacing == pytest.approx(0.06 * 7, abs=0.01)  # 0.06em
        assert boxes["top-left"].spacing == pytest.approx(0, abs=0.01)
        for box in boxes.values():  # the muted grey, not black
            assert box.color != (0.0, 0.0, 0.0)
    finally:
        stamper.close()


def _project_without_boxes(root: Path) -> Path:
    content = small_content(root)
    override = content / "overrides" / "print" / "workbook.css"
    override.parent.mkdir(parents=True)
    css = without_running_boxes(STYLESHEET.read_text(encoding="utf-8"))
    assert "@top-left" not in css and "@page running" not in css
    override.write_text(css, encoding="utf-8")
    return content


SHEET_ERROR = (
    "the running header and footer show 0 texts, not 4: the print stylesheet "
    "(print/workbook.css, or the project's copy in overrides/print/) must keep the four "
    "@page running boxes @top-left, @top-right, @bottom-left and @bottom-right "
    "(see generator/pdf/stamp.py)"
)


def test_a_stylesheet_without_the_boxes_is_a_clear_error(tmp_path: Path) -> None:
    content = load_content(_project_without_boxes(tmp_path / "content"))
    sheet = typeset_sheet(content, tmp_path / "sheet.pdf")
    with pytest.raises(SheetError) as refused:
        Stamper(sheet)
    assert str(refused.value) == SHEET_ERROR


@pytest.mark.slow
def test_the_command_says_it_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _project_without_boxes(tmp_path / "content")
    result = CliRunner().invoke(
        cli, ["pdf", "--content", "content", "--bank", "beta", "--jobs", "1", "--out", "b.pdf"]
    )
    assert result.exit_code == 1, result.output
    # (the copy's fonts are not beside it: warnings come first, then the one error)
    assert result.output.splitlines()[-1] == f"error: {SHEET_ERROR}"
    assert result.output.count("error:") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "b.pdf").exists()
