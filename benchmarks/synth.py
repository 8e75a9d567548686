"""Generate a synthetic content folder of N exercises, in French and English, every field set.

The text is assembled from original sentence fragments about reflective practice, so that it
reads like real content to the engines (word lengths, accents, stemming) without being any.

    python benchmarks/synth.py --exercises 2000 --out /tmp/synth-2000
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PER_BANK = 20

FR_SUBJECTS = [
    "La praticienne",
    "Le conseiller",
    "La coach",
    "Le thérapeute",
    "Le groupe",
    "La superviseure",
    "Chaque participant",
    "Le binôme",
]
FR_VERBS = [
    "observe",
    "note par écrit",
    "repère",
    "décrit calmement",
    "accueille",
    "nomme",
    "explore sans juger",
    "revient sur",
]
FR_OBJECTS = [
    "la colère qui monte pendant la séance",
    "les valeurs qui entrent en conflit",
    "une rupture de l’alliance",
    "les émotions fortes du client",
    "le silence qui s’installe",
    "les objectifs décidés ensemble",
    "la fatigue de compassion",
    "les signaux du corps",
    "la peur de mal faire",
    "les larmes d’une cliente",
    "le désespoir exprimé à voix basse",
    "la réparation après un malentendu",
    "les tâches convenues pour la semaine",
]
FR_ENDS = [
    "avant la prochaine rencontre.",
    "pendant dix minutes.",
    "avec bienveillance.",
    "en gardant le droit de passer.",
    "puis en parle en supervision.",
    "sans chercher à conclure trop vite.",
]
EN_SUBJECTS = [
    "The practitioner",
    "The counsellor",
    "The coach",
    "The therapist",
    "The group",
    "The supervisor",
    "Each participant",
    "The pair",
]
EN_VERBS = [
    "observes",
    "writes down",
    "notices",
    "calmly describes",
    "welcomes",
    "names",
    "explores without judging",
    "returns to",
]
EN_OBJECTS = [
    "the anger rising during the session",
    "the values that clash",
    "a rupture in the alliance",
    "the client’s strong emotions",
    "the silence settling in",
    "the goals agreed together",
    "compassion fatigue",
    "the body’s signals",
    "the fear of getting it wrong",
    "a client’s tears",
    "despair spoken in a low voice",
    "the repair after a misunderstanding",
    "the tasks agreed for the week",
]
EN_ENDS = [
    "before the next meeting.",
    "for ten minutes.",
    "with kindness.",
    "keeping the right to pass.",
    "then brings it to supervision.",
    "without rushing to a conclusion.",
]


def sentence(rng: random.Random, lang: str) -> str:
    parts = (
        (FR_SUBJECTS, FR_VERBS, FR_OBJECTS, FR_ENDS)
        if lang == "fr"
        else (EN_SUBJECTS, EN_VERBS, EN_OBJECTS, EN_ENDS)
    )
    return " ".join(rng.choice(part) for part in parts)


def text(rng: random.Random, sentences: int) -> dict[str, str]:
    seed = rng.random()
    return {
        lang: " ".join(sentence(random.Random(f"{seed}{lang}{i}"), lang) for i in range(sentences))
        for lang in ("fr", "en")
    }


def exercise(rng: random.Random, index: int) -> dict[str, object]:
    steps = [rng.choice([5, 5, 10, 15]) for _ in range(rng.randint(2, 4))]
    return {
        "id": f"synthetic-exercise-{index:05d}",
        "title": {
            "fr": f"Exercice {index} : " + rng.choice(FR_OBJECTS),
            "en": f"Exercise {index}: " + rng.choice(EN_OBJECTS),
        },
        "summary": text(rng, 2),
        "purpose": text(rng, 3),
        "minutes": sum(steps),
        "format": rng.choice(["solo", "pair", "group", "supervision"]),
        "level": rng.choice(["discovery", "practice", "advanced"]),
        "components": sorted(rng.sample(["bond", "goals", "tasks", "rupture"], rng.randint(1, 2))),
        "moment": rng.choice(["check-in", "core", "core", "core", "closing"]),
        "materials": [text(rng, 1)],
        "steps": [{"minutes": minutes, "text": text(rng, 3)} for minutes in steps],
        "prompts": [
            {
                "text": text(rng, 1),
                "space": rng.choice(["lines", "box"]),
                "lines": rng.choice([4, 6, 8]),
            }
            for _ in range(rng.randint(2, 4))
        ],
        "debrief": text(rng, 3),
        "facilitator_notes": text(rng, 4),
        "safety": text(rng, 3),
        "adaptations": text(rng, 2),
        "sources": ["bordin-1979"],
        "tags": [{"fr": "synthèse", "en": "synthesis"}],
    }


def generate(count: int, out: Path, seed: int = 7) -> Path:
    """Write a content folder with ``count`` exercises into ``out`` (replaced)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "banks").mkdir(parents=True)
    (out / "sets").mkdir()
    for name in ("workbook.yml", "sources.yml"):
        shutil.copy(ROOT / "workbook" / name, out / name)
    for bank_index in range((count + PER_BANK - 1) // PER_BANK):
        first = bank_index * PER_BANK
        bank = {
            "id": f"synthetic-bank-{bank_index:03d}",
            "order": bank_index,
            "title": {"fr": f"Banque {bank_index}", "en": f"Bank {bank_index}"},
            "intro": text(rng, 5),
            "exercises": [
                exercise(rng, index) for index in range(first, min(count, first + PER_BANK))
            ],
        }
        (out / "banks" / f"{bank['id']}.yml").write_text(
            yaml.safe_dump(bank, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--exercises", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    generate(options.exercises, options.out, options.seed)


if __name__ == "__main__":
    main()
