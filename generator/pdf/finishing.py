"""What `workbook pdf` does to a workbook once written: distinct form fields for an exercise
a set prints twice, and the imposition of a booklet (booklet.py)."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from generator.pdf.booklet import make_booklet
from generator.pdf.document import PrintOptions, distinct_field_names
from generator.pdf.files import rewrite
from generator.pdf.selection import DocumentPlan


def distinct_form_fields(path: Path) -> None:
    """Rename the form fields of an exercise printed again (see ``distinct_field_names``)."""

    def rename(pdf: pikepdf.Pdf) -> bool:
        form = pdf.Root.get("/AcroForm")
        fields = list(form.Fields) if form is not None else []
        names = [str(field.get("/T", "")) for field in fields]
        renamed = distinct_field_names(names)
        for field, old, new in zip(fields, names, renamed, strict=True):
            if new != old:
                field.T = pikepdf.String(new)
        return renamed != names

    rewrite(path, rename)


def finish(paths: list[Path], plan: DocumentPlan, options: PrintOptions) -> None:
    """Finish the workbooks of one `workbook pdf` run (the same plan, printed alike)."""
    repeated = len({item.exercise.id for item in plan.exercises}) < len(plan.exercises)
    for path in paths:
        if options.fillable and repeated:  # a set lists an exercise twice: own fields each time
            distinct_form_fields(path)
        if options.booklet:
            make_booklet(path)
