"""Property-based tests of the pure picker over small generated catalogues."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.models import Component, Format, Level, Moment
from generator.sets.model import Candidate, Impossible, Request
from generator.sets.pick import describe, pick

# Written out again here on purpose: the test states the rule, the code must agree with it.
ALLOWED = {
    Format.solo: {Format.solo},
    Format.pair: {Format.pair},
    Format.group: {Format.group, Format.pair, Format.supervision},
    Format.supervision: {Format.supervision, Format.pair},
}
BANKS = ("a", "b", "c")
COMPONENT_LISTS = st.lists(st.sampled_from(list(Component)), min_size=1, max_size=3, unique=True)


@st.composite
def candidates(draw: st.DrawFn) -> list[Candidate]:
    count = draw(st.integers(1, 9))
    return [
        Candidate(
            id=f"ex-{index}",
            bank=draw(st.sampled_from(BANKS)),
            minutes=draw(st.sampled_from([5, 10, 15, 20, 25, 30, 45, 60])),
            format=draw(st.sampled_from(list(Format))),
            level=draw(st.sampled_from(list(Level))),
            components=tuple(
                draw(
                    st.lists(st.sampled_from(list(Component)), min_size=1, max_size=3, unique=True)
                )
            ),
            moment=draw(
                st.sampled_from([Moment.core, Moment.core, Moment.check_in, Moment.closing])
            ),
        )
        for index in range(count)
    ]


@st.composite
def requests(draw: st.DrawFn, catalogue: list[Candidate]) -> Request:
    ids = [c.id for c in catalogue]
    return Request(
        minutes=draw(st.integers(5, 150)),
        format=draw(st.none() | st.sampled_from(list(Format))),
        banks=tuple(draw(st.lists(st.sampled_from(BANKS), max_size=2, unique=True))),
        components=tuple(draw(st.lists(st.sampled_from(list(Component)), max_size=2, unique=True))),
        levels=tuple(draw(st.lists(st.sampled_from(list(Level)), max_size=2, unique=True))),
        exclude=frozenset(draw(st.lists(st.sampled_from(ids), max_size=2))),
        seed=draw(st.integers(0, 2**32)),
    )


def allowed(c: Candidate, r: Request) -> bool:
    """Format, bank, exclusion and time: every exercise of a plan obeys these."""
    return (
        c.id not in r.exclude
        and c.minutes <= r.minutes
        and (r.format is None or c.format in ALLOWED[r.format])
        and (not r.banks or c.bank in r.banks)
    )


def core_allowed(c: Candidate, r: Request) -> bool:
    return (
        allowed(c, r)
        and c.moment == Moment.core
        and (not r.levels or c.level in r.levels)
        and (not r.components or bool(set(c.components) & set(r.components)))
    )


def best_total(catalogue: list[Candidate], r: Request) -> int:
    """Brute force: the fullest plan of ≤1 check-in, ≥1 core exercise, ≤1 closing."""
    cores = [c for c in catalogue if core_allowed(c, r)]
    openings = [None] + [c for c in catalogue if allowed(c, r) and c.moment == Moment.check_in]
    closings = [None] + [c for c in catalogue if allowed(c, r) and c.moment == Moment.closing]
    best = 0
    for size in range(1, len(cores) + 1):
        for chosen in itertools.combinations(cores, size):
            core = sum(c.minutes for c in chosen)
            for opening, closing in itertools.product(openings, closings):
                total = core + sum(c.minutes for c in (opening, closing) if c is not None)
                if total <= r.minutes:
                    best = max(best, total)
    return best


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Candidate], Request]:
    catalogue = draw(candidates())
    return catalogue, draw(requests(catalogue))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_plans_obey_every_constraint(case: tuple[list[Candidate], Request]) -> None:
    catalogue, request = case
    cores = [c for c in catalogue if core_allowed(c, request)]
    try:
        plan = pick(catalogue, request)
    except Impossible as impossible:
        # impossible exactly when no core exercise fits, or a requested target has none
        message = str(impossible)
        assert message.startswith(
            f"no {request.format.value + ' ' if request.format else ''}exercise"
        )
        uncoverable = [
            c.value
            for c in request.components
            if not any(c in candidate.components for candidate in cores)
        ]
        if len(request.banks) > 1:
            uncoverable += [b for b in request.banks if not any(c.bank == b for c in cores)]
        assert not cores or uncoverable
        return
    picked = [p.candidate for p in plan.picks]
    by_id = {c.id: c for c in catalogue}
    assert all(by_id[c.id] == c for c in picked)
    assert len({c.id for c in picked}) == len(picked)
    assert plan.total <= request.minutes
    assert all(allowed(c, request) for c in picked)
    assert any(c.moment == Moment.core for c in picked)
    for position, c in enumerate(picked):
        if c.moment == Moment.check_in:
            assert position == 0
        elif c.moment == Moment.closing:
            assert position == len(picked) - 1
        else:
            assert core_allowed(c, request)
    # 85 % of the budget whenever some plan reaches it
    if best_total(catalogue, request) >= math.ceil(0.85 * request.minutes):
        assert plan.total >= math.ceil(0.85 * request.minutes)
    # check-in first / closing last when one is available and room is left for it
    left = request.minutes - plan.total
    if picked[0].moment != Moment.check_in:
        assert not any(
            allowed(c, request) and c.moment == Moment.check_in and c.minutes <= left
            for c in catalogue
        )
    if picked[-1].moment != Moment.closing:
        assert not any(
            allowed(c, request) and c.moment == Moment.closing and c.minutes <= left
            for c in catalogue
        )


@settings(max_examples=100, deadline=None)
@given(cases(), st.randoms(use_true_random=False))
def test_same_request_and_seed_give_the_same_plan(
    case: tuple[list[Candidate], Request], shuffler: object
) -> None:
    catalogue, request = case
    shuffled = list(catalogue)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    try:
        first = pick(catalogue, request)
    except Impossible as impossible:
        with pytest.raises(Impossible) as again:
            pick(shuffled, request)
        assert str(again.value) == str(impossible)
        return
    assert pick(shuffled, request) == first
    assert pick(catalogue, request) == first


def _catalogue() -> list[Candidate]:
    def core(index: int, bank: str, minutes: int, *components: Component) -> Candidate:
        return Candidate(f"{bank}-{index}", bank, minutes, Format.group, Level.practice, components)

    return [
        Candidate(
            "hello", "a", 5, Format.group, Level.discovery, (Component.bond,), Moment.check_in
        ),
        Candidate("bye", "b", 10, Format.group, Level.discovery, (Component.bond,), Moment.closing),
        *(core(i, "a", 15, Component.bond) for i in range(6)),
        *(core(i, "b", 15, Component.rupture) for i in range(6)),
        core(9, "b", 60, Component.goals),
    ]


def test_requested_banks_are_covered_evenly() -> None:
    for seed in range(5):
        plan = pick(_catalogue(), Request(minutes=90, banks=("a", "b"), seed=seed))
        assert plan.total == 90
        assert plan.ids[0] == "hello"
        assert plan.ids[-1] == "bye"
        core = [p.candidate for p in plan.picks[1:-1]]
        assert sorted(c.bank for c in core) == ["a", "a", "b", "b", "b"] or sorted(
            c.bank for c in core
        ) == ["a", "a", "a", "b", "b"]
        assert all(p.reason.covers for p in plan.picks[1:-1])


def test_components_are_covered_evenly() -> None:
    plan = pick(
        _catalogue(),
        Request(minutes=75, components=(Component.bond, Component.rupture), seed=3),
    )
    core = [p.candidate for p in plan.picks if p.candidate.moment == Moment.core]
    bond = sum(Component.bond in c.components for c in core)
    rupture = sum(Component.rupture in c.components for c in core)
    assert abs(bond - rupture) <= 1
    assert plan.total == 75


def test_another_seed_can_give_another_plan() -> None:
    plans = {tuple(pick(_catalogue(), Request(minutes=60, seed=seed)).ids) for seed in range(8)}
    assert len(plans) > 1


def test_impossible_messages_name_the_constraint() -> None:
    catalogue = _catalogue()
    with pytest.raises(Impossible) as impossible:
        pick(catalogue, Request(minutes=10, format=Format.group, components=(Component.rupture,)))
    assert str(impossible.value) == (
        "no group exercise of 10 minutes or less on 'rupture' "
        "(the shortest such exercise takes 15 minutes)"
    )
    with pytest.raises(Impossible) as impossible:
        pick(catalogue, Request(minutes=90, format=Format.solo))
    assert (
        str(impossible.value) == "no solo exercise of 90 minutes or less (other formats have some)"
    )
    with pytest.raises(Impossible) as impossible:
        pick(
            catalogue,
            Request(minutes=30, components=(Component.bond, Component.goals)),
        )
    assert str(impossible.value) == (
        "no exercise of 30 minutes or less on 'goals' (the shortest such exercise takes 60 minutes)"
    )
    with pytest.raises(Impossible) as impossible:
        pick(
            catalogue,
            Request(minutes=90, components=(Component.goals,), exclude=frozenset({"b-9"})),
        )
    assert str(impossible.value) == (
        "no exercise of 90 minutes or less on 'goals' that was not already done or excluded"
    )
    assert describe(Request(minutes=5, levels=(Level.advanced,), banks=("a",))) == (
        "no exercise at level 'advanced' of 5 minutes or less in bank 'a'"
    )


def test_a_practice_kept_over_days_is_never_picked_for_a_session(tmp_path: Path) -> None:
    """A week-long log counts its in-session minutes only: it is no session exercise."""
    from generator.sets.model import catalogue
    from generator.validate import load_content
    from tests.conftest import bank_yaml, exercise_yaml, write_content

    log = exercise_yaml("week-log", minutes=10).replace(
        "    minutes: 10\n", "    minutes: 10\n    practice_days: 7\n", 1
    )
    bank = bank_yaml("alpha", [exercise_yaml("core-one", minutes=10), log])
    content = load_content(write_content(tmp_path / "content", banks={"alpha": bank}))
    assert content.exercises["week-log"].exercise.practice_days == 7
    assert [candidate.id for candidate in catalogue(content)] == ["core-one"]
    plan = pick(catalogue(content), Request(minutes=20))
    assert [chosen.candidate.id for chosen in plan.picks] == ["core-one"]


def test_remembered_plans_are_the_plans_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    """`workbook serve` renders the site again after each save; the picked session of the
    supervision guide is searched again only when the candidates or the request change."""
    from generator.sets import pick as picker

    pool = [
        Candidate(f"ex-{i}", "a", 5 + 5 * (i % 4), Format.group, Level.practice, (Component.bond,))
        for i in range(12)
    ]
    request = Request(minutes=60, format=Format.group)
    searched = picker.pick(pool, request)
    searches: list[Request] = []
    real = picker._search

    def counted(candidates: list[Candidate], asked: Request) -> object:
        searches.append(asked)
        return real(candidates, asked)

    monkeypatch.setattr(picker, "_search", counted)
    monkeypatch.setattr(picker, "_remembered", None)
    picker.remember_plans()
    try:
        first = picker.pick(pool, request)
        assert first == searched and picker.pick(list(pool), request) is first
        assert len(searches) == 1
        other = [*pool[:-1], Candidate("ex-11", "a", 50, Format.group, Level.practice, ())]
        assert picker.pick(other, request) == real(other, request)
        assert len(searches) == 2
    finally:
        picker.remember_plans(False)
