"""The site is reused only when none of its inputs changed, and only after checking it."""

from __future__ import annotations

from pathlib import Path

from generator import incremental
from generator.build import build
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
