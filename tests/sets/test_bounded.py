"""The picker's search is bounded: a crafted bank cannot make `workbook pick` run for minutes.

The bound counts looks at a candidate (not seconds), so a stopped search still gives the same
plan on every machine; the knapsack reaches exactly the totals the plain dynamic programme
reached, only faster."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import cli
from generator.models import Format, Level, Moment
from generator.sets import pick as picker
from generator.sets.model import Candidate, Request
from tests.conftest import bank_yaml, exercise_yaml, write_content

STOPPED = (
    "warning: the search stopped after 10,000,000 looks at an exercise: this is the best set "
    "found, maybe not the best possible; name fewer banks or components for a complete search\n"
)


def _reference_subset_sum(items: list[Candidate], room: int) -> list[Candidate]:
    """The 0/1 knapsack as it was first written: one list of reached totals."""
    if room <= 0:
        return []
    maker = [-1] * (room + 1)
    reached = [False] * (room + 1)
    reached[0] = True
    for index, item in enumerate(items):
        for total in range(room, item.minutes - 1, -1):
            if not reached[total] and reached[total - item.minutes]:
                reached[total] = True
                maker[total] = index
    best = max(total for total in range(room + 1) if reached[total])
    chosen = []
    while best > 0:
        chosen.append(items[maker[best]])
        best -= items[maker[best]].minutes
    return chosen[::-1]


def _candidate(index: int, minutes: int, moment: Moment = Moment.core) -> Candidate:
    return Candidate(
        id=f"ex-{index:03d}",
        bank="a",
        minutes=minutes,
        format=Format.group,
        level=Level.discovery,
        components=(),
        moment=moment,
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 60), max_size=25), st.integers(-5, 200))
def test_the_bitset_knapsack_chooses_what_the_plain_one_chose(
    minutes: list[int], room: int
) -> None:
    items = [_candidate(index, value) for index, value in enumerate(minutes)]
    assert picker._subset_sum(items, room) == _reference_subset_sum(items, room)


def test_a_stopped_search_returns_a_valid_plan_marked_incomplete(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool = [_candidate(index, 1 + index % 37) for index in range(120)]
    pool += [_candidate(200 + index, 1 + index, Moment.check_in) for index in range(30)]
    pool += [_candidate(300 + index, 1 + index, Moment.closing) for index in range(30)]
    monkeypatch.setattr(picker._Effort, "__init__", lambda self: setattr(self, "left", 5_000))
    plan = picker.pick(pool, Request(minutes=240))
    assert not plan.complete
    assert plan.total <= 240
    assert [p.reason.role for p in (plan.picks[0], plan.picks[-1])] == ["check-in", "closing"]
    assert plan == picker.pick(pool, Request(minutes=240))  # the same plan, every time


def test_an_ordinary_request_searches_completely() -> None:
    pool = [_candidate(index, 5 + 5 * (index % 6)) for index in range(40)]
    assert picker.pick(pool, Request(minutes=90)).complete


@pytest.fixture
def crafted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """About 400 short exercises: 130 check-ins and 130 closings of distinct durations, 140
    core exercises of varied durations (the kind of bank that took minutes)."""
    monkeypatch.chdir(tmp_path)
    exercises = [
        exercise_yaml(f"open-{n}", minutes=n, fmt="group", moment="check-in") for n in range(1, 131)
    ]
    exercises += [
        exercise_yaml(f"close-{n}", minutes=n, fmt="group", moment="closing") for n in range(1, 131)
    ]
    exercises += [
        exercise_yaml(f"core-{n}", minutes=1 + (n * 37) % 240, fmt="group") for n in range(140)
    ]
    return write_content(tmp_path / "content", banks={"alpha": bank_yaml("alpha", exercises)})


def test_a_crafted_bank_is_picked_from_in_seconds(crafted: Path) -> None:
    args = ["pick", "--content", "content", "--minutes", "480", "--lang", "en"]
    started = time.perf_counter()
    first = CliRunner().invoke(cli, [*args, "--out", "content/sets/day.yml"])
    elapsed = time.perf_counter() - started
    assert first.exit_code == 0, first.output
    assert elapsed < 30  # was 452 s; about 2 s here, with room for a busy machine
    assert first.stderr == STOPPED + "wrote content/sets/day.yml\n"
    written = yaml.safe_load(Path("content/sets/day.yml").read_text(encoding="utf-8"))
    ids = [entry["id"] for entry in written["exercises"]]
    assert ids[0].startswith("open-") and ids[-1].startswith("close-")
    again = CliRunner().invoke(cli, [*args, "--out", "again.yml"])
    assert again.stdout == first.stdout  # reproducible, though stopped
    check = CliRunner().invoke(cli, ["check", "--content", "content"])
    assert check.exit_code == 0, check.output


def test_pick_refuses_a_long_title_and_a_reserved_id(crafted: Path) -> None:
    runner = CliRunner()
    base = ["pick", "--content", "content", "--minutes", "30"]
    long_title = runner.invoke(cli, [*base, "--title", "x" * 201, "--out", "s.yml"])
    assert (long_title.exit_code, long_title.stderr) == (
        1,
        "error: --title is longer than 200 characters (got 201): shorten it\n",
    )
    reserved = runner.invoke(cli, [*base, "--out", "content/sets/index.yml"])
    assert (reserved.exit_code, reserved.stderr) == (
        1,
        "error: the set id 'index' is reserved: its page would replace the site's sets/ page; "
        "choose another file name\n",
    )


def test_a_plan_longer_than_a_set_may_be_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    exercises = [exercise_yaml(f"short-{n}", minutes=1) for n in range(250)]
    write_content(tmp_path / "content", banks={"alpha": bank_yaml("alpha", exercises)})
    result = CliRunner().invoke(
        cli, ["pick", "--content", "content", "--minutes", "300", "--out", "s.yml"]
    )
    assert (result.exit_code, result.stderr) == (
        1,
        "error: the set would hold 250 exercises, more than a set may hold (200): lower "
        "--minutes or narrow the request\n",
    )
    assert not Path("s.yml").exists()
