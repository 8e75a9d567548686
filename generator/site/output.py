"""The engine's built pages, moved into the output folder and compacted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path


def move_into(built: Path, out_dir: Path) -> None:
    """Move what the engine wrote in ``built`` into ``out_dir`` (which may hold other files)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for entry in built.iterdir():
        target = out_dir / entry.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        shutil.move(str(entry), str(target))


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
