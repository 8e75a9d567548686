"""Caches are keyed by the code that shapes what they hold: editing that code rebuilds it,
with no format number for anyone to bump (see ``code_digest`` in generator/pdf/parts.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pdf import parts
from tests.conftest import write_content

REPO = Path(__file__).resolve().parents[2]


def copy_of_the_tool(target: Path) -> Path:
    """The package as a wheel lays it out (templates/ inside it), importable from ``target``."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "generator", target / "generator", ignore=ignore)
    shutil.copytree(REPO / "templates", target / "generator" / "templates", ignore=ignore)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path}: choose another edit"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_code_digest_covers_every_module_that_shapes_a_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = copy_of_the_tool(tmp_path) / "generator"
    monkeypatch.setattr(parts, "PACKAGE", package)
    shaping = sorted((package / "pdf").glob("*.py"))
    shaping += [package / name for name in parts.SHAPING_MODULES]
    assert {"markup.py", "templating.py", "strings.py"} <= set(parts.SHAPING_MODULES)
    seen = {parts.code_digest()}
    for path in shaping:
        with path.open("a", encoding="utf-8") as stream:
            stream.write("\n# edited\n")
        seen.add(parts.code_digest())
    assert len(seen) == len(shaping) + 1  # each edit changed the key
    (package / "site" / "pages.py").write_text("# the site's code\n", encoding="utf-8")
    assert parts.code_digest() in seen  # the site's code does not shape a part


SUMMARY = re.compile(r"^built (\d+) outputs, (\d+) from cache, in [\d.]+ s → site$", re.M)


def build(folder: Path, tool: Path) -> tuple[int, int, int]:
    """`workbook build` run from the copy of the tool: (outputs built, from cache, parts
    typeset), from its summary line and its --verbose log."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(tool),
        "SOURCE_DATE_EPOCH": "1700000000",
        "NO_MKDOCS_2_WARNING": "1",
    }
    command = [sys.executable, "-m", "generator", "build", "--content", "content"]
    command += ["--out", "site", "--cache", "cache", "--jobs", "1", "--verbose"]
    result = subprocess.run(
        command, cwd=folder, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    found = SUMMARY.search(result.stderr)
    assert found is not None, result.stderr
    typeset = len(re.findall(r"^typeset \w+ part ", result.stderr, re.M))
    return int(found.group(1)), int(found.group(2)), typeset


@pytest.mark.slow
def test_editing_the_print_code_typesets_the_parts_again(tmp_path: Path) -> None:
    tool = copy_of_the_tool(tmp_path / "tool")
    write_content(tmp_path / "content")
    cold_built, cold_cached, cold_typeset = build(tmp_path, tool)
    assert cold_cached == 0 and cold_typeset > 0

    assert build(tmp_path, tool) == (0, cold_built, 0)  # the same code: all from the cache

    # A change to how parts are typeset that leaves their HTML as it was: only the code's
    # place in the key can see it.
    edit(tool / "generator" / "pdf" / "render.py", "MAX_DATA_URL = 2048", "MAX_DATA_URL = 4096")
    assert build(tmp_path, tool) == (cold_built, 0, cold_typeset)
