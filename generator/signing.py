"""The key that signs what the cache keeps, and the signatures.

The key is this user's: 32 random bytes made on first use, in a file of mode 0600 kept
outside every cache folder (``key_file``: ``$WORKBOOK_CACHE_KEY_FILE``, else under
``$XDG_STATE_HOME`` or ``~/.local/state``), so that a cache copied or restored from elsewhere
does not bring the key its entries were signed with. A key file this tool cannot trust (owned
by another user, readable by others, damaged, inside the cache) is not used: the build then
signs with a key of its own run, and says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger("workbook")

KEY_FILE_VARIABLE = "WORKBOOK_CACHE_KEY_FILE"
KEY_BYTES = 32


def framed(*parts: str | bytes) -> Iterator[bytes]:
    """Each of ``parts`` length-prefixed, so that no two lists give the same bytes."""
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        yield len(data).to_bytes(8, "big")
        yield data


class KeyRefused(ValueError):
    """A key file this tool will not use: not the user's own, readable by others, or damaged."""


def key_file() -> Path:
    """Where this user's cache key lives: ``$WORKBOOK_CACHE_KEY_FILE``, else
    ``$XDG_STATE_HOME/alliance-workbook/cache.key`` (``~/.local/state`` by default)."""
    chosen = os.environ.get(KEY_FILE_VARIABLE, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    state = os.environ.get("XDG_STATE_HOME", "").strip()
    base = Path(state) if state and Path(state).is_absolute() else Path.home() / ".local/state"
    return base / "alliance-workbook" / "cache.key"


def _read_key(path: Path) -> bytes:
    with open(path, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise KeyRefused("not a regular file")
        if hasattr(os, "getuid") and status.st_uid != os.getuid():
            raise KeyRefused("another user owns it")
        if os.name == "posix" and status.st_mode & 0o077:
            raise KeyRefused("others may read or write it (it must be mode 0600)")
        key = stream.read(KEY_BYTES + 1)
    if len(key) != KEY_BYTES:
        raise KeyRefused(f"it does not hold {KEY_BYTES} bytes")
    return key


def _create_key(path: Path) -> None:
    """Write a new random key to ``path``, mode 0600, unless another build just did."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=".cache.key.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(KEY_BYTES))
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)  # never replaces a key: entries signed with it stay good
    finally:
        os.unlink(temporary)


@lru_cache(maxsize=1)
def _ephemeral_key() -> bytes:
    """A key for this process only: what it caches is good for this run, not the next."""
    return secrets.token_bytes(KEY_BYTES)


def signing_key(cache_folder: Path) -> bytes:
    """The key that signs the records of the cache in ``cache_folder``: the user's (created on
    first use), or, when it cannot be used, a key of this run only, with a warning."""
    try:
        path = key_file()
    except RuntimeError as problem:  # no home folder to keep it in
        _refused("~/.local/state/alliance-workbook/cache.key", str(problem))
        return _ephemeral_key()
    try:
        if path.resolve().is_relative_to(cache_folder.resolve()):
            raise KeyRefused(
                "it is inside the cache folder, so a cache restored from elsewhere brings its "
                f"own key: point {KEY_FILE_VARIABLE} outside {cache_folder}"
            )
        try:
            return _read_key(path)
        except FileNotFoundError:
            _create_key(path)
            logger.debug("created the cache key %s", path)
            return _read_key(path)
    except (OSError, KeyRefused) as problem:
        reason = (problem.strerror or problem) if isinstance(problem, OSError) else problem
        _refused(str(path), str(reason))
        return _ephemeral_key()


@lru_cache(maxsize=8)
def _refused(path: str, reason: str) -> None:
    """Say once per run that the key file is not used, and why."""
    logger.warning(
        "cache key %s not used (%s): what this build caches cannot be reused by the next; "
        "remove that file to have a new key made, or set %s to a file of yours",
        path,
        reason,
        KEY_FILE_VARIABLE,
    )


def sign(key: bytes, *parts: str | bytes) -> str:
    """The HMAC-SHA256 of ``parts`` (framed as in ``digest``) under ``key``."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for chunk in framed(*parts):
        mac.update(chunk)
    return mac.hexdigest()


def verify(key: bytes, signature: object, *parts: str | bytes) -> bool:
    """Whether ``signature`` is the HMAC of ``parts`` under ``key`` (in constant time)."""
    if not isinstance(signature, str):
        return False
    return hmac.compare_digest(signature.encode("utf-8"), sign(key, *parts).encode("ascii"))


def canonical(value: object) -> str:
    """One JSON text per value: what a signature covers."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
