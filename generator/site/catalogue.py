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
"""

from __future__ import annotations

import json
from typing import Any

from generator.models import Component, Content, Format, Level, Moment
from generator.site import urls
from generator.site.pages import plain
from generator.templating import ui

CATALOGUE_PATH = "data/exercises.json"


def catalogue(content: Content, lang: str) -> dict[str, Any]:
    labels = {
        kind: {item.value: ui(f"site.{kind}.{item.value}", lang) for item in enum}
        for kind, enum in (("format", Format), ("level", Level), ("component", Component),
                           ("moment", Moment))
    }
    return {
        "version": 1,
        "lang": lang,
        "banks": [
            {"id": bank.id, "title": plain(bank.title.get(lang), lang),
             "url": urls.url_of(urls.bank_doc(bank.id))}
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
                "url": urls.url_of(urls.exercise_doc(ex.id)),
            }
            for ref in content.exercises.values()
            for ex in (ref.exercise,)
        ],
    }


def catalogue_json(content: Content, lang: str) -> str:
    return json.dumps(catalogue(content, lang), ensure_ascii=False, separators=(",", ":"))
