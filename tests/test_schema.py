"""The shipped JSON Schema is generated from the models and never stale."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.schema import field_reference, schema_files

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_schema_is_current() -> None:
    for name, text in schema_files().items():
        assert (ROOT / "workbook" / "schema" / name).read_text(encoding="utf-8") == text, name


def test_schema_command_writes_the_same_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "bank.schema.json",
        "set.schema.json",
        "sources.schema.json",
        "workbook.schema.json",
    ]
    bank = json.loads((tmp_path / "bank.schema.json").read_text(encoding="utf-8"))
    exercise = bank["$defs"]["Exercise"]
    assert exercise["properties"]["format"]["$ref"] == "#/$defs/Format"
    assert set(exercise["required"]) >= {"id", "title", "minutes", "safety", "sources"}
    assert CliRunner().invoke(cli, ["schema", "--check", "--out", str(tmp_path)]).exit_code == 0


def test_schema_check_fails_when_stale(tmp_path: Path) -> None:
    (tmp_path / "bank.schema.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["schema", "--check", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        f"error: {tmp_path / 'bank.schema.json'} is stale: run `workbook schema`" in result.output
    )


def test_every_content_file_names_its_schema() -> None:
    """Every file an author writes (not translations.yml, which the tool maintains)."""
    for path in sorted((ROOT / "workbook").glob("*/*.yml")) + sorted(
        (ROOT / "workbook").glob("*.yml")
    ):
        if path.name == "translations.yml":
            continue
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = {"banks": "bank", "sets": "set"}.get(path.parent.name, path.stem)
        prefix = "../" if path.parent.name in ("banks", "sets") else ""
        assert first == f"# yaml-language-server: $schema={prefix}schema/{kind}.schema.json", path


def test_field_reference_lists_exercise_fields() -> None:
    reference = {model["name"]: model for model in field_reference()}
    names = [field["name"] for field in reference["Exercise"]["fields"]]
    assert names[:5] == ["id", "title", "summary", "purpose", "minutes"]
    minutes = next(f for f in reference["Exercise"]["fields"] if f["name"] == "minutes")
    assert minutes["required"] is True and minutes["type"] == "integer"


def test_every_model_and_field_has_an_english_description() -> None:
    """The field reference and the editors' hovers show these: none may be left empty."""
    empty = [
        key
        for model in field_reference()
        for key, text in [
            (model["name"], model["description"]),
            *((f"{model['name']}.{f['name']}", f["description"]) for f in model["fields"]),
        ]
        if not text.strip()
    ]
    assert not empty, f"give these a docstring or description= in generator/models.py: {empty}"
