"""Content → the Markdown pages of one language site, in memory.

Each page is a Markdown file whose body is one HTML block rendered by a Jinja template of
``templates/site/``: content text goes through the markup helpers (escaped, safe subset), and
Markdown leaves an HTML block alone, so nothing from YAML is parsed twice. Titles and
descriptions stay plain text: the engine adapter escapes them if its theme needs it.

Extra pages: every ``templates/site/pages/<name>.md.j2`` (or ``.html.j2``) becomes the page
``<name>/`` in each language. Its template receives the page context documented in
``templates/site/pages/README.md``: ``content``, ``lang``, ``t`` (UI string in this language,
``t(key, n=3)`` formats), ``plural(key, n)`` (a count in words, by the language's plural
rules: generator.plural), ``label(kind, value)``, ``link`` (relative URLs: ``link.page(doc)``,
``link.asset(path)``, ``link.output(path)``, ``link.root``), ``catalogue_url`` (the exercises
JSON of this language), ``explorer_module`` (the explorer ES module), ``pdf`` and ``with_pdfs``.
A template may start with ``{# title: site.nav_composer #}`` to name the UI string of its title.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from generator import resources
from generator.languages import source_languages
from generator.markup import render_inline, render_markdown
from generator.models import Component, Content, Exercise, Format
from generator.pdf.catalog import Scope, pdf_path, volume_id, volumes
from generator.plural import forms as plural_forms
from generator.plural import plural
from generator.site import urls
from generator.site.engines.base import Page
from generator.templating import active_project, environment, has_ui, render, ui
from generator.translations import stale_names

_TITLE_KEY = re.compile(r"\{#\s*title:\s*([\w.-]+)\s*#\}")
_DESCRIPTION_KEY = re.compile(r"\{#\s*description:\s*([\w.-]+)\s*#\}")
GUIDES = ("practitioner", "trainer", "supervision")
EXAMPLE_MINUTES = 90
"""The length of the supervision guide's example session."""


def plain(text: str, lang: str) -> str:
    """A content text as plain text (for titles and descriptions): Markdown marks removed."""
    return " ".join(Markup(render_inline(text, lang)).striptags().split())


def page_templates() -> dict[str, Path]:
    """Extra pages dropped into templates/site/pages/: name → template file."""
    found: dict[str, Path] = {}
    for file_name, path in resources.tree("site/pages", active_project()).items():
        name = file_name.split(".", 1)[0]
        if "/" not in file_name and file_name.endswith((".md.j2", ".html.j2")):
            found.setdefault(name, path)
    return found


class PageBuilder:
    """Renders every page of one language."""

    def __init__(self, content: Content, lang: str, *, with_pdfs: bool) -> None:
        self.content = content
        self.lang = lang
        self.with_pdfs = with_pdfs

    def t(self, key: str, **values: Any) -> str:
        text = ui(key, self.lang)
        return text.format(**values) if values else text

    def plural(self, key: str, n: int, **values: Any) -> str:
        """The form of the count ``key`` for ``n`` (see generator.plural)."""
        return plural(key, n, self.lang, **values)

    def label(self, kind: str, value: Any) -> str:
        return ui(f"site.{kind}.{getattr(value, 'value', value)}", self.lang)

    def complete_workbooks(self) -> list[tuple[str, str]]:
        """(catalog id, caption) of the complete workbook, or of each of its volumes."""
        groups = volumes(self.content)
        if len(groups) <= 1:
            return [("all", self.t("site.pdf_complete"))]
        return [
            (
                volume_id(number),
                self.t(
                    "site.pdf_volume_one" if len(group) == 1 else "site.pdf_volume_range",
                    number=number,
                    total=len(groups),
                    first=plain(group[0].title.get(self.lang), self.lang),
                    last=plain(group[-1].title.get(self.lang), self.lang),
                ),
            )
            for number, group in enumerate(groups, start=1)
        ]

    def context(self, doc: str) -> dict[str, Any]:
        link = urls.Linker(doc, self.lang)

        def pdf(scope: Scope, item_id: str, edition: str) -> str | None:
            if not self.with_pdfs:
                return None
            return link.output(pdf_path(scope, item_id, self.lang, edition))

        return {
            "content": self.content,
            "lang": self.lang,
            "t": self.t,
            "plural": self.plural,
            "plural_forms": lambda key: plural_forms(key, self.lang),
            "label": self.label,
            "link": link,
            "pdf": pdf,
            "with_pdfs": self.with_pdfs,
            "complete_workbooks": self.complete_workbooks(),
            "catalogue_url": link.asset("data/exercises.json"),
            "explorer_module": link.asset("assets/workbook/explorer.js"),
            "urls": urls,
            "guides": GUIDES,
            "extra_pages": set(page_templates()),
            "plain": lambda text: plain(text, self.lang),
            "md": lambda text: render_markdown(text, self.lang),
            "inline": lambda text: render_inline(text, self.lang),
            # the language to mark a source's title with, where it is not the page's
            "title_lang": lambda source: source_languages(source, self.lang)[0],
        }

    def page(self, doc: str, template: str, title: str, description: str, **extra: Any) -> Page:
        body = render(f"site/{template}", **self.context(doc), **extra)
        return Page(doc=doc, title=title, description=description, body=body)

    def extra_page(self, name: str, path: Path) -> Page:
        """A page dropped into templates/site/pages/ (rendered by the one environment)."""
        source = path.read_text(encoding="utf-8")
        found = _TITLE_KEY.search(source)
        key = found.group(1) if found else f"site.nav_{name}"
        title = self.t(key) if has_ui(key, self.lang) else name.replace("-", " ").capitalize()
        described = _DESCRIPTION_KEY.search(source)
        description = self.t(described.group(1)) if described else title
        doc = f"{name}.md"
        body = environment().from_string(source).render(**self.context(doc))
        return Page(doc=doc, title=title, description=description, body=body)

    def exercise(self, exercise: Exercise) -> Page:
        ref = self.content.exercises[exercise.id]
        return self.page(
            urls.exercise_doc(exercise.id),
            "exercise.md.j2",
            plain(exercise.title.get(self.lang), self.lang),
            plain(exercise.summary.get(self.lang), self.lang),
            exercise=exercise,
            bank=ref.bank,
            stale=self.is_stale(ref.bank.id, exercise.id),
            source_lang=self.content.languages[0],
        )

    @cached_property
    def stale(self) -> dict[str, set[str]]:
        """This language's stale translations: content file → text names (see translations)."""
        languages = self.content.languages
        if self.lang == languages[0]:
            return {}
        return stale_names(Path(self.content.root), languages, self.lang)

    def is_stale(self, bank_id: str, exercise_id: str) -> bool:
        """Whether a text of the exercise changed in the source language since translated."""
        prefix = f"exercises[{exercise_id}]"
        return any(
            name.startswith(prefix)
            for file in (f"banks/{bank_id}.yml", f"banks/{bank_id}.yaml")
            for name in self.stale.get(file, ())
        )

    def all_pages(self) -> list[Page]:
        content, lang = self.content, self.lang
        workbook = content.workbook
        site_description = plain((workbook.description or workbook.subtitle).get(lang), lang)
        pages = [
            self.page(
                "index.md", "home.md.j2", plain(workbook.title.get(lang), lang), site_description
            )
        ]
        for bank in content.banks:
            pages.append(
                self.page(
                    urls.bank_doc(bank.id),
                    "bank.md.j2",
                    plain(bank.title.get(lang), lang),
                    _first_sentence(plain(bank.intro.get(lang), lang)),
                    bank=bank,
                )
            )
            pages += [self.exercise(exercise) for exercise in bank.exercises]
        pages.append(
            self.page(
                "sets/index.md",
                "sets.md.j2",
                self.t("site.nav_sets"),
                self.t("site.nav_sets") + " — " + site_description,
            )
        )
        for exercise_set in content.sets:
            description = exercise_set.description or exercise_set.audience
            pages.append(
                self.page(
                    urls.set_doc(exercise_set.id),
                    "set.md.j2",
                    plain(exercise_set.title.get(lang), lang),
                    plain(description.get(lang), lang),
                    exercise_set=exercise_set,
                )
            )
        pages.append(
            self.page(
                "guides/index.md",
                "guides.md.j2",
                self.t("site.nav_guides"),
                self.t("site.guides_intro"),
            )
        )
        for guide in GUIDES:
            pages.append(
                self.page(
                    f"guides/{guide}.md",
                    f"guides/{guide}.md.j2",
                    self.t(f"site.guide.{guide}"),
                    self.t(f"site.guide.{guide}_pitch"),
                    example=(
                        session_example(content, lang, EXAMPLE_MINUTES)
                        if guide == "supervision"
                        else None
                    ),
                )
            )
        pages.append(
            self.page(
                "reference.md",
                "reference.md.j2",
                self.t("site.nav_reference"),
                self.t("site.reference_intro"),
                reference=field_reference_in(lang),
            )
        )
        pages.append(
            self.page(
                "bibliography.md",
                "bibliography.md.j2",
                self.t("site.nav_bibliography"),
                self.t("site.nav_bibliography") + " — " + site_description,
                cited_by=_cited_by(content),
            )
        )
        pages.append(
            self.page(
                "about.md",
                "about.md.j2",
                self.t("site.nav_about"),
                plain(workbook.licence.get(lang), lang),
            )
        )
        for name, path in page_templates().items():
            pages.append(self.extra_page(name, path))
        return pages


def session_example(
    content: Content, lang: str, minutes: int = EXAMPLE_MINUTES
) -> dict[str, Any] | None:
    """The supervision guide's example session, chosen by the picker of ``workbook pick``.

    ``workbook pick --minutes N --format group --component rupture`` (without the component
    when no bank serves it): never over the budget, a check-in first and a closing last when
    the banks hold them. ``None`` when the banks hold no group exercise that fits.
    """
    from generator.sets.model import Impossible, Request, catalogue
    from generator.sets.pick import pick
    from generator.sets.writer import reason_text

    bank_titles = {bank.id: bank.title for bank in content.banks}
    for components in ((Component.rupture,), ()):
        request = Request(minutes=minutes, format=Format.group, components=components)
        try:
            plan = pick(catalogue(content), request)
        except Impossible:
            continue
        command = f"workbook pick --minutes {minutes} --format group"
        command += "".join(f" --component {component.value}" for component in components)
        entries, start = [], 0
        for chosen in plan.picks:
            exercise = content.exercises[chosen.candidate.id].exercise
            entries.append(
                {
                    "exercise": exercise,
                    "start": f"{start // 60}:{start % 60:02d}",
                    "reason": reason_text(chosen.reason, lang, bank_titles),
                }
            )
            start += exercise.minutes
        return {"minutes": minutes, "total": plan.total, "command": command, "entries": entries}
    return None


def _first_sentence(text: str, limit: int = 160) -> str:
    sentence = text.split(". ")[0].rstrip(".") + "."
    return sentence if len(sentence) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


SCHEMA_LANGUAGE = "en"
# The type column in the other languages (see generator.schema.field_reference).
TYPE_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "string": "texte",
        "integer": "entier",
        "number": "nombre",
        "boolean": "booléen",
        "any": "libre",
        " or ": " ou ",
        "list of {item}": "liste de {item}",
        "list of string": "liste de textes",
        "list of integer": "liste d’entiers",
    },
    "de": {
        "string": "Text",
        "integer": "Ganzzahl",
        "number": "Zahl",
        "boolean": "Wahrheitswert",
        "any": "beliebig",
        " or ": " oder ",
        "list of {item}": "Liste von {item}",
        "list of string": "Liste von Texten",
        "list of integer": "Liste von Ganzzahlen",
    },
    "es": {
        "string": "texto",
        "integer": "entero",
        "number": "número",
        "boolean": "booleano",
        "any": "libre",
        " or ": " o ",
        "list of {item}": "lista de {item}",
        "list of string": "lista de textos",
        "list of integer": "lista de enteros",
    },
    "it": {
        "string": "testo",
        "integer": "intero",
        "number": "numero",
        "boolean": "booleano",
        "any": "libero",
        " or ": " o ",
        "list of {item}": "elenco di {item}",
        "list of string": "elenco di testi",
        "list of integer": "elenco di interi",
    },
    "ar": {
        "string": "نص",
        "integer": "عدد صحيح",
        "number": "عدد",
        "boolean": "قيمة منطقية",
        "any": "حر",
        " or ": " أو ",
        "list of {item}": "قائمة {item}",
        "list of string": "قائمة نصوص",
        "list of integer": "قائمة أعداد صحيحة",
    },
}
_FRENCH_ELISION = re.compile(r"\bde (?=[aeiouyéèêAEIOUYÉÈÊ])")  # "liste de Exercise" → d’


def reference_table_path(lang: str) -> Path:
    return resources.find(f"site/reference.{lang}.yml", active_project())


def reference_table(lang: str) -> dict[str, str]:
    """The field reference's descriptions in ``lang`` (see :func:`_reference_table`)."""
    return _reference_table(lang, reference_table_path(lang))


@lru_cache(maxsize=8)
def _reference_table(lang: str, path: Path) -> dict[str, str]:
    """The descriptions of the field reference in ``lang``: ``Model`` or ``Model.field`` → text.

    English is the schema's own text (the models' docstrings and ``description=``); every other
    language reads ``templates/site/reference.<lang>.yml``.
    """
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(key): str(text) for key, text in (loaded or {}).items()}


def reference_keys(reference: list[dict[str, Any]]) -> list[str]:
    """The key of every description of the field reference: ``Model`` and ``Model.field``."""
    keys = []
    for model in reference:
        keys.append(model["name"])
        keys += [f"{model['name']}.{field['name']}" for field in model["fields"]]
    return keys


def field_reference_in(lang: str) -> list[dict[str, Any]]:
    """The field reference with its descriptions and types in ``lang``."""
    from generator.schema import field_reference

    if lang == SCHEMA_LANGUAGE:
        return field_reference()
    reference = field_reference(TYPE_WORDS.get(lang))
    table = reference_table(lang)
    missing = [key for key in reference_keys(reference) if not table.get(key, "").strip()]
    if missing:
        raise LookupError(
            f"{reference_table_path(lang)} has no description for {', '.join(missing)}: add them"
        )

    def kind(text: str) -> str:
        return _FRENCH_ELISION.sub("d’", text) if lang == "fr" else text

    return [
        {
            **model,
            "description": table[model["name"]],
            "fields": [
                {
                    **field,
                    "type": kind(field["type"]),
                    "description": table[f"{model['name']}.{field['name']}"],
                }
                for field in model["fields"]
            ],
        }
        for model in reference
    ]


def _cited_by(content: Content) -> dict[str, list[Exercise]]:
    cited: dict[str, list[Exercise]] = {source_id: [] for source_id in content.sources}
    for ref in content.exercises.values():
        for source_id in ref.exercise.sources:
            cited.setdefault(source_id, []).append(ref.exercise)
    return cited


def site_pages(content: Content, lang: str, *, with_pdfs: bool) -> list[Page]:
    """Every page of the ``lang`` site."""
    return PageBuilder(content, lang, with_pdfs=with_pdfs).all_pages()
