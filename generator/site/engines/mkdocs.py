"""MkDocs 1.x with Material for MkDocs (``mkdocs-material``), and ProperDocs (MkDocs 1.x
continued, same theme and config): the generated ``mkdocs.yml`` and a strict build.

Material prints page titles, descriptions, the site name and navigation titles into HTML
without escaping them, so this adapter HTML-escapes them on the way in (the theme overrides
in ``site/overrides`` read them as such).
"""

from __future__ import annotations

import importlib
import io
import logging
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from generator.site.engines.base import (
    EngineMissing,
    NavItem,
    SiteModel,
    module_available,
    python_module,
    sync_files,
)

FEATURES = ["navigation.sections", "navigation.indexes", "navigation.top", "navigation.footer"]


def palette(extra: dict[str, Any], *, escaped: bool = True) -> list[dict[str, Any]]:
    """Light and dark schemes following the system; colours come from the brand stylesheet.

    The toggle's labels are the site language's (``palette_dark``, ``palette_light`` of the
    model's ``extra``, from the interface strings).
    """

    def label(key: str, default: str) -> str:
        text = str(extra.get(key) or default)
        return str(escape(text)) if escaped else text

    return [
        {
            "media": "(prefers-color-scheme: light)",
            "scheme": "default",
            "primary": "custom",
            "accent": "custom",
            "toggle": {
                "icon": "material/weather-night",
                "name": label("palette_dark", "Switch to dark mode"),
            },
        },
        {
            "media": "(prefers-color-scheme: dark)",
            "scheme": "slate",
            "primary": "custom",
            "accent": "custom",
            "toggle": {
                "icon": "material/weather-sunny",
                "name": label("palette_light", "Switch to light mode"),
            },
        },
    ]


def page_markdown(title: str, description: str, body: str, *, escaped: bool) -> str:
    """A page as Markdown with YAML front matter (HTML inside the body)."""
    return f"---\n{_front_matter(title, description, escaped)}---\n\n{body.strip()}\n"


@lru_cache(maxsize=1 << 13)
def _front_matter(title: str, description: str, escaped: bool) -> str:
    def text(value: str) -> str:
        return str(escape(value)) if escaped else value

    front = {"title": text(title), "description": text(description), "hide": ["toc"]}
    return yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000)


def docs_files(model: SiteModel, *, escaped: bool) -> dict[str, str | bytes]:
    """Every file of the docs folder: the model's pages (as Markdown) and files."""
    files: dict[str, str | bytes] = dict(model.files)
    for page in model.pages:
        files[page.doc] = page_markdown(page.title, page.description, page.body, escaped=escaped)
    return files


def write_docs(model: SiteModel, docs: Path, *, escaped: bool) -> None:
    """Write the model's pages and files into ``docs``."""
    for relative, data in docs_files(model, escaped=escaped).items():
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")


def _nav(
    items: list[str | NavItem], *, escaped: bool, titles: dict[str, str] | None = None
) -> list[Any]:
    """The ``nav`` setting; with ``titles`` (doc → title), every page is titled in it."""
    entries: list[Any] = []
    for item in items:
        if isinstance(item, str):
            if titles is None or item not in titles:
                entries.append(item)  # a page, titled by its own front matter
            else:
                entries.append({str(escape(titles[item])) if escaped else titles[item]: item})
            continue
        title, target = item
        shown = str(escape(title)) if escaped else title
        nested = _nav(target, escaped=escaped, titles=titles) if isinstance(target, list) else None
        entries.append({shown: nested if nested is not None else target})
    return entries


def mkdocs_config(
    model: SiteModel, docs_dir: str, site_dir: str, *, escaped: bool = True, titled: bool = False
) -> dict[str, Any]:
    """The ``mkdocs.yml`` of ``model`` (a plain dict); ``titled``: every page of the
    navigation with its title (see ``MkDocsEngine.prepare_preview``)."""

    def text(value: str) -> str:
        return str(escape(value)) if escaped else value

    theme: dict[str, Any] = {
        "name": "material",
        "language": model.lang,
        "custom_dir": str(model.theme_dir),
        "font": False,  # no Google fonts: nothing reaches the network
        "palette": palette(model.extra, escaped=escaped),
        "features": FEATURES,
    }
    if model.direction == "rtl":
        theme["direction"] = "rtl"
    if model.logo:
        theme["logo"] = model.logo
    if model.favicon:
        theme["favicon"] = model.favicon
    config: dict[str, Any] = {
        "site_name": text(model.name),
        "site_description": text(model.description),
        "copyright": text(model.copyright),
        "docs_dir": docs_dir,
        "site_dir": site_dir,
        "use_directory_urls": True,
        "theme": theme,
        "plugins": [],
        "nav": _nav(list(model.nav), escaped=escaped, titles=_titles(model) if titled else None),
        "not_in_nav": "".join(f"{pattern}\n" for pattern in model.unlisted),
        "markdown_extensions": ["attr_list"],
        "extra_css": list(model.css),
        "extra_javascript": [{"path": path, "type": "module"} for path in model.modules],
        "validation": {
            "nav": {"omitted_files": "info", "absolute_links": "info"},
            "links": {"absolute_links": "info", "unrecognized_links": "info"},
        },
        "extra": {"generator": False, "wb": model.extra},
    }
    if model.url:
        config["site_url"] = model.url
    return config


PREVIEW_HOOKS = """\
# Written by `workbook serve` (generator/site/engines/mkdocs.py): the theme's templates stay
# compiled between the preview's builds (Jinja checks each one against its source).
from jinja2 import FileSystemBytecodeCache

CACHE = FileSystemBytecodeCache({folder!r})


def on_env(env, config, files):
    env.bytecode_cache = CACHE
    return env
"""


def _write_hooks(project: Path) -> Path:
    """The preview's MkDocs hooks file (see ``PREVIEW_HOOKS``), in ``project``."""
    folder = project / "compiled-templates"
    folder.mkdir(parents=True, exist_ok=True)
    hooks = project / "preview_hooks.py"
    text = PREVIEW_HOOKS.format(folder=str(folder))
    if not hooks.is_file() or hooks.read_text(encoding="utf-8") != text:
        hooks.write_text(text, encoding="utf-8")
    return hooks


def _titles(model: SiteModel) -> dict[str, str]:
    return {page.doc: page.title for page in model.pages}


class MkDocsEngine:
    """``<module> build --strict`` on a generated mkdocs.yml (MkDocs or ProperDocs)."""

    escaped = True

    def __init__(self, name: str, *, module: str, package: str) -> None:
        self.name, self.module, self.package = name, module, package

    def available(self) -> bool:
        return module_available(self.module) and module_available("material")

    def version(self) -> str:
        versions = [f"{self.package}=={metadata.version(self.package)}"]
        versions.append(f"mkdocs-material=={metadata.version('mkdocs-material')}")
        return ";".join(versions)

    def prepare(self, model: SiteModel, project: Path) -> list[str]:
        if not self.available():
            raise EngineMissing(
                f"the site engine '{self.name}' is not installed: "
                f"pip install {self.package} mkdocs-material"
            )
        write_docs(model, project / "docs", escaped=self.escaped)
        config = mkdocs_config(model, str(project / "docs"), str(project / "site"))
        config_file = project / "mkdocs.yml"
        config_file.write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        return [*python_module(self.module), "build", "--strict", "--quiet", "-f", str(config_file)]

    def prepare_preview(self, model: SiteModel, project: Path) -> list[str]:
        """For `workbook serve`: bring ``project`` up to date with ``model``, writing only the
        files that changed, and return ``build --dirty``, which rebuilds only their pages (no
        command when no file changed); or,
        when the settings or the navigation changed or a page went away, a full strict build
        (as ``prepare``). The theme's files are not compared: when they change, give it an
        empty ``project``.

        A dirty build does not read the pages it does not rebuild, so their titles would be
        missing from the navigation: here the navigation gives every page its title (the
        same text its front matter gives it). And the theme's templates, compiled again by
        each build, are kept compiled between builds (a third of a dirty build's time)."""
        if not self.available():
            return self.prepare(model, project)  # says what to install
        config = mkdocs_config(model, str(project / "docs"), str(project / "site"), titled=True)
        config["hooks"] = [str(_write_hooks(project))]
        text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        config_file = project / "mkdocs.yml"
        unchanged = (project / "site").is_dir() and (
            config_file.is_file() and config_file.read_text(encoding="utf-8") == text
        )
        synced = sync_files(docs_files(model, escaped=self.escaped), project / "docs")
        command = [*python_module(self.module), "build", "--quiet", "-f", str(config_file)]
        if unchanged and not synced.removed:
            return [*command, "--dirty"] if synced.written else []
        config_file.write_text(text, encoding="utf-8")
        return [*command, "--strict"]

    def build_preview(self, command: list[str]) -> tuple[int, str] | None:
        """Run a ``--dirty`` command of ``prepare_preview`` in this process, as `mkdocs serve`
        does: MkDocs stays imported between the preview's builds, which saves the half of a
        small build that starting it takes. (exit status, what it logged); None for any
        other command, which runs as a process of its own (a full build's memory goes with
        it)."""
        if "--dirty" not in command or "-f" not in command:
            return None
        config_file = command[command.index("-f") + 1]
        build = importlib.import_module(f"{self.module}.commands.build")
        config = importlib.import_module(f"{self.module}.config")
        engine_log = logging.getLogger(self.module)
        said = io.StringIO()
        handler = logging.StreamHandler(said)
        handler.setLevel(logging.WARNING)
        level = engine_log.level
        engine_log.addHandler(handler)
        engine_log.setLevel(logging.WARNING)
        try:
            build.build(config.load_config(config_file), dirty=True)
        except Exception as problem:  # its own errors (Abort, BuildError, ConfigurationError)
            return 1, f"{said.getvalue()}{type(problem).__name__}: {problem}"
        finally:
            engine_log.removeHandler(handler)
            engine_log.setLevel(level)
        return 0, said.getvalue()
