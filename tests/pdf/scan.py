"""Read back what a PDF can make a reader do: its actions, link addresses and scripts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

FORBIDDEN_ACTIONS = frozenset(
    Name(f"/{kind}")
    for kind in ("Launch", "JavaScript", "SubmitForm", "ImportData", "GoToR", "GoToE")
)
FORBIDDEN_KEYS = ("/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/XFA")
SAFE_URI = re.compile(r"^(https?:|mailto:)")


def _walk(obj: Any, found: dict[str, list[str]]) -> None:
    """``obj`` and its direct children (indirect ones are walked as objects of their own)."""
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, Dictionary):
        for key in FORBIDDEN_KEYS:
            if key in obj:
                found["active"].append(key)
        if obj.get("/S") in FORBIDDEN_ACTIONS:
            found["active"].append(str(obj.S))
        if "/URI" in obj:
            uri = obj.URI
            found["uris"].append(str(uri) if isinstance(uri, String) else repr(uri))
        children = list(obj.values())
    elif isinstance(obj, Array):
        children = list(obj)
    else:
        return
    for child in children:
        if isinstance(child, (Dictionary, Array, pikepdf.Stream)) and not child.is_indirect:
            _walk(child, found)


def scan(path: Path | pikepdf.Pdf) -> dict[str, list[str]]:
    """``active``: every key or action that runs something (open-actions, triggered actions,
    scripts, launches, form submissions, embedded files), ``uris``: every link address, in
    every object of the file, reachable or not."""
    found: dict[str, list[str]] = {"active": [], "uris": []}
    pdf = path if isinstance(path, pikepdf.Pdf) else pikepdf.open(path)
    try:
        for obj in pdf.objects:
            _walk(obj, found)
    finally:
        if not isinstance(path, pikepdf.Pdf):
            pdf.close()
    return found


def unsafe(path: Path | pikepdf.Pdf) -> list[str]:
    """What a published PDF must not hold: active content, and link addresses other than
    http(s) and mailto (``file:`` ones above all)."""
    found = scan(path)
    return found["active"] + [uri for uri in found["uris"] if not SAFE_URI.match(uri)]
