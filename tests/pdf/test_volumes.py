"""Volumes: above VOLUME_EXERCISES exercises the complete workbook is split by whole banks."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.models import Content
from generator.pdf import build_pdfs, catalog
from generator.pdf.catalog import pdf_targets, volumes
from generator.pdf.selection import document_plan
from generator.validate import load_content
from tests.pdf.conftest import outline, page_texts, toc_entries

REAL_CONTENT = Path(__file__).resolve().parents[2] / "workbook"


def test_small_content_keeps_one_complete_workbook(small: Content) -> None:
    assert [[bank.id for bank in group] for group in volumes(small)] == [["alpha", "beta"]]
    paths = [target.path for target in pdf_targets(small) if target.scope == "all"]
    assert paths == [
        "pdf/fr/workbook-participant.pdf",
        "pdf/fr/workbook-facilitator.pdf",
        "pdf/en/workbook-participant.pdf",
        "pdf/en/workbook-facilitator.pdf",
    ]


def test_volumes_hold_whole_banks_and_keep_numbers(
    small: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    # alpha has 2 exercises, beta 1: with at most 2 a volume, each bank is a volume.
    monkeypatch.setattr(catalog, "VOLUME_EXERCISES", 2)
    assert [[bank.id for bank in group] for group in volumes(small)] == [["alpha"], ["beta"]]
    paths = [target.path for target in pdf_targets(small) if target.scope == "all"]
    assert paths[:4] == [
        "pdf/fr/workbook-participant-volume-1.pdf",
        "pdf/fr/workbook-facilitator-volume-1.pdf",
        "pdf/en/workbook-participant-volume-1.pdf",
        "pdf/en/workbook-facilitator-volume-1.pdf",
    ]
    assert len(paths) == 8 and paths[-1] == "pdf/en/workbook-facilitator-volume-2.pdf"
    second = document_plan(small, "all", "volume-2")
    assert [section.id for section in second.sections] == ["beta"]
    assert [item.number for item in second.exercises] == [3]  # numbered as in the whole
    assert second.subtitle.get("fr") == "Volume 2 sur 2 : « Deuxième banque »"
    assert second.subtitle.get("en") == "Volume 2 of 2: “Second bank”"
    # A bank bigger than a volume makes a volume by itself.
    monkeypatch.setattr(catalog, "VOLUME_EXERCISES", 1)
    assert [[bank.id for bank in group] for group in volumes(small)] == [["alpha"], ["beta"]]


def test_volume_pdfs_are_built_and_read_as_parts_of_one_workbook(
    small: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog, "VOLUME_EXERCISES", 2)
    written, _ = build_pdfs(small, tmp_path, jobs=1)
    assert "pdf/fr/workbook-participant.pdf" not in written
    volume = (tmp_path / "pdf/en/workbook-participant-volume-2.pdf").read_bytes()
    pages = page_texts(volume)
    assert "Volume 2 of 2" in pages[0]
    entries = toc_entries(pages[1])
    assert [(number, title) for number, title, _ in entries] == [
        (None, "Second bank"),
        ("3", "Already there"),
        (None, "Bibliography"),
    ]
    assert [title for _, title, _ in outline(volume)] == [
        "Contents",
        "Second bank",
        "Already there",
        "Bibliography",
    ]
    first = page_texts((tmp_path / "pdf/en/workbook-participant-volume-1.pdf").read_bytes())
    assert "Volume 1 of 2" in first[0]
    assert "Already there" not in "\n".join(first)


def test_a_volume_of_several_banks_names_the_first_and_the_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content = load_content(REAL_CONTENT)
    monkeypatch.setattr(catalog, "VOLUME_EXERCISES", 30)
    groups = volumes(content)
    assert len(groups) > 1 and len(groups[1]) > 1
    assert [bank.id for group in groups for bank in group] == [bank.id for bank in content.banks]
    assert all(sum(len(b.exercises) for b in group) <= 30 for group in groups if len(group) > 1)
    plan = document_plan(content, "all", "volume-2")
    first, last = groups[1][0].title, groups[1][-1].title
    first_en, last_en, first_fr, last_fr = (
        first.get("en"),
        last.get("en"),
        first.get("fr"),
        last.get("fr"),
    )
    assert plan.subtitle.get("en") == (
        f"Volume 2 of {len(groups)}: from “{first_en}” to “{last_en}”"
    )
    assert plan.subtitle.get("fr") == (
        f"Volume 2 sur {len(groups)} : de « {first_fr} » à « {last_fr} »"
    )
