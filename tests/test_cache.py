"""The cache returns exactly what was stored, and ignores anything it cannot verify."""

from __future__ import annotations

import json
from pathlib import Path

from generator.cache import CACHE_FORMAT, Cache, digest, temporary_cache, tree_digest


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
