"""Saving PDFs the same way everywhere: reproducible (a deterministic /ID), compact (object
streams, compressed streams), and, for a finished workbook, rewritten atomically."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pikepdf

from generator.output import write_bytes_atomic


def save(pdf: pikepdf.Pdf, target: Path | BinaryIO, *, min_version: str = "1.7") -> None:
    """Write ``pdf`` to ``target``: the same input gives the same bytes."""
    pdf.save(
        target,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
        min_version=min_version,
    )


def rewrite(path: Path, change: Callable[[pikepdf.Pdf], pikepdf.Pdf | bool]) -> None:
    """Apply ``change`` to the PDF at ``path`` and replace it atomically. ``change`` returns
    the PDF to write (itself or a new one), or False when there is nothing to change."""
    with pikepdf.open(path) as pdf:
        result = change(pdf)
        if result is False:
            return
        data = io.BytesIO()
        save(pdf if result is True else result, data)
    write_bytes_atomic(path, data.getvalue())
