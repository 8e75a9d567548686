"""`workbook pick` through the CLI: table, set file, exact messages, the shipped content."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.sets.writer import MODELINE
from tests.conftest import bank_yaml, exercise_yaml, write_content

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def group_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    exercises = [
        exercise_yaml("hello", minutes=5, fmt="group", moment="check-in", title_fr="Bonjour"),
        exercise_yaml("bye", minutes=10, fmt="group", moment="closing", title_fr="Au revoir"),
        exercise_yaml("mirror", minutes=20, fmt="group", components="[rupture]"),
        exercise_yaml("pairs", minutes=30, fmt="pair", components="[bond, rupture]"),
        exercise_yaml("supervised", minutes=25, fmt="supervision", components="[goals]"),
        exercise_yaml("journal", minutes=15, fmt="solo", components="[tasks]"),
        exercise_yaml(
            "deep",
            minutes=40,
            fmt="group",
            components="[tasks]",
            level="advanced",
            title_fr="[bold]Profond[/bold] <b>",
        ),
    ]
    return write_content(tmp_path / "content", banks={"alpha": bank_yaml("alpha", exercises)})


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["pick", "--content", "content", *args])
    return result.exit_code, result.stdout, result.stderr


def test_pick_writes_a_set_that_check_accepts(group_content: Path) -> None:
    code, out, err = run(
        "--minutes", "90", "--format", "group", "--seed", "1", "--out", "content/sets/june.yml"
    )
    assert code == 0, err
    assert err == "wrote content/sets/june.yml\n"
    text = (group_content / "sets" / "june.yml").read_text(encoding="utf-8")
    assert text.startswith(MODELINE)
    data = yaml.safe_load(text)
    assert data["id"] == "june"
    assert data["minutes"] == 90
    assert data["title"] == {
        "fr": "Séance de groupe de 90 minutes",
        "en": "90-minute group session",
    }
    ids = [entry["id"] for entry in data["exercises"]]
    assert ids[0] == "hello" and ids[-1] == "bye"
    assert "journal" not in ids  # solo: not in a group session
    minutes = {"hello": 5, "bye": 10, "mirror": 20, "pairs": 30, "supervised": 25, "deep": 40}
    assert 77 <= sum(minutes[i] for i in ids) <= 90
    assert "total : " in out and " / 90 minutes" in out
    assert out.splitlines()[1].split() == [
        "┃",
        "#",
        "┃",
        "min",
        "┃",
        "format",
        "┃",
        "titre",
        "┃",
        "pourquoi",
        "┃",
    ]
    check = CliRunner().invoke(cli, ["check", "--content", "content"])
    assert check.exit_code == 0, check.output
    assert check.stdout == "ok: 1 banks, 7 exercises, 1 sets, 1 sources\n"


def test_same_arguments_and_seed_give_the_same_file(group_content: Path) -> None:
    args = ["--minutes", "60", "--format", "group", "--seed", "7", "--lang", "en"]
    first = run(*args, "--out", "one.yml")
    second = run(*args, "--out", "two.yml")
    assert first[0] == second[0] == 0
    assert first[1] == second[1]
    assert Path("one.yml").read_text().replace("id: one", "id: two") == Path("two.yml").read_text()


def test_filters_history_and_title(group_content: Path) -> None:
    history = Path("done.yml")
    history.write_text(
        "id: done\ntitle: {fr: Fait, en: Done}\naudience: {fr: Nous, en: Us}\nminutes: 60\n"
        "exercises:\n  - id: mirror\n  - break: 5\n",
        encoding="utf-8",
    )
    code, _, err = run(
        "--minutes",
        "45",
        "--component",
        "rupture",
        "--history",
        "done.yml",
        "--exclude",
        "hello",
        "--title",
        "Nos ruptures",
        "--out",
        "content/sets/rupture.yml",
    )
    assert code == 0, err
    data = yaml.safe_load(Path("content/sets/rupture.yml").read_text(encoding="utf-8"))
    assert [entry["id"] for entry in data["exercises"]] == ["pairs", "bye"]
    assert data["title"] == {"fr": "Nos ruptures", "en": "Nos ruptures"}
    assert data["exercises"][0]["note"] == {"fr": "couvre ruptures", "en": "covers ruptures"}


def test_titles_are_shown_as_text_not_markup(group_content: Path) -> None:
    code, out, err = run("--minutes", "40", "--level", "advanced", "--out", "deep.yml")
    assert code == 0, err
    assert "[bold]Profond[/bold] <b>" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--minutes", "10", "--format", "group", "--component", "rupture"],
            "error: no group exercise of 10 minutes or less on 'rupture' "
            "(the shortest such exercise takes 20 minutes)\n",
        ),
        (
            ["--minutes", "90", "--format", "solo", "--component", "goals"],
            "error: no solo exercise of 90 minutes or less on 'goals' (other formats have some)\n",
        ),
        (
            ["--minutes", "90", "--component", "goals", "--exclude", "supervised"],
            "error: no exercise of 90 minutes or less on 'goals' "
            "that was not already done or excluded\n",
        ),
        (
            ["--minutes", "90", "--bank", "omega"],
            "error: unknown bank 'omega' in --bank: use one of alpha\n",
        ),
        (
            ["--minutes", "90", "--exclude", "nothing"],
            "error: unknown exercise 'nothing' in --exclude: check the id "
            "(workbook check --verbose lists them)\n",
        ),
        (
            ["--minutes", "90", "--title", " "],
            "error: --title is empty: give a title or leave the option out\n",
        ),
    ],
)
def test_impossible_requests_exit_1_with_the_reason(
    group_content: Path, args: list[str], message: str
) -> None:
    code, out, err = run(*args, "--out", "content/sets/x.yml")
    assert (code, out, err) == (1, "", message)
    assert not Path("content/sets/x.yml").exists()


def test_a_file_name_that_is_not_an_id_is_refused(group_content: Path) -> None:
    code, _, err = run("--minutes", "30", "--out", "My Session.yml")
    assert code == 1
    assert err == (
        "error: the file name 'My Session.yml' cannot name a set: use lower-case letters, "
        "digits and single hyphens, ending in .yml (e.g. my-session.yml)\n"
    )


def test_a_broken_history_file_is_located(group_content: Path) -> None:
    Path("done.yml").write_text("id: done\nminutes: [\n", encoding="utf-8")
    code, _, err = run("--minutes", "30", "--history", "done.yml", "--out", "x.yml")
    assert code == 1
    assert err.startswith("done.yml:")
    assert "Traceback" not in err


def test_shipped_content_group_session(tmp_path: Path) -> None:
    content = tmp_path / "workbook"
    shutil.copytree(ROOT / "workbook", content)
    args = [
        "pick",
        "--content",
        str(content),
        "--minutes",
        "90",
        "--format",
        "group",
        "--lang",
        "fr",
        "--seed",
        "1",
    ]
    first = CliRunner().invoke(cli, [*args, "--out", str(content / "sets" / "first.yml")])
    second = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "second.yml")])
    assert first.exit_code == second.exit_code == 0, first.output
    assert first.stdout == second.stdout
    written = yaml.safe_load((content / "sets" / "first.yml").read_text(encoding="utf-8"))
    again = yaml.safe_load((tmp_path / "second.yml").read_text(encoding="utf-8"))
    assert written["exercises"] == again["exercises"]
    check = CliRunner().invoke(cli, ["check", "--content", str(content), "--verbose"])
    assert check.exit_code == 0, check.output
    from generator.validate import load_content

    exercises = load_content(content).exercises
    total = sum(exercises[entry["id"]].exercise.minutes for entry in written["exercises"])
    assert math.ceil(0.85 * 90) == 77
    assert 77 <= total <= 90
