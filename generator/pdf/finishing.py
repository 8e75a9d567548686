"""What `workbook pdf` does to a workbook once written: distinct form fields for an exercise
a set prints twice, and the imposition of a booklet (booklet.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from generator.output import write_bytes_atomic
from generator.pdf.booklet import make_booklet
from generator.pdf.document import PrintOptions, distinct_field_names
from generator.pdf.selection import DocumentPlan


def distinct_form_fields(path: Path) -> None:
    """Rename the form fields of an exercise printed again (see ``distinct_field_names``)."""
    with pikepdf.open(path) as pdf:
        form = pdf.Root.get("/AcroForm")
        fields = list(form.Fields) if form is not None else []
        names = [str(field.get("/T", "")) for field in fields]
        renamed = distinct_field_names(names)
        if renamed == names:
            return
        for field, old, new in zip(fields, names, renamed, strict=True):
            if new != old:
                field.T = pikepdf.String(new)
        data = io.BytesIO()
        pdf.save(
            data,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            min_version="1.7",
        )
    write_bytes_atomic(path, data.getvalue())


def finish(paths: list[Path], plan: DocumentPlan, options: PrintOptions) -> None:
    """Finish the workbooks of one `workbook pdf` run (the same plan, printed alike)."""
    repeated = len({item.exercise.id for item in plan.exercises}) < len(plan.exercises)
    for path in paths:
        if options.fillable and repeated:  # a set lists an exercise twice: own fields each time
            distinct_form_fields(path)
        if options.booklet:
            make_booklet(path)
