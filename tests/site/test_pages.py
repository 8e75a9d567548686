"""Pages in memory: paths, navigation, extra page templates, PDF links, escaping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.models import Component
from generator.pdf import catalog
from generator.site import config as site_config_module
from generator.site import pages as pages_module
from generator.site.catalogue import catalogue
from generator.site.config import navigation
from generator.site.engines.mkdocs import page_markdown
from generator.site.pages import site_pages
from generator.site.urls import Linker, url_of
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content


def _content(tmp_path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    return load_content(write_content(tmp_path / "content", **kwargs))  # type: ignore[arg-type]


def test_urls_are_relative_and_shared_by_both_languages() -> None:
    assert url_of("index.md") == ""
    assert url_of("banks/alpha.md") == "banks/alpha/"
    assert url_of("sets/index.md") == "sets/"
    link = Linker("exercises/first.md", "en")
    assert link.page("banks/alpha.md") == "../../banks/alpha/"
    assert link.page("index.md") == "../../"
    pdf = "pdf/en/bank-alpha-participant.pdf"
    assert link.output(pdf) == "../../../" + pdf
    assert Linker("index.md", "fr").page("explorer.md") == "explorer/"


def test_every_page_is_made_in_both_languages(tmp_path: Path) -> None:
    content = _content(tmp_path)
    fr = {page.doc for page in site_pages(content, "fr", with_pdfs=False)}
    en = {page.doc for page in site_pages(content, "en", with_pdfs=False)}
    assert fr == en
    assert {
        "index.md",
        "banks/alpha.md",
        "exercises/first.md",
        "exercises/second.md",
        "sets/index.md",
        "guides/index.md",
        "guides/practitioner.md",
        "guides/trainer.md",
        "guides/supervision.md",
        "reference.md",
        "bibliography.md",
        "about.md",
        "explorer.md",
    } <= fr


def test_navigation_lists_banks_but_no_exercise(tmp_path: Path) -> None:
    content = _content(tmp_path)
    pages = site_pages(content, "fr", with_pdfs=False)
    nav = navigation(content, "fr", pages)
    flat = repr(nav)
    assert "banks/alpha.md" in flat and "explorer.md" in flat
    assert "exercises/" not in flat
    assert nav[0][1] == "index.md"


def test_exercise_page_has_every_field_and_hidden_facilitator_notes(tmp_path: Path) -> None:
    content = _content(tmp_path)
    page = next(
        p for p in site_pages(content, "fr", with_pdfs=False) if p.doc == "exercises/first.md"
    )
    assert page.description == "Résumé de l’exercice."
    for text in (
        "But.",
        "Écrivez.",
        "Qu’avez-vous remarqué",
        "Relisez.",
        "Vous pouvez passer.",
        "En ligne.",
        "Bordin, E. S. (1979)",
        "10 min",
        "Seul",
        "Découverte",
        "Lien",
    ):
        assert text in page.body, text
    assert '<details class="wb-facilitator" data-pagefind-ignore>' in page.body
    assert "Notes." in page.body.split('<details class="wb-facilitator"')[1]


def test_pdf_buttons_only_with_pdfs(tmp_path: Path) -> None:
    content = _content(tmp_path)
    with_pdfs = {p.doc: p.body for p in site_pages(content, "en", with_pdfs=True)}
    without = {p.doc: p.body for p in site_pages(content, "en", with_pdfs=False)}
    bank = with_pdfs["banks/alpha.md"]
    assert 'href="../../../pdf/en/bank-alpha-participant.pdf" download' in bank
    exercise = with_pdfs["exercises/first.md"]
    # the exercise's own handouts, downloaded; the bank's workbook opened at the exercise
    assert 'href="../../../pdf/en/exercise-first-participant.pdf" download' in exercise
    assert 'href="../../../pdf/en/exercise-first-facilitator.pdf" download' in exercise
    opened = 'href="../../../pdf/en/bank-alpha-facilitator.pdf#nameddest=exercise-first">'
    assert opened in exercise
    assert all(".pdf" not in body for body in without.values())


def test_trainer_guide_offers_the_complete_workbook_or_its_volumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    banks = {
        "alpha": bank_yaml("alpha", [exercise_yaml("first"), exercise_yaml("second")]),
        "beta": bank_yaml("beta", [exercise_yaml("third")]).replace(
            "{fr: Banque, en: Bank}", "{fr: Autre banque, en: Other bank}"
        ),
    }
    content = _content(tmp_path, banks=banks)

    def guide() -> str:
        pages = {p.doc: p.body for p in site_pages(content, "en", with_pdfs=True)}
        return pages["guides/trainer.md"]

    whole = guide()
    assert "The complete workbook" in whole
    assert 'href="../../../pdf/en/workbook-participant.pdf"' in whole
    assert 'href="../../../pdf/en/workbook-facilitator.pdf"' in whole
    assert "volume" not in whole
    monkeypatch.setattr(catalog, "VOLUME_EXERCISES", 2)
    split = guide()
    assert 'href="../../../pdf/en/workbook-participant.pdf"' not in split
    assert 'href="../../../pdf/en/workbook-participant-volume-1.pdf"' in split
    assert 'href="../../../pdf/en/workbook-facilitator-volume-2.pdf"' in split
    assert "Volume 1 of 2: “Bank”" in split
    assert "Volume 2 of 2: “Other bank”" in split
    monkeypatch.setattr(catalog, "VOLUME_EXERCISES", 1)  # alpha (2) alone; beta alone
    assert "Volume 2 of 2: “Other bank”" in guide()
    fr = {p.doc: p.body for p in site_pages(content, "fr", with_pdfs=False)}
    assert "pdf" not in fr["guides/trainer.md"]


def test_sets_page_handles_zero_sets_and_lists_a_set(tmp_path: Path) -> None:
    content = _content(tmp_path / "a")
    sets_page = next(
        p for p in site_pages(content, "fr", with_pdfs=False) if p.doc == "sets/index.md"
    )
    assert "Aucun parcours" in sets_page.body
    set_yaml = (
        "id: evening\ntitle: {fr: Soirée, en: Evening}\naudience: {fr: Groupe, en: Group}\n"
        "minutes: 30\nexercises:\n  - id: first\n  - break: 5\n  - id: second\n"
    )
    content = _content(tmp_path / "b", sets={"evening": set_yaml})
    pages = {p.doc: p for p in site_pages(content, "en", with_pdfs=True)}
    body = pages["sets/evening.md"].body
    assert "Break of 5 min" in body and "../../exercises/first/" in body
    assert "../../pdf/en/set-evening-participant.pdf" in body


def test_script_in_a_title_is_escaped_everywhere(tmp_path: Path) -> None:
    bank = bank_yaml(
        "alpha",
        [exercise_yaml("evil", title_fr="<script>alert(1)</script> & co", title_en="<b>bold</b>")],
    )
    content = _content(tmp_path, banks={"alpha": bank})
    page = next(
        p for p in site_pages(content, "fr", with_pdfs=False) if p.doc == "exercises/evil.md"
    )
    assert "<script>" not in page.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page.body
    # the page model holds the plain title; the mkdocs adapter escapes it once, Zensical not
    assert page.title == "<script>alert(1)</script> & co"
    escaped = page_markdown(page.title, page.description, page.body, escaped=True)
    assert "title: '&lt;script&gt;alert(1)&lt;/script&gt; &amp; co'" in escaped
    assert "&amp;amp;" not in escaped
    plain = page_markdown(page.title, page.description, page.body, escaped=False)
    assert "title: <script>alert(1)</script> & co" in plain
    assert catalogue(content, "fr")["exercises"][0]["title"] == "<script>alert(1)</script> & co"


def test_a_template_dropped_into_pages_becomes_a_page_in_both_languages(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "content" / "overrides" / "site" / "pages"
    folder.mkdir(parents=True)
    (folder / "composer.md.j2").write_text(
        '{# title: site.nav_composer #}\n<div class="composer" data-catalogue='
        '"{{ catalogue_url }}" data-module="{{ explorer_module }}">{{ lang }} '
        "{{ content.banks | length }} {{ t('site.nav_composer') }}</div>\n",
        encoding="utf-8",
    )
    content = _content(tmp_path)
    pages = {p.doc: p for p in site_pages(content, "en", with_pdfs=False)}
    composer = pages["composer.md"]
    assert composer.title == "Compose a session"
    assert 'data-catalogue="../data/exercises.json"' in composer.body
    assert 'data-module="../assets/workbook/explorer.js"' in composer.body
    assert "en 1 Compose a session" in composer.body
    assert "explorer.md" in pages  # the tool's other pages stay
    nav = navigation(content, "en", list(pages.values()))
    assert ("Compose a session", "composer.md") in nav
    assert site_config_module.page_templates is pages_module.page_templates  # type: ignore[attr-defined]
    guide = pages["guides/supervision.md"].body
    assert 'href="../../composer/"' in guide


def test_catalogue_shape(tmp_path: Path) -> None:
    content = _content(tmp_path)
    data = catalogue(content, "en")
    assert data["version"] == 1 and data["lang"] == "en"
    assert data["banks"] == [{"id": "alpha", "title": "Bank", "url": "banks/alpha/"}]
    assert data["exercises"][0] == {
        "id": "first",
        "title": "Title",
        "summary": "Summary of the exercise.",
        "bank": "alpha",
        "minutes": 10,
        "format": "solo",
        "level": "discovery",
        "components": ["bond"],
        "moment": "core",
        "practice_days": None,
        "url": "exercises/first/",
    }
    assert data["labels"]["format"]["pair"] == "In pairs"


def test_french_reference_table_has_exactly_the_schema_keys() -> None:
    """A new field needs its French description; a removed one must leave the table."""
    from generator.schema import field_reference

    schema_keys = set(pages_module.reference_keys(field_reference()))
    table = pages_module.reference_table("fr")
    missing = sorted(key for key in schema_keys if not table.get(key, "").strip())
    stale = sorted(set(table) - schema_keys)
    assert not missing and not stale, (
        "templates/site/reference.fr.yml: "
        f"add the French description of {', '.join(missing) or 'nothing'}; "
        f"remove the keys the schema lacks: {', '.join(stale) or 'none'}"
    )


def test_reference_page_speaks_the_page_language(tmp_path: Path) -> None:
    from generator.schema import field_reference

    content = _content(tmp_path)
    fr = next(p for p in site_pages(content, "fr", with_pdfs=False) if p.doc == "reference.md")
    en = next(p for p in site_pages(content, "en", with_pdfs=False) if p.doc == "reference.md")
    minutes_fr = "Durée totale en minutes (de 1 à 480)\u202f; les <code>minutes</code> des étapes"
    minutes_en = "Total duration in minutes (1 to 480); the steps' <code>minutes</code> add up"
    assert minutes_fr in fr.body and minutes_en not in fr.body
    assert minutes_en in en.body and minutes_fr not in en.body
    english = {model["name"]: model for model in field_reference()}
    assert english["Exercise"]["description"] not in fr.body
    assert "<td>liste d’Exercise</td>" in fr.body and "<td>entier</td>" in fr.body
    assert "<td>list of Exercise</td>" in en.body and "<td>integer</td>" in en.body
    assert "list of" not in fr.body and "<td>string</td>" not in fr.body
    assert "descriptions des champs restent en anglais" not in fr.body


def test_reference_page_names_a_missing_french_description(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = dict(pages_module.reference_table("fr"))
    del table["Exercise.steps"]
    monkeypatch.setattr(pages_module, "reference_table", lambda lang: table)
    with pytest.raises(
        LookupError,
        match=r"reference\.fr\.yml has no description for "
        r"Exercise\.steps: add them",
    ):
        pages_module.field_reference_in("fr")


# ---- issue #22: counts, the supervision guide's example, the handout's data, search ----------


def test_counts_take_the_plural_form_of_each_language(tmp_path: Path) -> None:
    from generator.plural import category, forms, plural

    assert [category(n, "fr") for n in (0, 1, 2, 1_000_000)] == ["one", "one", "other", "many"]
    assert [category(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [category(n, "ar") for n in (0, 1, 2, 3, 11, 100)] == [
        "zero",
        "one",
        "two",
        "few",
        "many",
        "other",
    ]
    assert plural("site.exercises_count", 1, "fr") == "1 exercice"
    assert plural("site.exercises_count", 0, "fr") == "0 exercice"
    assert plural("site.exercises_count", 2, "fr") == "2 exercices"
    assert plural("site.exercises_count", 0, "en") == "0 exercises"
    assert plural("site.explorer_shown", 1, "en", total=9) == "1 exercise shown out of 9"
    assert plural("site.exercises_count", 2, "ar") == "عدد التمارين: 2"  # "two": the other form
    assert set(forms("site.search_count", "de")) == {"one", "other"}
    content = _content(tmp_path)
    for lang, heading in (("fr", "2 exercices"), ("en", "2 exercises")):
        pages = {p.doc: p.body for p in site_pages(content, lang, with_pdfs=False)}
        assert f"<h2 data-pagefind-ignore>{heading}</h2>" in pages["banks/alpha.md"]
        assert "(s)" not in pages["banks/alpha.md"] + pages["index.md"]


@pytest.mark.parametrize("minutes", [60, 90, 120])
def test_the_supervision_example_is_what_pick_chooses_and_fits(
    minutes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guide's example session comes from the picker of `workbook pick`: never over its
    budget, at least 85 % of it, a check-in first and a closing last; the page says so."""
    import re

    from generator.models import Format
    from generator.sets.model import Request
    from generator.sets.model import catalogue as candidates
    from generator.sets.pick import FILL_RATIO, pick

    content = load_content(Path(__file__).resolve().parents[2] / "workbook")
    example = pages_module.session_example(content, "en", minutes)
    assert example is not None
    plan = pick(
        candidates(content),
        Request(minutes=minutes, format=Format.group, components=(Component.rupture,)),
    )
    chosen = [entry["exercise"] for entry in example["entries"]]
    assert [exercise.id for exercise in chosen] == plan.ids
    assert example["total"] == sum(exercise.minutes for exercise in chosen) == plan.total
    assert FILL_RATIO * minutes <= example["total"] <= minutes
    assert chosen[0].moment.value == "check-in" and chosen[-1].moment.value == "closing"
    assert example["command"] == (
        f"workbook pick --minutes {minutes} --format group --component rupture"
    )
    monkeypatch.setattr(pages_module, "EXAMPLE_MINUTES", minutes)
    guide = next(
        p for p in site_pages(content, "fr", with_pdfs=False) if p.doc == "guides/supervision.md"
    )
    listed = guide.body.split('<ol class="wb-plan wb-example">')[1].split("</ol>")[0]
    shown = [int(n) for n in re.findall(r"\((\d+) min\)", listed)]
    assert sum(shown) == example["total"] <= minutes
    assert f"Exemple : une séance de {minutes} minutes" in guide.body
    assert f"{example['total']} min sur {minutes}" in guide.body
    assert listed.count("/exercises/") == len(chosen)


def test_a_workbook_without_group_exercises_has_no_example(tmp_path: Path) -> None:
    content = _content(tmp_path)  # two solo exercises
    assert pages_module.session_example(content, "en") is None
    guide = next(
        p for p in site_pages(content, "en", with_pdfs=False) if p.doc == "guides/supervision.md"
    )
    assert "hold no group exercise yet" in guide.body


def test_the_handout_reads_each_exercise_from_its_data_file(tmp_path: Path) -> None:
    from generator.site.catalogue import run_files

    content = _content(tmp_path)
    data = json.loads(run_files(content, "fr")["data/run/exercises/first.json"])["exercise"]
    assert data["prompts"] == [
        {"html": "Qu’avez-vous remarqué\u202f?", "lines": 4, "space": "lines"}
    ]
    assert data["summary"] == "Résumé de l’exercice."
    assert data["steps"] == [{"minutes": 10, "html": "<p>Écrivez.</p>\n"}]
    assert data["facilitator_notes"] == "<p>Notes.</p>\n"


def test_interface_text_of_an_exercise_page_is_left_out_of_the_search(tmp_path: Path) -> None:
    content = _content(tmp_path)
    page = next(
        p for p in site_pages(content, "fr", with_pdfs=False) if p.doc == "exercises/first.md"
    )
    assert (
        '<p class="wb-prompt__space" data-pagefind-ignore>Espace de réponse : 4 lignes</p>'
        in page.body
    )
    assert '<span class="wb-step__minutes" data-pagefind-ignore>10 min</span>' in page.body
    assert "<h2>" not in page.body  # every section heading is interface text
    assert '<ul class="wb-badges" data-pagefind-ignore>' in page.body
    assert "<p>Écrivez.</p>" in page.body  # the exercise's own text stays searchable


def test_a_source_title_is_marked_with_its_language_on_pages_in_another(tmp_path: Path) -> None:
    """A title marked `lang: en` (one word the guess cannot place) and one guessed from its
    words (Bordin) carry lang="en" in French pages; English pages leave both unmarked."""
    root = write_content(tmp_path / "content")
    sources = root / "sources.yml"
    sources.write_text(
        sources.read_text(encoding="utf-8")
        + '  - id: satir-1972\n    authors: ["Satir, V."]\n    year: 1972\n'
        + "    title: Peoplemaking\n    container: Science and Behavior Books\n    lang: en\n",
        encoding="utf-8",
    )
    bank = (root / "banks" / "alpha.yml").read_text(encoding="utf-8")
    bank = bank.replace("sources: [bordin-1979]", "sources: [bordin-1979, satir-1972]", 1)
    (root / "banks" / "alpha.yml").write_text(bank, encoding="utf-8")
    content = load_content(root)
    for lang, mark in (("fr", ' lang="en"'), ("en", "")):
        pages = {page.doc: page.body for page in site_pages(content, lang, with_pdfs=False)}
        bibliography = pages["bibliography.md"]
        assert f"<cite{mark}>Peoplemaking</cite>" in bibliography
        assert f"<cite{mark}>The generalizability of the psychoanalytic" in bibliography
        assert f"<cite{mark}>Peoplemaking</cite>" in pages["exercises/first.md"]
