"""The compact exercise catalogue of one language, read by the explorer (and the composer).

Written to ``data/exercises.json`` of each language site. Its shape (version 1)::

    {
      "version": 1,
      "lang": "fr",
      "banks": [{"id": "self-awareness", "title": "Conscience de soi",
                 "url": "banks/self-awareness/"}],
      "labels": {"format": {"solo": "Seul", ...}, "level": {...}, "component": {...},
                 "moment": {...}},
      "exercises": [
        {"id": "jaw-and-shoulders-map", "title": "…", "summary": "…", "bank": "self-awareness",
         "minutes": 20, "format": "solo", "level": "discovery", "components": ["bond", "rupture"],
         "moment": "core", "url": "exercises/jaw-and-shoulders-map/"}
      ]
    }

Texts are plain text (show them with ``textContent``); ``url`` values are relative to the
language site's root (the folder holding ``data/``). About 250 bytes per exercise.

The run mode (``run/``, ``assets/run.js``) reads one more JSON file per run target, so a
session loads only what it shows, however large the workbook: ``data/run/exercises/<id>.json``
and ``data/run/sets/<id>.json`` (version 1)::

    {"version": 1, "lang": "fr",
     "exercise": {"id": "…", "title": "…", "url": "exercises/…/", "minutes": 20,
                  "format": "group", "steps": [{"minutes": 5, "html": "<p>…</p>"}],
                  "safety": "<p>…</p>", "debrief": "<p>…</p>", "facilitator_notes": "<p>…</p>",
                  "summary": "…", "prompts": [{"html": "…", "lines": 5, "space": "lines"}]}}

The composer prints its handout from the same per-exercise files (``summary`` and ``prompts``
are there for it: :func:`handout_fields`), loading only the exercises of the session.

    {"version": 1, "lang": "fr",
     "set": {"id": "…", "title": "…", "url": "sets/…/", "minutes": 90,
             "entries": [{"exercise": "check-in", "note": "<p>…</p>"},
                         {"break": 10, "note": null}]},
     "exercises": {"check-in": {…the "exercise" object above…}}}

``html`` values are the pages' own safe HTML (the Markdown subset of ``generator.markup``);
``minutes`` of a set is its planned length (its budget), which its entries may not fill.
"""

from __future__ import annotations

import json
from typing import Any

from generator.markup import render_inline, render_markdown
from generator.models import Component, Content, Exercise, ExerciseSet, Format, Level, Moment
from generator.site import urls
from generator.site.pages import plain
from generator.templating import ui

CATALOGUE_PATH = "data/exercises.json"
RUN_DIR = "data/run"
RUN_VERSION = 1


def catalogue(content: Content, lang: str) -> dict[str, Any]:
    labels = {
        kind: {item.value: ui(f"site.{kind}.{item.value}", lang) for item in enum}
        for kind, enum in (
            ("format", Format),
            ("level", Level),
            ("component", Component),
            ("moment", Moment),
        )
    }
    return {
        "version": 1,
        "lang": lang,
        "banks": [
            {
                "id": bank.id,
                "title": plain(bank.title.get(lang), lang),
                "url": urls.url_of(urls.bank_doc(bank.id)),
            }
            for bank in content.banks
        ],
        "labels": labels,
        "exercises": [
            {
                "id": ex.id,
                "title": plain(ex.title.get(lang), lang),
                "summary": plain(ex.summary.get(lang), lang),
                "bank": ref.bank.id,
                "minutes": ex.minutes,
                "format": ex.format.value,
                "level": ex.level.value,
                "components": [component.value for component in ex.components],
                "moment": ex.moment.value,
                "practice_days": ex.practice_days,
                "url": urls.url_of(urls.exercise_doc(ex.id)),
            }
            for ref in content.exercises.values()
            for ex in (ref.exercise,)
        ],
    }


def catalogue_json(content: Content, lang: str) -> str:
    return _json(catalogue(content, lang))


def run_exercise_path(exercise_id: str) -> str:
    return f"{RUN_DIR}/exercises/{exercise_id}.json"


def run_set_path(set_id: str) -> str:
    return f"{RUN_DIR}/sets/{set_id}.json"


def run_exercise(exercise: Exercise, lang: str) -> dict[str, Any]:
    """What the run mode shows of one exercise: its timed steps and the texts around them."""

    def html(text: str) -> str:
        return str(render_markdown(text, lang))

    return {
        "id": exercise.id,
        "title": plain(exercise.title.get(lang), lang),
        "url": urls.url_of(urls.exercise_doc(exercise.id)),
        "minutes": exercise.minutes,
        "format": exercise.format.value,
        "steps": [
            {"minutes": step.minutes, "html": html(step.text.get(lang))} for step in exercise.steps
        ],
        "safety": html(exercise.safety.get(lang)),
        "debrief": html(exercise.debrief.get(lang)),
        "facilitator_notes": html(exercise.facilitator_notes.get(lang)),
        **handout_fields(exercise, lang),
    }


def handout_fields(exercise: Exercise, lang: str) -> dict[str, Any]:
    """What the composer's printed handout needs besides the run mode's fields: the summary and
    the writing prompts with their answer space (``lines`` ruled lines, or a ``box`` that tall).
    """
    return {
        "summary": plain(exercise.summary.get(lang), lang),
        "prompts": [
            {
                "html": str(render_inline(prompt.text.get(lang), lang)),
                "lines": prompt.lines,
                "space": prompt.space.value,
            }
            for prompt in exercise.prompts
        ],
    }


def run_set(content: Content, exercise_set: ExerciseSet, lang: str) -> dict[str, Any]:
    """A ready-made set in run order (exercises and breaks, with their notes) and its exercises."""
    entries: list[dict[str, Any]] = []
    exercises: dict[str, dict[str, Any]] = {}
    for entry in exercise_set.exercises:
        note = str(render_markdown(entry.note.get(lang), lang)) if entry.note else None
        if entry.id is None:
            entries.append({"break": entry.break_minutes, "note": note})
            continue
        entries.append({"exercise": entry.id, "note": note})
        exercises.setdefault(entry.id, run_exercise(content.exercises[entry.id].exercise, lang))
    return {
        "version": RUN_VERSION,
        "lang": lang,
        "set": {
            "id": exercise_set.id,
            "title": plain(exercise_set.title.get(lang), lang),
            "url": urls.url_of(urls.set_doc(exercise_set.id)),
            "minutes": exercise_set.minutes,
            "entries": entries,
        },
        "exercises": exercises,
    }


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def run_files(content: Content, lang: str) -> dict[str, str]:
    """Every JSON file of the run mode of the ``lang`` site, by its path in the docs folder."""
    files = {
        run_exercise_path(exercise_id): _json(
            {"version": RUN_VERSION, "lang": lang, "exercise": run_exercise(ref.exercise, lang)}
        )
        for exercise_id, ref in content.exercises.items()
    }
    for exercise_set in content.sets:
        files[run_set_path(exercise_set.id)] = _json(run_set(content, exercise_set, lang))
    return files
