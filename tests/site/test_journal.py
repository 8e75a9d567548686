"""The private journal (issue #24): answers typed on an exercise page, kept in IndexedDB on this
device only, "My journal", exports and imports, the passphrase lock, erasing, the offline
service worker and the privacy page. Browser tests run in headless Chromium with Playwright's
clock (the save waits for a pause in the typing) and record every request."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.site import build_site
from generator.site.offline import CACHE_PREFIX, build_hash
from generator.validate import load_content
from tests.conftest import bank_yaml, exercise_yaml, write_content
from tests.site.conftest import serve

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
DB = "alliance-workbook-journal"
PROMPTS = """\
    prompts:
      - text: {fr: Qu’avez-vous remarqué dans votre corps ?, en: What did you notice in your body?}
        lines: 3
      - text: {fr: Que ferez-vous la prochaine fois ?, en: What will you do next time?}
        space: box
        lines: 6
"""


def _exercise(exercise_id: str, title_fr: str, title_en: str) -> str:
    """An exercise with two prompts: ruled lines (3) and a box (6 lines)."""
    text = exercise_yaml(exercise_id, title_fr=title_fr, title_en=title_en)
    return re.sub(r"    prompts:\n(?:      .*\n)+", lambda _: PROMPTS, text)


def _build(root: Path, *, extra_title: str = "Le miroir") -> Path:
    bank = bank_yaml(
        "alpha",
        [
            _exercise("body-map", "La carte du corps", "The body map"),
            _exercise("mirror", extra_title, "The mirror"),
        ],
    )
    content = write_content(root / "content", banks={"alpha": bank})
    build_site(load_content(content), root / "site", with_pdfs=False)
    return root / "site"


@pytest.fixture(scope="module")
def journal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("journal"))


@pytest.fixture(scope="module")
def journal_url(journal_site: Path) -> Iterator[str]:
    with serve(journal_site) as url:
        yield url


# --- without a browser -----------------------------------------------------------------------


def test_exercise_page_has_a_labelled_answer_field_per_prompt(journal_site: Path) -> None:
    html = (journal_site / "exercises/body-map/index.html").read_text(encoding="utf-8")
    assert re.search(r'<p id="wb-prompt-1">Qu’avez-vous remarqué dans votre corps\s\?</p>', html)
    fields = re.findall(r"<textarea [^>]*>", html)
    assert len(fields) == 2
    assert 'rows="3"' in fields[0] and 'aria-labelledby="wb-prompt-1"' in fields[0]
    rows = int(re.search(r'rows="(\d+)"', fields[1]).group(1))  # type: ignore[union-attr]
    assert rows > 6 and 'aria-labelledby="wb-prompt-2"' in fields[1]
    assert '<input id="wb-journal-date" type="date">' in html
    # the journal's interface stays out of the search index
    for marker in ("data-wb-journal ", "data-wb-answer ", "data-wb-journal-foot "):
        for tag in re.findall(rf"<[^>]*{marker}[^>]*>", html):
            assert "data-pagefind-ignore" in tag, tag
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp is not None and "connect-src 'self'" in csp.group(1)
    assert "default-src 'self'" in csp.group(1)
    assert '<link rel="manifest" href="../../manifest.webmanifest">' in html


def test_journal_and_privacy_pages_exist_in_both_languages(journal_site: Path) -> None:
    for prefix, journal_title, privacy_title in (
        ("", "Mon journal", "Confidentialité"),
        ("en/", "My journal", "Privacy"),
    ):
        journal = (journal_site / prefix / "journal/index.html").read_text(encoding="utf-8")
        privacy = (journal_site / prefix / "privacy/index.html").read_text(encoding="utf-8")
        assert f"<h1>{journal_title}</h1>" in journal
        assert f"<h1>{privacy_title}</h1>" in privacy
        assert "data-pagefind-body" in privacy and "data-pagefind-body" not in journal
    privacy_fr = (journal_site / "privacy/index.html").read_text(encoding="utf-8")
    assert "ne peut pas être retrouvée" in privacy_fr and "bandeau de consentement" in privacy_fr
    privacy_en = (journal_site / "en/privacy/index.html").read_text(encoding="utf-8")
    assert "cannot be recovered" in privacy_en and "no consent banner" in privacy_en


def _settings(worker: Path) -> dict[str, Any]:
    text = worker.read_text(encoding="utf-8")
    found = re.search(r"const SETTINGS = (\{.*?\n\});", text, re.S)
    assert found is not None
    settings: dict[str, Any] = json.loads(found.group(1))
    return settings


def test_each_language_root_has_a_service_worker_named_by_the_build(
    journal_site: Path, tmp_path: Path
) -> None:
    content = load_content(journal_site.parent / "content")
    digest = build_hash(content, with_pdfs=False)
    for lang, prefix, up in (("fr", "", ""), ("en", "en/", "../")):
        settings = _settings(journal_site / prefix / "sw.js")
        assert settings["cache"] == f"{CACHE_PREFIX}{lang}-{digest}"
        precache = settings["precache"]
        for path in (
            "./",
            "journal/",
            "privacy/",
            "assets/workbook/journal-answers.js",
            "assets/workbook/journal-core.js",
            "data/exercises.json",
            "manifest.webmanifest",
            f"{up}pagefind/pagefind.js",
        ):
            assert path in precache, (lang, path)
        search = [path for path in precache if "pagefind/index/" in path]
        assert search and all(f"/index/{lang}_" in path for path in search)
        for path in precache:
            assert (journal_site / prefix / path).exists(), path
        manifest = json.loads((journal_site / prefix / "manifest.webmanifest").read_text("utf-8"))
        assert manifest["lang"] == lang and manifest["start_url"] == "./"
        assert manifest["scope"] == "./" and manifest["display"] == "standalone"
        icon = manifest["icons"][0]["src"]
        assert (journal_site / prefix / icon).read_text("utf-8").startswith("<svg")
    assert not (journal_site / "assets/workbook/sw.js").exists()
    # another build of other content gets another cache name
    other = _build(tmp_path, extra_title="Le miroir, autrement")
    assert _settings(other / "sw.js")["cache"] != _settings(journal_site / "sw.js")["cache"]


def test_strings_and_schema_of_the_journal() -> None:
    english = yaml.safe_load((TEMPLATES / "strings/en.yml").read_text(encoding="utf-8"))
    french = yaml.safe_load((TEMPLATES / "strings/fr.yml").read_text(encoding="utf-8"))
    mine = {key for key in english if key.startswith("journal.")}
    assert mine == {key for key in french if key.startswith("journal.")}
    for key in mine:
        assert set(re.findall(r"\{(\w+)\}", english[key])) == set(
            re.findall(r"\{(\w+)\}", french[key])
        ), key
    partial = (TEMPLATES / "site/partials/journal.html.j2").read_text(encoding="utf-8")
    listed = re.search(r"journal_keys = \[(.*?)\]", partial, re.S)
    assert listed is not None
    given = {f"journal.{key}" for key in re.findall(r'"(\w+)"', listed.group(1))}
    used: set[str] = set()
    for script in (TEMPLATES / "site/assets").glob("journal*.js"):
        used |= set(re.findall(r'"(journal\.\w+)"', script.read_text(encoding="utf-8")))
    assert used <= given <= mine
    schema = json.loads((TEMPLATES / "site/assets/journal.schema.json").read_text("utf-8"))
    assert schema["properties"]["format"] == {"const": "alliance-workbook-journal"}
    assert schema["properties"]["version"]["const"] == 1


def _conforms_to_the_schema(data: dict[str, Any]) -> None:
    """The plain export against journal.schema.json (its keys, required fields and patterns:
    no JSON Schema validator is among the test dependencies)."""
    schema = json.loads((TEMPLATES / "site/assets/journal.schema.json").read_text("utf-8"))
    assert set(data) <= set(schema["properties"]) and {"format", "version"} <= set(data)
    entry = schema["$defs"]["entry"]
    answer = entry["properties"]["answers"]["items"]
    for item in data["entries"]:
        assert set(entry["required"]) <= set(item) <= set(entry["properties"])
        for key, rule in entry["properties"].items():
            if "pattern" in rule and key in item:
                assert re.search(rule["pattern"], item[key]), (key, item[key])
        for pair in item["answers"]:
            assert set(pair) == set(answer["required"]) == set(answer["properties"])


# --- in the browser --------------------------------------------------------------------------

DUMP = """async (name) => {
  const names = (await indexedDB.databases()).map((db) => db.name);
  if (!names.includes(name)) return null;
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const dump = (value) => {
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      return {bytes: new TextDecoder("latin1").decode(value)};
    }
    if (Array.isArray(value)) return value.map(dump);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, dump(item)]));
    }
    return value;
  };
  const stores = {};
  for (const store of db.objectStoreNames) {
    stores[store] = await new Promise((resolve) => {
      const request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => resolve(dump(request.result));
    });
  }
  db.close();
  return stores;
}"""


def _stores(page: Any) -> dict[str, list[Any]] | None:
    stores: dict[str, list[Any]] | None = page.evaluate(DUMP, DB)
    return stores


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


FOOT = "[data-wb-journal-foot]"


def _journal(page: Any) -> Any:
    return page.locator("[data-wb-journal]")


def _open_exercise(page: Any, url: str) -> None:
    page.goto(url)
    _expect()(_journal(page)).to_have_attribute("data-state", re.compile("ready|locked"))


def _type_and_save(page: Any, index: int, text: str) -> None:
    field = page.locator(f"#wb-answer-{index}")
    field.press_sequentially(text)
    _expect()(_journal(page)).to_have_attribute("data-state", "pending")
    page.clock.run_for(600)
    _expect()(_journal(page)).to_have_attribute("data-state", "saved")


def _open_journal(page: Any, url: str) -> None:
    page.goto(url)
    _expect()(page.locator("[data-wb-journal-page]")).to_have_attribute(
        "data-state", re.compile("ready|locked")
    )


def _download(page: Any, action: Any) -> str:
    with page.expect_download() as info:
        action()
    path = info.value.path()
    return str(Path(path).read_text(encoding="utf-8"))


def _import(page: Any, text: str, passphrase: str = "") -> str:
    page.set_input_files(
        "#wb-journal-file",
        files=[{"name": "journal.json", "mimeType": "application/json", "buffer": text.encode()}],
    )
    page.locator("#wb-journal-file-passphrase").fill(passphrase)
    message = page.locator("[data-import-message]")
    message.evaluate("node => { node.textContent = ''; }")
    page.locator('[data-action="import"]').click()
    _expect()(message).not_to_have_text("")
    return str(message.inner_text())


# Marks <html data-test-search="ready"> when the header's search engine has loaded (search.js
# fires "wb-search-ready"); added before the page loads.
WATCH_SEARCH = """document.addEventListener("wb-search-ready", () => {
  document.documentElement.dataset.testSearch = "ready";
});"""


OFFLINE_WAIT = 6500
"""Past offline.js's FIRST_VISIT_DELAY (4 s) and its idle callback's timeout (2 s)."""


def _settle(page: Any) -> None:
    """Let the page load what it loads by itself: the header's search engine (on hover, else
    when the page is idle) and the offline copy of the page (on a first visit, after a quiet
    while: the page's clock is run past it). Needs WATCH_SEARCH and page.clock.install()."""
    page.locator("#wb-search-input").hover()
    _expect()(page.locator("html")).to_have_attribute("data-test-search", "ready")
    page.clock.run_for(OFFLINE_WAIT)
    _expect()(page.locator("html")).to_have_attribute("data-wb-offline", "ready", timeout=20000)


def _record(context: Any) -> list[str]:
    """Every request of the context (pages, workers, service worker) from now on."""
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    return seen


def _network(urls: list[str]) -> list[str]:
    """The requests that reach a server: not blob: downloads, nor the tab's icon, which the
    browser fetches on its own schedule (it carries nothing of the page)."""
    return [
        url
        for url in urls
        if url.startswith(("http:", "https:", "ws:", "wss:"))
        and not url.endswith("/assets/images/favicon.png")
    ]


@pytest.mark.browser
def test_answers_are_kept_on_this_device_only(browser: Any, page: Any, journal_url: str) -> None:
    page.clock.install()
    _open_exercise(page, journal_url + "exercises/body-map/")
    assert page.locator("#wb-journal-date").input_value() == page.evaluate(
        "(() => { const d = new Date(); const two = (n) => String(n).padStart(2, '0'); "
        "return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`; })()"
    )
    name = re.compile(r"^Qu’avez-vous remarqué dans votre corps\s\?$")
    assert page.get_by_role("textbox", name=name).count() == 1
    assert page.locator("#wb-answer-1").get_attribute("rows") == "3"
    _type_and_save(page, 1, "Une tension dans la mâchoire")
    _type_and_save(page, 2, "Respirer\navant de répondre")
    assert "Enregistré sur cet appareil" in page.locator("[data-status]").inner_text()
    assert re.search(r"#entry=[0-9a-f]{32}$", page.url)
    page.reload()
    _expect()(_journal(page)).to_have_attribute("data-state", "ready")
    assert page.locator("#wb-answer-1").input_value() == "Une tension dans la mâchoire"
    assert page.locator("#wb-answer-2").input_value() == "Respirer\navant de répondre"
    # English page, same device: the same journal
    _open_exercise(page, journal_url + "en/exercises/body-map/")
    assert page.locator("#wb-answer-1").input_value() == "Une tension dans la mâchoire"
    # another browser context (another profile) sees nothing
    other = browser.new_context()
    try:
        fresh = other.new_page()
        _open_exercise(fresh, journal_url + "exercises/body-map/")
        assert fresh.locator("#wb-answer-1").input_value() == ""
        assert _stores(fresh) == {"entries": [], "meta": []}
    finally:
        other.close()
    assert page.console_errors == []


@pytest.mark.browser
def test_no_request_while_typing_saving_exporting_and_importing(
    page: Any, journal_url: str
) -> None:
    page.clock.install()
    page.add_init_script(WATCH_SEARCH)
    first_load = _record(page.context)
    _open_exercise(page, journal_url + "exercises/mirror/")
    _settle(page)
    assert all(url.startswith(journal_url) for url in _network(first_load)), first_load
    typing = _record(page.context)
    _type_and_save(page, 1, "Rien ne part")
    _type_and_save(page, 2, "Toujours rien")
    _download(page, page.locator(f'{FOOT} [data-action="export-md"]').click)
    exported = _download(page, page.locator(f'{FOOT} [data-action="export-json"]').click)
    assert _network(typing) == []
    _open_journal(page, journal_url + "journal/")
    _settle(page)
    importing = _record(page.context)
    data = json.loads(exported)
    data["entries"][0]["id"] = "imported-one"
    assert _import(page, json.dumps(data)).startswith("Importé : nouvelles entrées : 1 ;")
    page.locator("#wb-journal-search").fill("rien")
    _download(page, page.locator('[data-action="export-json"]').click)
    _download(page, page.locator('[data-action="export-md"]').click)
    assert _network(importing) == []
    assert page.console_errors == []


@pytest.mark.browser
def test_markdown_export_holds_prompts_and_answers(page: Any, journal_url: str) -> None:
    page.clock.install()
    _open_exercise(page, journal_url + "en/exercises/body-map/")
    _type_and_save(page, 1, "# A heading? no, a tight jaw")
    markdown = _download(page, page.locator(f'{FOOT} [data-action="export-md"]').click)
    assert markdown.startswith("# My journal — ")
    assert "## The body map" in markdown
    assert "### 1. What did you notice in your body?" in markdown
    assert "\\# A heading? no, a tight jaw" in markdown
    assert "### 2. What will you do next time?" in markdown and "*(no answer)*" in markdown
    assert "Date of work: " in markdown


@pytest.mark.browser
def test_json_export_imports_into_a_fresh_context_identically(
    browser: Any, page: Any, journal_url: str
) -> None:
    page.clock.install()
    _open_exercise(page, journal_url + "exercises/body-map/")
    _type_and_save(page, 1, "Première fois")
    page.locator('[data-action="new"]').click()
    _expect()(page.locator("#wb-answer-1")).to_have_value("")
    page.locator("#wb-journal-date").fill("2024-03-01")
    _type_and_save(page, 1, "Deuxième fois, des mois plus tard")
    _open_exercise(page, journal_url + "exercises/mirror/")
    _type_and_save(page, 2, "Le miroir répond")
    _open_journal(page, journal_url + "journal/")
    groups = page.locator(".wb-journal__group h3")
    assert groups.all_inner_texts() == ["Le miroir", "La carte du corps"]  # newest first
    assert page.locator("#wb-journal-count").inner_text() == "Entrées : 3 · exercices : 2."
    page.locator("#wb-journal-search").fill("mois plus")
    assert page.locator(".wb-journal__entry").count() == 1
    assert page.locator(".wb-journal__excerpt mark").all_inner_texts() == ["mois", "plus"]
    assert page.locator("#wb-journal-count").inner_text() == (
        "Entrées contenant « mois plus » : 1 sur 3."
    )
    page.locator("#wb-journal-search").fill("")
    exported = _download(page, page.locator('[data-action="export-json"]').click)
    data = json.loads(exported)
    assert data["format"] == "alliance-workbook-journal" and data["version"] == 1
    assert len(data["entries"]) == 3
    _conforms_to_the_schema(data)
    other = browser.new_context()
    try:
        fresh = other.new_page()
        fresh.clock.install()
        _open_journal(fresh, journal_url + "en/journal/")
        assert _import(fresh, exported) == ("Imported: 3 new, 0 updated, 0 already there.")
        assert _import(fresh, exported) == ("Imported: 0 new, 0 updated, 3 already there.")
        assert fresh.locator(".wb-journal__group h3").all_inner_texts() == [
            "The mirror",
            "The body map",
        ]
        again = json.loads(_download(fresh, fresh.locator('[data-action="export-json"]').click))
        assert again["entries"] == data["entries"]
        # open an entry from the journal to continue it on its exercise page
        older = fresh.locator(".wb-journal__entry").filter(has_text="March 1, 2024")
        older.locator(".wb-journal__open").click()
        _expect()(fresh.locator("[data-wb-journal]")).to_have_attribute("data-state", "ready")
        assert "#entry=" in fresh.url
        assert fresh.locator("#wb-answer-1").input_value() == "Deuxième fois, des mois plus tard"
        assert fresh.locator("#wb-journal-date").input_value() == "2024-03-01"
        assert fresh.locator("#wb-journal-entry option").count() == 2
    finally:
        other.close()


@pytest.mark.browser
def test_a_malformed_or_foreign_import_changes_nothing(page: Any, journal_url: str) -> None:
    page.clock.install()
    _open_exercise(page, journal_url + "exercises/body-map/")
    _type_and_save(page, 1, "À garder tel quel")
    _open_journal(page, journal_url + "journal/")
    before = _stores(page)
    good = {
        "format": "alliance-workbook-journal",
        "version": 1,
        "entries": [
            {
                "id": "abc",
                "exercise": "mirror",
                "date": "2024-01-02",
                "created": "2024-01-02T10:00:00.000Z",
                "updated": "2024-01-02T10:00:00.000Z",
                "answers": [{"prompt": "Q", "answer": "A"}],
            }
        ],
    }
    broken_entry = json.loads(json.dumps(good))
    del broken_entry["entries"][0]["date"]
    duplicated = json.loads(json.dumps(good))
    duplicated["entries"].append(json.loads(json.dumps(good))["entries"][0])
    cases = {
        "{ not json": "ce n’est pas un fichier JSON",
        json.dumps(
            {"format": "something-else", "version": 1, "entries": []}
        ): "ce n’est pas un journal exporté depuis ce site",
        json.dumps([1, 2, 3]): "ce n’est pas un journal exporté depuis ce site",
        json.dumps({**good, "version": 2}): "format version 2",
        json.dumps(broken_entry): "l’entrée 1 est incomplète ou mal formée (champ « date »)",
        json.dumps(duplicated): "l’entrée 2 a le même identifiant",
    }
    for text, reason in cases.items():
        message = _import(page, text)
        assert message.startswith("Ce fichier ne peut pas être importé : "), message
        assert reason in message and message.endswith("Rien n’a été modifié."), message
        assert _stores(page) == before
    assert page.locator(".wb-journal__entry").count() == 1
    assert page.console_errors == []


MARKER = "zèbre-confidentiel"


def _raw(page: Any) -> str:
    return json.dumps(_stores(page), ensure_ascii=False)


@pytest.mark.browser
def test_a_passphrase_keeps_only_ciphertext_and_a_wrong_one_fails_cleanly(
    page: Any, journal_url: str
) -> None:
    page.clock.install()
    _open_exercise(page, journal_url + "exercises/body-map/")
    _type_and_save(page, 1, f"Le mot {MARKER} ici")
    assert MARKER in _raw(page)  # unlocked: stored as typed
    _open_journal(page, journal_url + "journal/")
    page.locator("#wb-journal-new-passphrase").fill("court")
    page.locator("#wb-journal-new-passphrase-again").fill("court")
    page.locator('[data-action="lock"]').click()
    _expect()(page.locator("[data-lock-message]")).to_have_text(
        "La phrase de passe doit compter au moins 8 caractères."
    )
    page.locator("#wb-journal-new-passphrase").fill("une longue phrase")
    page.locator("#wb-journal-new-passphrase-again").fill("une longue phrasE")
    page.locator('[data-action="lock"]').click()
    _expect()(page.locator("[data-lock-message]")).to_have_text(
        "Les deux phrases de passe diffèrent."
    )
    page.locator("#wb-journal-new-passphrase-again").fill("une longue phrase")
    page.locator('[data-action="lock"]').click()
    _expect()(page.locator("[data-lock-message]")).to_have_text(
        "Le journal est verrouillé ; entrées conservées chiffrées : 1.", timeout=20000
    )
    assert "ne peut pas être retrouvée" in page.locator(".wb-journal__warning").inner_text()
    stored = _stores(page)
    assert stored is not None
    raw = json.dumps(stored, ensure_ascii=False)
    assert MARKER not in raw and "mâchoire" not in raw and "body-map" not in raw
    assert "une longue phrase" not in raw
    (record,) = stored["entries"]
    assert set(record) == {"id", "iv", "data"}
    (lock,) = stored["meta"]
    assert lock["iterations"] == 600000 and len(lock["salt"]["bytes"]) == 16
    # a locked journal exports encrypted unless plain text is chosen
    sealed = _download(page, page.locator('[data-action="export-json"]').click)
    assert MARKER not in sealed and json.loads(sealed)["encrypted"]["kdf"] == "PBKDF2-SHA-256"
    assert page.locator('[data-action="export-md"]').is_disabled()
    page.locator("#wb-journal-plain").check()
    assert MARKER in _download(page, page.locator('[data-action="export-md"]').click)
    # on the exercise page, the fields wait for the passphrase
    _open_exercise(page, journal_url + "exercises/body-map/")
    assert _journal(page).get_attribute("data-state") == "locked"
    assert page.locator("#wb-answer-1").is_disabled()
    page.locator("#wb-journal-passphrase").fill("pas la bonne")
    page.locator("#wb-journal-passphrase").press("Enter")
    _expect()(page.locator("[data-unlock-error]")).to_have_text(
        "Phrase de passe incorrecte : rien n’a été ouvert ni modifié.", timeout=20000
    )
    assert _stores(page) == stored
    assert page.locator("#wb-answer-1").is_disabled()
    page.locator("#wb-journal-passphrase").fill("une longue phrase")
    page.locator("#wb-journal-passphrase").press("Enter")
    _expect()(_journal(page)).to_have_attribute("data-state", "ready", timeout=20000)
    assert page.locator("#wb-answer-1").input_value() == f"Le mot {MARKER} ici"
    _type_and_save(page, 2, f"Encore {MARKER}")
    assert MARKER not in _raw(page)
    # the encrypted export imports elsewhere with its passphrase only
    fresh_page = page.context.browser.new_context().new_page()
    try:
        _open_journal(fresh_page, journal_url + "journal/")
        assert "phrase de passe manque ou est incorrecte" in _import(fresh_page, sealed)
        assert "phrase de passe manque ou est incorrecte" in _import(fresh_page, sealed, "faux mot")
        assert _stores(fresh_page) in (None, {"entries": [], "meta": []})
        assert _import(fresh_page, sealed, "une longue phrase").startswith(
            "Importé : nouvelles entrées : 1 ;"
        )
        assert MARKER in _raw(fresh_page)  # that journal has no passphrase
    finally:
        fresh_page.context.close()
    assert page.console_errors == []


@pytest.mark.browser
def test_erasing_asks_first_and_leaves_no_journal_record(page: Any, journal_url: str) -> None:
    page.clock.install()
    _open_exercise(page, journal_url + "exercises/body-map/")
    _type_and_save(page, 1, "Première")
    page.locator('[data-action="new"]').click()
    _type_and_save(page, 1, "Seconde")
    assert page.locator("#wb-journal-entry option").count() == 2
    # keyboard: the dialog opens on Enter, names the entry, Escape keeps it
    page.locator('[data-wb-journal-foot] [data-action="erase"]').focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.wb-dialog")
    _expect()(dialog).to_be_visible()
    assert "La carte du corps" in dialog.inner_text() and "ses réponses (1)" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Garder"
    page.keyboard.press("Escape")
    _expect()(dialog).to_have_count(0)
    assert page.locator("#wb-journal-entry option").count() == 2
    page.locator('[data-wb-journal-foot] [data-action="erase"]').focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Effacer"
    page.keyboard.press("Enter")
    _expect()(page.locator("[data-status]")).to_have_text("L’entrée est effacée.")
    assert page.locator("#wb-journal-entry option").count() == 1
    assert page.locator("#wb-answer-1").input_value() == "Première"
    stores = _stores(page)
    assert stores is not None and len(stores["entries"]) == 1
    # everything, with a passphrase lock too
    _open_journal(page, journal_url + "en/journal/")
    page.locator("#wb-journal-new-passphrase").fill("another passphrase")
    page.locator("#wb-journal-new-passphrase-again").fill("another passphrase")
    page.locator('[data-action="lock"]').click()
    _expect()(page.locator("[data-lock-message]")).to_have_text(
        re.compile("The journal is locked"), timeout=20000
    )
    page.reload()
    _expect()(page.locator("[data-wb-journal-page]")).to_have_attribute("data-state", "locked")
    page.locator('[data-action="erase-all"]').click()
    assert dialog.locator("p").inner_text() == (
        "All the entries of your journal (1) will be deleted from this device. This cannot be "
        "undone. The passphrase lock goes too."
    )
    dialog.get_by_role("button", name="Erase").click()
    _expect()(page.locator("[data-status]")).to_have_text(
        "The journal is erased: nothing of it is left on this device."
    )
    assert _stores(page) in (None, {"entries": [], "meta": []})
    assert page.locator("#wb-journal-count").inner_text() == (
        "Your journal is empty: open an exercise and write in its answer fields."
    )
    assert page.console_errors == []


@pytest.mark.browser
def test_print_shows_the_answers_in_the_write_in_space(page: Any, journal_url: str) -> None:
    page.clock.install()
    _open_exercise(page, journal_url + "exercises/body-map/")
    _type_and_save(page, 2, "Ma réponse imprimée")
    page.emulate_media(media="print")
    printed = page.locator(".wb-answer__print").nth(1)
    _expect()(printed).to_be_visible()
    assert printed.inner_text() == "Ma réponse imprimée"
    assert page.locator("#wb-answer-2").is_hidden()
    assert page.locator('[data-action="print"]').is_hidden()
    assert page.locator(".wb-journal__printdate").inner_text().startswith("Date de travail : ")
    height = printed.bounding_box()["height"]
    assert height > page.locator(".wb-answer__print").nth(0).bounding_box()["height"]


@pytest.mark.browser
@pytest.mark.parametrize("path", ["exercises/body-map/", "en/journal/", "privacy/"])
def test_no_horizontal_scroll_at_390_pixels(browser: Any, journal_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto(journal_url + path)
        tab.wait_for_selector("[data-wb-journal], [data-wb-journal-page], .wb-privacy")
        if "privacy" not in path:
            tab.wait_for_selector("[data-state=ready]")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path", ["journal/", "en/journal/", "privacy/", "en/privacy/", "exercises/body-map/"]
)
def test_axe_finds_no_violation_on_the_journal_and_privacy_pages(
    page: Any, journal_url: str, path: str, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.emulate_media(color_scheme=scheme)
    page.goto(journal_url + path)
    if "journal" in path:
        _expect()(page.locator("[data-wb-journal-page]")).to_have_attribute("data-state", "ready")
    if "exercises" in path:  # with an entry, so that every control is enabled
        page.locator("#wb-answer-1").fill("Une réponse")
        _expect()(_journal(page)).to_have_attribute("data-state", "saved")
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.browser
def test_offline_after_a_first_visit(browser: Any, tmp_path: Path) -> None:
    site = _build(tmp_path)
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        page.clock.install()
        with serve(site) as url:
            _open_exercise(page, url + "exercises/mirror/")
            # the service worker is not registered while the reader starts on the page
            assert page.evaluate("navigator.serviceWorker.getRegistrations()") == []
            page.clock.run_for(OFFLINE_WAIT)
            page.wait_for_selector("html[data-wb-offline=ready]", state="attached", timeout=30000)
            page.goto(url + "journal/")
            page.wait_for_selector("html[data-wb-offline=ready]", state="attached")
        # the server is gone and the network is off
        context.set_offline(True)
        _open_exercise(page, url + "exercises/mirror/")
        assert page.locator("h1").first.inner_text() == "Le miroir"
        _type_and_save(page, 1, "Écrit hors connexion")
        page.reload()
        _expect()(_journal(page)).to_have_attribute("data-state", "ready")
        assert page.locator("#wb-answer-1").input_value() == "Écrit hors connexion"
        # the body-map page was never opened, but the journal page was cached
        _open_journal(page, url + "journal/")
        assert page.locator(".wb-journal__entry").count() == 1
        page.goto(url + "exercises/body-map/")
        assert page.locator("h1").inner_text() == "Hors connexion"
    finally:
        context.close()


@pytest.mark.browser
def test_a_new_build_replaces_the_cached_copy(browser: Any, tmp_path: Path) -> None:
    site = _build(tmp_path / "first")
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        with serve(site) as url:
            page.goto(url + "exercises/mirror/")
            page.wait_for_selector("html[data-wb-offline=ready]", state="attached", timeout=30000)
            old = _settings(site / "sw.js")["cache"]
            assert page.evaluate("caches.keys()") == [old]
            newer = _build(tmp_path / "second", extra_title="Le miroir, nouveau")
            for path in sorted(newer.rglob("*")):  # publish the new build in place
                if path.is_file():
                    target = site / path.relative_to(newer)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(path.read_bytes())
            new = _settings(site / "sw.js")["cache"]
            assert new != old
            page.reload()
            page.wait_for_function(
                f"caches.keys().then(keys => keys.join() === '{new}')", timeout=30000
            )
            page.reload()
            assert page.locator("h1").first.inner_text() == "Le miroir, nouveau"
    finally:
        context.close()
