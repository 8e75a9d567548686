"""Every failure a user can cause or fix, through the command line: one clear message with
what to do, exit status 1 (2 for a usage error, click's own), never a traceback but with
--verbose."""

from __future__ import annotations

import re
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.site import search
from generator.site.engines import ENGINES, mkdocs
from tests.conftest import WORKBOOK_YML, write_content

REPO = Path(__file__).resolve().parent.parent


def run(*arguments: str) -> Result:
    return CliRunner().invoke(cli, list(arguments))


def one_error(result: Result) -> str:
    """The command's only line (after any progress), asserted to be an error of exit 1."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert [line for line in lines if line.startswith("error: ")] == lines[-1:], lines
    return lines[-1]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid project at ./content, the working folder being tmp_path."""
    monkeypatch.chdir(tmp_path)
    return write_content(tmp_path / "content")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_content_error(project: Path) -> None:
    edit(project / "banks" / "alpha.yml", "minutes: 10", "minutes: -10")
    result = run("check", "--content", "content")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == (
        "content/banks/alpha.yml:9:14: 'minutes' must be greater than 0 (got -10): "
        "give a positive number\n1 problem found.\n"
    )


def test_a_settings_error(project: Path) -> None:
    (project / "workbook.yml").write_text(
        WORKBOOK_YML + "site:\n  primary: '#ffee00'\n", encoding="utf-8"
    )
    result = run("build", "--content", "content", "--no-pdf", "--no-cache")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == (
        "content/workbook.yml:7:12: #ffee00 gives white header text on it a contrast of 1.20:1, "
        "below the 4.5:1 that WCAG AA asks for: choose a darker colour\n1 problem found.\n"
    )


def test_a_missing_engine(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ENGINES["zensical"], "available", lambda: False)
    result = run("build", "--content", "content", "--no-pdf", "--engine", "zensical")
    assert one_error(result) == (
        "error: the site engine 'zensical' is not installed here: install it, or choose one "
        "of mkdocs-material, properdocs with --engine"
    )
    assert not (project.parent / "site").exists()


def test_an_engine_that_refuses_the_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = [sys.executable, "-c", "import sys; sys.exit(3)"]
    monkeypatch.setattr(mkdocs, "python_module", lambda module: failing)
    result = run("build", "--content", "content", "--no-pdf", "--no-cache")
    assert one_error(result) == (
        "error: the site engine refused the generated project: mkdocs-material (fr): stopped "
        "with status 3; mkdocs-material (en): stopped with status 3 (check the theme templates "
        "in the project's overrides/, if any, else report it as a bug of the generator; "
        "--verbose shows all the engine said)"
    )
    assert not (project.parent / "site").exists()  # the build stopped: nothing written


@pytest.mark.slow
def test_pagefind_failing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    said = "import sys; print('Error: out of memory', file=sys.stderr); sys.exit(2)"
    monkeypatch.setattr(search, "PAGEFIND", [sys.executable, "-c", said])
    result = run("build", "--content", "content", "--no-pdf", "--no-cache")
    assert one_error(result) == (
        "error: the search index could not be built: Pagefind stopped with status 2: Error: "
        "out of memory; reinstall it with `pip install 'pagefind[bin]'` (--verbose shows all "
        "it said)"
    )


def test_a_busy_port(project: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        result = run("serve", "--content", "content", "--port", str(taken))
    assert one_error(result) == (
        f"error: port {taken} is already in use on 127.0.0.1: stop the other program or "
        f"choose another port, e.g. --port {taken + 1}"
    )


def test_an_output_folder_the_tool_refuses(project: Path) -> None:
    (project.parent / "notes").mkdir()
    (project.parent / "notes" / "mine.txt").write_text("mine", encoding="utf-8")
    result = run("build", "--content", "content", "--no-pdf", "--out", "notes")
    assert one_error(result) == (
        "error: refusing to replace notes: it is not empty and has no .workbook-output file, "
        "so workbook did not write it; empty it or choose another --out"
    )
    assert (project.parent / "notes" / "mine.txt").read_text(encoding="utf-8") == "mine"


def test_a_stale_translation(project: Path) -> None:
    assert run("translations", "--content", "content", "--done", "all").exit_code == 0
    edit(project / "banks" / "alpha.yml", 'fr: "Titre"', 'fr: "Nouveau titre"')
    assert run("check", "--content", "content").exit_code == 0  # stale is not wrong
    result = run("check", "--content", "content", "--strict-translations")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == (
        "content/banks/alpha.yml:6:12: the 'en' translation of exercises[first].title is "
        "stale: its source text changed since it was reviewed; update it, then run "
        "`workbook translations --done content/banks/alpha.yml:6`\n1 problem found.\n"
    )


def test_a_usage_error_is_clicks_own(project: Path) -> None:
    result = run("pdf", "--content", "content", "--bank", "alpha", "--all", "--out", "x.pdf")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.splitlines()[-1] == (
        "Error: choose one of --bank, --set, --all and --exercise"
    )


@pytest.mark.parametrize("extra", [[], ["--verbose"]], ids=["plain", "verbose"])
def test_verbose_shows_the_traceback_too(project: Path, extra: list[str]) -> None:
    result = run("pdf", "--content", "content", "--bank", "nosuch", "--out", "x.pdf", *extra)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "error: unknown bank 'nosuch': use one of alpha"
    if extra:
        assert "Traceback (most recent call last):" in result.output
        assert re.search(r"generator\.errors\.ToolError: unknown bank 'nosuch'", result.output)
    else:
        assert "Traceback" not in result.output


def test_no_command_module_exits_by_itself() -> None:
    """Only the command-line layer ends the process: stages raise ContentErrors or ToolError.
    (A PDF worker whose build died ends itself with ``os._exit``: that is no user's error.)"""
    layer = {REPO / "generator" / "cli.py", REPO / "generator" / "options.py"}
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "generator").rglob("*.py"))
        if path not in layer
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bsys\.exit\(|\bSystemExit\b", line)
    ]
    assert offenders == []
