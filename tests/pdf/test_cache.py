"""Incremental PDF builds: what a change re-typesets, what stays byte-identical, bad caches."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cache import Cache
from generator.pdf import Request, build_pdfs, produce, render
from generator.pdf.document import PrintOptions
from generator.pdf.selection import all_plan
from generator.validate import load_content
from tests.pdf.conftest import small_content

EPOCH = "1700000000"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


def test_one_edited_exercise_retypesets_only_its_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typeset: list[tuple[str, str]]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = small_content(tmp_path / "content")
    cache = Cache(tmp_path / "cache")
    written, cached = build_pdfs(load_content(root), tmp_path / "one", jobs=1, cache=cache)
    assert len(written) == 16 and cached == []
    cold = len(typeset)
    before = _files(tmp_path / "one")

    typeset.clear()
    built, cached = build_pdfs(load_content(root), tmp_path / "same", jobs=1, cache=cache)
    assert typeset == []  # nothing changed: nothing typeset
    assert (built, sorted(cached)) == ([], sorted(written))
    assert _files(tmp_path / "same") == before

    bank = root / "banks" / "alpha.yml"
    text = bank.read_text(encoding="utf-8")
    edited = text
    for old, new in (("Résumé de l’exercice.", "Autre."), ("Summary of the exercise.", "Other.")):
        # the second exercise of alpha (oeuvre) only, in both languages
        edited = edited.replace(old, new, 2).replace(new, old, 1)
    assert edited != text
    bank.write_text(edited, encoding="utf-8")
    built, cached = build_pdfs(load_content(root), tmp_path / "two", jobs=2, cache=cache)
    # alpha is the first bank: oeuvre is number 2 in its bank and in the whole workbook,
    # so one part per language and edition serves both
    assert sorted(typeset) == [("exercise", "exercise-oeuvre")] * 4
    assert len(typeset) <= 0.15 * cold
    after = _files(tmp_path / "two")
    changed = sorted(path for path in after if after[path] != before[path])
    assert changed == sorted(
        f"pdf/{lang}/{name}-{edition}.pdf"
        for lang in ("fr", "en")
        for edition in ("participant", "facilitator")
        for name in ("bank-alpha", "workbook")
    )
    assert sorted(built) == changed
    assert sorted(cached) == sorted(set(written) - set(changed))


def test_a_stylesheet_change_retypesets_everything_that_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typeset: list[tuple[str, str]]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = small_content(tmp_path / "content")
    content = load_content(folder)
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "workbook.pdf"
    request = Request(all_plan(content), PrintOptions(), out, "workbook.pdf")

    produce(content, [request], jobs=1, cache=cache)
    first, parts = out.read_bytes(), sorted(typeset)
    assert len(parts) == 9  # cover, contents, 2 sections, 3 exercises, bibliography, sheet
    typeset.clear()
    produce(content, [request], jobs=1, cache=cache)
    assert typeset == []
    assert out.read_bytes() == first

    # the project overrides the print stylesheet: every part that uses it is typeset again
    css = folder / "overrides" / "print" / "workbook.css"
    css.parent.mkdir(parents=True)
    tool_css = (render.print_dir() / "workbook.css").read_text(encoding="utf-8")
    css.write_text(tool_css.replace("--ink: #1d2327", "--ink: #5b1f1f"), "utf-8")
    produce(content, [request], jobs=1, cache=cache)
    assert sorted(typeset) == parts
    assert out.read_bytes() != first


def test_corrupt_entries_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typeset: list[tuple[str, str]]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = load_content(small_content(tmp_path / "content"))
    folder = tmp_path / "cache"
    out = tmp_path / "workbook.pdf"
    request = Request(all_plan(content), PrintOptions(), out, "workbook.pdf")
    produce(content, [request], jobs=1, cache=Cache(folder))
    first = out.read_bytes()

    for entry in (folder / "pdf").rglob("*.bin"):  # the finished workbook
        entry.write_bytes(b"%PDF-1.7 tampered")
    parts = sorted((folder / "pdf-part").rglob("*.bin"))
    parts[0].write_bytes(parts[0].read_bytes()[:-100])  # truncated
    pages = sorted((folder / "pdf-part-pages").rglob("*.bin"))
    pages[-1].write_bytes(b"7")  # a wrong page count, whose checksum no longer matches
    typeset.clear()
    produce(content, [request], jobs=1, cache=Cache(folder))
    assert 1 <= len(typeset) <= 2  # the truncated part, the one whose page count was lost
    assert out.read_bytes() == first


def test_cached_and_parallel_builds_equal_a_cold_serial_one(
    small: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = load_content(small_content(tmp_path / "content"))
    build_pdfs(content, tmp_path / "serial", jobs=1)
    cache = Cache(tmp_path / "cache")
    build_pdfs(content, tmp_path / "parallel", jobs=2, cache=cache)
    build_pdfs(content, tmp_path / "cached", jobs=2, cache=cache)
    serial = _files(tmp_path / "serial")
    assert len(serial) == 16
    assert _files(tmp_path / "parallel") == serial
    assert _files(tmp_path / "cached") == serial
