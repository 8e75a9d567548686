"""`workbook pick`: options → Request → Plan → table on stdout and a set file."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from generator.errors import ContentErrors, ToolError
from generator.loader import load_yaml
from generator.log import printable
from generator.models import (
    MAX_SET_ENTRIES,
    MAX_TITLE,
    Component,
    Content,
    ExerciseSet,
    Format,
    Level,
    Localised,
)
from generator.options import CONTENT_OPTION, verbosity
from generator.output import write_text_atomic
from generator.sets.model import Impossible, Plan, Request, catalogue
from generator.sets.pick import MAX_EVALUATIONS, pick
from generator.sets.writer import SLUG, build_set, reason_text, set_yaml, target_name
from generator.templating import ui

logger = logging.getLogger("workbook")


def headers(lang: str) -> tuple[str, ...]:
    """The columns of pick's table, in ``lang``."""
    return ("#", "min", "format", ui("pick.header.title", lang), ui("pick.header.why", lang))


def history_ids(paths: tuple[Path, ...]) -> list[str]:
    """The exercise ids of set files already run (validated like any set file)."""
    from generator.validate import validate_model

    ids: list[str] = []
    for path in paths:
        located = load_yaml(path, path.parent)
        exercise_set, errors = validate_model(located, ExerciseSet)
        if errors:
            raise ContentErrors(errors)
        ids += [entry.id for entry in exercise_set.exercises if entry.id is not None]
    return ids


def _check_ids(content: Content, banks: tuple[str, ...], exclude: tuple[str, ...]) -> None:
    known_banks = [bank.id for bank in content.banks]
    for bank in banks:
        if bank not in known_banks:
            raise ToolError(f"unknown bank '{bank}' in --bank: use one of {', '.join(known_banks)}")
    for exercise in exclude:
        if exercise not in content.exercises:
            raise ToolError(
                f"unknown exercise '{exercise}' in --exclude: check the id "
                "(workbook check --verbose lists them)"
            )


def _command_line(request: Request, title: str | None) -> list[str]:
    words = ["workbook", "pick", "--minutes", str(request.minutes)]
    if request.format is not None:
        words += ["--format", request.format.value]
    for bank in request.banks:
        words += ["--bank", bank]
    for component in request.components:
        words += ["--component", component.value]
    for level in request.levels:
        words += ["--level", level.value]
    return [*words, "--seed", str(request.seed)]


def print_plan(plan: Plan, content: Content, lang: str) -> None:
    """The chosen exercises as a table, then the total against the budget."""
    bank_titles = {bank.id: bank.title for bank in content.banks}
    table = Table(*headers(lang), show_lines=False)
    for order, chosen in enumerate(plan.picks, start=1):
        exercise = content.exercises[chosen.candidate.id].exercise
        table.add_row(
            str(order),
            str(exercise.minutes),
            exercise.format.value,
            # Text: content never reaches rich's markup parser; printable: nor the terminal's
            Text(printable(exercise.title.get(lang))),
            Text(printable(reason_text(chosen.reason, lang, bank_titles))),
        )
    console = Console(file=sys.stdout, width=120, highlight=False)
    console.print(table)
    console.print(Text(ui("pick.total", lang).format(total=plan.total, budget=plan.budget)))
    for target in plan.uncovered:
        logger.warning(
            "not covered within %d minutes: %s", plan.budget, target_name(target, "en", bank_titles)
        )
    if not plan.complete:
        logger.warning(
            "the search stopped after %s looks at an exercise: this is the best set found, maybe "
            "not the best possible; name fewer banks or components for a complete search",
            f"{MAX_EVALUATIONS:,}",
        )


FORMAT_HELP = (
    "The session's format. solo: solo exercises only; pair: pair exercises; group: group, pair "
    "and supervision exercises; supervision (a supervisor and a supervisee): supervision and "
    "pair exercises; for a supervision group, use group. Default: any format."
)


@click.command("pick")
@CONTENT_OPTION
@click.option(
    "--minutes",
    type=click.IntRange(min=1, max=100_000),
    required=True,
    help="The time budget: the set never takes more, and uses at least 85% of it "
    "when the banks allow.",
)
@click.option(
    "--format",
    "session_format",
    type=click.Choice([f.value for f in Format]),
    default=None,
    help=FORMAT_HELP,
)
@click.option(
    "--bank",
    "banks",
    multiple=True,
    metavar="ID",
    help="Only exercises of this bank; repeat to cover several banks evenly.",
)
@click.option(
    "--component",
    "components",
    multiple=True,
    type=click.Choice([c.value for c in Component]),
    help="Only exercises serving this alliance component; repeat to cover several evenly.",
)
@click.option(
    "--level",
    "levels",
    multiple=True,
    type=click.Choice([lv.value for lv in Level]),
    help="Only exercises of this level (repeatable).",
)
@click.option(
    "--lang",
    default=None,
    help="Language of the printed table: one of the workbook's languages (default: the "
    "first). The set file holds every language.",
)
@click.option("--exclude", multiple=True, metavar="ID", help="Never pick this exercise.")
@click.option(
    "--history",
    "histories",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A set file of a session already run: its exercises are not picked again (repeatable).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Another seed gives another set; the same seed always the same set.",
)
@click.option("--title", default=None, help="The set's title (both languages).")
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The set file to write, e.g. workbook/sets/my-session.yml; its name is the set's id.",
)
@verbosity
def pick_command(
    content_dir: Path,
    minutes: int,
    session_format: str | None,
    banks: tuple[str, ...],
    components: tuple[str, ...],
    levels: tuple[str, ...],
    lang: str | None,
    exclude: tuple[str, ...],
    histories: tuple[Path, ...],
    seed: int,
    title: str | None,
    out_path: Path,
) -> None:
    """Choose exercises for a session that fits a time budget, and write them as a set file.

    The set opens with a short check-in and ends with a closing exercise when the chosen
    banks hold them; the requested banks and components are covered evenly; exercises
    excluded or listed in history files are not picked again. The same options and seed
    always give the same set. The chosen exercises are printed as a table with the reason
    each was chosen; the set file passes `workbook check` and prints with `workbook pdf --set`.

    \b
    Example:
      workbook pick --minutes 90 --format group --component rupture --lang fr \\
        --history workbook/sets/last-month.yml --out workbook/sets/june.yml
    """
    from generator.validate import RESERVED_IDS, load_content

    set_id = out_path.stem
    if title is not None and not title.strip():
        raise ToolError("--title is empty: give a title or leave the option out")
    if title is not None and len(title.strip()) > MAX_TITLE:
        raise ToolError(
            f"--title is longer than {MAX_TITLE} characters (got {len(title.strip()):,}): "
            "shorten it"
        )
    if not SLUG.match(set_id) or out_path.suffix not in (".yml", ".yaml"):
        raise ToolError(
            f"the file name '{out_path.name}' cannot name a set: use lower-case letters, "
            "digits and single hyphens, ending in .yml (e.g. my-session.yml)"
        )
    if set_id in RESERVED_IDS:
        raise ToolError(
            f"the set id '{set_id}' is reserved: its page would replace the site's sets/ page; "
            "choose another file name"
        )

    content = load_content(content_dir)
    lang = lang or content.languages[0]
    if lang not in content.languages:
        raise ToolError(
            f"--lang {lang}: not a language of this workbook ({', '.join(content.languages)})"
        )
    _check_ids(content, banks, exclude)
    done = history_ids(histories)
    for exercise in dict.fromkeys(done):
        if exercise not in content.exercises:
            logger.warning("the history lists '%s', which no bank holds any more", exercise)
    request = Request(
        minutes=minutes,
        format=Format(session_format) if session_format else None,
        banks=tuple(dict.fromkeys(banks)),
        components=tuple(Component(c) for c in dict.fromkeys(components)),
        levels=tuple(Level(lv) for lv in dict.fromkeys(levels)),
        exclude=frozenset(exclude) | frozenset(done),
        seed=seed,
    )
    try:
        plan = pick(catalogue(content), request)
    except Impossible as impossible:
        raise ToolError(str(impossible)) from impossible
    if len(plan.picks) > MAX_SET_ENTRIES:
        raise ToolError(
            f"the set would hold {len(plan.picks)} exercises, more than a set may hold "
            f"({MAX_SET_ENTRIES}): lower --minutes or narrow the request"
        )
    bank_titles: dict[str, Localised] = {bank.id: bank.title for bank in content.banks}
    exercise_set = build_set(
        set_id,
        plan,
        request,
        title=title.strip() if title else None,
        bank_titles=bank_titles,
        command=_command_line(request, title),
    )
    print_plan(plan, content, lang)
    write_text_atomic(out_path, set_yaml(exercise_set))
    logger.info("wrote %s", out_path)
