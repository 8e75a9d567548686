"""The cache returns exactly what was stored, and ignores anything it cannot verify."""

from __future__ import annotations

import json
from pathlib import Path

from generator.cache import CACHE_FORMAT, Cache, digest, tree_digest


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
