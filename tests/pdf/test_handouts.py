"""One-exercise handouts, the print fixes of issue #21 (a debrief headed for its format, a
set's time budget said right, other languages marked) and the named destinations the site's
links open a workbook at."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pikepdf
import pytest

import generator.pdf
from generator.languages import detect_language, source_languages, text_language
from generator.markup import typography
from generator.models import Content, Format, Source
from generator.pdf import build_pdfs, print_pdf, warn_long_handouts
from generator.pdf.catalog import pdf_targets
from generator.pdf.document import PrintOptions, part_html, set_budget
from generator.pdf.selection import bank_plan, exercise_plan, set_plan
from generator.site import site_model_of
from generator.validate import load_content
from tests.pdf.conftest import LONG_FR, TITLES, outline, page_texts, small_content


def test_the_catalog_lists_a_handout_per_exercise_language_and_edition(small: Content) -> None:
    paths = {target.path for target in pdf_targets(small) if target.scope == "exercise"}
    assert paths == {
        f"pdf/{lang}/exercise-{exercise}-{edition}.pdf"
        for exercise in ("ecoute", "oeuvre", "deja")
        for lang in ("fr", "en")
        for edition in ("participant", "facilitator")
    }


def test_handouts_reuse_the_parts_of_the_workbooks(
    small: Content, tmp_path: Path, typeset: list[tuple[str, str]]
) -> None:
    written, _ = build_pdfs(small, tmp_path, jobs=1)
    assert "pdf/fr/exercise-deja-participant.pdf" in written
    # each exercise typeset once per language and edition, for its workbooks and handout
    exercises = [anchor for kind, anchor in typeset if kind == "exercise"]
    assert sorted(exercises) == sorted(
        f"exercise-{name}" for name in ("ecoute", "oeuvre", "deja") for _ in range(4)
    )
    data = (tmp_path / "pdf/fr/exercise-deja-participant.pdf").read_bytes()
    texts = page_texts(data)
    assert len(texts) == 1  # no cover, no contents, no bibliography: the exercise
    lines = texts[0].splitlines()
    assert lines[0] == "Cahier ÉDITION PARTICIPANT"  # the cover line: the workbook's title
    assert lines[1] == "DEUXIÈME BANQUE"  # the exercise's bank
    assert lines[2] == TITLES["deja"][0]
    assert lines[-1] == "page 1 / 1"
    assert outline(data) == [(1, typography(TITLES["deja"][0], "fr"), 1)]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo.Title) == typography(TITLES["deja"][0], "fr")
        assert pdf.Root.Lang == "fr"


def test_a_build_warns_when_a_short_exercise_takes_two_pages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_content(tmp_path / "content")
    bank = root / "banks" / "beta.yml"
    long_purpose = 'purpose: {fr: "' + LONG_FR * 14 + '", en: Purpose.}'
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("purpose: {fr: But., en: Purpose.}", long_purpose, 1), "utf-8")
    content = load_content(root)
    assert [e.short for b in content.banks for e in b.exercises] == [True, True, True]
    with caplog.at_level(logging.WARNING, logger="workbook"):
        build_pdfs(content, tmp_path / "out", jobs=1)
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        "banks/beta.yml: exercise 'deja' is short (10 min, 1 prompt) but its fr handout "
        "takes 2 pages: tighten its texts to fit one page"
    ]
    # the English handout, with its one-word purpose, fits
    assert warn_long_handouts(content, tmp_path / "out") == [caplog.records[-1].getMessage()]
    # past a few, the others are counted in one line
    monkeypatch.setattr(generator.pdf, "SHOWN_WARNINGS", 0)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="workbook"):
        assert len(warn_long_handouts(content, tmp_path / "out")) == 1
    assert [r.getMessage() for r in caplog.records] == [
        "… and 1 more short exercises whose handout takes more than one page"
    ]


def test_a_bank_workbook_opens_at_an_exercise_by_its_named_destination(small: Content) -> None:
    """The site's link to a bank's workbook from an exercise page ends in
    ``#nameddest=exercise-<id>``: the merged workbook has that destination, on the page the
    exercise starts on."""
    data = print_pdf(small, bank_plan(small, "alpha"), PrintOptions(lang="en"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        for exercise, title in (("ecoute", TITLES["ecoute"][1]), ("oeuvre", TITLES["oeuvre"][1])):
            target = names[f"exercise-{exercise}"]
            marks = {mark_title: page for _, mark_title, page in outline(data)}
            assert pages[target[0].objgen] == marks[title]  # type: ignore[index]


def test_the_site_prints_exercise_pages_with_its_print_stylesheet(small: Content) -> None:
    model = site_model_of(small, "fr", Path("theme"), with_pdfs=True)
    assert "assets/workbook/print.css" in model.css


def test_a_solo_debrief_is_not_headed_as_a_group_one(small: Content) -> None:
    item = exercise_plan(small, "deja").exercises[0]
    assert item.exercise.format.value == "solo"
    for lang, solo, group in (
        ("fr", "Relecture et clôture", "Retour en groupe"),
        ("en", "Looking back and closing", "Debrief and closing"),
    ):
        html = part_html(small, PrintOptions(lang=lang), "exercise", "t", item=item)
        assert solo in html and group not in html
    grouped = item.exercise.model_copy(update={"format": Format.group})
    html = part_html(
        small,
        PrintOptions(lang="fr"),
        "exercise",
        "t",
        item=type(item)(item.number, grouped, item.bank),
    )
    assert "Retour en groupe et clôture" in html


def test_a_set_says_its_time_budget_right(small: Content) -> None:
    plan = set_plan(small, small.sets[0])  # 60 min: 10 + a 5-minute break + 10
    assert (
        set_budget(plan, "fr") == "60 min, dont 20 min d’exercices, 5 min de pause, 35 min de marge"
    )
    assert (
        set_budget(plan, "en")
        == "60 min, of which 20 min of exercises, 5 min of breaks, 35 min spare"
    )
    texts = page_texts(print_pdf(small, plan, PrintOptions(lang="fr")))
    assert "Durée prévue 60 min, dont 20 min d’exercices" in " ".join(texts[2].split())


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The generalizability of the psychoanalytic concept of the working alliance", "en"),
        ("Goal consensus and collaboration", "en"),
        ("L’alliance thérapeutique : la création et la progression du lien", "fr"),
        ("Die Entwicklung der Person", "de"),
        ("El desarrollo de la persona", "es"),
        ("Lo sviluppo della persona", "it"),
        ("التحالف العلاجي", "ar"),
        ("Peoplemaking", None),
        ("Psychotherapy, 55(4), 303–315", None),
    ],
)
def test_a_texts_language_is_told_by_its_small_words(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang
    assert text_language(text, "fr") == (None if lang == "fr" else lang)


def test_an_english_title_in_a_french_workbook_is_marked_english(small: Content) -> None:
    data = print_pdf(small, bank_plan(small, "alpha"), PrintOptions(lang="fr"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        marked = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/Type") == "/StructElem" and "/Lang" in node:
                    marked.append((str(node.S), str(node.Lang)))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])  # type: ignore[list-item]
    assert ("/Span", "en") in marked  # Bordin (1979), the source the exercises cite


def test_a_sources_own_language_wins_over_the_guess() -> None:
    fields = {
        "id": "satir-1972",
        "authors": ["Satir, V."],
        "year": 1972,
        "title": "Peoplemaking",  # too little to guess from
        "container": "Science and Behavior Books",
    }
    assert source_languages(Source(**fields), "fr") == (None, "en")
    assert source_languages(Source(**fields, lang="en"), "fr") == ("en", "en")
    assert source_languages(Source(**fields, lang="en"), "en") == (None, None)


def test_a_handout_is_stamped_with_its_parts_own_fonts_where_they_suffice(
    small: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the part's subset of a face holds every character of a header or footer, the stamp
    uses it: the handout then holds fewer programs of a face, which the merge into one
    program per face (fontTools, the slow step of a handout) no longer has to join."""
    import generator.pdf.assemble as assemble
    from generator.pdf.fonts import resource_fonts, subset_once

    seen: list[list[str]] = []

    def counted(pdf: pikepdf.Pdf) -> None:
        fonts = {f.objgen: f for table in resource_fonts(pdf) for f in table.values()}
        seen.append(sorted(str(f.BaseFont).split("+")[-1] for f in fonts.values()))
        subset_once(pdf)

    monkeypatch.setattr(assemble, "subset_once", counted)
    print_pdf(small, exercise_plan(small, "deja"), PrintOptions(lang="fr"))
    faces = seen[0]
    # the bold face of the edition ("ÉDITION PARTICIPANT") comes from the part, not the sheet
    assert faces.count("Workbook-Sans-Bold") == 1, faces
