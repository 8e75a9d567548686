"""Interface text: one store per language, every key in every language, no key unused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator import resources
from generator.errors import ToolError
from generator.plural import CATEGORIES
from generator.strings import shipped_languages, strings

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("solo", "pair", "group", "supervision")
LEVELS = ("discovery", "practice", "advanced")
COMPONENTS = ("bond", "goals", "tasks", "rupture")
MOMENTS = ("check-in", "core", "closing")
# Keys built at run time from a prefix and a value: prefix → (the values it takes, the code
# that builds them, which must be in the sources).
FAMILIES = {
    "site.format.": (FORMATS, 'f"site.{kind}.'),
    "site.level.": (LEVELS, 'f"site.{kind}.'),
    "site.component.": (COMPONENTS, 'f"site.{kind}.'),
    "site.moment.": (MOMENTS, 'f"site.{kind}.'),
    "pdf_format_": (FORMATS, '"pdf_format_" ~'),
    "pdf_level_": (LEVELS, '"pdf_level_" ~'),
    "pdf_component_": (COMPONENTS, '"pdf_component_" ~'),
    "pdf_moment_": (MOMENTS, '"pdf_moment_" ~'),
    "pdf_edition_": (("participant", "facilitator"), '"pdf_edition_" ~'),
    "pick.component.": (COMPONENTS, 'f"pick.component.{'),
    "pick.session.": (("any", *FORMATS), 'f"pick.session.{_session('),
    "pick.audience.": (("any", *FORMATS), 'f"pick.audience.{_session('),
    "pick.reason.": (("check-in", "closing", "balance", "variety", "fill"), 'f"pick.reason.{'),
}


def _sources() -> str:
    files = [*(ROOT / "generator").rglob("*.py")]
    files += [
        path
        for path in (ROOT / "templates").rglob("*")
        if path.suffix in (".j2", ".html", ".js") and "project" not in path.parts
    ]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def _used(key: str, source: str) -> bool:
    if re.search(rf"[\"']{re.escape(key)}[\"']", source):
        return True
    base, _, category = key.rpartition(".")
    if category in CATEGORIES and base:  # a plural form: used where its count key is
        return _used(base, source)
    for prefix, (values, builder) in FAMILIES.items():
        if key.startswith(prefix) and key[len(prefix) :] in values and builder in source:
            return True
    # site.guide.<name>, site.guide.<name>_pitch; composer.<name> through t("composer." ~ name)
    # and THEME_STRINGS / site.nav_<name> (names listed in generator/site)
    head, _, name = key.rpartition(".")
    bare = name.removesuffix("_pitch").removeprefix("nav_")
    named = re.search(rf"[\"']{re.escape(bare)}[\"']", source)
    return head in ("site", "site.guide", "composer") and named is not None


def test_every_shipped_language_has_every_key() -> None:
    languages = shipped_languages()
    assert {"fr", "en"} <= set(languages)
    keys = {lang: set(strings(lang)) for lang in languages}
    reference = keys["en"]
    for lang, found in keys.items():
        assert found == reference, (lang, sorted(found ^ reference))


def test_no_key_is_defined_but_never_used() -> None:
    source = _sources()
    unused = [key for key in strings("en") if not _used(key, source)]
    assert unused == []


def test_every_key_used_is_defined() -> None:
    source = _sources()
    defined = set(strings("en"))
    call = r"(?<![.\w])(?:ui|t)\(\s*[\"']([a-z_]+(?:\.[a-z_-]+)*)[\"']\s*[,)]"
    literal = set(re.findall(call, source))
    assert sorted(literal - defined) == []


def test_a_project_overrides_strings_key_by_key(tmp_path: Path) -> None:
    override = tmp_path / "overrides" / "strings" / "en.yml"
    override.parent.mkdir(parents=True)
    override.write_text("site.nav_home: Start here\n", encoding="utf-8")
    merged = strings("en", tmp_path)
    assert merged["site.nav_home"] == "Start here"
    assert merged["site.nav_about"] == strings("en")["site.nav_about"]


def test_a_language_without_strings_names_the_file_to_write(tmp_path: Path) -> None:
    with pytest.raises(ToolError) as raised:
        strings("qq", tmp_path)
    assert str(raised.value) == (
        "no interface text for the language 'qq': write overrides/strings/qq.yml (copy the keys "
        f"of {resources.tool_dir() / 'strings' / 'en.yml'})"
    )


def test_each_store_is_flat_text() -> None:
    for path in sorted((resources.tool_dir() / "strings").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert all(isinstance(value, str) and value for value in data.values()), path


def test_every_count_has_its_other_form_in_every_language() -> None:
    """A count (a key with plural forms) has at least the "other" form, in every language."""
    for lang in shipped_languages():
        found = strings(lang)
        bases = {key.rpartition(".")[0] for key in found if key.rpartition(".")[2] in CATEGORIES}
        assert bases, lang
        assert sorted(base for base in bases if f"{base}.other" not in found) == [], lang
