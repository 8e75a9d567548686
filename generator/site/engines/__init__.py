"""The site engines, behind one seam.

The site stage hands each language's :class:`~generator.site.engines.base.SiteModel` (pages,
navigation, settings: plain, unescaped strings) to one adapter, which alone knows its engine's
config format, escaping, theme overrides, strict mode and environment.

Adapters: ``mkdocs-material`` (the default: MkDocs 1.x with Material for MkDocs),
``properdocs`` (MkDocs 1.x continued, same theme) and ``zensical`` (Material's successor).
"""

from __future__ import annotations

from generator.site.engines.base import Engine, SiteModel
from generator.site.engines.mkdocs import MkDocsEngine
from generator.site.engines.zensical import ZensicalEngine

DEFAULT_ENGINE = "mkdocs-material"
ENGINES: dict[str, Engine] = {
    engine.name: engine
    for engine in (
        MkDocsEngine("mkdocs-material", module="mkdocs", package="mkdocs"),
        MkDocsEngine("properdocs", module="properdocs", package="properdocs"),
        ZensicalEngine(),
    )
}


def engine_named(name: str) -> Engine:
    """The adapter called ``name`` (one of :data:`ENGINES`)."""
    return ENGINES[name]


def installed_engines() -> list[str]:
    """The names of the engines that can run here."""
    return [name for name, engine in ENGINES.items() if engine.available()]


__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "SiteModel", "engine_named", "installed_engines"]
