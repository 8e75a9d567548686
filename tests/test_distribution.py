"""The tool as an organisation meets it: a wheel installed outside the repository.

The wheel is built from the repository and installed, from the lock, into a new virtual
environment; every command runs in an empty folder elsewhere, so nothing can be found through
the source checkout. The guides in docs/ run as written there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.console import ROOT, Shell, console_commands

pytestmark = pytest.mark.slow
GUIDES = (ROOT / "docs" / "start-your-own-workbook.md", ROOT / "docs" / "publish.md")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
WHEEL_NAME = f"alliance_workbook-{VERSION}-py3-none-any.whl"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Shell:
    """A new venv and an empty folder outside the repository, holding only the wheel."""
    home = tmp_path_factory.mktemp("organisation")
    work = home / "work"
    work.mkdir()
    shutil.copy(wheel, work / wheel.name)
    return Shell(home, work)


def test_the_wheel_holds_every_file_the_tool_needs(wheel: Path) -> None:
    assert wheel.name == WHEEL_NAME
    names = set(zipfile.ZipFile(wheel).namelist())
    tool_files = [
        path.relative_to(ROOT / "templates").as_posix()
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert len(tool_files) > 40
    missing = [name for name in tool_files if f"generator/templates/{name}" not in names]
    assert missing == []
    for needed in (
        "print/fonts/DejaVuSerif.ttf",
        "strings/en.yml",
        "print/workbook.css",
        "project/workbook.yml",
        "project/banks/first-steps.yml",
    ):
        assert f"generator/templates/{needed}" in names
    assert not any(name.startswith(("workbook/", "tests/", "templates/")) for name in names)


def test_the_guides_run_as_written_from_the_wheel(shell: Shell) -> None:
    """docs/start-your-own-workbook.md then docs/publish.md, command by command."""
    commands = [line for guide in GUIDES for line in console_commands(guide)]
    assert f"pip install {WHEEL_NAME}" in commands, "the guide names another wheel"
    outputs = {}
    for line in commands:
        result = shell.run(line)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        outputs[line] = result
    assert "workbook new" in outputs["workbook --help"].stdout
    # the tool runs from the wheel, not from a checkout
    location = shell.python("import generator, os; print(os.path.dirname(generator.__file__))")
    assert Path(location).is_relative_to(shell.env_dir), location
    project = shell.cwd
    assert project.name == "my-workbook"
    site = project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "My reflective-practice workbook" in (site / "en" / "index.html").read_text("utf-8")
    assert 'src="assets/brand/logo.svg"' in home
    assert (site / "assets" / "brand" / "logo.svg").read_bytes() == (
        project / "assets" / "logo.svg"
    ).read_bytes()
    brand = (site / "assets" / "workbook" / "brand.css").read_text(encoding="utf-8")
    assert "--md-primary-fg-color: #1f5f5b;" in brand
    pdfs = sorted(path.name for path in (site / "pdf" / "en").glob("*.pdf"))
    assert "bank-first-steps-participant.pdf" in pdfs
    assert (project / "public" / "index.html").is_file()
    # the publish guide's CI example runs the same commands
    ci_example = re.search(r"```yaml\nname: publish\n(.*?)```", GUIDES[1].read_text("utf-8"), re.S)
    assert ci_example is not None
    runs = re.findall(r"- run: (workbook .*)", ci_example.group(1))
    assert runs == ["workbook check", "workbook build --out public"]
    assert f"pip install {WHEEL_NAME}" in ci_example.group(1)


def _cover_pixels(pdf: Path, tmp_path: Path) -> set[tuple[int, int, int]]:
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "cover")],
        check=True,
    )
    (png,) = tmp_path.glob("cover*.png")
    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(1 << 24) or []
        return {colour for _, colour in colours}  # type: ignore[misc]


def _near(colour: tuple[int, int, int], pixels: set[tuple[int, int, int]]) -> bool:
    return any(max(abs(a - b) for a, b in zip(colour, pixel, strict=True)) <= 6 for pixel in pixels)


def test_the_pdf_cover_carries_the_project_logo_and_colour(shell: Shell, tmp_path: Path) -> None:
    """The starter's accent (#1f5f5b) edges the cover; its logo's second ring (#7fb8b2) shows."""
    project = shell.cwd
    pixels = _cover_pixels(
        project / "site" / "pdf" / "en" / "bank-first-steps-participant.pdf", tmp_path
    )
    assert _near((0x1F, 0x5F, 0x5B), pixels)
    assert _near((0x7F, 0xB8, 0xB2), pixels)


def _new_project(shell: Shell, name: str) -> Path:
    shell.cwd = shell.cwd.parent if shell.cwd.name == "my-workbook" else shell.cwd
    result = shell.run(f"workbook new {name}")
    assert result.returncode == 0, result.stderr
    return shell.cwd / name


def test_overrides_change_the_pages_they_override(shell: Shell, tmp_path: Path) -> None:
    project = _new_project(shell, "overridden")
    tool = Path(
        shell.python(
            "import generator.templates, os; print(os.path.dirname(generator.templates.__file__))"
        )
    )
    about = project / "overrides" / "site" / "about.md.j2"
    about.parent.mkdir(parents=True)
    about.write_text(
        (tool / "site" / "about.md.j2")
        .read_text(encoding="utf-8")
        .replace("<h1>", "<p>Run by the Northern Supervision Network.</p>\n<h1>"),
        encoding="utf-8",
    )
    css = project / "overrides" / "print" / "workbook.css"
    css.parent.mkdir(parents=True)
    css.write_text(
        (tool / "print" / "workbook.css").read_text(encoding="utf-8")
        + "\n.cover { background: #ffe000; }\n",
        encoding="utf-8",
    )
    result = shell.run(f"workbook build --content {project} --out {tmp_path / 'out'}")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert "Run by the Northern Supervision Network." in (out / "about" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Northern" not in (out / "index.html").read_text(encoding="utf-8")
    pixels = _cover_pixels(out / "pdf" / "en" / "bank-first-steps-participant.pdf", tmp_path)
    assert _near((0xFF, 0xE0, 0x00), pixels)


def test_settings_mistakes_are_located_errors_without_traceback(shell: Shell) -> None:
    project = _new_project(shell, "broken")
    (shell.cwd / "outside.svg").write_text("<svg/>", encoding="utf-8")
    settings = project / "workbook.yml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("  logo: assets/logo.svg\n  favicon", "  logo: ../outside.svg\n  favicon")
    text = text.replace('  primary: "#1f5f5b"', '  primary: "#7fb8b2"')
    text = text.replace("  # font:", "  font:\n    regular: fonts/missing.ttf\n  # font:")
    settings.write_text(text, encoding="utf-8")
    lines = text.splitlines()

    def line_of(start: str) -> int:
        return next(number for number, line in enumerate(lines, 1) if line.startswith(start))

    logo_line = line_of("  logo: ../outside.svg")
    primary_line = line_of('  primary: "#7fb8b2"')
    font_line = line_of("    regular: fonts/missing.ttf")
    result = shell.run(f"workbook check --content {project}")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    shown = f"{project.name}/workbook.yml"
    assert errors == [
        f"{shown}:{logo_line}:9: '../outside.svg' is outside the project folder: put the logo "
        "inside it",
        f"{shown}:{primary_line}:12: #7fb8b2 gives white header text on it a contrast of 2.23:1, "
        "below the 4.5:1 that WCAG AA asks for: choose a darker colour",
        f"{shown}:{font_line}:14: 'fonts/missing.ttf' not found: put the font there or fix the "
        "path",
        "3 problems found.",
    ]


def test_new_refuses_a_folder_that_is_not_empty(shell: Shell) -> None:
    (shell.cwd / "taken").mkdir(exist_ok=True)
    (shell.cwd / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    result = shell.run("workbook new taken")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: taken is not empty: choose a new folder, or an empty one (nothing in it is changed)"
    )
    assert sorted(path.name for path in (shell.cwd / "taken").iterdir()) == ["notes.txt"]
