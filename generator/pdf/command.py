"""`workbook pdf`: print one workbook (a bank, a set, everything or one exercise), or one per
participant."""

from __future__ import annotations

import difflib
import logging
import os
import re
import time
import unicodedata
from pathlib import Path

import click

from generator.errors import ContentError, ContentErrors, ToolError, display_path
from generator.log import printable
from generator.models import Content
from generator.options import CONTENT_OPTION, JOBS_OPTION, verbosity
from generator.pdf.document import PrintOptions
from generator.pdf.selection import (
    DocumentPlan,
    all_plan,
    bank_plan,
    exercise_plan,
    load_set_file,
    set_plan,
)

logger = logging.getLogger("workbook")


def slugify(name: str) -> str:
    """``Élodie N'Diaye`` → ``elodie-n-diaye``: a file name any system accepts."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")


def participant_files(names: list[str]) -> list[tuple[str, str]]:
    """Each name with a distinct file name (``.pdf``) slugified from it."""
    seen: set[str] = set()
    result = []
    for index, name in enumerate(names, start=1):
        base = slugify(name) or f"participant-{index}"
        slug, counter = base, 2
        while slug in seen:
            slug, counter = f"{base}-{counter}", counter + 1
        seen.add(slug)
        result.append((name, f"{slug}.pdf"))
    return result


MAX_NAME = 120
"""Characters in a participant's name (it must fit the cover and the footer)."""
MAX_NAMES = 500
"""Names in one names file: one PDF each."""
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Marks, embeddings, overrides and isolates: the cover (typeset with the bidirectional
algorithm) and the footer (stamped in the order written) would show them differently."""


def clean_name(name: str) -> str | None:
    """A line of a names file as a name: spaces collapsed, bidi controls removed, isolated
    (FSI … PDI) so that a right-to-left name cannot reorder the text around it. None when
    nothing visible is left; ValueError for a control character or a name too long."""
    name = " ".join(BIDI_CONTROLS.sub("", name).split())
    if not name:
        return None
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ValueError(f"this name holds a control character ({printable(name)}): remove it")
    if all(unicodedata.category(char) in ("Cf", "Zs", "Mn", "Me") for char in name):
        raise ValueError(
            f"this name has no visible character ({printable(name)}): write the name or "
            "delete the line"
        )
    if len(name) > MAX_NAME:
        raise ValueError(
            f"this name is longer than {MAX_NAME} characters (got {len(name):,}): shorten it"
        )
    return f"\u2068{name}\u2069"


def read_names(path: Path) -> list[str]:
    """The names of a names file: one a line, split on line feeds only (a vertical tab, a form
    feed or U+2028 inside a line is a space); empty lines skipped; each name checked."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as problem:
        raise ContentErrors(
            [ContentError(shown, 1, 1, f"cannot read the names file: {problem}")]
        ) from problem
    names, errors = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        try:
            name = clean_name(line.removesuffix("\r"))
        except ValueError as problem:
            errors.append(ContentError(shown, number, 1, str(problem)))
            continue
        if name is not None:
            names.append(name)
    if errors:
        raise ContentErrors(errors)
    if not names:
        raise ContentErrors([ContentError(shown, 1, 1, "no name in this file: one name a line")])
    if len(names) > MAX_NAMES:
        raise ContentErrors(
            [
                ContentError(
                    shown,
                    1,
                    1,
                    f"more than {MAX_NAMES} names (got {len(names):,}): split the file",
                )
            ]
        )
    return names


def check_targets(paths: list[Path]) -> None:
    """Refuse, before any typesetting, a PDF path that is a folder or lies under a file:
    `workbook pdf` writes files, and never replaces a folder."""
    for path in paths:
        if path.is_dir():
            raise ToolError(f"{display_path(path)} is a folder: choose a file name for the PDF")
        for parent in path.parents:
            if os.path.lexists(parent):
                if not parent.is_dir():
                    raise ToolError(
                        f"cannot write {display_path(path)}: {display_path(parent)} is a file"
                    )
                break


def choose_plan(
    content: Content,
    bank_id: str | None,
    set_file: Path | None,
    everything: bool,
    exercise_id: str | None = None,
) -> DocumentPlan:
    if exercise_id is not None:
        if exercise_id not in content.exercises:
            close = difflib.get_close_matches(exercise_id, list(content.exercises), n=3)
            hint = (
                f"did you mean {' or '.join(close)}?"
                if close
                else "the id is the last part of an exercise page's address"
            )
            raise ToolError(f"unknown exercise '{exercise_id}': {hint}")
        return exercise_plan(content, exercise_id)
    if bank_id is not None:
        known = [bank.id for bank in content.banks]
        if bank_id not in known:
            raise ToolError(f"unknown bank '{bank_id}': use one of {', '.join(known)}")
        return bank_plan(content, bank_id)
    if set_file is not None:
        by_id = {exercise_set.id: exercise_set for exercise_set in content.sets}
        if not set_file.exists() and str(set_file) in by_id:
            return set_plan(content, by_id[str(set_file)])
        return set_plan(content, load_set_file(content, set_file))
    return all_plan(content)


@click.command("pdf")
@CONTENT_OPTION
@click.option("--bank", "bank_id", metavar="ID", help="Print one bank (its id).")
@click.option(
    "--set",
    "set_file",
    metavar="FILE",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Print a set file (e.g. downloaded from the site's composer), "
    "or a set of the content by id.",
)
@click.option("--all", "everything", is_flag=True, help="Print every bank in one workbook.")
@click.option(
    "--exercise",
    "exercise_id",
    metavar="ID",
    help="Print one exercise as a handout (its id, as in the site's address).",
)
@click.option(
    "--lang",
    default=None,
    help="One of the workbook's languages (default: the first, its source language).",
)
@click.option(
    "--edition",
    type=click.Choice(["participant", "facilitator"]),
    default="participant",
    show_default=True,
    help="The facilitator edition adds timings, notes and debrief guidance.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default=None,
    help="Paper size (default: print.paper in workbook.yml, else a4).",
)
@click.option("--fillable", is_flag=True, help="Make every write-in space a PDF form field.")
@click.option(
    "--large-print",
    is_flag=True,
    help="Large print: re-set at 16 pt and more in a sans-serif face, with wider write-in lines.",
)
@click.option(
    "--booklet",
    is_flag=True,
    help="A booklet: A5 (half-letter) pages imposed two to a side of A4 (Letter) paper, to "
    "print double-sided, flipping on the short edge, fold and staple.",
)
@click.option(
    "--participants",
    "names_file",
    metavar="FILE",
    type=click.Path(path_type=Path, dir_okay=False),
    help="With --set: one PDF per name (one a line), the name on the cover and footer; "
    "--out is then a folder.",
)
@JOBS_OPTION
@click.option(
    "--cache",
    "cache_dir",
    metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Keep typeset parts in DIR and reuse them in later runs (default: no cache).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="The PDF file to write (a folder with --participants).",
)
@verbosity
def pdf_command(
    content_dir: Path,
    bank_id: str | None,
    set_file: Path | None,
    everything: bool,
    exercise_id: str | None,
    lang: str | None,
    edition: str,
    paper: str | None,
    fillable: bool,
    large_print: bool,
    booklet: bool,
    names_file: Path | None,
    jobs: int | None,
    cache_dir: Path | None,
    out: Path,
) -> None:
    """Print a workbook as PDF: a bank, a set, everything or one exercise, in one language
    and edition.

    \b
    Examples:
      workbook pdf --bank self-awareness --lang fr --out conscience.pdf
      workbook pdf --exercise what-i-bring-in-check-in --large-print --out handout.pdf
      workbook pdf --set ~/Downloads/my-session.yml --edition facilitator --out guide.pdf
      workbook pdf --all --lang en --paper letter --fillable --out workbook.pdf
      workbook pdf --set alliance-workshop-day --large-print --out large-print.pdf
      workbook pdf --bank self-awareness --booklet --out booklet.pdf
      workbook pdf --set my-session.yml --participants names.txt --out handouts/
    """
    from generator.cache import Cache
    from generator.pdf import Request, produce
    from generator.pdf.finishing import finish
    from generator.validate import load_content

    chosen = [bank_id is not None, set_file is not None, everything, exercise_id is not None]
    if sum(chosen) > 1:
        raise click.UsageError("choose one of --bank, --set, --all and --exercise")
    if booklet and fillable:
        raise click.UsageError("--booklet is for paper: it cannot be --fillable")
    if names_file is not None and set_file is None:
        raise click.UsageError("--participants needs --set FILE")
    if names_file is not None and os.path.lexists(out) and not out.is_dir():
        raise ToolError(
            f"--out {display_path(out)} is a file: with --participants, --out is the folder "
            "the PDFs go into"
        )
    started = time.perf_counter()
    content = load_content(content_dir)
    lang = lang or content.languages[0]
    if lang not in content.languages:
        raise ToolError(
            f"--lang {lang}: not a language of this workbook ({', '.join(content.languages)})"
        )
    plan = choose_plan(content, bank_id, set_file, everything, exercise_id)
    base = PrintOptions(
        lang=lang,
        edition=edition,  # type: ignore[arg-type]
        paper=paper or content.workbook.print_settings.paper,  # type: ignore[arg-type]
        fillable=fillable,
        large_print=large_print,
        booklet=booklet,
    )
    if names_file is None:
        path = out / f"{plan.id}.pdf" if out.is_dir() else out
        requests = [Request(plan, base, path, display_path(path))]
    else:
        names = read_names(names_file)
        requests = [
            Request(
                plan, _with_participant(base, name), out / file_name, display_path(out / file_name)
            )
            for name, file_name in participant_files(names)
        ]
    check_targets([request.path for request in requests])
    cache = Cache(cache_dir) if cache_dir is not None else None
    outcome = produce(content, requests, jobs=jobs or os.cpu_count() or 1, cache=cache)
    finish([request.path for request in requests], plan, base)
    for request in requests:
        click.echo(f"wrote {printable(request.label)}")
    logger.debug(
        "%d PDF in %.1f s: typeset %d parts (%d pages)",
        len(requests),
        time.perf_counter() - started,
        outcome.typeset,
        outcome.pages,
    )


def _with_participant(options: PrintOptions, name: str) -> PrintOptions:
    from dataclasses import replace

    return replace(options, participant=name)
