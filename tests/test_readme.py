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
