"""The site is reused only when none of its inputs changed, and only after checking it: the
manifest's signature (this user's cache key), then each file's checksum."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from generator import incremental
from generator.build import build
from generator.signing import KEY_FILE_VARIABLE
from generator.validate import load_content


def test_unchanged_site_is_reused_and_changes_rebuild(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    cold = build(content, out, pdf=False, cache_dir=cache)
    assert cold.built and not cold.cached
    warm = build(content, out, pdf=False, cache_dir=cache)
    assert warm.built == [] and sorted(warm.cached) == sorted(cold.built)
    assert (out / "index.html").is_file()

    bank = content / "banks" / "alpha.yml"
    bank.write_text(
        bank.read_text(encoding="utf-8").replace("Titre", "Nouveau titre", 1), encoding="utf-8"
    )
    edited = build(content, out, pdf=False, cache_dir=cache)
    assert edited.cached == [] and len(edited.built) == len(cold.built)
    assert "Nouveau titre" in (out / "exercises" / "first" / "index.html").read_text(
        encoding="utf-8"
    )


def test_output_edited_by_hand_is_rebuilt_not_trusted(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(content, out, pdf=False, cache_dir=cache)
    original = (out / "index.html").read_bytes()
    (out / "index.html").write_bytes(b"defaced")
    again = build(content, out, pdf=False, cache_dir=cache)
    assert again.cached == []
    assert (out / "index.html").read_bytes() == original


def test_foreign_manifest_is_ignored(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(content, out, pdf=False, cache_dir=cache)
    for manifest in (cache / "outputs").glob("*.json"):
        manifest.write_text(
            '{"format": "other", "files": {"../../etc/passwd": "x"}}', encoding="utf-8"
        )
    assert build(content, out, pdf=False, cache_dir=cache).cached == []


def test_no_cache_always_rebuilds(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(content, out, pdf=False, cache_dir=None)
    assert build(content, out, pdf=False, cache_dir=None).cached == []


def test_key_changes_with_every_input(content: Path) -> None:
    loaded = load_content(content)
    base = incremental.site_key(loaded, with_pdfs=False)
    assert incremental.site_key(loaded, with_pdfs=True) != base
    # a project override of a site file
    css = content / "overrides" / "site" / "assets" / "site.css"
    css.parent.mkdir(parents=True)
    css.write_text("/* mine */\n", encoding="utf-8")
    after_css = incremental.site_key(loaded, with_pdfs=False)
    assert after_css != base
    # an override of the interface strings
    strings = content / "overrides" / "strings" / "en.yml"
    strings.parent.mkdir(parents=True)
    strings.write_text("site.nav_home: Start\n", encoding="utf-8")
    after_strings = incremental.site_key(loaded, with_pdfs=False)
    assert after_strings != after_css
    # the bytes of a file the settings name (the logo), not only its name
    (content / "logo.svg").write_text("<svg/>", encoding="utf-8")
    workbook_yml = content / "workbook.yml"
    workbook_yml.write_text(
        workbook_yml.read_text(encoding="utf-8") + "site:\n  logo: logo.svg\n", encoding="utf-8"
    )
    with_logo = load_content(content)
    first = incremental.site_key(with_logo, with_pdfs=False)
    (content / "logo.svg").write_text("<svg></svg>", encoding="utf-8")
    assert incremental.site_key(with_logo, with_pdfs=False) != first


def test_final_line_says_what_came_from_cache(content: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    arguments = [
        "build",
        "--no-pdf",
        "--content",
        str(content),
        "--out",
        str(tmp_path / "s"),
        "--cache",
        str(tmp_path / "c"),
    ]
    CliRunner().invoke(cli, arguments)
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("built 0 outputs, ") and " from cache, in " in last
    assert last.endswith(f" s → {tmp_path / 's'}")


def test_a_manifest_not_signed_with_the_key_is_ignored(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(content, out, pdf=False, cache_dir=cache)
    original = (out / "index.html").read_bytes()
    (manifest,) = (cache / "outputs").glob("*.json")
    record = json.loads(manifest.read_text(encoding="utf-8"))
    assert sorted(record) == ["files", "format", "key", "mac"]
    # whoever can write the cache and the output: a page replaced, its checksum written
    defaced = b"<script>alert(1)</script>"
    (out / "index.html").write_bytes(defaced)
    record["files"]["index.html"] = hashlib.sha256(defaced).hexdigest()
    manifest.write_text(json.dumps(record), encoding="utf-8")
    again = build(content, out, pdf=False, cache_dir=cache)
    assert again.cached == []
    assert (out / "index.html").read_bytes() == original


def test_a_cache_restored_from_elsewhere_is_not_trusted(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(content, out, pdf=False, cache_dir=cache)
    monkeypatch.setenv(KEY_FILE_VARIABLE, str(tmp_path / "other-machine" / "cache.key"))
    assert build(content, out, pdf=False, cache_dir=cache).cached == []
    assert build(content, out, pdf=False, cache_dir=cache).built == []  # its own, now


def test_a_signed_manifest_naming_files_outside_the_output_is_ignored(
    content: Path, tmp_path: Path
) -> None:
    out, cache, staging = tmp_path / "site", tmp_path / "cache", tmp_path / "staging"
    for folder in (out, staging):
        folder.mkdir()
    (out / "page.html").write_text("page", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    key = incremental.site_key(load_content(content), with_pdfs=False)
    incremental.remember_site(cache, out, key, out, ["page.html"])
    assert incremental.reuse_site(cache, out, key, staging) == ["page.html"]
    incremental.remember_site(cache, out, key, out, ["page.html", "../secret.txt"])
    assert incremental.reuse_site(cache, out, key, tmp_path / "staging2") is None
    assert not (tmp_path / "staging2").exists()
