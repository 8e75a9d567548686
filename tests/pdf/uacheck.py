"""Outside PDF/UA checkers (``pdfua``, ``outloud``), qpdf, and our own reading of the
requirements they get wrong, with pikepdf."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary

OUTLOUD = "from outloud.cli import main; raise SystemExit(main())"


def qpdf_errors(path: Path) -> str:
    """What ``qpdf --check`` says is wrong ("" when nothing)."""
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=False)
    ok = result.returncode == 0 and b"No syntax or stream encoding errors" in result.stdout
    return "" if ok else (result.stdout + result.stderr).decode(errors="replace")


def _documents(text: str) -> list[Any]:
    """The JSON documents printed one after another."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        document, at = decoder.raw_decode(text, at)
        found.append(document)
    return found


def pdfua_reports(paths: list[Path]) -> list[dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", *map(str, paths)],
        capture_output=True,
        check=False,
        text=True,
    )
    return _documents(result.stdout)


def outloud_reports(paths: list[Path]) -> list[dict[str, Any]]:
    """One process for every file: outloud's start (pymupdf loads a layout model) is slow."""
    result = subprocess.run(
        [sys.executable, "-c", OUTLOUD, "--json", "-", "--fail-on", "never", *map(str, paths)],
        capture_output=True,
        check=False,
        text=True,
    )
    reports: list[dict[str, Any]] = json.loads(result.stdout)["results"]
    return reports


def checker_errors(paths: list[Path]) -> dict[Path, dict[str, list[str]]]:
    """For each file, each checker's errors (rule: message), and the rules ``pdfua`` could
    not evaluate."""
    found: dict[Path, dict[str, list[str]]] = {}
    ua_reports, loud_reports = pdfua_reports(paths), outloud_reports(paths)
    assert len(ua_reports) == len(loud_reports) == len(paths)
    for path, ua, loud in zip(paths, ua_reports, loud_reports, strict=True):
        found[path] = {
            "pdfua": [f"{f['rule_id']}: {f['message']}" for f in ua["findings"] if _error(f)],
            "outloud": [f"{f['rule']}: {f['message']}" for f in loud["findings"] if _error(f)]
            + ([f"crashed: {loud['error']}"] if loud.get("error") else []),
            "pdfua skipped": [skip["rule_id"] for skip in ua.get("skipped", [])],
            "outloud warnings": sorted(
                {str(f["rule"]) for f in loud["findings"] if _severity(f) == "warning"}
            ),
        }
    return found


def _severity(finding: dict[str, Any]) -> str:
    return str(finding.get("severity", "")).lower()


def _error(finding: dict[str, Any]) -> bool:
    return _severity(finding) == "error"


def reading_order(pdf: pikepdf.Pdf) -> list[tuple[str, str]]:
    """(role, text) of each piece of tagged content, in structure tree order: what a screen
    reader reads, in the order it reads it. The role is the nearest element's that is not an
    inline Span (a heading, a paragraph, a list body...)."""
    pages = {page.obj.objgen: page for page in pdf.pages}
    texts: dict[tuple[int, int], dict[int, str]] = {}
    found: list[tuple[str, str]] = []

    def text(page: Any, mcid: int) -> str:
        key = page.objgen
        if key not in texts:
            from generator.pdf.marked import mcid_texts

            texts[key] = mcid_texts(pages[key])
        return texts[key].get(mcid, "")

    def walk(element: Any, page: Any, role: str) -> None:
        page = element.get("/Pg", page)
        role = role if str(element.S) == "/Span" else str(element.S)
        for kid in kids(element):
            if isinstance(kid, int):
                found.append((role, text(page, kid)))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
                found.append((role, text(kid.get("/Pg", page), int(kid.MCID))))
            elif isinstance(kid, Dictionary) and "/S" in kid:
                walk(kid, page, role)

    for top in kids(pdf.Root.StructTreeRoot):
        walk(top, None, "")
    return [(role, piece) for role, piece in found if piece.strip()]


def kids(element: Any) -> list[Any]:
    found = element.get("/K")
    return [] if found is None else list(found) if isinstance(found, Array) else [found]


def elements(pdf: pikepdf.Pdf) -> list[tuple[Any, Any]]:
    """(element, parent) of every structure element, in tree order."""
    found: list[tuple[Any, Any]] = []
    stack = [(kid, None) for kid in reversed(kids(pdf.Root.StructTreeRoot))]
    while stack:
        element, parent = stack.pop()
        found.append((element, parent))
        stack += [
            (kid, element)
            for kid in reversed(kids(element))
            if isinstance(kid, Dictionary) and "/S" in kid
        ]
    return found


def marks_content(element: Any) -> bool:
    """The element or one below it holds marked content (an MCID or an MCR)."""
    for kid in kids(element):
        if isinstance(kid, int) or (isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR"):
            return True
        if isinstance(kid, Dictionary) and "/S" in kid and marks_content(kid):
            return True
    return False


def subset_faces(pdf: pikepdf.Pdf) -> Counter[str]:
    """Face name → how many distinct font objects carry it, across every resource."""
    from generator.pdf.fonts import face_name, resource_fonts

    fonts = {
        font.objgen: font
        for table in resource_fonts(pdf)
        for font in table.values()
        if isinstance(font, Dictionary)
    }
    return Counter(face_name(font) for font in fonts.values())


def subset_tags(pdf: pikepdf.Pdf) -> list[str]:
    from generator.pdf.fonts import resource_fonts

    names = {
        str(font.BaseFont)
        for table in resource_fonts(pdf)
        for font in table.values()
        if isinstance(font, Dictionary)
    }
    return [match.group(1) for name in names if (match := re.match(r"^/([A-Z]{6})\+", name))]
