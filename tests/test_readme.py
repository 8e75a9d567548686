"""Every command of the README runs as written, install step included, in a new environment."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.console import ROOT, Shell, console_commands

README = ROOT / "README.md"
INSTALL = "pip install -c constraints.txt -e . && workbook build"
TEST = "pip install -c constraints.txt -e '.[test]' && pytest"


def test_readme_gives_the_two_setup_commands() -> None:
    commands = console_commands(README)
    assert INSTALL in commands
    assert TEST in commands


def test_the_apt_line_names_what_the_tool_and_the_tests_need() -> None:
    (apt,) = [line for line in console_commands(README) if "apt-get install" in line]
    packages = set(apt.split("install -y ", 1)[1].split())
    # WeasyPrint's Pango and fonts; Chromium, qpdf, poppler and Java for the tests
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"} <= packages
    assert {"chromium", "qpdf", "poppler-utils", "default-jre-headless"} <= packages
    assert "apt-get install -y" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_lock_pins_every_package_and_the_ci_installs_from_it() -> None:
    lock = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    pins = [line for line in lock.splitlines() if line and not line.startswith((" ", "#"))]
    assert len(pins) > 50
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[^ ]+( ; .*)?", pin) for pin in pins), pins
    names = {pin.split("==")[0].lower() for pin in pins}
    for package in ("pikepdf", "pyyaml", "mypy", "weasyprint", "mkdocs-material", "pydantic"):
        assert package in names
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv" in ci and "constraints.txt" in ci


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Shell:
    """A throw-away venv; the commands run in the repository, as a new contributor's would."""
    return Shell(tmp_path_factory.mktemp("readme"), ROOT)


@pytest.mark.slow
def test_readme_commands_run_in_a_fresh_environment(shell: Shell, tmp_path: Path) -> None:
    """The install step really runs (into a new venv, from the lock), then every command."""
    workspace = tmp_path / "work"
    shutil.copytree(ROOT / "workbook", workspace / "workbook")
    for line in console_commands(README):
        if "apt-get" in line:
            continue  # system packages: .ci/run installs them from this very line
        pip, _, rest = line.partition(" && ")
        if pip.startswith("pip install"):
            result = shell.run(pip)
            assert result.returncode == 0, f"{pip}\n{result.stdout}\n{result.stderr}"
            line = rest
        if line == "pytest" or not line:
            continue  # the command running this test
        assert line.startswith("workbook "), f"unexpected README command: {line}"
        shell.cwd = workspace
        result = shell.run(line)
        shell.cwd = ROOT
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr
    # the console script is the new environment's own, installed by the README's command
    assert Path(shell.python("import shutil; print(shutil.which('workbook'))")).is_relative_to(
        shell.env_dir
    )
    site = workspace / "site"
    for lang, prefix in (("fr", ""), ("en", "en/")):
        for edition in ("participant", "facilitator"):
            for name in (f"bank-self-awareness-{edition}", f"workbook-{edition}"):
                pdf = site / "pdf" / lang / f"{name}.pdf"
                assert pdf.read_bytes().startswith(b"%PDF-"), pdf
        page = (site / prefix / "banks" / "self-awareness" / "index.html").read_text("utf-8")
        assert f"pdf/{lang}/bank-self-awareness-participant.pdf" in page
