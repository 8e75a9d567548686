"""WeasyPrint, imported in one place so that missing system libraries give one clear message.

WeasyPrint loads Pango, HarfBuzz and fontconfig through ctypes when it is imported; on a bare
machine that fails with a long OSError traceback. Here it becomes a :class:`ToolError` that
names the packages to install.
"""

from __future__ import annotations

from generator.errors import ToolError

SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fontconfig"

try:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse
except OSError as missing:  # pragma: no cover - depends on the machine
    raise ToolError(
        f"WeasyPrint cannot load a system library ({missing}): install Pango, for example "
        f"`sudo apt-get install {SYSTEM_PACKAGES}` on Debian or Ubuntu, "
        "`brew install pango` on macOS"
    ) from None

__all__ = ["HTML", "FontConfiguration", "URLFetcher", "URLFetcherResponse"]
