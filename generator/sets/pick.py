"""Constraints → an ordered list of exercise ids, each with the reason it was chosen.

Pure and deterministic: the same catalogue, request and seed always give the same plan, whatever
the hash seed or dict order (candidates are sorted by id before any seeded shuffle).

The search, for every combination of a check-in and a closing (one of each duration, or none;
both first, then one, then none):
  1. a few rounds of round-robin over the requested banks/components, always serving the least
     covered one first, each time with a seeded random exercise that still fits;
  2. an exact subset-sum (0/1 knapsack over minutes) that fills the time left as fully as
     possible from the exercises not yet chosen.
Round counts from 0 (pure knapsack: the fullest set the banks allow) upwards and several seeded
repetitions give candidate plans; the best one wins, by: at least 85 % of the budget used, then
check-in and closing present, then number of requested banks/components covered, then evenness
(in minutes, then in exercises), then minutes used, then exercises of the session's own format.

The search is bounded: it stops after ``MAX_EVALUATIONS`` steps of work (looks at an exercise; the
same count on every machine, so the plan stays reproducible) and returns the best plan found,
marked incomplete. Ordinary requests stay below it; a crafted bank (hundreds of check-ins and
closings of distinct durations) stops at it within seconds instead of running for minutes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import replace as _replace

from generator.models import Component, Level, Moment
from generator.sets.model import (
    Candidate,
    Impossible,
    Pick,
    Plan,
    Reason,
    Request,
    Target,
    is_core,
    is_slot,
)

FILL_RATIO = 0.85
"""A plan should use at least this share of the budget whenever the banks allow."""
REPETITIONS = 4
"""Seeded repetitions of each round count."""
TIME_SPREAD_STEP = 15
"""Differences in minutes between targets count for evenness by steps of this size."""
MAX_EVALUATIONS = 10_000_000
"""Looks at an exercise (round-robin scans, knapsack items) or at a total the knapsack reaches
before the search stops: one to three seconds. With the shipped banks, a request naming up to
eight banks and four components needs at most 4.3 million; one naming all fourteen needs up to
17 million and stops at the bound, with a check-in and a closing (tried first)."""

LEVEL_RANK = {Level.discovery: 0, Level.practice: 1, Level.advanced: 2}


# ---- messages for impossible requests -------------------------------------------------------


def _quoted(values: Iterable[str]) -> str:
    return " or ".join(f"'{value}'" for value in values)


def describe(request: Request, target: Target | None = None) -> str:
    """'no group exercise at level 'x' of 10 minutes or less in bank 'b' on 'rupture''."""
    words = ["no"]
    if request.format is not None:
        words.append(request.format.value)
    words.append("exercise")
    if request.levels:
        words.append(f"at level {_quoted(level.value for level in request.levels)}")
    words.append(f"of {request.minutes} minutes or less")
    banks = [target.value] if target and target.kind == "bank" else request.banks
    if banks:
        words.append(f"in bank {_quoted(banks)}")
    components = (
        [target.value]
        if target and target.kind == "component"
        else [c.value for c in request.components]
    )
    if components:
        words.append(f"on {_quoted(components)}")
    return " ".join(words)


def _hint(candidates: Sequence[Candidate], request: Request, target: Target | None) -> str:
    """Which single constraint, relaxed, would make the request possible."""

    def matching(changed: Request) -> list[Candidate]:
        narrowed = changed
        if target is not None and target.kind == "bank":
            narrowed = _replace(changed, banks=(target.value,))
        if target is not None and target.kind == "component":
            narrowed = _replace(changed, components=(Component(target.value),))
        return [c for c in candidates if is_core(c, narrowed)]

    longer = matching(_replace(request, minutes=10**9))
    if longer:
        shortest = min(c.minutes for c in longer)
        return f" (the shortest such exercise takes {shortest} minutes)"
    if request.exclude and matching(_replace(request, exclude=frozenset())):
        return " that was not already done or excluded"
    if request.levels and matching(_replace(request, levels=())):
        return " (other levels have some: drop --level)"
    if request.format is not None and matching(_replace(request, format=None)):
        return " (other formats have some)"
    return ""


# ---- search ---------------------------------------------------------------------------------


@dataclass
class _Effort:
    """What the search may still spend, in looks at a candidate."""

    left: int = MAX_EVALUATIONS

    def spend(self, looks: int) -> None:
        self.left -= looks


def _subset_sum(items: Sequence[Candidate], room: int) -> list[Candidate]:
    """The items (in their given order of preference) whose minutes add up to the largest
    total not above ``room``: a 0/1 knapsack where weight is value.

    The totals reached are the bits of one integer, kept after each item; the item that makes
    a total is the first after which it is reached (found by bisection), as in the plain
    dynamic programme over a list of totals, at a fraction of its cost for big budgets."""
    if room <= 0:
        return []
    everything = (1 << (room + 1)) - 1
    reached = 1  # bit t: the total t is reached
    after: list[int] = []  # the totals reached after each item
    for item in items:
        reached |= (reached << item.minutes) & everything
        after.append(reached)
        if reached >> room:  # the room is full: later items change nothing
            break
    best = reached.bit_length() - 1
    chosen: list[Candidate] = []
    while best > 0:
        low, high = 0, len(after) - 1
        while low < high:
            middle = (low + high) // 2
            if after[middle] >> best & 1:
                high = middle
            else:
                low = middle + 1
        chosen.append(items[low])
        best -= items[low].minutes
    return chosen[::-1]


@dataclass
class _Trial:
    opening: Candidate | None
    closing: Candidate | None
    core: list[tuple[Candidate, str]]  # (exercise, "balance" | "fill")

    def total(self) -> int:
        slots = [c.minutes for c in (self.opening, self.closing) if c is not None]
        return sum(slots) + sum(c.minutes for c, _ in self.core)

    def counts(self, targets: Sequence[Target]) -> list[int]:
        return [sum(1 for c, _ in self.core if t.covered_by(c)) for t in targets]

    def score(self, request: Request, targets: Sequence[Target]) -> tuple[int, ...]:
        counts = self.counts(targets)
        times = [sum(c.minutes for c, _ in self.core if t.covered_by(c)) for t in targets]
        total = self.total()
        return (
            int(total >= math.ceil(FILL_RATIO * request.minutes)),
            int(self.opening is not None) + int(self.closing is not None),
            sum(1 for count in counts if count),
            -((max(times) - min(times)) // TIME_SPREAD_STEP) if times else 0,
            -(max(counts) - min(counts)) if counts else 0,
            total,
            sum(1 for c, _ in self.core if c.format == request.format),
        )


def _round_robin(
    cores: Sequence[Candidate],
    room: int,
    targets: Sequence[Target],
    rounds: int,
    rng: random.Random,
    effort: _Effort,
) -> list[Candidate]:
    """Rounds of one seeded exercise per lane (requested bank or component), the least covered
    lane first (ties: in the lanes' shuffled order)."""
    chosen: list[Candidate] = []
    used: set[str] = set()
    left = room
    lanes: list[Target | None] = [*targets] if targets else [None]
    rng.shuffle(lanes)
    position = {lane: index for index, lane in enumerate(lanes)}
    counts = dict.fromkeys(lanes, 0)  # exercises chosen so far that cover each lane
    for _ in range(rounds):
        added = False
        for _ in range(len(lanes)):
            lane = min(lanes, key=lambda lane: (counts[lane], position[lane]))
            effort.spend(len(cores))
            options = [
                c
                for c in cores
                if c.id not in used and c.minutes <= left and (lane is None or lane.covered_by(c))
            ]
            if not options:
                lanes.remove(lane)
                if not lanes:
                    return chosen
                continue
            choice = rng.choice(options)
            chosen.append(choice)
            used.add(choice.id)
            left -= choice.minutes
            for other in lanes:
                if other is None or other.covered_by(choice):
                    counts[other] += 1
            added = True
        if not added:
            break
    return chosen


def _core_trial(
    cores: Sequence[Candidate],
    room: int,
    targets: Sequence[Target],
    rounds: int,
    rng: random.Random,
    effort: _Effort,
) -> list[tuple[Candidate, str]]:
    balanced = _round_robin(cores, room, targets, rounds, rng, effort)
    used = {c.id for c in balanced}
    rest = [c for c in cores if c.id not in used]
    rng.shuffle(rest)
    left = room - sum(c.minutes for c in balanced)
    # the knapsack looks at each exercise, and at each total it reaches (at most `left` of them)
    effort.spend(len(cores) + max(0, min(left, sum(c.minutes for c in rest))))
    filled = _subset_sum(rest, left)
    return [(c, "balance") for c in balanced] + [(c, "fill") for c in filled]


def _one_per_duration(candidates: Sequence[Candidate], rng: random.Random) -> list[Candidate]:
    """One seeded representative of each distinct duration, shortest first: every duration is
    tried, so the fill target is reached whenever some check-in/closing makes it possible."""
    keyed = sorted(((c.minutes, rng.random(), c) for c in candidates), key=lambda e: e[:2])
    chosen: dict[int, Candidate] = {}
    for minutes, _, candidate in keyed:
        chosen.setdefault(minutes, candidate)
    return list(chosen.values())


_remembered: dict[tuple[tuple[Candidate, ...], Request], Plan] | None = None


def remember_plans(keep: bool = True) -> None:
    """From now on (``keep``), the same request among the same candidates gives back the plan
    found before, without searching again: for a process that renders the site again and
    again (`workbook serve`; the supervision guide shows a picked session), where an edit to
    an exercise's text leaves the candidates as they were."""
    global _remembered
    _remembered = {} if keep else None


def pick(candidates: Sequence[Candidate], request: Request) -> Plan:
    """The best plan for ``request`` among ``candidates``; raise Impossible if there is none."""
    if _remembered is None:
        return _search(candidates, request)
    key = (tuple(candidates), request)
    if key not in _remembered:
        if len(_remembered) >= 16:
            _remembered.clear()
        _remembered[key] = _search(candidates, request)
    return _remembered[key]


def _search(candidates: Sequence[Candidate], request: Request) -> Plan:
    if request.minutes <= 0:
        raise Impossible("the budget must be at least 1 minute")
    pool = sorted(candidates, key=lambda c: c.id)
    cores = [c for c in pool if is_core(c, request)]
    targets = request.targets
    if not cores:
        raise Impossible(describe(request) + _hint(pool, request, None))
    for target in targets:
        if not any(target.covered_by(c) for c in cores):
            raise Impossible(describe(request, target) + _hint(pool, request, target))
    rng = random.Random(request.seed)
    openings = _one_per_duration([c for c in pool if is_slot(c, request, Moment.check_in)], rng)
    closings = _one_per_duration([c for c in pool if is_slot(c, request, Moment.closing)], rng)
    shortest_core = min(c.minutes for c in cores)
    rounds_max = 3 * max(1, len(targets))
    best: _Trial | None = None
    best_score: tuple[int, ...] = ()
    effort, stopped = _Effort(), False
    slots = [(opening, closing) for opening in [None, *openings] for closing in [None, *closings]]
    slots.sort(key=lambda pair: pair.count(None))  # both first: a bounded search keeps them
    trials = (
        (opening, closing, rounds)
        for opening, closing in slots
        for rounds in range(rounds_max + 1)
        for _ in range(1 if rounds == 0 else REPETITIONS)
    )
    for opening, closing, rounds in trials:
        room = request.minutes - sum(c.minutes for c in (opening, closing) if c is not None)
        if room < shortest_core:
            continue
        if effort.left <= 0:  # the first trial (no slots) always runs
            stopped = True
            break
        core = _core_trial(cores, room, targets, rounds, rng, effort)
        trial = _Trial(opening, closing, core)
        score = trial.score(request, targets)
        if best is None or score > best_score:
            best, best_score = trial, score
    assert best is not None  # the shortest core exercise always fits without slots
    return _plan(best, request, targets, complete=not stopped)


def _plan(
    trial: _Trial, request: Request, targets: Sequence[Target], *, complete: bool = True
) -> Plan:
    picks: list[Pick] = []
    if trial.opening is not None:
        picks.append(Pick(trial.opening, Reason("check-in")))
    ordered = sorted(
        enumerate(trial.core), key=lambda entry: (LEVEL_RANK[entry[1][0].level], entry[0])
    )
    for _, (candidate, role) in ordered:
        if targets:  # the requested banks/components it covers is the reason
            reason = Reason("balance", tuple(t for t in targets if t.covered_by(candidate)))
        else:  # nothing requested: it fits the time; say what it serves
            serves = tuple(Target("component", c.value) for c in candidate.components)
            reason = Reason("variety" if role == "balance" else "fill", serves)
        picks.append(Pick(candidate, reason))
    if trial.closing is not None:
        picks.append(Pick(trial.closing, Reason("closing")))
    counts = trial.counts(targets)
    uncovered = tuple(t for t, count in zip(targets, counts, strict=True) if not count)
    return Plan(budget=request.minutes, picks=tuple(picks), uncovered=uncovered, complete=complete)
