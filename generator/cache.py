"""A content-addressed cache for incremental builds.

An output is stored under the hash of everything it depends on (its content, the templates,
CSS and fonts it uses, the versions of the tool and the engines). Each entry has a record:
the checksum of its bytes, the cache format and whatever the build reads back about it (a
part's page count), signed with an HMAC-SHA256 whose key belongs to this user on this
machine and is kept outside the cache folder (see generator.signing). Whoever can write the
cache can write a matching checksum, not a matching signature: an entry whose record does not
verify, whether corrupt, truncated, written by another tool or restored from another machine,
is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.output import write_bytes_atomic
from generator.signing import KEY_BYTES, canonical, framed, sign, signing_key, verify

CHUNK = 1 << 20

logger = logging.getLogger("workbook")

CACHE_FORMAT = "alliance-workbook-cache/2"
ENGINES = (  # the tool and every engine an output passes through
    "alliance-workbook", "weasyprint", "pydyf", "mkdocs", "mkdocs-material", "pagefind",
    "jinja2", "markdown-it-py", "pydantic",
)  # fmt: skip


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
    for chunk in framed(*parts):
        hasher.update(chunk)
    return hasher.hexdigest()


def tree_digest(folder: Path) -> str:
    """The hash of every file below ``folder``: names and bytes."""
    parts: list[str | bytes] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


class Cache:
    """Bytes stored by key in a folder; misses and bad entries return None.

    ``key`` signs the records (by default the user's key, read when first needed).
    """

    def __init__(self, folder: Path | None, *, key: bytes | None = None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self._key = key

    @property
    def key(self) -> bytes:
        if self._key is None:
            assert self.folder is not None
            self._key = signing_key(self.folder)
        return self._key

    def _paths(self, kind: str, key: str) -> tuple[Path, Path]:
        assert self.folder is not None
        base = self.folder / kind / key[:2] / key
        return base.with_suffix(".bin"), base.with_suffix(".json")

    def _accept(self, kind: str, key: str, checksum: str | None) -> dict[str, Any] | None:
        """The signed metadata of the entry when its record verifies for this key and
        checksum (a hit), else None (a miss)."""
        data_path, meta_path = self._paths(kind, key)
        try:
            record = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = None
        meta = record.get("meta") if isinstance(record, dict) else None
        valid = (
            checksum is not None
            and isinstance(record, dict)
            and isinstance(meta, dict)
            and record.get("format") == CACHE_FORMAT
            and record.get("sha256") == checksum
            and verify(
                self.key, record.get("mac"), CACHE_FORMAT, kind, key, checksum, canonical(meta)
            )
        )
        if valid:
            self.hits += 1
            return meta
        if checksum is not None:
            logger.debug(
                "ignoring cache entry %s: its record is not signed by this user's key "
                "(corrupt, foreign or restored from elsewhere); rebuilding it",
                data_path,
            )
        self.misses += 1
        return None

    def _record(self, kind: str, key: str, checksum: str, meta: dict[str, Any]) -> None:
        record = {
            "format": CACHE_FORMAT,
            "key": key,
            "sha256": checksum,
            "meta": meta,
            "mac": sign(self.key, CACHE_FORMAT, kind, key, checksum, canonical(meta)),
        }
        write_bytes_atomic(self._paths(kind, key)[1], json.dumps(record).encode("utf-8"))

    def entry(self, kind: str, key: str) -> tuple[Path, dict[str, Any]] | None:
        """The file of a valid entry (its bytes and signature verified now) and the metadata
        stored with it, without reading the file into memory."""
        if self.folder is None:
            return None
        data_path = self._paths(kind, key)[0]
        try:
            checksum: str | None = file_sha256(data_path)
        except OSError:
            checksum = None
        meta = self._accept(kind, key, checksum)
        return None if meta is None else (data_path, meta)

    def path(self, kind: str, key: str) -> Path | None:
        """The file of a valid entry (see ``entry``)."""
        found = self.entry(kind, key)
        return None if found is None else found[0]

    def scratch(self, name: str) -> Path:
        """A path on the cache's file system for a file later handed to ``put_file``."""
        assert self.folder is not None
        folder = self.folder / "scratch"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def put_file(
        self, kind: str, key: str, source: Path, meta: dict[str, Any] | None = None
    ) -> Path:
        """Move ``source`` (a ``scratch`` path) into the cache as the entry ``key``, with
        ``meta`` (JSON values) signed in its record."""
        assert self.folder is not None
        data_path = self._paths(kind, key)[0]
        data_path.parent.mkdir(parents=True, exist_ok=True)
        checksum = file_sha256(source)
        os.replace(source, data_path)  # scratch is inside the cache folder: one file system
        self._record(kind, key, checksum, meta or {})
        return data_path

    def get(self, kind: str, key: str) -> bytes | None:
        """The bytes of a valid entry; None for a miss or a bad entry."""
        if self.folder is None:
            return None
        try:
            data: bytes | None = self._paths(kind, key)[0].read_bytes()
        except OSError:
            data = None
        checksum = None if data is None else hashlib.sha256(data).hexdigest()
        return data if self._accept(kind, key, checksum) is not None else None

    def put(self, kind: str, key: str, data: bytes, meta: dict[str, Any] | None = None) -> None:
        if self.folder is None:
            return
        write_bytes_atomic(self._paths(kind, key)[0], data)
        self._record(kind, key, hashlib.sha256(data).hexdigest(), meta or {})


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    hasher = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


@contextlib.contextmanager
def temporary_cache() -> Iterator[Cache]:
    """A cache that lasts one run: where typeset parts wait on disk, not in memory. Its key
    lasts the run too (no key file is read or made)."""
    with tempfile.TemporaryDirectory(prefix="workbook-parts-") as folder:
        yield Cache(Path(folder), key=secrets.token_bytes(KEY_BYTES))
