"""MkDocs 1.x with Material for MkDocs (``mkdocs-material``), and ProperDocs (MkDocs 1.x
continued, same theme and config): the generated ``mkdocs.yml`` and a strict build.

Material prints page titles, descriptions, the site name and navigation titles into HTML
without escaping them, so this adapter HTML-escapes them on the way in (the theme overrides
in ``site/overrides`` read them as such).
"""

from __future__ import annotations

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
)

FEATURES = ["navigation.sections", "navigation.indexes", "navigation.top", "navigation.footer"]


def palette() -> list[dict[str, Any]]:
    """Light and dark schemes following the system; colours come from the brand stylesheet."""
    return [
        {
            "media": "(prefers-color-scheme: light)",
            "scheme": "default",
            "primary": "custom",
            "accent": "custom",
            "toggle": {
                "icon": "material/weather-night",
                "name": "Passer en mode sombre / Switch to dark mode",
            },
        },
        {
            "media": "(prefers-color-scheme: dark)",
            "scheme": "slate",
            "primary": "custom",
            "accent": "custom",
            "toggle": {
                "icon": "material/weather-sunny",
                "name": "Passer en mode clair / Switch to light mode",
            },
        },
    ]


def page_markdown(title: str, description: str, body: str, *, escaped: bool) -> str:
    """A page as Markdown with YAML front matter (HTML inside the body)."""

    def text(value: str) -> str:
        return str(escape(value)) if escaped else value

    front = {"title": text(title), "description": text(description), "hide": ["toc"]}
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{head}---\n\n{body.strip()}\n"


def write_docs(model: SiteModel, docs: Path, *, escaped: bool) -> None:
    """Write the model's pages and files into ``docs``."""
    files: dict[str, str | bytes] = dict(model.files)
    for page in model.pages:
        files[page.doc] = page_markdown(page.title, page.description, page.body, escaped=escaped)
    for relative, data in files.items():
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")


def _nav(items: list[str | NavItem], *, escaped: bool) -> list[Any]:
    entries: list[Any] = []
    for item in items:
        if isinstance(item, str):
            entries.append(item)  # a page, titled by its own front matter
            continue
        title, target = item
        shown = str(escape(title)) if escaped else title
        entries.append(
            {shown: _nav(target, escaped=escaped) if isinstance(target, list) else target}
        )
    return entries


def mkdocs_config(
    model: SiteModel, docs_dir: str, site_dir: str, *, escaped: bool = True
) -> dict[str, Any]:
    """The ``mkdocs.yml`` of ``model`` (a plain dict)."""

    def text(value: str) -> str:
        return str(escape(value)) if escaped else value

    theme: dict[str, Any] = {
        "name": "material",
        "language": model.lang,
        "custom_dir": str(model.theme_dir),
        "font": False,  # no Google fonts: nothing reaches the network
        "palette": palette(),
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
        "nav": _nav(list(model.nav), escaped=escaped),
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
