"""Run the site engine (mkdocs with mkdocs-material) on a generated docs folder.

The site stage writes plain Markdown pages and a generated mkdocs.yml into a temporary folder,
then builds it in strict mode: any warning is a bug of the generator and fails the build.
The same mkdocs.yml builds with Zensical or ProperDocs (no plugin is involved).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

logger = logging.getLogger("workbook")


class EngineError(RuntimeError):
    """mkdocs refused the generated project (a warning in strict mode, or an error)."""


def write_project(project: Path, files: dict[str, str | bytes], config: dict[str, Any]) -> Path:
    """Write ``files`` (docs-relative path → text or bytes) and mkdocs.yml; return its path."""
    docs = Path(config["docs_dir"])
    for relative, data in files.items():
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    config_file = project / "mkdocs.yml"
    config_file.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return config_file


def run_mkdocs(config_file: Path) -> None:
    """``mkdocs build --strict`` of ``config_file``, in this process."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    mkdocs_logger = logging.getLogger("mkdocs")
    collected: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                collected.append(record.getMessage())

    handler = _Collect()
    mkdocs_logger.addHandler(handler)
    try:
        config = load_config(config_file=str(config_file), strict=True)
        build(config)
    except (MkDocsException, SystemExit) as failure:
        details = "; ".join(collected) or str(failure)
        raise EngineError(f"mkdocs build --strict failed: {details}") from failure
    finally:
        mkdocs_logger.removeHandler(handler)


def move_into(built: Path, out_dir: Path) -> None:
    """Move everything mkdocs wrote in ``built`` into ``out_dir`` (which may hold other files)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for entry in built.iterdir():
        target = out_dir / entry.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        shutil.move(str(entry), str(target))


def run_mkdocs_parallel(config_files: list[Path]) -> None:
    """``mkdocs build --strict`` of each project in its own process, all at once."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    running = [
        (config_file, subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f",
             str(config_file)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
        ))
        for config_file in config_files
    ]
    failures = []
    for config_file, process in running:
        _, errors = process.communicate()
        if process.returncode != 0:
            failures.append(f"{config_file}: {errors.strip()}")
    if failures:
        raise EngineError("mkdocs build --strict failed: " + "\n".join(failures))


_PRE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S)
_INDENT = re.compile(r"\n[ \t]+")


def strip_indentation(html: str) -> str:
    """Drop the theme's indentation (a third of every page), leaving <pre> blocks alone."""
    parts = _PRE.split(html)
    return "".join(
        part if index % 2 else _INDENT.sub("\n", part) for index, part in enumerate(parts)
    )


def compact_html(site_dir: Path) -> None:
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(strip_indentation(text), encoding="utf-8")
