"""A project in French, English, German and Arabic: sites, search, PDFs, errors, translations."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.new import create_project

LANGUAGES = ["fr", "en", "de", "ar"]
GERMAN = "Eine kurze Eröffnungsrunde über kleine Zeichen des Vertrauens in Beziehungen."
ARABIC = "جولة افتتاحية قصيرة عن علامات الثقة الصغيرة"
EXERCISE = "sign-of-trust-check-in"


def _add_languages(data: Any) -> Any:
    """Every fr/en text gets a German and an Arabic one."""
    if isinstance(data, dict):
        if set(data) == {"fr", "en"}:
            return {**data, "de": f"Deutsch: {data['en']}", "ar": f"بالعربية: {data['en']}"}
        return {key: _add_languages(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_add_languages(value) for value in data]
    return data


def four_languages(folder: Path) -> Path:
    """The starter project, in fr, en, de and ar, published at an address."""
    create_project(folder)
    for name in ("workbook.yml", "sources.yml", "banks/first-steps.yml", "sets/first-session.yml"):
        path = folder / name
        data = _add_languages(yaml.safe_load(path.read_text(encoding="utf-8")))
        if name == "workbook.yml":
            data["languages"] = LANGUAGES
            data["site"]["url"] = "https://example.org/workbook/"
        if name == "banks/first-steps.yml":
            summary = data["exercises"][0]["summary"]
            summary["de"], summary["ar"] = GERMAN, ARABIC
            core = {
                **copy.deepcopy(data["exercises"][0]),
                "id": "sign-of-trust-core",
                "moment": "core",
            }
            data["exercises"].append(core)
        path.write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=90), encoding="utf-8"
        )
    return folder


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("languages")
    project = four_languages(root / "project")
    out = root / "site"
    result = run(
        "build", "--content", str(project), "--out", str(out), "--cache", str(root / "cache")
    )
    assert result.exit_code == 0, result.output
    return project, out


def test_every_language_gets_its_site_and_its_pdfs(built: tuple[Path, Path]) -> None:
    _, out = built
    for lang, prefix in zip(LANGUAGES, ("", "en/", "de/", "ar/"), strict=True):
        page = (out / prefix / "exercises" / EXERCISE / "index.html").read_text("utf-8")
        assert f'<html lang="{lang}"' in page
        pdfs = sorted(path.name for path in (out / "pdf" / lang).glob("*.pdf"))
        assert "bank-first-steps-participant.pdf" in pdfs
    german = (out / "de" / "exercises" / EXERCISE / "index.html").read_text("utf-8")
    assert "Beziehungen" in german and "Ausgangstext" not in german


def test_arabic_pages_run_right_to_left(built: tuple[Path, Path]) -> None:
    _, out = built
    arabic = (out / "ar" / "exercises" / EXERCISE / "index.html").read_text("utf-8")
    french = (out / "exercises" / EXERCISE / "index.html").read_text("utf-8")
    assert '<body dir="rtl"' in arabic
    assert '<body dir="ltr"' in french
    assert ARABIC in arabic


def test_the_language_menu_lands_on_the_same_page_in_each_language(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    page = out / "de" / "exercises" / EXERCISE / "index.html"
    links = dict(re.findall(r'href="([^"]+)" hreflang="(\w+)" lang="\w+"', page.read_text("utf-8")))
    targets = {lang: href for href, lang in links.items()}
    assert sorted(targets) == sorted(LANGUAGES)
    for lang, href in targets.items():
        landed = (page.parent / href / "index.html").resolve()
        assert landed.is_file(), (lang, href)
        assert f'<html lang="{lang}"' in landed.read_text("utf-8")
        assert landed.parent.name == EXERCISE


def test_pages_name_their_alternates_with_the_site_address(built: tuple[Path, Path]) -> None:
    _, out = built
    page = (out / "ar" / "exercises" / EXERCISE / "index.html").read_text("utf-8")
    for lang, prefix in zip(LANGUAGES, ("", "en/", "de/", "ar/"), strict=True):
        expected = f"https://example.org/workbook/{prefix}exercises/{EXERCISE}/"
        assert f'<link rel="alternate" hreflang="{lang}" href="{expected}">' in page
    assert 'hreflang="x-default" href="https://example.org/workbook/exercises/' in page


def test_the_arabic_pdf_embeds_an_arabic_font_and_reads_in_logical_order(
    built: tuple[Path, Path],
) -> None:
    import pikepdf
    import pypdf

    _, out = built
    path = out / "pdf" / "ar" / "bank-first-steps-participant.pdf"
    with pikepdf.open(path) as pdf:
        fonts = {
            str(font.get("/BaseFont"))
            for page in pdf.pages
            for font in page.obj.Resources.get("/Font", {}).values()
        }
        assert pdf.Root.Lang == "ar"
    assert any(name.endswith("+Workbook-Sans") for name in fonts), fonts
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    assert ARABIC in text


def test_a_missing_language_is_an_error_naming_the_text_and_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    project = four_languages(tmp_path / "p")
    bank = project / "banks" / "first-steps.yml"
    text = bank.read_text(encoding="utf-8")
    arabic_summary = f"    ar: {ARABIC}\n"
    assert arabic_summary in text
    bank.write_text(text.replace(arabic_summary, ""), encoding="utf-8")
    rows = text.splitlines()
    where = rows.index(arabic_summary.rstrip("\n"))
    start = max(n for n in range(where) if rows[n].strip() == "summary:") + 2  # its first text
    result = run("check", "--content", str(project))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"p/banks/first-steps.yml:{start}:5: missing the Arabic text 'ar': every text needs "
        "fr, en, de and ar"
    )


def test_an_undeclared_language_is_a_located_error(tmp_path: Path) -> None:
    project = four_languages(tmp_path / "p")
    bank = project / "banks" / "first-steps.yml"
    bank.write_text(
        bank.read_text(encoding="utf-8").replace(
            f"    ar: {ARABIC}\n", f"    ar: {ARABIC}\n    it: Un breve giro d’apertura.\n"
        ),
        encoding="utf-8",
    )
    result = run("check", "--content", str(project))
    assert result.exit_code == 1
    assert (
        "'it' is not a language of this workbook (fr, en, de, ar): remove it, or add it to "
        "`languages` in workbook.yml" in result.output
    )


def test_a_language_without_interface_text_names_the_file_to_write(tmp_path: Path) -> None:
    project = tmp_path / "p"
    create_project(project)
    settings = project / "workbook.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("languages: [fr, en]", "languages: [fr, nl]"),
        encoding="utf-8",
    )
    result = run("check", "--content", str(project))
    assert result.exit_code == 1
    assert (
        "no interface text for 'nl': write overrides/strings/nl.yml in the project" in result.output
    )
    # written, the language is accepted for the interface (the texts still lack Dutch)
    strings = project / "overrides" / "strings" / "nl.yml"
    strings.parent.mkdir(parents=True)
    shutil.copy(Path(__file__).resolve().parents[1] / "templates" / "strings" / "en.yml", strings)
    assert "no interface text" not in run("check", "--content", str(project)).output


def test_the_schema_completes_the_declared_languages(tmp_path: Path) -> None:
    import json

    project = four_languages(tmp_path / "p")
    assert run("schema", "--content", str(project)).exit_code == 0
    schema = json.loads((project / "schema" / "bank.schema.json").read_text(encoding="utf-8"))
    text = schema["$defs"]["Localised"]
    assert text["required"] == LANGUAGES
    assert list(text["properties"]) == LANGUAGES
    assert text["additionalProperties"] is False


def test_pick_speaks_the_language_asked_for_and_writes_every_language(tmp_path: Path) -> None:
    project = four_languages(tmp_path / "p")
    out = project / "sets" / "picked.yml"
    result = run(
        "pick",
        "--content",
        str(project),
        "--minutes",
        "10",
        "--lang",
        "de",
        "--seed",
        "1",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "Titel" in result.output and "gesamt: 10 / 10 Minuten" in result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert list(data["title"]) == LANGUAGES
    assert run("check", "--content", str(project)).exit_code == 0


def test_one_changed_source_text_is_stale_in_every_other_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    project = four_languages(tmp_path / "p")
    assert run("translations", "--content", str(project), "--done", "all").exit_code == 0
    clean = run("translations", "--content", str(project))
    assert clean.exit_code == 0
    count = int(clean.output.splitlines()[1].split()[1])  # every text of the project
    assert count > 30
    assert clean.output.splitlines()[1:] == [
        f"{lang:<10}{count:>12}{0:>8}{0:>9}" for lang in LANGUAGES[1:]
    ]
    bank = project / "banks" / "first-steps.yml"
    lines = bank.read_text(encoding="utf-8").splitlines()
    number = next(n for n, row in enumerate(lines, 1) if row == "    fr: Un signe de confiance")
    lines[number - 1] = "    fr: Un petit signe de confiance"
    bank.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run("translations", "--content", str(project))
    shown = report.output.splitlines()
    assert shown[:3] == [
        f"p/banks/first-steps.yml:{number}:5: stale in '{lang}': exercises[{EXERCISE}].title"
        for lang in ("ar", "de", "en")
    ]
    assert shown[4:] == [f"{lang:<10}{count - 1:>12}{1:>8}{0:>9}" for lang in LANGUAGES[1:]]
    assert run("check", "--content", str(project)).exit_code == 0
    strict = run("check", "--content", str(project), "--strict-translations")
    assert strict.exit_code == 1
    out = tmp_path / "site"
    assert (
        run(
            "build", "--no-pdf", "--content", str(project), "--out", str(out), "--no-cache"
        ).exit_code
        == 0
    )
    german = (out / "de" / "exercises" / EXERCISE / "index.html").read_text("utf-8")
    assert "Der Ausgangstext dieser Übung hat sich nach dieser Übersetzung geändert." in german
    assert (
        'href="../../../exercises/sign-of-trust-check-in/" hreflang="fr">Die Ausgangsfassung'
        in german
    )
    french = (out / "exercises" / EXERCISE / "index.html").read_text("utf-8")
    assert "wb-stale" not in french
    assert "wb-stale" not in (out / "de" / "index.html").read_text("utf-8")
    # reviewed again: no longer stale
    assert (
        run("translations", "--content", str(project), "--done", f"{bank}:{number}").exit_code == 0
    )
    assert run("check", "--content", str(project), "--strict-translations").exit_code == 0


def test_each_language_numbers_its_pages_in_its_own_words(built: tuple[Path, Path]) -> None:
    """The footer's folio: ``page 2 / 5`` in French and English, ``Seite 2 / 5`` in German,
    digits alone in Arabic (stamps are not shaped: an Arabic word would be left out)."""
    import pypdf

    _, out = built
    expected = {"fr": "page 2 / {n}", "en": "page 2 / {n}", "de": "Seite 2 / {n}", "ar": "2 / {n}"}
    for lang, folio in expected.items():
        reader = pypdf.PdfReader(out / "pdf" / lang / "bank-first-steps-participant.pdf")
        last_line = reader.pages[1].extract_text().strip().splitlines()[-1]
        assert last_line.endswith(folio.format(n=len(reader.pages))), (lang, last_line)


def test_arabic_running_headers_are_stamped_shaped(built: tuple[Path, Path]) -> None:
    """The section and the edition, written right to left, are stamped in the header from the
    runs WeasyPrint shaped on the glyph sheet, as pagination artifacts, and the margins are
    mirrored: the section on the right, the edition on the left, the folio bottom left."""
    import subprocess

    import pikepdf

    _, out = built
    path = out / "pdf" / "ar" / "bank-first-steps-participant.pdf"
    with pikepdf.open(path) as pdf:
        page = pdf.pages[2]
        found = page.obj.Contents
        streams = list(found) if isinstance(found, pikepdf.Array) else [found]
        data = b"".join(stream.read_bytes() for stream in streams)
    assert data.count(b"/Artifact <</Type /Pagination /Subtype /Header>>") == 2

    def text(x: int, y: int) -> str:  # a half of the page's top or bottom band, in points
        return subprocess.run(
            [
                "pdftotext",
                "-f",
                "3",
                "-l",
                "3",
                "-r",
                "72",
                "-x",
                str(x),
                "-y",
                str(y),
                "-W",
                "297",
                "-H",
                "60",
                str(path),
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    top_left, top_right = text(0, 0), text(298, 0)
    assert "نسخة المشارك" in top_left and "بالعربية" not in top_left  # the edition
    assert "بالعربية" in top_right and "نسخة" not in top_right  # the section: the bank
    folio = re.compile(r"3 ?/ ?\d")  # pdftotext may drop the spaces
    assert folio.search(text(0, 782)) and not folio.search(text(298, 782))


def test_merged_fonts_draw_every_glyph_as_the_font_file_does(built: tuple[Path, Path]) -> None:
    """One font program per face (generator/pdf/fonts.py): every glyph the Arabic workbook
    draws has the outline of the same glyph in the shipped font file, composite Arabic letters
    (a base and its dots) included, though each part's subset numbers a composite's parts its
    own way; French accented letters too."""
    _, out = built
    shipped = Path(__file__).resolve().parents[1] / "templates" / "print" / "fonts"
    files = {
        "Workbook-Sans": "DejaVuSans.ttf",
        "Workbook-Sans-Bold": "DejaVuSans-Bold.ttf",
        "Workbook-Serif": "DejaVuSerif.ttf",
        "Workbook-Serif-Bold": "DejaVuSerif-Bold.ttf",
        "Workbook-Serif-Italic": "DejaVuSerif-Italic.ttf",
    }
    compared: dict[str, int] = {}
    for lang in ("ar", "fr"):
        _compare(out / "pdf" / lang / "bank-first-steps-facilitator.pdf", shipped, files, compared)
    assert compared["ar"] > 100 and compared["fr"] > 100, compared


def _compare(path: Path, shipped: Path, files: dict[str, str], compared: dict[str, int]) -> None:
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    from generator.pdf.fonts import widths

    lang = path.parent.name
    with pikepdf.open(path) as pdf:
        fonts = {font.objgen: font for page in pdf.pages for font in page.Resources.Font.values()}
        for font in fonts.values():
            face = str(font.BaseFont).split("+", 1)[1]
            if face not in files:
                continue
            cid = font.DescendantFonts[0]
            merged = TTFont(io.BytesIO(cid.FontDescriptor.FontFile2.read_bytes()))
            original = TTFont(shipped / files[face])
            for gid in widths(cid.get("/W")):
                ours = merged["glyf"][merged.getGlyphOrder()[gid]]
                theirs = original["glyf"][original.getGlyphOrder()[gid]]
                assert list(ours.getCoordinates(merged["glyf"])[0]) == list(
                    theirs.getCoordinates(original["glyf"])[0]
                ), (face, gid)
                compared[lang] = compared.get(lang, 0) + 1
