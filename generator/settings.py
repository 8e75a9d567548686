"""Checks of the project settings that need the project folder: files and colour contrast.

The settings themselves are declared in generator.models (SiteSettings, PrintSettings); this
module adds what a model cannot know: whether a named file exists inside the project, is of
the right kind, and whether a colour can carry text at the WCAG AA contrast of 4.5:1.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from generator.errors import ContentError
from generator.loader import KeyPath, LocatedData
from generator.models import Content, Workbook

AA_CONTRAST = 4.5
WHITE = "#ffffff"
IMAGE_KINDS = {".svg", ".png", ".jpg", ".jpeg"}
ICON_KINDS = {".svg", ".png", ".ico"}
FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true")
MAX_ASSET_BYTES = 5 * 1024 * 1024


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def project_file(root: Path, relative: str) -> Path | None:
    """``relative`` inside ``root`` (links followed), or None when it leads outside."""
    candidate = Path(os.path.realpath(root / relative))
    if Path(relative).is_absolute() or not candidate.is_relative_to(os.path.realpath(root)):
        return None
    return candidate


def _file_problem(root: Path, relative: str, kinds: set[str], what: str) -> str | None:
    path = project_file(root, relative)
    if path is None:
        return f"'{relative}' is outside the project folder: put the {what} inside it"
    if not path.is_file():
        return f"'{relative}' not found: put the {what} there or fix the path"
    if path.suffix.lower() not in kinds:
        return f"'{relative}' is not a {what} file: use one of {', '.join(sorted(kinds))}"
    if path.stat().st_size > MAX_ASSET_BYTES:
        return f"'{relative}' is larger than 5 MiB: use a smaller file"
    if kinds is _FONT_KINDS:
        with path.open("rb") as handle:
            if handle.read(4) not in FONT_MAGIC:
                return f"'{relative}' is not a TrueType or OpenType font: use a .ttf or .otf file"
    return None


_FONT_KINDS = {".ttf", ".otf"}


def settings_checks(workbook: Workbook, located: LocatedData, root: Path) -> Iterable[ContentError]:
    """Every problem with the files and colours named in ``workbook.yml``."""
    site, paper = workbook.site, workbook.print_settings
    files: list[tuple[KeyPath, str | None, set[str], str]] = [
        (("site", "logo"), site.logo, IMAGE_KINDS, "logo"),
        (("site", "favicon"), site.favicon, ICON_KINDS, "icon"),
        (("print", "logo"), paper.logo, IMAGE_KINDS, "logo"),
    ]
    if paper.font is not None:
        for face in ("regular", "bold", "italic", "bold_italic"):
            files.append((("print", "font", face), getattr(paper.font, face), _FONT_KINDS, "font"))
    for key, relative, kinds, what in files:
        if relative is None:
            continue
        problem = _file_problem(root, relative, kinds, what)
        if problem is not None:
            yield located.error(key, problem)
    colours = [
        (("site", "primary"), site.primary, "white header text on it"),
        (("site", "accent"), site.accent, "it as link text on the white page"),
        (("print", "accent"), paper.accent, "it as title text on white paper"),
    ]
    for key, colour, use in colours:
        ratio = contrast(colour, WHITE)
        if ratio < AA_CONTRAST:
            yield located.error(
                key,
                f"{colour} gives {use} a contrast of {ratio:.2f}:1, below the 4.5:1 that WCAG AA "
                "asks for: choose a darker colour",
            )


def named_files(workbook: Workbook) -> list[str]:
    """Every project file ``workbook.yml`` names (logos, icon, font faces)."""
    site, paper = workbook.site, workbook.print_settings
    names = [site.logo, site.favicon, paper.logo]
    if paper.font is not None:
        names += [paper.font.regular, paper.font.bold, paper.font.italic, paper.font.bold_italic]
    return [name for name in names if name is not None]


def settings_digest(content: Content) -> str:
    """One hash of the bytes of every file the settings name (cache keys depend on them)."""
    hasher = hashlib.sha256()
    root = Path(content.root)
    for name in named_files(content.workbook):
        path = project_file(root, name)
        hasher.update(name.encode() + b"\0")
        if path is not None and path.is_file():
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def strings_checks(
    languages: tuple[str, ...], located: LocatedData, root: Path
) -> Iterable[ContentError]:
    """Every declared language needs interface text: the tool's or the project's own."""
    from generator import resources

    for index, lang in enumerate(languages):
        if not re.fullmatch(r"[a-z]{2,3}", lang):
            continue  # the model says what is wrong with the code
        tool = resources.tool_dir() / "strings" / f"{lang}.yml"
        own = root / resources.OVERRIDES / "strings" / f"{lang}.yml"
        if not tool.is_file() and not own.is_file():
            yield located.error(
                ("languages", index),
                f"no interface text for '{lang}': write {resources.OVERRIDES}/strings/{lang}.yml "
                f"in the project (copy the keys of the tool's strings/en.yml and translate them)",
            )
