"""Writing outputs safely.

Files are written through a temporary file renamed over the target, folders through a
staging folder swapped in at the end: a failed or killed build leaves the previous output
intact. A folder is only ever replaced when this tool wrote it (it holds the ``MARKER``
file), never when it is or holds the project, the cache, the current or the home folder,
and by one build at a time (a lock file beside it).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from generator.errors import ToolError

if sys.platform != "win32":
    import fcntl

logger = logging.getLogger("workbook")

MARKER = ".workbook-output"
"""The file every output folder holds: what tells a folder this tool may replace."""
MARKER_CONTENT = {"tool": "alliance-workbook", "format": 1}
_TOKEN = re.compile(r"[0-9a-f]{8}")  # the random end of a staging or retired folder's name
_LOCK_ATTEMPTS = 5


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


def write_marker(folder: Path) -> None:
    """Mark ``folder`` as an output of this tool."""
    (folder / MARKER).write_text(json.dumps(MARKER_CONTENT) + "\n", encoding="utf-8")


def has_marker(folder: Path) -> bool:
    """Whether ``folder`` holds this tool's marker (a regular file, not a link)."""
    marker = folder / MARKER
    try:
        if marker.is_symlink() or not marker.is_file():
            return False
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("tool") == MARKER_CONTENT["tool"]


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _always_protected() -> dict[str, Path]:
    protected = {"the filesystem root": Path(_real(Path.cwd()).anchor)}
    with contextlib.suppress(RuntimeError, KeyError):  # no home folder known
        protected["your home folder"] = Path.home()
    protected["the current folder"] = Path.cwd()
    return protected


def output_folder(target: Path, protected: Mapping[str, Path] | None = None) -> Path:
    """The real folder that ``target`` names (through any link), if the tool may write it.

    Raise ToolError when it is a file, is a folder that is neither empty nor marked as an
    output, or is or contains the root, the home folder, the current folder or one of
    ``protected`` (a description of each folder: the folder). Nothing is written.
    """
    real, shown = _real(target), str(target)
    guarded = [(what, _real(folder)) for what, folder in (protected or {}).items()]
    guarded += [(what, _real(folder)) for what, folder in _always_protected().items()]
    clashes = [
        (real != folder, rank, what, folder)
        for rank, (what, folder) in enumerate(guarded)
        if real == folder or real in folder.parents
    ]
    if clashes:
        contains, _, what, folder = min(clashes)  # "is" says more than "contains"
        raise ToolError(
            f"refusing to write the output into {shown}: it {'contains' if contains else 'is'} "
            f"{what} ({folder}); choose a folder of its own, e.g. --out site"
        )
    if os.path.lexists(real) and not real.is_dir():
        raise ToolError(f"refusing to write the output into {shown}: it is a file, not a folder")
    _check_replaceable(real, shown)
    return real


def _check_replaceable(real: Path, shown: str) -> bool:
    """Whether ``real`` is this tool's output (True) or empty or absent (False); else refuse."""
    if has_marker(real):
        return True
    if real.is_dir():
        with os.scandir(real) as entries:
            if next(entries, None) is not None:
                raise ToolError(
                    f"refusing to replace {shown}: it is not empty and has no {MARKER} file, "
                    "so workbook did not write it; empty it or choose another --out"
                )
    return False


@contextlib.contextmanager
def _locked(real: Path, shown: str) -> Iterator[None]:
    """Hold ``.<name>.lock`` beside ``real``; refuse at once if another build holds it.

    The lock file is removed at the end; a build that opened it meanwhile notices that the
    name now leads elsewhere (or nowhere) and takes the lock again on the current file."""
    if sys.platform == "win32":  # no flock: one build at a time is then up to the user
        yield
        return
    lock = real.parent / f".{real.name}.lock"
    for _ in range(_LOCK_ATTEMPTS):
        try:
            handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        except OSError as problem:
            raise ToolError(f"cannot lock {shown} (lock {lock}): {problem.strerror}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            current = os.stat(lock, follow_symlinks=False)
        except BlockingIOError:
            os.close(handle)
            raise ToolError(
                f"another build is writing {shown} (lock {lock}): wait for it to finish"
            ) from None
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(handle), current):
            break
        os.close(handle)  # the build that held it removed it meanwhile: lock the new one
    else:
        raise ToolError(f"cannot lock {shown} (lock {lock}): it keeps changing")
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)
        os.close(handle)


def _fresh_name(real: Path, kind: str) -> Path:
    """``.<name>.<kind>-<8 hex digits>`` beside ``real``, not taken yet."""
    while True:
        path = real.parent / f".{real.name}.{kind}-{secrets.token_hex(4)}"
        if not os.path.lexists(path):
            return path


def _sweep_leftovers(real: Path) -> None:
    """Remove the staging and retired folders that a killed build of ``real`` left beside it.

    Only folders named exactly ``.<name>.staging-<token>`` or ``.<name>.old-<token>`` (no
    pattern: the name may hold ``*`` or ``[``) that hold the marker; called under the lock."""
    prefixes = (f".{real.name}.staging-", f".{real.name}.old-")
    with os.scandir(real.parent) as entries:
        leftovers = [
            Path(entry.path)
            for entry in entries
            for prefix in prefixes
            if entry.name.startswith(prefix)
            and _TOKEN.fullmatch(entry.name[len(prefix) :])
            and entry.is_dir(follow_symlinks=False)
        ]
    for leftover in leftovers:
        if has_marker(leftover):
            logger.debug("removing %s, left by a build that was stopped", leftover)
            shutil.rmtree(leftover, ignore_errors=True)


def _swap(staging: Path, real: Path, shown: str) -> None:
    """Put ``staging`` in place of ``real``; remove the previous output only if it was ours."""
    ours = _check_replaceable(real, shown)  # again: someone may have written there meanwhile
    if os.path.lexists(real) and not real.is_dir():
        raise ToolError(f"refusing to replace {shown}: it became a file during the build")
    retired = None
    if real.is_dir():
        retired = _fresh_name(real, "old")
        os.replace(real, retired)
    try:
        os.replace(staging, real)
    except BaseException:
        if retired is not None:
            os.replace(retired, real)
        raise
    if retired is None:
        return
    if ours:
        shutil.rmtree(retired, ignore_errors=True)
    else:
        try:
            os.rmdir(retired)  # it was empty: remove it only if it still is
        except OSError:
            logger.warning(
                "files were put into %s during the build: they are now in %s", shown, retired
            )


@contextlib.contextmanager
def staged_directory(target: Path, protected: Mapping[str, Path] | None = None) -> Iterator[Path]:
    """Yield an empty folder (but for the marker) beside ``target``; swap it in only if the
    block succeeds.

    ``target`` is checked by ``output_folder``; a link is followed, and its target replaced.
    The previous output stays untouched until the very end, when two renames exchange the
    folders; if the block raises, or the process dies, only the staging folder is lost (and
    swept by the next build).
    """
    real, shown = output_folder(target, protected), str(target)
    if target.is_symlink():
        logger.info("%s is a link: updating its target, %s", shown, real)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise ToolError(f"cannot create the folder of {shown}: {problem}") from None
    with _locked(real, shown):
        _check_replaceable(real, shown)  # again, now that no other build can change it
        _sweep_leftovers(real)
        staging = _fresh_name(real, "staging")
        staging.mkdir()
        try:
            staging.chmod(0o755)  # a published site must be readable
            write_marker(staging)
            yield staging
            write_marker(staging)  # whatever the block did to it
            _swap(staging, real, shown)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)  # gone already once swapped in
            raise
