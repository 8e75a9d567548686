"""The cache returns exactly what was stored, and ignores anything it cannot verify: entries
are signed with a key of this user's, kept outside the cache folder."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
from pathlib import Path

import pytest

from generator.cache import CACHE_FORMAT, Cache, digest, temporary_cache, tree_digest
from generator.signing import KEY_FILE_VARIABLE, key_file
from tests.pdf.conftest import workbook_log


def test_round_trip_and_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    assert cache.get("pdf", "a" * 64) is None
    cache.put("pdf", "a" * 64, b"%PDF-1.7 bytes")
    assert cache.get("pdf", "a" * 64) == b"%PDF-1.7 bytes"
    assert (cache.hits, cache.misses) == (1, 1)


def test_corrupt_entry_is_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = "b" * 64
    cache.put("pdf", key, b"good")
    (tmp_path / "pdf" / "bb" / f"{key}.bin").write_bytes(b"tampered")
    assert cache.get("pdf", key) is None


def test_foreign_entry_is_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = "c" * 64
    cache.put("pdf", key, b"data")
    meta = tmp_path / "pdf" / "cc" / f"{key}.json"
    meta.write_text(json.dumps({"format": "other-tool/9", "key": key}), encoding="utf-8")
    assert cache.get("pdf", key) is None
    meta.write_text("not json", encoding="utf-8")
    assert cache.get("pdf", key) is None
    meta.write_text(json.dumps({"format": CACHE_FORMAT, "key": "d" * 64}), encoding="utf-8")
    assert cache.get("pdf", key) is None


def test_disabled_cache_stores_nothing(tmp_path: Path) -> None:
    cache = Cache(None)
    cache.put("pdf", "e" * 64, b"x")
    assert cache.get("pdf", "e" * 64) is None


def test_digests_change_with_any_input(tmp_path: Path) -> None:
    assert digest("ab", "c") != digest("a", "bc")
    (tmp_path / "t.css").write_text("a{}", encoding="utf-8")
    before = tree_digest(tmp_path)
    (tmp_path / "t.css").write_text("a{color:red}", encoding="utf-8")
    assert tree_digest(tmp_path) != before


def test_files_move_in_and_are_verified_before_use(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    key = "f" * 64
    scratch = cache.scratch("part.pdf")
    scratch.write_bytes(b"%PDF-1.7 part")
    stored = cache.put_file("pdf-part", key, scratch)
    assert not scratch.exists()  # moved, not copied
    assert cache.path("pdf-part", key) == stored
    assert stored.read_bytes() == b"%PDF-1.7 part"
    stored.write_bytes(b"%PDF-1.7 tampered")
    assert cache.path("pdf-part", key) is None
    assert cache.path("pdf-part", "0" * 64) is None
    assert (cache.hits, cache.misses) == (1, 2)


def test_temporary_cache_is_gone_after_use() -> None:
    with temporary_cache() as cache:
        assert cache.folder is not None and cache.folder.is_dir()
        cache.put("pdf", "a" * 64, b"x")
        folder = cache.folder
    assert not folder.exists()


def _record(folder: Path, kind: str, key: str) -> Path:
    return folder / kind / key[:2] / f"{key}.json"


def test_an_entry_without_a_valid_signature_is_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    cache = Cache(folder)
    key = "1" * 64
    cache.put("pdf-part", key, b"%PDF-1.7 part", {"pages": 3})
    assert cache.entry("pdf-part", key) == (folder / "pdf-part" / "11" / f"{key}.bin", {"pages": 3})
    record_path = _record(folder, "pdf-part", key)
    good = json.loads(record_path.read_text(encoding="utf-8"))
    assert sorted(good) == ["format", "key", "mac", "meta", "sha256"]

    forged_data = b"%PDF-1.7 forged"
    forgeries = [
        {k: v for k, v in good.items() if k != "mac"},  # no signature
        {**good, "mac": "0" * 64},  # a made-up one
        {**good, "mac": "é" * 64},  # not even hexadecimal
        {**good, "mac": None},
        {**good, "meta": {"pages": 10**9}},  # a page count changed
        {**good, "meta": [3]},
        {**good, "sha256": hashlib.sha256(forged_data).hexdigest()},  # other bytes: last
    ]
    for forged in forgeries:
        record_path.write_text(json.dumps(forged), encoding="utf-8")
        if forged["sha256"] != good["sha256"]:
            (folder / "pdf-part" / "11" / f"{key}.bin").write_bytes(forged_data)
        assert Cache(folder).get("pdf-part", key) is None, forged
        assert Cache(folder).entry("pdf-part", key) is None, forged

    # the same record under another kind or key does not verify either
    cache.put("pdf-part", key, b"%PDF-1.7 part", {"pages": 3})
    other = "2" * 64
    (folder / "pdf-part" / "22").mkdir()
    os.link(folder / "pdf-part" / "11" / f"{key}.bin", folder / "pdf-part" / "22" / f"{other}.bin")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    _record(folder, "pdf-part", other).write_text(json.dumps({**record, "key": other}), "utf-8")
    assert cache.get("pdf-part", other) is None
    (folder / "pdf").mkdir()
    os.link(folder / "pdf-part" / "11" / f"{key}.bin", folder / "pdf" / f"{key}.bin")
    assert cache.get("pdf", key) is None
    assert cache.get("pdf-part", key) == b"%PDF-1.7 part"


def test_entries_signed_with_another_key_are_ignored(tmp_path: Path) -> None:
    mine, theirs = Cache(tmp_path / "c", key=b"m" * 32), Cache(tmp_path / "c", key=b"t" * 32)
    theirs.put("pdf", "3" * 64, b"restored from another machine")
    assert mine.get("pdf", "3" * 64) is None
    assert theirs.get("pdf", "3" * 64) == b"restored from another machine"


def test_the_key_is_made_on_first_use_private_and_outside_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state" / "cache.key"
    monkeypatch.setenv(KEY_FILE_VARIABLE, str(path))
    folder = tmp_path / "cache"
    Cache(folder).get("pdf", "4" * 64)
    assert not path.exists()  # nothing cached yet: no key
    Cache(folder).put("pdf", "4" * 64, b"data")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    secret = path.read_bytes()
    assert len(secret) == 32
    assert not path.resolve().is_relative_to(folder.resolve())
    assert not any(secret in entry.read_bytes() for entry in folder.rglob("*") if entry.is_file())
    assert [entry.name for entry in path.parent.iterdir()] == ["cache.key"]
    assert Cache(folder).get("pdf", "4" * 64) == b"data"  # the next build reads the same key
    assert path.read_bytes() == secret


def test_the_key_lives_in_the_state_folder_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_FILE_VARIABLE)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert key_file() == tmp_path / "state" / "alliance-workbook" / "cache.key"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert key_file() == tmp_path / "home" / ".local" / "state" / "alliance-workbook" / "cache.key"


@pytest.mark.parametrize("problem", ["readable by others", "too short", "inside the cache"])
def test_a_key_file_that_cannot_be_trusted_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    folder = tmp_path / "cache"
    path = folder / "cache.key" if problem == "inside the cache" else tmp_path / "cache.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if problem != "inside the cache":
        path.write_bytes(b"k" * (32 if problem == "readable by others" else 8))
        path.chmod(0o644 if problem == "readable by others" else 0o600)
    monkeypatch.setenv(KEY_FILE_VARIABLE, str(path))
    with workbook_log(logging.WARNING, logging.WARNING, lambda r: r.getMessage()) as warnings:
        cache = Cache(folder)
        cache.put("pdf", "5" * 64, b"data")
        assert cache.get("pdf", "5" * 64) == b"data"  # good for this run
    assert len(warnings) == 1 and warnings[0].startswith(f"cache key {path} not used (")
    assert Cache(folder, key=b"k" * 32).get("pdf", "5" * 64) is None  # not signed with the file
    assert path.exists() == (problem != "inside the cache")  # never made there


def test_a_temporary_cache_reads_and_makes_no_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_FILE_VARIABLE, str(tmp_path / "cache.key"))
    with temporary_cache() as cache:
        cache.put("pdf", "6" * 64, b"x")
        assert cache.get("pdf", "6" * 64) == b"x"
    assert not (tmp_path / "cache.key").exists()
