"""The JSON Schema of every content file and the field reference, generated from the models."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from generator.errors import LANGUAGE_NAMES
from generator.models import (
    DEFAULT_LANGUAGES,
    Bank,
    ExerciseSet,
    Localised,
    LocalisedTitle,
    SourceList,
    Workbook,
)

SCHEMAS: dict[str, type[BaseModel]] = {
    "bank": Bank,
    "set": ExerciseSet,
    "sources": SourceList,
    "workbook": Workbook,
}


def json_schema(
    model: type[BaseModel], languages: Sequence[str] = DEFAULT_LANGUAGES
) -> dict[str, Any]:
    """The JSON Schema of ``model``, its texts holding exactly ``languages``."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    for name, text_model in (("Localised", Localised), ("LocalisedTitle", LocalisedTitle)):
        definition = schema.get("$defs", {}).get(name)
        if definition is not None:
            definition.update(_text_schema(text_model, languages))
    return schema


def _text_schema(model: type[Localised], languages: Sequence[str]) -> dict[str, Any]:
    """A text in every language: one required key per language, no other."""
    return {
        "type": "object",
        "properties": {
            lang: {
                "type": "string",
                "minLength": 1,
                "maxLength": model.MAX,
                "description": f"The {LANGUAGE_NAMES.get(lang, lang)} text"
                + (" (the source language)" if index == 0 else "")
                + f"; never empty, at most {model.MAX:,} characters.",
            }
            for index, lang in enumerate(languages)
        },
        "required": list(languages),
        "additionalProperties": False,
    }


def schema_files(languages: Sequence[str] = DEFAULT_LANGUAGES) -> dict[str, str]:
    """File name → JSON text, for every schema of a project in ``languages``."""
    return {
        f"{name}.schema.json": json.dumps(
            json_schema(model, languages), indent=2, ensure_ascii=False
        )
        + "\n"
        for name, model in SCHEMAS.items()
    }


def _type_of(prop: dict[str, Any], words: Mapping[str, str]) -> str:
    """The type of a property in words; ``words`` translates the English ones (see below)."""
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return words.get(" or ", " or ").join(
            _type_of(option, words) for option in prop["anyOf"] if option.get("type") != "null"
        )
    if prop.get("type") == "array":
        items = prop.get("items", {})
        whole = words.get(f"list of {_type_of(items, {})}")
        if whole is not None:
            return whole
        return words.get("list of {item}", "list of {item}").format(item=_type_of(items, words))
    if "enum" in prop:
        return " | ".join(str(value) for value in prop["enum"])
    name = str(prop.get("type", "any"))
    return words.get(name, name)


def field_reference(type_words: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Every model of the content files with its fields: name, type, required, description.

    The site renders this as the field reference page, so the docs cannot drift from the code.
    Types are English words (``string``, ``list of Step``, ``Localised or string``) unless
    ``type_words`` translates them: keys are the English JSON type names (``string``,
    ``integer``...), ``" or "``, the pattern ``"list of {item}"`` and, to override a whole
    phrase, ``"list of <English item>"`` (``"list of string"``). Model names and enum values
    are identifiers and stay as they are. Descriptions are the models' own (English) text.
    """
    words = type_words or {}
    seen: dict[str, dict[str, Any]] = {}
    for name, model in SCHEMAS.items():
        schema = json_schema(model)
        definitions = {model.__name__: schema, **schema.get("$defs", {})}
        for title, definition in definitions.items():
            if title in seen or "properties" not in definition:
                continue
            required = set(definition.get("required", []))
            seen[title] = {
                "name": title,
                "file": name,
                "description": (definition.get("description") or "").strip(),
                "fields": [
                    {
                        "name": field,
                        "type": _type_of(prop, words),
                        "required": field in required,
                        "description": prop.get("description", ""),
                        "default": prop.get("default"),
                    }
                    for field, prop in definition["properties"].items()
                ],
            }
    return list(seen.values())
