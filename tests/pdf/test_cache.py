"""Incremental PDF builds: what a change re-typesets, what stays byte-identical, bad caches:
corrupt, forged by whoever can write the cache folder, or from another machine."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from generator.cache import Cache
from generator.models import Content
from generator.pdf import Request, build_pdfs, produce, render
from generator.pdf.document import PrintOptions
from generator.pdf.selection import all_plan
from generator.signing import KEY_FILE_VARIABLE
from generator.validate import load_content
from tests.pdf.conftest import small_content, workbook_log
from tests.pdf.scan import unsafe

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
    assert len(written) == 28 and cached == []  # with the 3 exercises' handouts
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
        for name in ("bank-alpha", "workbook", "exercise-oeuvre")
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
    typeset.clear()
    produce(content, [request], jobs=1, cache=Cache(folder))
    assert len(typeset) == 1  # the truncated part
    assert out.read_bytes() == first


def _entry(folder: Path, anchor: str) -> tuple[Path, str]:
    """The cached part (its file) that holds the destination ``anchor``, and its cache key."""
    for path in sorted((folder / "pdf-part").rglob("*.bin")):
        with pikepdf.open(path) as pdf:
            names = pdf.Root.get("/Names")
            dests = names.get("/Dests") if names is not None else None
            if dests is not None and anchor in pikepdf.NameTree(dests):
                return path, path.stem
    raise AssertionError(f"no cached part holds {anchor}")


def _hostile(part: Path, target: Path) -> None:
    """``part`` with what an attacker would add: an open-action script, a launch link, a
    script run when its first page opens, a document-level script."""
    with pikepdf.open(part) as pdf:
        script = Dictionary(S=Name.JavaScript, JS=String("app.launchURL('https://evil')"))
        pdf.Root.OpenAction = pdf.make_indirect(script)
        pdf.Root.Names.JavaScript = Dictionary(Names=Array([String("run"), script]))
        page = pdf.pages[0].obj
        page.AA = Dictionary(O=script)
        launch = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([0, 0, 595, 842]),
            A=Dictionary(S=Name.Launch, F=String("/bin/sh")),
        )
        page.Annots = Array([*page.get("/Annots", Array()), pdf.make_indirect(launch)])
        pdf.save(target)


def _rewrite_record(entry: Path, **changes: object) -> None:
    record_path = entry.with_suffix(".json")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record.update(changes)
    record_path.write_text(json.dumps(record), encoding="utf-8")


def _forge(entry: Path, source: Path) -> None:
    """Put ``source``'s bytes in the cache entry ``entry`` and its sha256 in the record, as
    anyone who can write the cache folder can."""
    data = source.read_bytes()
    entry.write_bytes(data)
    _rewrite_record(entry, sha256=hashlib.sha256(data).hexdigest())


def _first_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Content, Request, Path, bytes]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = load_content(small_content(tmp_path / "content"))
    folder = tmp_path / "cache"
    out = tmp_path / "workbook.pdf"
    request = Request(all_plan(content), PrintOptions(), out, "workbook.pdf")
    outcome = produce(content, [request], jobs=1, cache=Cache(folder))
    assert outcome.built == ["workbook.pdf"]
    assert unsafe(out) == []
    return content, request, folder, out.read_bytes()


def test_a_forged_part_is_typeset_again_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typeset: list[tuple[str, str]]
) -> None:
    content, request, folder, first = _first_build(tmp_path, monkeypatch)
    entry, _ = _entry(folder, "exercise-ecoute")
    _hostile(entry, tmp_path / "hostile.pdf")
    _forge(entry, tmp_path / "hostile.pdf")
    # the finished workbook too: else the build would not even look at its parts
    (workbook,) = (folder / "pdf").rglob("*.bin")
    _forge(workbook, tmp_path / "hostile.pdf")

    typeset.clear()
    outcome = produce(content, [request], jobs=1, cache=Cache(folder))
    assert typeset == [("exercise", "exercise-ecoute")]  # the forged part, typeset again
    assert (outcome.built, outcome.cached, outcome.typeset) == (["workbook.pdf"], [], 1)
    assert request.path.read_bytes() == first
    assert unsafe(request.path) == []
    assert unsafe(entry) == []  # the cache holds the real part again


def test_a_hostile_part_signed_with_the_key_is_sanitised_anyway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typeset: list[tuple[str, str]]
) -> None:
    content, request, folder, _ = _first_build(tmp_path, monkeypatch)
    entry, key = _entry(folder, "exercise-ecoute")
    _hostile(entry, tmp_path / "hostile.pdf")
    with pikepdf.open(tmp_path / "hostile.pdf") as pdf:
        pages = len(pdf.pages)
    assert sorted(unsafe(tmp_path / "hostile.pdf")) == [
        "/AA",
        "/JS",
        "/JavaScript",
        "/JavaScript",
        "/Launch",
        "/OpenAction",
    ]
    cache = Cache(folder)  # the key's holder signs the hostile part as its own
    cache.put_file("pdf-part", key, tmp_path / "hostile.pdf", {"pages": pages})
    shutil.rmtree(folder / "pdf")  # the finished workbook: merged again

    typeset.clear()
    with workbook_log(logging.WARNING, logging.INFO, lambda r: r.getMessage()) as warnings:
        produce(content, [request], jobs=1, cache=Cache(folder))
    assert typeset == []  # trusted: the signature verifies
    assert unsafe(request.path) == []
    # the part's catalog (its open-action, its scripts) is not merged; its pages are
    assert warnings == [
        "removed from a workbook what a published PDF must not carry: "
        "annotation action /Launch, page triggered actions"
    ]


def test_a_forged_page_count_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typeset: list[tuple[str, str]]
) -> None:
    content, request, folder, first = _first_build(tmp_path, monkeypatch)
    entry, key = _entry(folder, "exercise-oeuvre")
    shutil.rmtree(folder / "pdf")
    # without the key: the record no longer verifies
    _rewrite_record(entry, meta={"pages": 10**9})
    typeset.clear()
    produce(content, [request], jobs=1, cache=Cache(folder))
    assert typeset == [("exercise", "exercise-oeuvre")]
    assert request.path.read_bytes() == first

    # with the key: the count is checked against the part's own pages
    shutil.rmtree(folder / "pdf")
    copy = tmp_path / "copy.pdf"
    shutil.copyfile(entry, copy)
    Cache(folder).put_file("pdf-part", key, copy, {"pages": 10**9})
    typeset.clear()
    produce(content, [request], jobs=1, cache=Cache(folder))
    assert typeset == [("exercise", "exercise-oeuvre")]
    assert request.path.read_bytes() == first


def test_a_cache_from_another_machine_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typeset: list[tuple[str, str]]
) -> None:
    content, request, folder, first = _first_build(tmp_path, monkeypatch)
    cold = len(typeset)
    monkeypatch.setenv(KEY_FILE_VARIABLE, str(tmp_path / "elsewhere" / "cache.key"))
    typeset.clear()
    outcome = produce(content, [request], jobs=1, cache=Cache(folder))
    assert len(typeset) == cold and outcome.cached == []
    assert request.path.read_bytes() == first


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
    assert len(serial) == 28
    assert _files(tmp_path / "parallel") == serial
    assert _files(tmp_path / "cached") == serial
