"""Which PDF workbooks a build writes, and where: shared by the PDF stage and the site's links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.models import LANGUAGES, Content

Scope = Literal["bank", "set", "all"]
EDITIONS: tuple[str, ...] = ("participant", "facilitator")


@dataclass(frozen=True)
class PdfTarget:
    """One workbook: a bank, a set or everything, in one language and edition (A4)."""

    scope: Scope
    id: str
    lang: str
    edition: str

    @property
    def path(self) -> str:
        """Path inside the output folder, e.g. ``pdf/fr/bank-own-values-participant.pdf``."""
        return pdf_path(self.scope, self.id, self.lang, self.edition)


def pdf_path(scope: Scope, item_id: str, lang: str, edition: str) -> str:
    name = f"workbook-{edition}" if scope == "all" else f"{scope}-{item_id}-{edition}"
    return f"pdf/{lang}/{name}.pdf"


def pdf_targets(content: Content) -> list[PdfTarget]:
    """Every workbook `workbook build` writes: per bank, per set, and one for everything."""
    scopes: list[tuple[Scope, str]] = [("bank", bank.id) for bank in content.banks]
    scopes += [("set", exercise_set.id) for exercise_set in content.sets]
    scopes.append(("all", "all"))
    return [
        PdfTarget(scope, item_id, lang, edition)
        for scope, item_id in scopes
        for lang in LANGUAGES
        for edition in EDITIONS
    ]
