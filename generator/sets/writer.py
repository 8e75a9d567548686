"""A plan → an ExerciseSet model → the YAML text of a set file (what `workbook check` reads)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import yaml

from generator.models import (
    MAX_TEXT,
    MAX_TITLE,
    ExerciseSet,
    Format,
    Localised,
    LocalisedTitle,
    SetEntry,
)
from generator.sets.model import Plan, Reason, Request, Target
from generator.templating import active_languages, ui

MODELINE = "# yaml-language-server: $schema=../schema/set.schema.json\n"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _session(value: Format | None) -> str:
    return value.value if value is not None else "any"


def localised(texts: dict[str, str], model: type[Localised] = Localised) -> Localised:
    """A localised text from ``{lang: text}``, in exactly those languages."""
    return model.model_validate(texts, context={"languages": tuple(texts)})


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (ending with "…" when cut): what the model allows."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def target_name(target: Target, lang: str, bank_titles: Mapping[str, Localised]) -> str:
    if target.kind == "component":
        return ui(f"pick.component.{target.value}", lang)
    title = bank_titles.get(target.value)
    return title.get(lang) if title is not None else target.value


def reason_text(reason: Reason, lang: str, bank_titles: Mapping[str, Localised]) -> str:
    """Why an exercise was chosen, in ``lang``."""
    role = ui(f"pick.reason.{reason.role}", lang)
    if reason.role in ("check-in", "closing"):
        return role
    names = ", ".join(target_name(t, lang, bank_titles) for t in reason.covers)
    return f"{role} {names}"


def default_title(request: Request, bank_titles: Mapping[str, Localised]) -> LocalisedTitle:
    """'Séance de groupe de 90 minutes : ruptures' / '90-minute group session: ruptures'."""
    titles = {}
    for lang in active_languages():
        themes = ", ".join(
            [bank_titles[b].get(lang) for b in dict.fromkeys(request.banks) if b in bank_titles]
            + [ui(f"pick.component.{c.value}", lang) for c in dict.fromkeys(request.components)]
        )
        session = ui(f"pick.session.{_session(request.format)}", lang)
        title = ui("pick.title", lang).format(session=session, minutes=request.minutes)
        title = title[0].upper() + title[1:]
        if themes:
            title = ui("pick.title_themes", lang).format(title=title, themes=themes)
        titles[lang] = clip(title, MAX_TITLE)
    result = localised(titles, LocalisedTitle)
    assert isinstance(result, LocalisedTitle)
    return result


def build_set(
    set_id: str,
    plan: Plan,
    request: Request,
    *,
    title: str | None,
    bank_titles: Mapping[str, Localised],
    command: Sequence[str] = (),
) -> ExerciseSet:
    """The set model for ``plan``; each entry notes, in every language, why it was chosen."""
    languages = active_languages()
    entries = [
        SetEntry(
            id=pick.candidate.id,
            note=localised(
                {
                    lang: clip(reason_text(pick.reason, lang, bank_titles), MAX_TEXT)
                    for lang in languages
                }
            ),
        )
        for pick in plan.picks
    ]
    shown = " ".join(command)
    description = (
        localised(
            {
                lang: clip(ui("pick.composed_with", lang).format(command=shown), MAX_TEXT)
                for lang in languages
            }
        )
        if shown
        else None
    )
    given = localised({lang: title for lang in languages}, LocalisedTitle) if title else None
    audience = localised(
        {lang: ui(f"pick.audience.{_session(request.format)}", lang) for lang in languages}
    )
    return ExerciseSet(
        id=set_id,
        title=given or default_title(request, bank_titles),
        audience=audience,
        minutes=request.minutes,
        description=description,
        exercises=entries,
    )


def set_yaml(exercise_set: ExerciseSet) -> str:
    """The text of the set file, opening with the schema modeline."""
    data = exercise_set.model_dump(mode="json", by_alias=True, exclude_none=True)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return MODELINE + body
