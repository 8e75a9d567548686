"""Run the `$ ` lines of a Markdown file's ```console blocks as a reader would type them."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "constraints.txt"


def console_commands(markdown: Path) -> list[str]:
    """The `$ ` lines of the file's ```console blocks, in order."""
    text = markdown.read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


class Shell:
    """A throw-away virtual environment and a working folder, where commands run as typed.

    ``pip`` and ``workbook`` are this environment's own (its ``bin/`` comes first on PATH);
    every ``pip install`` is held to the lock through ``PIP_CONSTRAINT``, as the README's
    commands are by ``-c constraints.txt``.
    """

    def __init__(self, home: Path, cwd: Path) -> None:
        self.env_dir = home / "venv"
        venv.EnvBuilder(with_pip=True, clear=True).create(self.env_dir)
        self.bin = self.env_dir / "bin"
        self.cwd = cwd
        self.environ = {
            key: value
            for key, value in os.environ.items()
            if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
        }
        self.environ.update(
            PATH=f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
            VIRTUAL_ENV=str(self.env_dir),
            PIP_CONSTRAINT=str(LOCK),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            NO_MKDOCS_2_WARNING="1",
        )

    def run(self, line: str, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
        """Run one typed line (`a && b` chains stop at the first failure); `cd` moves."""
        result: subprocess.CompletedProcess[str] | None = None
        for part in line.split(" && "):
            words = shlex.split(part)
            if words[0] == "cd":
                self.cwd = (self.cwd / words[1]).resolve()
                result = subprocess.CompletedProcess(words, 0, "", "")
                continue
            if words[0] == "sudo":
                raise AssertionError(f"needs root, not run here: {part}")
            result = subprocess.run(
                words,
                cwd=self.cwd,
                env=self.environ,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            if result.returncode != 0:
                return result
        assert result is not None
        return result

    def python(self, code: str) -> str:
        """Run ``code`` with this environment's Python, from the working folder."""
        result = subprocess.run(
            [str(self.bin / "python"), "-c", code],
            cwd=self.cwd,
            env=self.environ,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()
