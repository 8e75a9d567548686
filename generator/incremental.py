"""Reusing the previous site when nothing it depends on has changed.

The site is keyed by the hash of its inputs: the content, the site templates and UI strings
(the project's overrides included), the files its settings name, the tool's code and the
engines' versions. The key and the checksum of every file written are kept in the cache
folder, in a manifest signed with the user's cache key (see generator.signing), which lives
outside the cache: a later build with the same key takes the files from the previous output,
but only when the manifest's signature verifies and after checking each file against its
checksum, so a manifest written or restored from elsewhere, and an output edited or damaged
by hand, are rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path, PurePosixPath

from generator import resources
from generator.cache import digest, engine_versions, tree_digest
from generator.models import Content
from generator.output import write_text_atomic
from generator.settings import settings_digest
from generator.signing import canonical, sign, signing_key, verify
from generator.strings import string_files
from generator.translations import RECORD

logger = logging.getLogger("workbook")
PACKAGE = Path(__file__).resolve().parent
MANIFEST_FORMAT = "alliance-workbook-site/2"


def site_key(content: Content, *, with_pdfs: bool) -> str:
    """The hash of everything the site pages depend on."""
    project = Path(content.root).resolve()
    strings = string_files(project)
    return digest(
        MANIFEST_FORMAT,
        engine_versions(),
        tree_digest(PACKAGE),
        content.model_dump_json(exclude={"root", "files"}),
        resources.tree_digest("site", project),
        *(path.read_bytes() for path in strings),
        settings_digest(content),
        # the site marks stale translations: their record is an input too
        _bytes(project / RECORD),
        str(with_pdfs),
    )


def _bytes(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""


def _manifest_path(cache_dir: Path, out_dir: Path) -> Path:
    return cache_dir / "outputs" / f"{digest(str(out_dir.resolve()))}.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _covered(out_dir: Path, site: str, files: object) -> tuple[str, ...]:
    """What a manifest's signature covers: its format, output folder, site key and files."""
    return MANIFEST_FORMAT, str(out_dir.resolve()), site, canonical(files)


def _inside(relative: object) -> bool:
    """Whether a manifest's file name names a file inside the output folder."""
    if not isinstance(relative, str) or not relative or "\\" in relative:
        return False
    path = PurePosixPath(relative)
    return not path.is_absolute() and ".." not in path.parts and path.as_posix() == relative


def reuse_site(cache_dir: Path | None, out_dir: Path, key: str, staging: Path) -> list[str] | None:
    """Put the previous site's files into ``staging`` if they are still right; else None."""
    if cache_dir is None or not out_dir.is_dir():
        return None
    try:
        manifest = json.loads(_manifest_path(cache_dir, out_dir).read_text(encoding="utf-8"))
        files: dict[str, str] = manifest["files"]
        if manifest.get("format") != MANIFEST_FORMAT or manifest.get("key") != key:
            return None
        if not verify(signing_key(cache_dir), manifest.get("mac"), *_covered(out_dir, key, files)):
            logger.debug("site: the manifest is not signed by this user's key; rebuilding")
            return None
        if not all(_inside(relative) for relative in files):
            return None
        for relative, checksum in files.items():
            if _sha256(out_dir / relative) != checksum:
                logger.debug("site: %s changed since the last build; rebuilding", relative)
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    for relative in files:
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(out_dir / relative, target)  # the old folder is deleted after the swap
        except OSError:
            shutil.copy2(out_dir / relative, target)
    return sorted(files)


def remember_site(
    cache_dir: Path | None, out_dir: Path, key: str, root: Path, files: list[str]
) -> None:
    """Record the site just written into ``root`` (the staging folder of ``out_dir``)."""
    if cache_dir is None:
        return
    checksums = {relative: _sha256(root / relative) for relative in files}
    manifest = {
        "format": MANIFEST_FORMAT,
        "key": key,
        "files": checksums,
        "mac": sign(signing_key(cache_dir), *_covered(out_dir, key, checksums)),
    }
    write_text_atomic(_manifest_path(cache_dir, out_dir), json.dumps(manifest))
