"""The build is atomic: a failed or killed build leaves the previous output exactly as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli


def tree_hash(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build_site(content: Path, out: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", "--no-pdf", "--content", str(content), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output


def test_failed_build_leaves_previous_output(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out)
    before = tree_hash(out)
    assert "index.html" in before
    (content / "banks" / "alpha.yml").write_text("id: [broken\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["build", "--no-pdf", "--content", str(content), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert tree_hash(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


def test_killed_build_leaves_previous_output(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out)
    before = tree_hash(out)
    (content / "banks" / "alpha.yml").write_text(
        (content / "banks" / "alpha.yml").read_text(encoding="utf-8").replace("Titre", "Changé"),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--verbose",
            "--no-pdf",
            "--content",
            str(content),
            "--out",
            str(out),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stderr is not None
    for line in process.stderr:  # wait for the build to be writing, then kill it
        if line.startswith("writing into "):
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert tree_hash(out) == before
    # The next build sweeps the leftovers of the killed one and swaps in the new output.
    build_site(content, out)
    assert tree_hash(out) != before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == []
