"""Many banks: the navigation stops listing them, so page size does not grow with the catalogue."""

from __future__ import annotations

from pathlib import Path

from generator.site import build_site
from generator.site.config import NAV_BANKS_LIMIT
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content


def test_many_banks_are_listed_on_home_not_in_every_page(tmp_path: Path) -> None:
    count = NAV_BANKS_LIMIT + 1
    banks = {
        f"bank-{n:02d}": bank_yaml(f"bank-{n:02d}", [exercise_yaml(f"exercise-{n:02d}")])
        for n in range(count)
    }
    content = load_content(write_content(tmp_path / "content", banks=banks))
    out = tmp_path / "site"
    build_site(content, out, with_pdfs=False)  # strict mkdocs: unlisted pages must not warn
    exercise_page = (out / "exercises" / "exercise-00" / "index.html").read_text("utf-8")
    assert "banks/bank-05/" not in exercise_page
    home = (out / "index.html").read_text("utf-8")
    for n in range(count):
        assert f'href="banks/bank-{n:02d}/"' in home
        assert (out / "banks" / f"bank-{n:02d}" / "index.html").is_file()
