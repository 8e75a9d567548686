"""A content-addressed cache for incremental builds.

An output is stored under the hash of everything it depends on (its content, the templates,
CSS and fonts it uses, the versions of the tool and the engines). Each entry carries the
checksum of its bytes and the cache format: an entry that does not match, whether corrupt,
truncated or written by another tool, is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from generator.output import write_bytes_atomic

CHUNK = 1 << 20

logger = logging.getLogger("workbook")

CACHE_FORMAT = "alliance-workbook-cache/1"
ENGINES = (
    "alliance-workbook",
    "weasyprint",
    "pydyf",
    "mkdocs",
    "mkdocs-material",
    "pagefind",
    "jinja2",
    "markdown-it-py",
    "pydantic",
)


@lru_cache(maxsize=1)
def engine_versions() -> str:
    """The versions of the tool and of every engine an output passes through."""
    versions = []
    for name in ENGINES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}==absent")
    return ";".join(versions)


def digest(*parts: str | bytes) -> str:
    """A sha256 over ``parts``, each length-prefixed so that no two lists collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def tree_digest(folder: Path) -> str:
    """The hash of every file below ``folder``: names and bytes."""
    parts: list[str | bytes] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


class Cache:
    """Bytes stored by key in a folder; misses and bad entries return None."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def _paths(self, kind: str, key: str) -> tuple[Path, Path]:
        assert self.folder is not None
        base = self.folder / kind / key[:2] / key
        return base.with_suffix(".bin"), base.with_suffix(".json")

    def _accept(self, data_path: Path, meta_path: Path, key: str, checksum: str | None) -> bool:
        """Count a hit when the entry's record names this key and checksum, else a miss."""
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = None
        valid = (
            checksum is not None
            and isinstance(meta, dict)
            and meta.get("format") == CACHE_FORMAT
            and meta.get("key") == key
            and meta.get("sha256") == checksum
        )
        if valid:
            self.hits += 1
        else:
            if checksum is not None:
                logger.debug("ignoring a corrupt or foreign cache entry %s", data_path)
            self.misses += 1
        return valid

    @staticmethod
    def _record(meta_path: Path, key: str, checksum: str) -> None:
        meta = {"format": CACHE_FORMAT, "key": key, "sha256": checksum}
        write_bytes_atomic(meta_path, json.dumps(meta).encode("utf-8"))

    def path(self, kind: str, key: str) -> Path | None:
        """The file of a valid entry (its checksum verified now), without reading it in."""
        if self.folder is None:
            return None
        data_path, meta_path = self._paths(kind, key)
        try:
            checksum: str | None = file_sha256(data_path)
        except OSError:
            checksum = None
        return data_path if self._accept(data_path, meta_path, key, checksum) else None

    def scratch(self, name: str) -> Path:
        """A path on the cache's file system for a file later handed to ``put_file``."""
        assert self.folder is not None
        folder = self.folder / "scratch"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def put_file(self, kind: str, key: str, source: Path) -> Path:
        """Move ``source`` (a ``scratch`` path) into the cache as the entry ``key``."""
        assert self.folder is not None
        data_path, meta_path = self._paths(kind, key)
        data_path.parent.mkdir(parents=True, exist_ok=True)
        checksum = file_sha256(source)
        os.replace(source, data_path)  # scratch is inside the cache folder: one file system
        self._record(meta_path, key, checksum)
        return data_path

    def get(self, kind: str, key: str) -> bytes | None:
        """The bytes of a valid entry; None for a miss or a bad entry."""
        if self.folder is None:
            return None
        data_path, meta_path = self._paths(kind, key)
        try:
            data: bytes | None = data_path.read_bytes()
        except OSError:
            data = None
        checksum = None if data is None else hashlib.sha256(data).hexdigest()
        return data if self._accept(data_path, meta_path, key, checksum) else None

    def put(self, kind: str, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        data_path, meta_path = self._paths(kind, key)
        write_bytes_atomic(data_path, data)
        self._record(meta_path, key, hashlib.sha256(data).hexdigest())


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    hasher = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


@contextlib.contextmanager
def temporary_cache() -> Iterator[Cache]:
    """A cache that lasts one run: where typeset parts wait on disk, not in memory."""
    with tempfile.TemporaryDirectory(prefix="workbook-parts-") as folder:
        yield Cache(Path(folder))
