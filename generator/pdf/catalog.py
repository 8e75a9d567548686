"""Which PDF workbooks a build writes, and where: shared by the PDF stage and the site's links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.models import Bank, Content

Scope = Literal["bank", "set", "all", "exercise"]
EDITIONS: tuple[str, ...] = ("participant", "facilitator")
VOLUME_EXERCISES = 250
"""The most exercises a volume of the complete workbook holds (about 550 pages, what a
binder takes). Above it the build splits the complete workbook into volumes of whole banks,
which also keeps the memory a build needs flat however big the content grows."""


@dataclass(frozen=True)
class PdfTarget:
    """One workbook: a bank, a set, everything or one exercise (a handout), in one language
    and edition (A4)."""

    scope: Scope
    id: str
    lang: str
    edition: str

    @property
    def path(self) -> str:
        """Path inside the output folder, e.g. ``pdf/fr/bank-own-values-participant.pdf``."""
        return pdf_path(self.scope, self.id, self.lang, self.edition)


def pdf_path(scope: Scope, item_id: str, lang: str, edition: str) -> str:
    """``workbook-<edition>[-volume-N]`` for everything, else ``<scope>-<id>-<edition>`` (a
    handout: ``exercise-<id>-<edition>``)."""
    if scope == "all":
        name = f"workbook-{edition}" if item_id == "all" else f"workbook-{edition}-{item_id}"
    else:
        name = f"{scope}-{item_id}-{edition}"
    return f"pdf/{lang}/{name}.pdf"


def volumes(content: Content) -> list[list[Bank]]:
    """The complete workbook's volumes: whole banks in order, at most ``VOLUME_EXERCISES``
    exercises each (a bank bigger than that makes a volume by itself)."""
    groups: list[list[Bank]] = []
    count = 0
    for bank in content.banks:
        size = len(bank.exercises)
        if not groups or count + size > VOLUME_EXERCISES:
            groups.append([])
            count = 0
        groups[-1].append(bank)
        count += size
    return groups


def volume_id(number: int) -> str:
    return f"volume-{number}"


def pdf_targets(content: Content) -> list[PdfTarget]:
    """Every workbook `workbook build` writes: per bank, per set, one for everything (or one
    per volume, for content of more than ``VOLUME_EXERCISES`` exercises), and a handout per
    exercise."""
    scopes: list[tuple[Scope, str]] = [("bank", bank.id) for bank in content.banks]
    scopes += [("set", exercise_set.id) for exercise_set in content.sets]
    count = len(volumes(content))
    if count <= 1:
        scopes.append(("all", "all"))
    else:
        scopes += [("all", volume_id(number)) for number in range(1, count + 1)]
    scopes += [("exercise", exercise.id) for bank in content.banks for exercise in bank.exercises]
    return [
        PdfTarget(scope, item_id, lang, edition)
        for scope, item_id in scopes
        for lang in content.languages
        for edition in EDITIONS
    ]
