"""What `workbook serve` does with an engine's output: copy what changed into the served folder.

The served folder is not rebuilt from scratch after each save, as `workbook build` does:
the files an engine has just written (their modification time tells) are compacted like a
build's (``compact_html``) and replace their old copy one by one, atomically, and only when
their bytes differ; the list of the replaced files tells the open pages whether to reload.
After a full build of a language (every file of its engine's output is new), the served
files it no longer has are removed too.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.site import urls
from generator.site.output import compact_html
from generator.site.sitemap import NAMES as SITEMAPS

SEARCH_BUNDLE = "pagefind"


def files_below(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(path relative to ``folder``, its stat) of every file below ``folder`` (thousands of
    them at a time: no ``pathlib`` in the loop)."""
    stack = [""]
    root = str(folder)
    while stack:
        relative = stack.pop()
        try:
            entries = list(os.scandir(os.path.join(root, relative) if relative else root))
        except FileNotFoundError:
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append(name)
            elif entry.is_file(follow_symlinks=False):
                yield name, entry.stat(follow_symlinks=False)


def language_files(lang: str, languages: list[str]) -> Callable[[str], bool]:
    """Whether a path of the ``lang`` site's folder is that site's in the served folder: not
    another language's site (the first language's holds the others'), the search bundle
    or a sitemap (written once every language is done)."""
    others = {urls.lang_prefix(code).strip("/") for code in languages if code != lang} - {""}
    others.add(SEARCH_BUNDLE)

    def own(relative: str) -> bool:
        first = relative.split("/", 1)[0]
        return first not in others and relative not in SITEMAPS

    return own


def publish(
    built: Path,
    served: Path,
    since_ns: int,
    own: Callable[[str], bool],
    scratch: Path,
    closing: Callable[[], bool] = lambda: False,
) -> list[str]:
    """Copy into ``served`` the files of ``built`` written since ``since_ns`` (compacted),
    those whose bytes changed; after a full build, remove the files ``built`` no longer has.
    Return the paths (relative to ``served``) replaced or removed. Only ``closing()`` (serve
    stopping) ends it early: a file left out would never be copied later."""
    fresh, everything, present = [], True, set()
    for relative, status in files_below(built):
        if not own(relative):
            continue
        present.add(relative)
        if status.st_mtime_ns >= since_ns:
            fresh.append(relative)
        else:
            everything = False
    shutil.rmtree(scratch, ignore_errors=True)
    for relative in fresh:
        if closing():
            return []
        copy = scratch / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built / relative, copy)
    compact_html(scratch)
    changed = []
    for relative in fresh:
        target = served / relative
        if target.is_file() and filecmp.cmp(scratch / relative, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(scratch / relative, target)
        changed.append(relative)
    if everything and present:
        for relative, _ in list(files_below(served)):
            if own(relative) and relative not in present:
                (served / relative).unlink(missing_ok=True)
                changed.append(relative)
    shutil.rmtree(scratch, ignore_errors=True)
    return changed


def swap_in(new: Path, target: Path, trash: Path) -> None:
    """Put the folder ``new`` in the place of ``target`` (``trash`` holds the old one a moment)."""
    shutil.rmtree(trash, ignore_errors=True)
    if target.exists():
        os.replace(target, trash)
    os.replace(new, target)
    shutil.rmtree(trash, ignore_errors=True)
