"""Scheduling: a workbook is merged as soon as its own parts are ready, and no part goes
through this process's memory."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from generator.cache import Cache
from generator.models import Content
from generator.pdf import Request, jobs, pipeline, produce
from generator.pdf.document import PrintOptions
from generator.pdf.selection import all_plan


def test_a_workbook_is_written_before_the_next_ones_parts_are_typeset(
    small: Content,
    tmp_path: Path,
    typeset: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One job handed over at a time (a build hands 48: the queue's order shows at scale).
    monkeypatch.setattr(jobs, "BACKLOG", 1)
    requests = [
        Request(
            all_plan(small),
            PrintOptions(lang="fr", edition=edition),  # type: ignore[arg-type]
            tmp_path / f"{edition}.pdf",
            edition,
        )
        for edition in ("participant", "facilitator")
    ]
    exercises_when_written: list[int] = []
    produce(
        small,
        requests,
        jobs=1,
        cache=Cache(tmp_path / "cache"),
        progress=lambda label: exercises_when_written.append(
            sum(kind == "exercise" for kind, _ in typeset)
        ),
    )
    # The editions share no part; each holds 3 exercises. The first workbook is merged and
    # written before any exercise of the second is typeset (first come, first served would
    # typeset them all first): its contents and its merge go before the second's body.
    assert exercises_when_written == [3, 6]
    assert len(typeset) == 18  # per workbook: cover, contents, 2 sections, 3 exercises,
    # the bibliography and the glyph sheet
    assert sorted(path.name for path in tmp_path.glob("*.pdf")) == [
        "facilitator.pdf",
        "participant.pdf",
    ]
    assert list((tmp_path / "cache" / "scratch").iterdir()) == []  # every scratch file moved


def test_without_a_cache_parts_wait_in_a_temporary_folder_that_goes(
    small: Content, tmp_path: Path
) -> None:
    before = set(Path(tempfile.gettempdir()).glob("workbook-parts-*"))
    request = Request(all_plan(small), PrintOptions(lang="en"), tmp_path / "w.pdf", "w")
    outcome = produce(small, [request], jobs=2)
    assert outcome.built == ["w"] and (tmp_path / "w.pdf").read_bytes().startswith(b"%PDF")
    assert set(Path(tempfile.gettempdir()).glob("workbook-parts-*")) == before


def test_the_same_workbook_twice_is_merged_once_and_written_twice(
    small: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    merges: list[Path] = []
    real = pipeline.assemble_workbook  # type: ignore[attr-defined]

    def counted(parts, sheet, shaped, mirrored, stamps, target):  # type: ignore[no-untyped-def]
        merges.append(target)
        real(parts, sheet, shaped, mirrored, stamps, target)

    monkeypatch.setattr(pipeline, "assemble_workbook", counted)
    options = PrintOptions(lang="fr", participant="Élodie Martin")
    requests = [
        Request(all_plan(small), options, tmp_path / f"{name}.pdf", name) for name in ("a", "b")
    ]
    produce(small, requests, jobs=1, cache=Cache(tmp_path / "cache"))
    assert len(merges) == 1  # two merges would race for one scratch file in a pool
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_the_layout_keeps_the_document_title_when_it_lays_out_exercises(small: Content) -> None:
    from generator.pdf.document import document_title
    from generator.pdf.parts import workbook_layout

    options = PrintOptions(lang="fr")
    layout = workbook_layout(small, all_plan(small), options, "t", memo={})
    expected = "Cahier — Édition participant"
    assert layout.title == document_title(all_plan(small), options) == expected
