"""Every command example of the README runs as written, so the docs cannot drift from the code."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """The `$ ` lines of the README's ```console blocks, in order."""
    blocks = re.findall(r"```console\n(.*?)```", README, flags=re.DOTALL)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_readme_gives_the_two_setup_commands() -> None:
    commands = readme_commands()
    assert "pip install -e . && workbook build" in commands
    assert "pip install -e '.[test]' && pytest" in commands


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the content, where the README's commands may write what they like."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "workbook", root / "workbook")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command: str, workspace: Path) -> None:
    for part in command.split(" && "):
        words = shlex.split(part)
        if words[:2] == ["pip", "install"]:
            # This suite runs from that very install: check it happened rather than redo it.
            assert metadata.version("alliance-workbook")
            continue
        if words[0] == "pytest":
            continue  # the command running this test
        assert words[0] == "workbook", f"unexpected README command: {part}"
        executable = shutil.which("workbook")
        assert executable, "the `workbook` console script is not installed"
        result = subprocess.run(
            [executable, *words[1:]],
            cwd=workspace,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            timeout=900,
        )
        assert result.returncode == 0, f"{part}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_readme_build_links_its_pdf_workbooks(workspace: Path) -> None:
    """After the README's `workbook build`, the PDFs exist and the pages link them."""
    if not (workspace / "site" / "index.html").exists():
        pytest.skip("needs the README build (run the whole module)")
    site = workspace / "site"
    for lang, prefix in (("fr", ""), ("en", "en/")):
        for edition in ("participant", "facilitator"):
            for name in (f"bank-self-awareness-{edition}", f"workbook-{edition}"):
                pdf = site / "pdf" / lang / f"{name}.pdf"
                assert pdf.read_bytes().startswith(b"%PDF-"), pdf
        page = (site / prefix / "banks" / "self-awareness" / "index.html").read_text("utf-8")
        assert f"pdf/{lang}/bank-self-awareness-participant.pdf" in page
