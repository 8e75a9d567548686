"""The shipped content: complete, in both languages, original, and within its rules."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator.models import Content, Localised
from generator.validate import load_content

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed-alliance-therapeutique.txt"
CORE_BANKS = ("self-awareness", "own-values", "strong-emotions")
RUN = 8


@cache
def shipped() -> Content:
    return load_content(ROOT / "workbook")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, Localised):
        yield value.fr
        yield value.en
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name))


def test_every_text_in_both_languages() -> None:
    content = shipped()
    texts = list(_texts(content.workbook))
    for bank in content.banks:
        texts += list(_texts(bank))
    for exercise_set in content.sets:
        texts += list(_texts(exercise_set))
    assert len(texts) > 1000
    assert all(text.strip() for text in texts)


def test_no_run_of_eight_words_shared_with_the_seed_article() -> None:
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SEED} is missing: CI must have ../shared beside the clone")
        pytest.skip("the seed article is not beside this checkout")
    seed = _words(SEED.read_text(encoding="utf-8"))
    seed_runs = {tuple(seed[i : i + RUN]) for i in range(len(seed) - RUN + 1)}
    shared = []
    for path in sorted((ROOT / "workbook").rglob("*.yml")):
        words = _words(path.read_text(encoding="utf-8"))
        shared += [
            f"{path.name}: {' '.join(words[i : i + RUN])}"
            for i in range(len(words) - RUN + 1)
            if tuple(words[i : i + RUN]) in seed_runs
        ]
    assert shared == []


@pytest.mark.parametrize("bank_id", CORE_BANKS)
def test_core_banks_have_range(bank_id: str) -> None:
    bank = shipped().bank(bank_id)
    assert len(bank.exercises) >= 12
    assert {exercise.format.value for exercise in bank.exercises} == {
        "solo",
        "pair",
        "group",
        "supervision",
    }
    assert {exercise.level.value for exercise in bank.exercises} == {
        "discovery",
        "practice",
        "advanced",
    }
    minutes = [exercise.minutes for exercise in bank.exercises]
    assert min(minutes) <= 10 and max(minutes) >= 60
    moments = {
        exercise.moment.value for exercise in bank.exercises if exercise.format.value == "group"
    }
    assert {"check-in", "closing"} <= moments


def test_every_exercise_is_complete() -> None:
    for ref in shipped().exercises.values():
        exercise = ref.exercise
        assert exercise.sources, exercise.id
        assert exercise.components, exercise.id
        assert len(exercise.safety.fr) > 80 and len(exercise.safety.en) > 80, exercise.id
        assert all(prompt.lines >= 2 for prompt in exercise.prompts), exercise.id


def test_catalogue_size() -> None:
    content = shipped()
    assert len(content.banks) >= 8
    assert len(content.exercises) >= 60
    assert len(content.exercises) - sum(len(shipped().bank(b).exercises) for b in CORE_BANKS) >= 24


def test_ready_made_sets_fit_their_duration() -> None:
    content = shipped()
    assert len(content.sets) >= 4
    exercises = content.exercises
    for exercise_set in content.sets:
        used = sum(
            entry.break_minutes or exercises[entry.id or ""].exercise.minutes
            for entry in exercise_set.exercises
        )
        assert 0.8 * exercise_set.minutes <= used <= exercise_set.minutes, exercise_set.id
