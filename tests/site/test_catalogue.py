"""The run mode's JSON (data/run/…): one file per exercise and per set, the pages' own HTML."""

from __future__ import annotations

import json
from pathlib import Path

from generator.site import site_files
from generator.site.catalogue import catalogue, run_exercise_path, run_files, run_set_path
from generator.validate import load_content
from tests.site.test_run import NOTES, SET_NOTE, write_run_content

RUN_FIELDS = (
    "id",
    "title",
    "url",
    "minutes",
    "format",
    "steps",
    "safety",
    "debrief",
    "facilitator_notes",
)


def test_run_json_of_one_exercise_and_one_set_with_a_break(tmp_path: Path) -> None:
    content = load_content(write_run_content(tmp_path / "content"))
    files = run_files(content, "en")
    assert sorted(files) == [
        "data/run/exercises/hello.json",
        "data/run/exercises/mirror.json",
        "data/run/sets/workshop.json",
    ]
    exercise = json.loads(files[run_exercise_path("mirror")])
    assert exercise["version"] == 1 and exercise["lang"] == "en"
    # the run mode's fields (the composer's print reads more from the same file)
    assert {key: exercise["exercise"].get(key) for key in RUN_FIELDS} == {
        "id": "mirror",
        "title": "The mirror",
        "url": "exercises/mirror/",
        "minutes": 20,
        "format": "group",
        "steps": [
            {"minutes": 5, "html": "<p>Sit in pairs and face each other</p>\n"},
            {"minutes": 15, "html": "<p>Describe what you saw, then swap roles</p>\n"},
        ],
        "safety": "<p>You may stop at any moment.</p>\n",
        "debrief": "<p>Each person says one word to close.</p>\n",
        "facilitator_notes": f"<p>{NOTES}</p>\n",
    }
    session = json.loads(files[run_set_path("workshop")])
    assert session["version"] == 1 and session["lang"] == "en"
    assert session["set"] == {
        "id": "workshop",
        "title": "Workshop",
        "url": "sets/workshop/",
        "minutes": 45,
        "entries": [
            {"exercise": "hello", "note": "<p>Set the rules.</p>\n"},
            {"break": 10, "note": f"<p>{SET_NOTE}</p>\n"},
            {"exercise": "mirror", "note": None},
        ],
    }
    assert sorted(session["exercises"]) == ["hello", "mirror"]
    assert session["exercises"]["mirror"] == exercise["exercise"]


def test_run_json_is_in_each_language_and_leaves_the_explorer_catalogue_alone(
    tmp_path: Path,
) -> None:
    content = load_content(write_run_content(tmp_path / "content"))
    french = json.loads(run_files(content, "fr")[run_set_path("workshop")])
    assert french["lang"] == "fr" and french["set"]["title"] == "Atelier"
    steps = french["exercises"]["hello"]["steps"]
    assert steps == [
        {"minutes": 5, "html": "<p>Each person says their name and one hope (fr)</p>\n"}
    ]
    _, docs = site_files(content, "en", with_pdfs=False)
    assert run_set_path("workshop") in docs and run_exercise_path("hello") in docs
    explorer = catalogue(content, "en")["exercises"][0]
    assert {
        "id",
        "title",
        "summary",
        "bank",
        "minutes",
        "format",
        "level",
        "components",
        "moment",
        "url",
    } <= set(explorer)
    assert not {"steps", "safety", "debrief", "facilitator_notes"} & set(explorer)  # stays small


def test_run_html_is_the_safe_markdown_subset(tmp_path: Path) -> None:
    root = write_run_content(tmp_path / "content")
    bank = root / "banks" / "alpha.yml"
    bank.write_text(
        bank.read_text(encoding="utf-8").replace(
            "Sit in pairs and face each other",
            "Sit *in pairs* <script>alert(1)</script> [x](javascript:alert(2))",
        ),
        encoding="utf-8",
    )
    content = load_content(root)
    step = json.loads(run_files(content, "en")[run_exercise_path("mirror")])["exercise"]["steps"][0]
    assert "<em>in pairs</em>" in step["html"]
    assert "<script>" not in step["html"] and "&lt;script&gt;" in step["html"]
    assert 'href="javascript' not in step["html"]
