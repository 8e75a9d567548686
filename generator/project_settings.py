"""The project's settings in ``workbook.yml``: how the site and the PDFs look (part of the
content model, generator/models.py; the checks that need the files are in settings.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from generator.fields import Localised, SiteAddress, Strict

Colour = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"),
    Field(description="A colour as `#rrggbb`, e.g. `#1f5f5b`."),
]
ProjectFile = Annotated[
    str,
    StringConstraints(min_length=1, max_length=300),
    Field(description="A path inside the project folder, relative to `workbook.yml`."),
]


class SiteSettings(Strict):
    """How the website looks and where it is published."""

    url: SiteAddress | None = Field(
        default=None,
        description="The address the site is published at (`https://…/`): canonical links, "
        "language alternates and the sitemap use it.",
    )
    logo: ProjectFile | None = Field(
        default=None, description="Logo shown in the site header (SVG, PNG or JPEG file)."
    )
    favicon: ProjectFile | None = Field(
        default=None, description="The browser tab icon (SVG, PNG or ICO file)."
    )
    primary: Colour = Field(
        default="#3f51b5",
        description="Header colour; white text sits on it, so it needs a 4.5:1 contrast.",
    )
    accent: Colour = Field(
        default="#3949ab",
        description="Links and highlights on the white page; needs a 4.5:1 contrast.",
    )
    footer: Localised | None = Field(
        default=None,
        description="The footer line (e.g. the licence and who publishes the site); "
        "defaults to the licence.",
    )


class PrintFont(Strict):
    """A font family from files in the project, embedded in the PDFs (TrueType or OpenType)."""

    regular: ProjectFile = Field(description="The regular face (.ttf or .otf).")
    bold: ProjectFile | None = Field(default=None, description="The bold face.")
    italic: ProjectFile | None = Field(default=None, description="The italic face.")
    bold_italic: ProjectFile | None = Field(default=None, description="The bold italic face.")


class PrintSettings(Strict):
    """How the PDF workbooks look."""

    paper: Literal["a4", "letter"] = Field(
        default="a4", description="Paper size of the PDFs: `a4` or `letter`."
    )
    font: PrintFont | None = Field(
        default=None, description="Body text font (default: DejaVu Serif, shipped with the tool)."
    )
    logo: ProjectFile | None = Field(
        default=None, description="Logo on the covers (SVG, PNG or JPEG file)."
    )
    accent: Colour = Field(
        default="#1f5f5b",
        description="Colour of titles and rules on paper; needs a 4.5:1 contrast on white.",
    )
