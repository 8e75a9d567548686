"""Shared fixtures: small content folders written into tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.signing import KEY_FILE_VARIABLE

WORKBOOK_YML = """\
title: {fr: Cahier, en: Workbook}
subtitle: {fr: Sous-titre, en: Subtitle}
authors: [Test author]
licence: {fr: CC BY-SA 4.0, en: CC BY-SA 4.0}
languages: [fr, en]
"""

SOURCES_YML = """\
sources:
  - id: bordin-1979
    authors: ["Bordin, E. S."]
    year: 1979
    title: The generalizability of the psychoanalytic concept of the working alliance
    container: Psychotherapy, 16(3), 252–260
"""


def exercise_yaml(
    exercise_id: str,
    *,
    minutes: int = 10,
    fmt: str = "solo",
    level: str = "discovery",
    components: str = "[bond]",
    moment: str = "core",
    title_fr: str = "Titre",
    title_en: str = "Title",
) -> str:
    """One valid exercise, as an item of a bank's `exercises` list (indented by 2)."""
    return textwrap.indent(
        textwrap.dedent(
            f"""\
            - id: {exercise_id}
              title: {{fr: "{title_fr}", en: "{title_en}"}}
              summary: {{fr: Résumé de l’exercice., en: Summary of the exercise.}}
              purpose: {{fr: But., en: Purpose.}}
              minutes: {minutes}
              format: {fmt}
              level: {level}
              components: {components}
              moment: {moment}
              steps:
                - minutes: {minutes}
                  text: {{fr: Écrivez., en: Write.}}
              prompts:
                - text: {{fr: Qu’avez-vous remarqué ?, en: What did you notice?}}
                  lines: 4
              debrief: {{fr: Relisez., en: Reread.}}
              facilitator_notes: {{fr: Notes., en: Notes.}}
              safety: {{fr: Vous pouvez passer., en: You may pass.}}
              adaptations: {{fr: En ligne., en: Online.}}
              sources: [bordin-1979]
            """
        ),
        "  ",
    )


def bank_yaml(bank_id: str, exercises: list[str]) -> str:
    return (
        f"id: {bank_id}\n"
        "title: {fr: Banque, en: Bank}\n"
        "intro: {fr: Introduction., en: Introduction.}\n"
        "exercises:\n" + "".join(exercises)
    )


def write_content(
    root: Path, banks: dict[str, str] | None = None, sets: dict[str, str] | None = None
) -> Path:
    """Write a content folder; by default one bank with two exercises."""
    (root / "banks").mkdir(parents=True)
    (root / "sets").mkdir()
    (root / "workbook.yml").write_text(WORKBOOK_YML, encoding="utf-8")
    (root / "sources.yml").write_text(SOURCES_YML, encoding="utf-8")
    if banks is None:
        banks = {"alpha": bank_yaml("alpha", [exercise_yaml("first"), exercise_yaml("second")])}
    for name, text in banks.items():
        (root / "banks" / f"{name}.yml").write_text(text, encoding="utf-8")
    for name, text in (sets or {}).items():
        (root / "sets" / f"{name}.yml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(autouse=True, scope="session")
def cache_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The key that signs cache entries in tests (and the commands they run): one of the test
    session's own, never the user's (``~/.local/state/alliance-workbook/cache.key``)."""
    path = tmp_path_factory.mktemp("cache-key") / "cache.key"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_FILE_VARIABLE, str(path))
        yield path


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid content folder at ./content, with tmp_path as the working folder."""
    monkeypatch.chdir(tmp_path)
    return write_content(tmp_path / "content")


@pytest.fixture(autouse=True)
def _no_project_left_active() -> Iterator[None]:
    """A test that loads a project (its overrides, its languages) leaves none behind."""
    yield
    from generator.templating import activate

    activate(None)
