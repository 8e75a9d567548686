"""Output safety: `workbook build` only ever replaces a folder it wrote, one build at a time.

Every refusal leaves the whole tree exactly as it was; a marked output is replaced; a link is
followed; leftovers of stopped builds are swept only when they are provably this output's.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner, Result
from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from generator.errors import ToolError
from generator.output import MARKER, output_folder
from tests.conftest import write_content

MARKER_TEXT = '{"tool": "alliance-workbook", "format": 1}\n'


def snapshot(root: Path) -> dict[str, tuple[str, str]]:
    """Every folder, file (its checksum) and link (its target) under ``root``."""
    tree: dict[str, tuple[str, str]] = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder, name)
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                tree[key] = ("link", os.readlink(path))
            elif path.is_dir():
                tree[key] = ("folder", "")
            else:
                tree[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
    return tree


def build(*arguments: str) -> Result:
    return CliRunner().invoke(cli, ["build", "--no-pdf", *arguments])


def plant(path: Path, text: str = "the user's own file\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def leftover(path: Path, *, marked: bool = True) -> Path:
    """A folder that looks like a stopped build's staging folder (marked: it is one)."""
    plant(path / "index.html", "<p>half a site</p>")
    if marked:
        plant(path / MARKER, MARKER_TEXT)
    return path


def refusal(what: str, relation: str, folder: Path, out: str) -> str:
    return (
        f"error: refusing to write the output into {out}: it {relation} {what} ({folder}); "
        "choose a folder of its own, e.g. --out site\n"
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a .git and a user's file, the working folder; HOME elsewhere."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    plant(tmp_path / "home" / ".profile")
    root = write_content(tmp_path / "project")
    plant(root / ".git" / "HEAD", "ref: refs/heads/main\n")
    plant(root / "notes.txt")
    monkeypatch.chdir(root)
    return root


def test_out_dot_inside_a_project_is_refused(project: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    result = build("--out", ".")
    assert result.exit_code == 1
    assert result.output == refusal("the content folder", "is", project, ".")
    assert snapshot(tmp_path) == before


def test_out_content_folder_from_outside_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = write_content(tmp_path / "workbook")
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = build("--out", "workbook")  # the content is found as ./workbook
    assert result.exit_code == 1
    assert result.output == refusal("the content folder", "is", content, "workbook")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("out", "what", "relation", "folder"),
    [
        ("content", "the content folder", "is", "work/content"),
        ("content/..", "the current folder", "is", "work"),
        ("cache", "the cache folder", "is", "work/cache"),
        ("{tmp}/home", "your home folder", "is", "home"),
        ("..", "the content folder", "contains", "work/content"),
        ("/", "the filesystem root", "is", "/"),
    ],
)
def test_dangerous_outs_are_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    out: str,
    what: str,
    relation: str,
    folder: str,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    plant(tmp_path / "home" / ".profile")
    work = tmp_path / "work"
    write_content(work / "content")
    plant(work / "cache" / "entry.bin")
    monkeypatch.chdir(work)
    out = out.format(tmp=tmp_path)
    before = snapshot(tmp_path)
    result = build("--content", "content", "--cache", "cache", "--out", out)
    assert result.exit_code == 1
    assert result.output == refusal(what, relation, (tmp_path / folder).resolve(), out)
    assert snapshot(tmp_path) == before


def test_out_holding_the_cache_is_refused(project: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    result = build("--out", "site", "--cache", "site/cache")
    assert result.exit_code == 1
    folder = project / "site" / "cache"
    assert result.output == refusal("the cache folder", "contains", folder, "site")
    assert snapshot(tmp_path) == before


def test_non_empty_folder_without_marker_is_refused(project: Path, tmp_path: Path) -> None:
    plant(project / "public" / "index.html", "<p>my hand-made page</p>")
    plant(project / "public" / "img" / "logo.svg", "<svg/>")
    before = snapshot(tmp_path)
    result = build("--out", "public")
    assert result.exit_code == 1
    assert result.output == (
        "error: refusing to replace public: it is not empty and has no .workbook-output file, "
        "so workbook did not write it; empty it or choose another --out\n"
    )
    assert snapshot(tmp_path) == before


def test_existing_file_is_refused(project: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    result = build("--out", "notes.txt")
    assert result.exit_code == 2
    assert "Directory 'notes.txt' is a file." in result.output
    assert snapshot(tmp_path) == before
    (project / "link").symlink_to("notes.txt")
    with pytest.raises(ToolError, match=r"^refusing to write the output into link: it is a file"):
        output_folder(Path("link"))


def test_empty_folder_becomes_the_output(project: Path) -> None:
    (project / "site").mkdir()
    result = build("--out", "site")
    assert result.exit_code == 0, result.output
    assert (project / "site" / "index.html").is_file()


def test_marked_output_is_replaced_and_nothing_left_beside(project: Path) -> None:
    first = build("--out", "site")
    assert first.exit_code == 0, first.output
    assert json.loads((project / "site" / MARKER).read_text(encoding="utf-8")) == {
        "tool": "alliance-workbook",
        "format": 1,
    }
    plant(project / "site" / "stray.html")
    second = build("--out", "site")
    assert second.exit_code == 0, second.output
    assert not (project / "site" / "stray.html").exists()
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
    assert sorted(path.name for path in project.iterdir() if "site" in path.name) == ["site"]


def test_symlinked_out_is_updated_through_the_link(project: Path, tmp_path: Path) -> None:
    web_root = tmp_path / "www" / "workbook"
    web_root.mkdir(parents=True)
    plant(tmp_path / "www" / "other-site" / "index.html")
    (project / "public").symlink_to(web_root)
    for _ in range(2):  # into the empty target, then over the previous output
        result = build("--out", "public")
        assert result.exit_code == 0, result.output
        assert f"public is a link: updating its target, {web_root}\n" in result.output
        assert (project / "public").is_symlink()
        assert os.readlink(project / "public") == str(web_root)
        assert (web_root / "index.html").is_file()
        assert (web_root / MARKER).is_file()
    assert sorted(path.name for path in web_root.parent.iterdir()) == ["other-site", "workbook"]


def test_symlink_to_a_foreign_folder_is_refused(project: Path, tmp_path: Path) -> None:
    plant(tmp_path / "www" / "index.html", "<p>the web server's page</p>")
    (project / "public").symlink_to(tmp_path / "www")
    before = snapshot(tmp_path)
    result = build("--out", "public")
    assert result.exit_code == 1
    assert "refusing to replace public: it is not empty and has no .workbook-output" in (
        result.output
    )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["site[1]", "*", "s?te"])
def test_glob_characters_do_not_touch_neighbours(project: Path, name: str) -> None:
    neighbours = [
        leftover(project / ".site1.staging-0123abcd"),  # what .site[1].staging-* matches
        leftover(project / ".site.staging-0123abcd"),  # what .s?te.staging-* matches
        leftover(project / ".other.old-0123abcd"),
        leftover(project / ".x.staging-0123abcd"),
    ]
    kept = {path.name: snapshot(path) for path in neighbours}
    result = build("--out", name)
    assert result.exit_code == 0, result.output
    assert (project / name / "index.html").is_file()
    assert {path.name: snapshot(path) for path in neighbours} == kept


def test_only_this_outputs_marked_leftovers_are_swept(project: Path, tmp_path: Path) -> None:
    swept = [
        leftover(project / ".site.staging-0123abcd"),
        leftover(project / ".site.old-89abcdef"),
    ]
    kept = [
        leftover(project / ".site.staging-fedcba98", marked=False),  # not the tool's
        leftover(project / ".site.staging-0123abcd-mine"),  # not a staging folder's name
        leftover(project / ".site.staging-0123ABCD"),
        leftover(tmp_path / "elsewhere"),
    ]
    (project / ".site.old-76543210").symlink_to(tmp_path / "elsewhere")  # never followed
    kept.append(project / ".site.old-76543210")
    before = {path.name: snapshot(path) for path in kept}
    result = build("--out", "site")
    assert result.exit_code == 0, result.output
    assert [path for path in swept if os.path.lexists(path)] == []
    assert {path.name: snapshot(path) for path in kept} == before
    assert (project / ".site.old-76543210").is_symlink()


def test_second_build_is_refused_while_the_first_holds_the_lock(project: Path) -> None:
    assert build("--out", "site").exit_code == 0
    before = snapshot(project / "site")
    lock = project / ".site.lock"
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = build("--out", "site")
        assert result.exit_code == 1
        assert result.output == (
            f"error: another build is writing site (lock {lock}): wait for it to finish\n"
        )
        assert snapshot(project / "site") == before
        assert sorted(path.name for path in project.iterdir() if "site" in path.name) == [
            ".site.lock",
            "site",
        ]
    result = build("--out", "site")  # the first build ended (its lock released)
    assert result.exit_code == 0, result.output
    assert not lock.exists()


def test_a_build_started_meanwhile_is_refused_and_the_first_publishes(project: Path) -> None:
    command = [sys.executable, "-m", "generator", "build", "--verbose", "--no-pdf"]
    first = subprocess.Popen(
        [*command, "--out", "site"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert first.stderr is not None
    try:
        for line in first.stderr:  # the first build holds the lock from here to its end
            if line.startswith("writing into "):
                break
        second = build("--out", "site")
        rest = first.stderr.read()
    finally:
        first.wait()
    lock = project / ".site.lock"
    assert second.exit_code == 1
    assert second.output == (
        f"error: another build is writing site (lock {lock}): wait for it to finish\n"
    )
    assert first.returncode == 0, rest
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "en" / "index.html").is_file()
    assert sorted(path.name for path in project.iterdir() if "site" in path.name) == ["site"]


OUTS = [
    ".",
    "..",
    "content",
    "content/sub",
    "content/banks",
    "sub/../content",
    "cache",
    "cache/x",
    "new/site",
    "site",
    "../home",
    "../home/site",
    "../elsewhere",
    "notes.txt",
]
PLANTED = [
    "notes.txt",
    "content/notes.txt",
    "content/sub/keep.txt",
    "cache/x/keep.txt",
    "new/keep.txt",
    "site/index.html",
    "site/.workbook-output",
    "../home/.profile",
    "../elsewhere/index.html",
    "../outside.txt",
]


def allowed(out: Path, guarded: list[Path]) -> bool:
    """What the tool should accept, worked out independently of it."""
    real = Path(os.path.realpath(out))
    if any(real == folder or real in folder.parents for folder in guarded):
        return False
    if real.is_dir():
        marker = real / MARKER
        ours = marker.is_file() and marker.read_text(encoding="utf-8") == MARKER_TEXT
        return ours or not any(real.iterdir())
    return not real.exists()


@settings(max_examples=15, deadline=None)
@given(out=st.sampled_from(OUTS), planted=st.sets(st.sampled_from(PLANTED), max_size=5))
def test_no_file_outside_the_out_is_ever_touched(out: str, planted: set[str]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary).resolve()
        work = root / "work"
        write_content(work / "content")
        (work / "cache").mkdir()
        (root / "home").mkdir()
        for name in planted:
            plant(work / name, MARKER_TEXT if name.endswith(MARKER) else f"{name}\n")
        guarded = [work / "content", work / "cache", work, root / "home", Path("/")]
        expected = allowed(work / out, guarded)
        event("built" if expected else "refused")
        before = snapshot(root)
        with contextlib.chdir(work), mock.patch.dict(os.environ, {"HOME": str(root / "home")}):
            result = build("--content", "content", "--cache", "cache", "--out", out)
        after = snapshot(root)
        assert (result.exit_code == 0) == expected, result.output
        if not expected:
            assert after == before
            return
        real = Path(os.path.realpath(work / out))
        inside = real.relative_to(root).as_posix()
        outside = {
            key: entry
            for key, entry in before.items()
            if key != inside and not key.startswith(inside + "/")
        }
        assert {key: after.get(key) for key in outside} == outside
        assert (real / "index.html").is_file()
        assert (real / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
