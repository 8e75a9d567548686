"""Zensical, Material for MkDocs' successor: it reads the same ``mkdocs.yml``.

What differs from MkDocs, measured with zensical 0.0.73 (the newest that installs here;
0.0.74 and later need a ``zensical-ui`` package that no registry here serves):
- ``docs_dir`` and ``site_dir`` must be relative to the config file (absolute paths panic);
- it renders the theme with MiniJinja, which escapes what it prints, so titles go in plain;
- only its ``classic`` variant keeps Material's markup and CSS variables (the default is
  ``modern``), so the adapter asks for it;
- its own search comes on whatever ``plugins`` says, and adds its search script to every
  page; the site searches with Pagefind through its own header override, so Zensical's index
  is simply not used.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import yaml

from generator.site.engines.base import EngineMissing, SiteModel, module_available, python_module
from generator.site.engines.mkdocs import mkdocs_config, write_docs


class ZensicalEngine:
    name = "zensical"
    escaped = False

    def available(self) -> bool:
        return module_available("zensical")

    def version(self) -> str:
        return f"zensical=={metadata.version('zensical')}"

    def prepare(self, model: SiteModel, project: Path) -> list[str]:
        if not self.available():
            raise EngineMissing("the site engine 'zensical' is not installed: pip install zensical")
        write_docs(model, project / "docs", escaped=self.escaped)
        config = mkdocs_config(model, "docs", "site", escaped=self.escaped)
        # the classic variant keeps Material's markup, CSS and JS, which the theme overrides
        # and the site's own styles are written for (the default "modern" one does not)
        config["theme"]["variant"] = "classic"
        config_file = project / "mkdocs.yml"
        config_file.write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        return [*python_module("zensical"), "build", "--strict", "-f", str(config_file)]
