"""The `workbook` command: check, build, pdf, pick, serve, schema."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator import log
from generator.errors import ToolError
from generator.models import DEFAULT_LANGUAGES
from generator.options import CONTENT_OPTION, verbosity


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="alliance-workbook")
def cli() -> None:
    """Alliance Workbook: turn banks of reflective-practice exercises (YAML) into a bilingual,
    searchable website and printable PDF workbooks.

    \b
    Start with:
      workbook new my-workbook   create a project folder with an example bank
      cd my-workbook
      workbook check             validate it
      workbook build             write the site and the PDFs into ./site
      workbook serve             preview it, rebuilt as you save

    Every command works inside a project folder (one holding workbook.yml), on ./workbook,
    or on --content DIR from anywhere.
    """


@cli.command()
@CONTENT_OPTION
@click.option(
    "--strict-translations",
    is_flag=True,
    help="Also fail when a translation is stale (its source text changed since it was "
    "reviewed; see `workbook translations`).",
)
@verbosity
def check(content_dir: Path, strict_translations: bool) -> None:
    """Validate the content folder and report every problem at once.

    Each problem is printed as `file:line:col: what is wrong, and what to do`; the exit status
    is 1 when there is any, 0 otherwise.

    \b
    Example:
      workbook check                   # inside a project folder
      workbook check --content my-workbook --strict-translations
    """
    from generator.validate import load_content

    content = load_content(content_dir)
    for bank in content.banks:
        log.logger.debug("%s: %d exercises", bank.id, len(bank.exercises))
        for exercise in bank.exercises:
            log.logger.debug(
                "  %s (%d min, %s)", exercise.id, exercise.minutes, exercise.format.value
            )
    if strict_translations:
        from generator.errors import ContentError, ContentErrors
        from generator.translations import STALE, statuses

        stale = [
            ContentError(
                item.file,
                item.line,
                item.col,
                f"the '{item.lang}' translation of {item.name} is stale: its source "
                "text changed since it was reviewed; update it, then run "
                f"`workbook translations --done {item.file}:{item.line}`",
            )
            for item in statuses(content_dir, list(content.workbook.languages))
            if item.state == STALE
        ]
        if stale:
            raise ContentErrors(stale)
    click.echo(
        f"ok: {len(content.banks)} banks, {len(content.exercises)} exercises, "
        f"{len(content.sets)} sets, {len(content.sources)} sources"
    )


@cli.command()
@CONTENT_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to write the *.schema.json files into (default: the project's schema/).",
)
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the files there are stale.")
@verbosity
def schema(content_dir: Path, out_dir: Path | None, check_only: bool) -> None:
    """Write the JSON Schema of bank, set, sources and workbook files.

    The schemas are generated from the content model; editors that understand the
    `# yaml-language-server: $schema=...` first line of each file use them to autocomplete
    and underline mistakes.

    \b
    Example:
      workbook schema              # inside a project: writes schema/*.schema.json
      workbook schema --check      # in CI: fail when the project's schema is stale
    """
    from generator.output import write_text_atomic
    from generator.schema import schema_files
    from generator.translations import project_languages

    out_dir = out_dir if out_dir is not None else content_dir / "schema"
    languages = project_languages(content_dir) if (content_dir / "workbook.yml").is_file() else []
    stale = []
    for name, text in schema_files(languages or DEFAULT_LANGUAGES).items():
        path = out_dir / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not check_only:
            write_text_atomic(path, text)
            log.logger.info("wrote %s", path)
    if check_only and stale:
        for path in stale:
            log.logger.error("%s is stale: run `workbook schema`", path)
        sys.exit(1)
    if not stale:
        log.logger.info("schemas up to date in %s", out_dir)


@cli.command()
@CONTENT_OPTION
@click.option(
    "--done",
    "done",
    multiple=True,
    metavar="FILE[:LINE]",
    help="Record the translations of FILE (or of the text at LINE) as reviewed against the "
    "source text as it is now; `all` for every file. Repeatable.",
)
@click.option("--lang", "only", multiple=True, help="With --done: only these languages.")
@verbosity
def translations(content_dir: Path, done: tuple[str, ...], only: tuple[str, ...]) -> None:
    """Show which translations are up to date, stale or missing.

    Each text of the first language (the source) is hashed; `translations.yml`, beside the
    content, records the hash each translation was reviewed against. A translation whose
    source changed since is stale. Every stale or missing one is printed as
    `file:line:col: stale in 'en': exercises[id].title`, then a table per language.

    \b
    Example:
      workbook translations
      workbook translations --done banks/self-awareness.yml:42 --lang en
      workbook translations --done all         # after a full review
      workbook check --strict-translations     # in CI: fail on stale translations
    """
    from generator import translations as status
    from generator.log import printable

    languages = status.project_languages(content_dir)
    if len(languages) < 2:
        log.logger.info("one language only: nothing to translate")
        return
    if done:
        targets: list[tuple[Path, int | None]] = []
        for target in done:
            if target == "all":
                targets += [(path, None) for path in status.content_files(content_dir)]
                continue
            name, _, line = target.partition(":")
            path = Path(name) if Path(name).is_file() else content_dir / name
            if not path.is_file():
                raise ToolError(f"{target}: no such file in the project")
            targets.append((path, int(line) if line.isdigit() else None))
        count = status.mark_done(content_dir, languages, targets, list(only) or None)
        log.logger.info(
            "recorded %d translations as reviewed in %s", count, content_dir / status.RECORD
        )
        return
    found = status.statuses(content_dir, languages)
    for item in found:
        if item.state != status.UP_TO_DATE:
            click.echo(printable(str(item)))
    click.echo(f"{'language':<10}{'up to date':>12}{'stale':>8}{'missing':>9}")
    for lang in languages[1:]:
        counts = {
            state: sum(1 for item in found if item.lang == lang and item.state == state)
            for state in (status.UP_TO_DATE, status.STALE, status.MISSING)
        }
        click.echo(
            f"{lang:<10}{counts[status.UP_TO_DATE]:>12}{counts[status.STALE]:>8}"
            f"{counts[status.MISSING]:>9}"
        )


def _register_stage_commands() -> None:
    from generator.build import build_command
    from generator.new import new_command
    from generator.pdf.command import pdf_command
    from generator.sets.command import pick_command
    from generator.site.serve import serve_command

    for command in (new_command, build_command, pdf_command, pick_command, serve_command):
        cli.add_command(command)


_register_stage_commands()


def main() -> None:
    cli()
