"""Property-based: random valid banks pass, random broken ones fail cleanly, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from tests.conftest import SOURCES_YML, WORKBOOK_YML

LOCATED = re.compile(r"^content/banks/random\.yml:\d+:\d+: .+")
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda value: value.strip() != "")
localised = st.fixed_dictionaries({"fr": text, "en": text})


@st.composite
def exercises(draw: st.DrawFn, index: int = 0) -> dict[str, Any]:
    steps = draw(st.lists(st.integers(1, 30), min_size=1, max_size=4))
    return {
        "id": f"exercise-{index}",
        "title": draw(localised),
        "summary": draw(localised),
        "purpose": draw(localised),
        "minutes": sum(steps),
        "format": draw(st.sampled_from(["solo", "pair", "group", "supervision"])),
        "level": draw(st.sampled_from(["discovery", "practice", "advanced"])),
        "components": draw(
            st.lists(
                st.sampled_from(["bond", "goals", "tasks", "rupture"]),
                min_size=1,
                max_size=4,
                unique=True,
            )
        ),
        "moment": draw(st.sampled_from(["check-in", "core", "closing"])),
        "steps": [{"minutes": minutes, "text": draw(localised)} for minutes in steps],
        "prompts": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "text": localised,
                        "space": st.sampled_from(["lines", "box"]),
                        "lines": st.integers(1, 40),
                    }
                ),
                min_size=1,
                max_size=3,
            )
        ),
        "debrief": draw(localised),
        "facilitator_notes": draw(localised),
        "safety": draw(localised),
        "adaptations": draw(localised),
        "sources": ["bordin-1979"],
        "tags": draw(st.lists(localised, max_size=2)),
    }


@st.composite
def banks(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 3))
    return {
        "id": "random",
        "title": draw(localised),
        "intro": draw(localised),
        "exercises": [draw(exercises(index)) for index in range(count)],
    }


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def broken_banks(draw: st.DrawFn) -> dict[str, Any]:
    """A valid bank with one part deleted or replaced by a value of the wrong kind."""
    bank = draw(banks())
    path = draw(st.sampled_from(_paths(bank)))
    parent = bank
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    garbage = draw(st.sampled_from([None, -3, 0, "", [], {}, {"x": 1}, [[1]], True, "Not A Slug!"]))
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[last]
    else:
        parent[last] = garbage
    return bank


def run_check(root: Path, bank_text: str | bytes) -> tuple[int, str]:
    content = root / "content"
    (content / "banks").mkdir(parents=True, exist_ok=True)
    (content / "workbook.yml").write_text(WORKBOOK_YML, encoding="utf-8")
    (content / "sources.yml").write_text(SOURCES_YML, encoding="utf-8")
    data = bank_text.encode("utf-8") if isinstance(bank_text, str) else bank_text
    (content / "banks" / "random.yml").write_bytes(data)
    result = CliRunner().invoke(cli, ["check", "--content", str(content)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(bank=banks())
def test_random_valid_banks_pass(tmp_path_factory: Any, bank: dict[str, Any]) -> None:
    root = tmp_path_factory.mktemp("valid")
    code, output = run_check(root, yaml.safe_dump(bank, allow_unicode=True))
    assert code == 0, output
    assert output.startswith(f"ok: 1 banks, {len(bank['exercises'])} exercises")


@SETTINGS
@given(bank=broken_banks())
def test_random_broken_banks_fail_with_located_messages(
    tmp_path_factory: Any, bank: dict[str, Any]
) -> None:
    root = tmp_path_factory.mktemp("broken")
    code, output = run_check(root, yaml.safe_dump(bank, allow_unicode=True))
    lines = output.splitlines()
    if code == 0:  # the mutation happened to keep the bank valid (e.g. tags emptied)
        return
    assert code == 1
    assert lines[-1].endswith(("problem found.", "problems found."))
    for line in lines[:-1]:
        assert re.match(r"^\S+\.yml:\d+:\d+: .+", line), line


@SETTINGS
@given(data=st.binary(max_size=300) | st.text(max_size=300))
def test_random_bytes_never_crash(tmp_path_factory: Any, data: bytes | str) -> None:
    root = tmp_path_factory.mktemp("bytes")
    code, output = run_check(root, data)
    assert code == 1
    for line in output.splitlines()[:-1]:
        assert re.match(r"^\S+\.yml:\d+:\d+: .+", line), line


@settings(max_examples=3, deadline=None)
@given(bank=banks())
def test_random_valid_banks_build(tmp_path_factory: Any, bank: dict[str, Any]) -> None:
    """A valid bank, however odd its text, builds a site (PDFs are covered in tests/pdf)."""
    root = tmp_path_factory.mktemp("build")
    run_check(root, yaml.safe_dump(bank, allow_unicode=True))
    out = root / "site"
    result = CliRunner().invoke(
        cli,
        ["build", "--no-pdf", "--no-cache", "--content", str(root / "content"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    for exercise in bank["exercises"]:
        assert (out / "exercises" / exercise["id"] / "index.html").is_file()
        assert (out / "en" / "exercises" / exercise["id"] / "index.html").is_file()
