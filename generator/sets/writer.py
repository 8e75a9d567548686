"""A plan → an ExerciseSet model → the YAML text of a set file (what `workbook check` reads)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import yaml

from generator.models import (
    MAX_TEXT,
    MAX_TITLE,
    Component,
    ExerciseSet,
    Format,
    Localised,
    LocalisedTitle,
    SetEntry,
)
from generator.sets.model import Plan, Reason, Request, Target

MODELINE = "# yaml-language-server: $schema=../schema/set.schema.json\n"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

COMPONENT_NAMES: dict[str, dict[str, str]] = {
    Component.bond.value: {"fr": "lien", "en": "bond"},
    Component.goals.value: {"fr": "objectifs", "en": "goals"},
    Component.tasks.value: {"fr": "tâches", "en": "tasks"},
    Component.rupture.value: {"fr": "ruptures", "en": "ruptures"},
}

SESSION_NAMES: dict[Format | None, dict[str, str]] = {
    None: {"fr": "Séance", "en": "session"},
    Format.solo: {"fr": "Séance individuelle", "en": "solo session"},
    Format.pair: {"fr": "Séance en binôme", "en": "pair session"},
    Format.group: {"fr": "Séance de groupe", "en": "group session"},
    Format.supervision: {"fr": "Séance de supervision", "en": "supervision session"},
}

AUDIENCES: dict[Format | None, Localised] = {
    None: Localised(
        fr="Praticiennes et praticiens en formation ou en supervision.",
        en="Practitioners in training or in supervision.",
    ),
    Format.solo: Localised(
        fr="Une praticienne ou un praticien, seul·e.", en="One practitioner, working alone."
    ),
    Format.pair: Localised(
        fr="Deux praticiens qui travaillent en binôme.", en="Two practitioners working as a pair."
    ),
    Format.group: Localised(
        fr="Un groupe de pratique réflexive ou de supervision.",
        en="A reflective-practice or supervision group.",
    ),
    Format.supervision: Localised(
        fr="Une superviseure ou un superviseur et une personne supervisée.",
        en="A supervisor and a supervisee.",
    ),
}

ROLE_TEXT: dict[str, dict[str, str]] = {
    "check-in": {
        "fr": "ouvre la séance (tour d’arrivée court)",
        "en": "opens the session (a short check-in)",
    },
    "closing": {"fr": "clôt la séance", "en": "closes the session"},
    "balance": {"fr": "couvre", "en": "covers"},
    "variety": {"fr": "varie la séance ; sert", "en": "adds variety; serves"},
    "fill": {"fr": "complète le temps ; sert", "en": "fills the time left; serves"},
}


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (ending with "…" when cut): what the model allows."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def target_name(target: Target, lang: str, bank_titles: Mapping[str, Localised]) -> str:
    if target.kind == "component":
        return COMPONENT_NAMES[target.value][lang]
    title = bank_titles.get(target.value)
    return title.get(lang) if title is not None else target.value


def reason_text(reason: Reason, lang: str, bank_titles: Mapping[str, Localised]) -> str:
    """Why an exercise was chosen, in ``lang``."""
    if reason.role in ("check-in", "closing"):
        return ROLE_TEXT[reason.role][lang]
    names = ", ".join(target_name(t, lang, bank_titles) for t in reason.covers)
    return f"{ROLE_TEXT[reason.role][lang]} {names}"


def default_title(request: Request, bank_titles: Mapping[str, Localised]) -> LocalisedTitle:
    """'Séance de groupe de 90 minutes : ruptures' / '90-minute group session: ruptures'."""
    themes = {
        lang: ", ".join(
            [bank_titles[b].get(lang) for b in dict.fromkeys(request.banks) if b in bank_titles]
            + [COMPONENT_NAMES[c.value][lang] for c in dict.fromkeys(request.components)]
        )
        for lang in ("fr", "en")
    }
    names = SESSION_NAMES[request.format]
    fr = f"{names['fr']} de {request.minutes} minutes"
    en = f"{request.minutes}-minute {names['en']}"
    en = en[0].upper() + en[1:]
    if themes["fr"]:
        fr += f" : {themes['fr']}"
        en += f": {themes['en']}"
    return LocalisedTitle(fr=clip(fr, MAX_TITLE), en=clip(en, MAX_TITLE))


def build_set(
    set_id: str,
    plan: Plan,
    request: Request,
    *,
    title: str | None,
    bank_titles: Mapping[str, Localised],
    command: Sequence[str] = (),
) -> ExerciseSet:
    """The set model for ``plan``; each entry notes, in both languages, why it was chosen."""
    entries = [
        SetEntry(
            id=pick.candidate.id,
            note=Localised(
                fr=clip(reason_text(pick.reason, "fr", bank_titles), MAX_TEXT),
                en=clip(reason_text(pick.reason, "en", bank_titles), MAX_TEXT),
            ),
        )
        for pick in plan.picks
    ]
    shown = " ".join(command)
    description = (
        Localised(
            fr=clip(f"Composée avec : {shown}", MAX_TEXT),
            en=clip(f"Composed with: {shown}", MAX_TEXT),
        )
        if shown
        else None
    )
    return ExerciseSet(
        id=set_id,
        title=LocalisedTitle(fr=title, en=title) if title else default_title(request, bank_titles),
        audience=AUDIENCES[request.format],
        minutes=request.minutes,
        description=description,
        exercises=entries,
    )


def set_yaml(exercise_set: ExerciseSet) -> str:
    """The text of the set file, opening with the schema modeline."""
    data = exercise_set.model_dump(mode="json", by_alias=True, exclude_none=True)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return MODELINE + body
