"""Links in the PDFs go to http(s) and mail addresses, or inside the workbook: a relative link
of a text becomes the address of the site page it names, or plain text; never a ``file:``."""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from generator.build import build
from generator.markup import render_inline, render_markdown
from generator.pdf import build_pdfs
from generator.pdf.links import PrintLinks, site_address
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content
from tests.pdf.conftest import page_texts, workbook_log
from tests.pdf.scan import scan, unsafe

PURPOSE = {
    "fr": (
        "Voir [la page voisine](../autre-page/), [l’autre fiche](autre.md), "
        "[le mot de passe](file:///etc/passwd), [un script](javascript:alert(1)), "
        "[le guide](https://example.net/guide) et [nous écrire](mailto:equipe@example.org)."
    ),
    "en": (
        "See [the next page](../other-page/), [the other sheet](other.md), "
        "[the password](file:///etc/passwd), [a script](javascript:alert(1)), "
        "[the guide](https://example.net/guide) and [write to us](mailto:team@example.org)."
    ),
}
INTRO = {
    "fr": "Toutes les [banques](../../) ; [ailleurs](../../../../ailleurs/).",
    "en": "Every [bank](../../); [elsewhere](../../../../elsewhere/).",
}
DEBRIEF = '<a href="file:///etc/passwd">brut</a> [local](file:///home/me/notes.txt)'


def linked_content(root: Path, site_url: str | None = None) -> Path:
    """One bank, one exercise whose texts hold every kind of link."""
    exercise = exercise_yaml("liens").replace(
        "    purpose: {fr: But., en: Purpose.}\n",
        f'    purpose:\n      fr: "{PURPOSE["fr"]}"\n      en: "{PURPOSE["en"]}"\n',
    )
    exercise = exercise.replace(
        "    debrief: {fr: Relisez., en: Reread.}\n",
        f"    debrief:\n      fr: '{DEBRIEF}'\n      en: '{DEBRIEF}'\n",
    )
    bank = bank_yaml("alpha", [exercise]).replace(
        "intro: {fr: Introduction., en: Introduction.}\n",
        f'intro:\n  fr: "{INTRO["fr"]}"\n  en: "{INTRO["en"]}"\n',
    )
    root = write_content(root, banks={"alpha": bank})
    if site_url is not None:
        workbook = root / "workbook.yml"
        workbook.write_text(
            workbook.read_text(encoding="utf-8") + f"site:\n  url: {site_url}\n", "utf-8"
        )
    return root


def _where(bank: Path, address: str, lang: str) -> str:
    """``file:line:col`` of ``address`` in the ``lang`` text that holds it (as written)."""
    lines = bank.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(f"{lang}:") and f"]({address})" in line:
            return f"{bank}:{number}:{line.index(f']({address})') + 3}"
    raise AssertionError(address)


def _uris(pdf: Path) -> list[str]:
    return sorted(set(scan(pdf)["uris"]))


def _warnings() -> AbstractContextManager[list[str]]:
    return workbook_log(logging.WARNING, logging.WARNING, lambda record: record.getMessage())


def test_without_the_site_address_relative_links_are_printed_as_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = linked_content(Path("content"))
    with _warnings() as warnings:
        written, _ = build_pdfs(load_content(root), tmp_path / "out", jobs=1)
    assert len(written) == 12  # the bank, the whole workbook, the exercise's handout; 2 x 2
    for relative in written:
        pdf = tmp_path / "out" / relative
        assert unsafe(pdf) == [], relative
        lang = relative.split("/")[1]
        assert _uris(pdf) == sorted(
            ["https://example.net/guide", f"mailto:{'equipe' if lang == 'fr' else 'team'}@"
             "example.org"]
        )  # fmt: skip
    bank = Path("content") / "banks" / "alpha.yml"
    needs = "a relative link needs the site's address: set `site: url:` in workbook.yml"
    expected = [
        f"{_where(bank, address, lang)}: the link to {address!r} is not printed, only its "
        f"words: {needs}"
        for lang, addresses in (
            ("fr", ["../autre-page/", "autre.md", "../../", "../../../../ailleurs/"]),
            ("en", ["../other-page/", "other.md", "../../", "../../../../elsewhere/"]),
        )
        for address in addresses
    ]
    assert sorted(warnings) == sorted(expected)  # once each, though printed in 4 PDFs
    printed = (tmp_path / "out" / "pdf/fr/bank-alpha-participant.pdf").read_bytes()
    text = " ".join(" ".join(page_texts(printed)).split())
    assert "Voir la page voisine, l’autre fiche, [le mot de passe](file:///etc/passwd)" in text


def test_with_the_site_address_relative_links_lead_to_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = linked_content(Path("content"), "https://example.org/alliance")
    out = tmp_path / "site"
    with _warnings() as warnings:
        report = build(root, out, cache_dir=tmp_path / "cache")
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == 12 and len(report.built) > 12
    for pdf in pdfs:  # every PDF of a real build: no file: link, no script
        assert unsafe(pdf) == [], pdf
    site = "https://example.org/alliance/"
    assert _uris(out / "pdf/fr/bank-alpha-participant.pdf") == sorted(
        [
            site,
            f"{site}exercises/autre-page/",
            f"{site}exercises/autre/",
            "https://example.net/guide",
            "mailto:equipe@example.org",
        ]
    )
    assert _uris(out / "pdf/en/workbook-facilitator.pdf") == sorted(
        [
            f"{site}en/",
            f"{site}en/exercises/other-page/",
            f"{site}en/exercises/other/",
            "https://example.net/guide",
            "mailto:team@example.org",
        ]
    )
    bank = Path("content") / "banks" / "alpha.yml"
    assert sorted(warnings) == sorted(
        f"{_where(bank, address, lang)}: the link to {address!r} is not printed, only its "
        "words: it leads outside the site"
        for lang, address in (("fr", "../../../../ailleurs/"), ("en", "../../../../elsewhere/"))
    )
    # the site keeps the links as written: relative ones work there
    page = (out / "exercises" / "liens" / "index.html").read_text(encoding="utf-8")
    assert 'href="../autre-page/"' in page and 'href="autre.md"' in page


def test_the_site_renders_relative_links_as_written() -> None:
    assert render_markdown(PURPOSE["fr"], "fr") == (
        '<p>Voir <a href="../autre-page/">la page voisine</a>, '
        '<a href="autre.md">l’autre fiche</a>, '
        "[le mot de passe](file:///etc/passwd), [un script](javascript:alert(1)), "
        '<a href="https://example.net/guide" rel="noopener noreferrer">le guide</a> et '
        '<a href="mailto:equipe@example.org" rel="noopener noreferrer">nous écrire</a>.</p>\n'
    )


def test_print_links_resolve_or_drop(tmp_path: Path) -> None:
    content = load_content(linked_content(tmp_path / "content", "https://example.org/a/"))
    links = PrintLinks(content, "fr", "exercises/liens.md")
    assert render_inline("[x](../y/) [z](https://z.example/)", "fr", links) == (
        '<a href="https://example.org/a/exercises/y/" rel="noopener noreferrer">x</a> '
        '<a href="https://z.example/" rel="noopener noreferrer">z</a>'
    )
    assert (
        render_inline("[x](../../../y/) et **gras**", "fr", links) == "x et <strong>gras</strong>"
    )
    english = PrintLinks(content, "en", "exercises/liens.md").at("about.md")
    assert render_inline("[a](#partie)", "en", english) == (
        '<a href="https://example.org/a/en/about/#partie" rel="noopener noreferrer">a</a>'
    )
    for doc, href, address in [
        ("exercises/x.md", "../banks/b.md#top", "https://s.example/w/banks/b/#top"),
        ("exercises/x.md", "../../banks/b/", "https://s.example/w/banks/b/"),
        ("exercises/x.md", "../../banks/b.md", None),
        ("exercises/x.md", "index.md", "https://s.example/w/exercises/"),
        ("index.md", "sets/s.md", "https://s.example/w/sets/s/"),
        ("index.md", "", "https://s.example/w/"),
        ("index.md", "/elsewhere/", None),
        ("index.md", "../", None),
    ]:
        assert site_address("https://s.example/w", "fr", doc, href) == address, href
