"""The engine's built pages, moved into the output folder, compacted and made valid HTML."""

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


_TAG = re.compile(r"<(input|label)\b[^>]*>")
_CHOICE = re.compile(r'\stype="(?:checkbox|radio)"')


def _conform_tag(found: re.Match[str]) -> str:
    tag = found.group(0)
    if found.group(1) == "label":
        # Zensical hides the drawer's overlay label from assistive technology; on a label
        # tied to a control, aria-hidden is not allowed (and the label names nothing anyway).
        return tag.replace(' aria-hidden="true"', "") if " for=" in tag else tag
    if _CHOICE.search(tag):
        tag = tag.replace(' autocomplete="off"', "")  # allowed on text fields only
    if re.search(r'\sclass="[^"]*\bmd-toggle\b', tag) and "aria-hidden" not in tag:
        # The theme's state switches (drawer, search, sections, table of contents): never
        # shown (display: none) and not controls of their own; some have no label at all.
        tag = tag[:-1] + ' aria-hidden="true" tabindex="-1">'
    return tag


def conform_html(html: str) -> str:
    """The theme's markup made valid (Nu Html Checker) and named (HTML_CodeSniffer):
    - no empty ``tabindex=""`` (the theme's section labels);
    - no ``autocomplete`` on checkboxes and radio buttons;
    - no ``aria-hidden`` on a label tied to a control;
    - the hidden state checkboxes of the theme hidden from assistive technology too.
    """
    html = html.replace(' tabindex=""', "")
    return _TAG.sub(_conform_tag, html)


def compact_html(site_dir: Path) -> None:
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(conform_html(strip_indentation(text)), encoding="utf-8")
