"""Writing outputs atomically: a failed or killed build leaves the previous output intact."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed over it."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    _write_atomic(path, lambda stream: stream.write(data))


def copy_file_atomic(source: Path, path: Path) -> None:
    """Copy ``source`` to ``path`` through a temporary file renamed over it, in chunks."""
    with open(source, "rb") as original:
        _write_atomic(path, lambda stream: shutil.copyfileobj(original, stream))


def _write_atomic(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            fill(stream)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; outputs are meant to be read
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _sweep_leftovers(target: Path) -> None:
    """Remove staging folders that a killed build left beside the target."""
    for prefix in (f".{target.name}.staging-", f".{target.name}.old-"):
        for leftover in target.parent.glob(prefix + "*"):
            shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; swap it in only if the block succeeds.

    The previous output stays untouched until the very end, when two renames exchange the
    folders; if the block raises, or the process dies, only the staging folder is lost.
    """
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = None
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(retired)
        os.replace(target, retired)
    os.replace(staging, target)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
