"""Where each page lives, and relative links between pages (the site works under any prefix).

Both languages share the same paths: ``exercises/<id>/`` is French at ``/exercises/<id>/`` and
English at ``/en/exercises/<id>/``, which is what makes the language switch land on the same page.
"""

from __future__ import annotations

from generator.templating import active_languages


def first_language() -> str:
    """The source language: its site sits at the output root."""
    return active_languages()[0]


def url_of(doc_path: str) -> str:
    """The URL of a Markdown page: ``banks/x.md`` → ``banks/x/``, ``index.md`` → ``""``."""
    stem = doc_path.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def to_root(doc_path: str) -> str:
    """The relative prefix from a page to its language's root: ``""`` or ``../`` repeated."""
    return "../" * url_of(doc_path).count("/")


def lang_prefix(lang: str) -> str:
    """Where a language's site sits inside the output folder: ``""`` (French) or ``en/``."""
    return "" if lang == first_language() else f"{lang}/"


def to_output_root(doc_path: str, lang: str) -> str:
    """The relative prefix from a page to the output folder (PDFs and the search bundle)."""
    return to_root(doc_path) + ("" if lang == first_language() else "../")


def bank_doc(bank_id: str) -> str:
    return f"banks/{bank_id}.md"


def exercise_doc(exercise_id: str) -> str:
    return f"exercises/{exercise_id}.md"


def set_doc(set_id: str) -> str:
    return f"sets/{set_id}.md"


class Linker:
    """Relative links from one page: ``link("banks/x.md")`` → ``../banks/x/``."""

    def __init__(self, doc_path: str, lang: str) -> None:
        self.doc_path = doc_path
        self.lang = lang
        self.root = to_root(doc_path) or "./"
        self.output_root = to_output_root(doc_path, lang) or "./"

    def page(self, doc_path: str) -> str:
        return (to_root(self.doc_path) + url_of(doc_path)) or "./"

    def asset(self, path: str) -> str:
        """A file in the language site (``assets/workbook/site.css``, ``data/…``)."""
        return to_root(self.doc_path) + path

    def output(self, path: str) -> str:
        """A file of the whole output folder (``pdf/fr/…``, ``pagefind/…``)."""
        return to_output_root(self.doc_path, self.lang) + path

    def in_language(self, lang: str) -> str:
        """This same page in the site of ``lang``."""
        return to_output_root(self.doc_path, self.lang) + lang_prefix(lang) + url_of(self.doc_path)
