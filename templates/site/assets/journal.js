// "My journal" page (issue #24): every exercise with answers in this browser, newest first, a
// search over one's own answers (here, in the page: nothing is sent anywhere), exports and
// imports (Markdown, JSON), the optional passphrase and erasing. The store and the file
// formats are in journal-core.js; the page's markup is templates/site/pages/journal.md.j2.
//
// The app's state is in <div data-wb-journal-page data-state="…">: "ready", "locked", "busy"
// or "error".
import {
  Journal, JournalError, MIN_PASSPHRASE, answeredCount, bindUnlock, confirmAction, cryptoAvailable,
  download, errorMessage, formatDay, formatInstant, journalMarkdown, newestFirst, parseFile, today,
  translator,
} from "./journal-core.js";

const app = document.querySelector("[data-wb-journal-page]");
const EXCERPT = 90;

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function words(query) {
  return fold(query).split(/\s+/).filter(Boolean);
}

function matches(entry, title, terms) {
  if (!terms.length) return true;
  const haystack = fold([title, ...entry.answers.flatMap((item) => [item.prompt, item.answer])].join("\n"));
  return terms.every((term) => haystack.includes(term));
}

// An excerpt of the first answer holding the first term (or of the first answer), as nodes:
// text and <mark>, never HTML.
function excerpt(entry, terms) {
  const answers = entry.answers.map((item) => item.answer.trim()).filter(Boolean);
  if (!answers.length) return [];
  let text = answers[0];
  let at = -1;
  if (terms.length) {
    for (const answer of answers) {
      const index = fold(answer).indexOf(terms[0]);
      if (index >= 0) { text = answer; at = index; break; }
    }
  }
  const start = at > EXCERPT / 2 ? at - EXCERPT / 2 : 0;
  const end = Math.min(text.length, start + EXCERPT * 2);
  const slice = (start > 0 ? "…" : "") + text.slice(start, end).replace(/\s+/g, " ") + (end < text.length ? "…" : "");
  if (!terms.length) return [document.createTextNode(slice)];
  const nodes = [];
  const folded = fold(slice);
  let position = 0;
  // fold() keeps lengths for the accents it removes only in NFC text; fall back to plain text
  if (folded.length !== slice.length) return [document.createTextNode(slice)];
  const pattern = new RegExp(terms.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  for (const match of folded.matchAll(pattern)) {
    if (match.index > position) nodes.push(document.createTextNode(slice.slice(position, match.index)));
    const mark = document.createElement("mark");
    mark.textContent = slice.slice(match.index, match.index + match[0].length);
    nodes.push(mark);
    position = match.index + match[0].length;
  }
  if (position < slice.length) nodes.push(document.createTextNode(slice.slice(position)));
  return nodes;
}

async function setup() {
  const t = translator(JSON.parse(app.dataset.ui));
  const lang = app.dataset.lang;
  const site = app.dataset.site;
  const exerciseUrl = (id) => app.dataset.exerciseUrl.replace("__id__", encodeURIComponent(id));
  const $ = (selector) => app.querySelector(selector);
  const status = $("[data-status]");
  const list = $("[data-list]");
  const count = $("[data-count]");
  const search = $("#wb-journal-search");
  const unlockForm = $("[data-unlock]");
  const unlockError = $("[data-unlock-error]");
  const plainRow = $("[data-plain-row]");
  const plainBox = $("#wb-journal-plain");
  const importForm = $("[data-import]");
  const importMessage = $("[data-import-message]");
  const lockForm = $("[data-lock]");
  const lockMessage = $("[data-lock-message]");
  const lockState = $("[data-lock-state]");
  const lockOpen = $("[data-lock-open]");
  const button = (action) => $(`[data-action="${action}"]`);

  let journal = null;
  let entries = [];
  const titles = new Map();  // exercise id → title in this language (from the catalogue)

  function state(value) { app.dataset.state = value; }
  function say(text) { status.textContent = text; }
  function titleOf(entry) {
    return titles.get(entry.exercise) || entry.title || t("journal.untitled", { id: entry.exercise });
  }

  function entryItem(entry, terms) {
    const title = titleOf(entry);
    const date = formatDay(entry.date, lang);
    const context = t("journal.entry_context", { date, title });
    const item = document.createElement("li");
    item.className = "wb-journal__entry";
    item.dataset.entry = entry.id;
    const head = document.createElement("p");
    head.className = "wb-journal__entry-head";
    const link = document.createElement("a");
    link.href = `${exerciseUrl(entry.exercise)}#entry=${entry.id}`;
    link.className = "wb-journal__open";
    link.textContent = date;
    const hidden = document.createElement("span");
    hidden.className = "wb-sr";
    hidden.textContent = ` — ${title}`;
    link.append(hidden);
    const facts = document.createElement("span");
    facts.className = "wb-journal__facts";
    facts.textContent = ` · ${t("journal.answered", { n: answeredCount(entry), total: entry.answers.length })}`
      + ` · ${t("journal.changed", { date: formatInstant(entry.updated, lang) })}`;
    head.append(link, facts);
    const text = document.createElement("p");
    text.className = "wb-journal__excerpt";
    text.append(...excerpt(entry, terms));
    const actions = document.createElement("p");
    actions.className = "wb-journal__entry-actions";
    const action = (label, run) => {
      const control = document.createElement("button");
      control.type = "button";
      control.className = "md-button";
      control.textContent = label;
      const more = document.createElement("span");
      more.className = "wb-sr";
      more.textContent = context;
      control.append(more);
      control.addEventListener("click", run);
      return control;
    };
    const markdown = action(t("journal.entry_md"), () => exportMarkdown([entry], `${entry.exercise}-${entry.date}`));
    markdown.disabled = journal.isLocked && !plainBox.checked;
    markdown.dataset.needsPlain = "";
    actions.append(
      markdown, " ",
      action(t("journal.entry_json"), () => exportJson([entry], `${entry.exercise}-${entry.date}`)), " ",
      action(t("journal.entry_erase"), () => eraseEntry(entry)),
    );
    item.append(head);
    if (text.childNodes.length) item.append(text);
    item.append(actions);
    return item;
  }

  function renderList() {
    const query = search.value.trim();
    const terms = words(query);
    const shown = entries.filter((entry) => matches(entry, titleOf(entry), terms));
    // one group per exercise, the exercise written in most recently first
    const groups = new Map();
    for (const entry of [...shown].sort((a, b) => b.updated.localeCompare(a.updated))) {
      if (!groups.has(entry.exercise)) groups.set(entry.exercise, []);
      groups.get(entry.exercise).push(entry);
    }
    const items = [];
    for (const [exercise, group] of groups) {
      const item = document.createElement("li");
      item.className = "wb-journal__group";
      const heading = document.createElement("h3");
      const link = document.createElement("a");
      link.href = exerciseUrl(exercise);
      link.textContent = titleOf(group[0]);
      heading.append(link);
      const inner = document.createElement("ol");
      inner.className = "wb-journal__entries";
      inner.append(...group.sort(newestFirst).map((entry) => entryItem(entry, terms)));
      item.append(heading, inner);
      items.push(item);
    }
    list.replaceChildren(...items);
    const exercises = new Set(entries.map((entry) => entry.exercise)).size;
    if (!entries.length) count.textContent = journal.isOpen ? t("journal.empty") : t("journal.locked_list");
    else if (!terms.length) count.textContent = t("journal.count", { n: entries.length, m: exercises });
    else if (!shown.length) count.textContent = t("journal.no_match", { q: query });
    else count.textContent = t("journal.shown", { n: shown.length, total: entries.length, q: query });
  }

  function renderControls() {
    const open = journal.isOpen;
    const locked = journal.isLocked;
    unlockForm.hidden = open;
    search.disabled = !open;
    plainRow.hidden = !locked;
    button("export-json").disabled = !open || !entries.length;
    button("export-md").disabled = !open || !entries.length || (locked && !plainBox.checked);
    for (const control of list.querySelectorAll("[data-needs-plain]")) {
      control.disabled = locked && !plainBox.checked;
    }
    if (!cryptoAvailable()) {
      lockState.textContent = t("journal.no_crypto");
      lockForm.hidden = true;
      lockOpen.hidden = true;
    } else {
      lockState.textContent = !locked ? "" : open ? t("journal.is_open") : t("journal.is_locked");
      lockForm.hidden = locked;
      lockOpen.hidden = !(locked && open);
    }
  }

  async function reload() {
    try {
      entries = journal.isOpen ? await journal.entries() : [];
    } catch (error) {
      if (!(error instanceof JournalError && error.code === "locked")) throw error;
      await journal.refresh();
      entries = [];
    }
    renderList();
    renderControls();
    state(journal.isOpen ? "ready" : "locked");
  }

  function stamp() {
    return today();
  }

  function exportMarkdown(chosen, stem) {
    const text = journalMarkdown(chosen, t, lang, { site, titles });
    download(`${stem}.md`, text, "text/markdown;charset=utf-8");
  }

  async function exportJson(chosen, stem) {
    try {
      const data = await journal.exportJson(chosen, { plain: plainBox.checked });
      download(`${stem}.json`, `${JSON.stringify(data, null, 2)}\n`, "application/json");
    } catch (error) {
      say(errorMessage(error, t));
    }
  }

  async function eraseEntry(entry) {
    const yes = await confirmAction({
      title: t("journal.confirm_title_entry"),
      message: t("journal.confirm_entry", {
        date: formatDay(entry.date, lang), title: titleOf(entry), n: answeredCount(entry) }),
      confirm: t("journal.confirm_yes"),
      cancel: t("journal.confirm_no"),
    });
    if (!yes) return;
    try {
      await journal.remove(entry.id);
      await reload();
      say(t("journal.erased_entry"));
      search.focus();
    } catch (error) {
      say(errorMessage(error, t));
    }
  }

  search.addEventListener("input", renderList);
  plainBox.addEventListener("change", renderControls);

  button("export-md").addEventListener("click", () => exportMarkdown(entries, `journal-${stamp()}`));
  button("export-json").addEventListener("click", () => exportJson(entries, `journal-${stamp()}`));

  importForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = $("#wb-journal-file").files[0];
    if (!file) { importMessage.textContent = t("journal.import_choose"); return; }
    state("busy");
    importMessage.textContent = "";
    try {
      if (file.size > 100e6) throw new JournalError("foreign");
      const parsed = parseFile(await file.text());
      const imported = await journal.fileEntries(parsed, $("#wb-journal-file-passphrase").value);
      const counts = await journal.merge(imported);
      $("#wb-journal-file-passphrase").value = "";
      importForm.reset();
      await reload();
      importMessage.textContent = t("journal.imported", counts);
    } catch (error) {
      importMessage.textContent = errorMessage(error, t);
      state(journal.isOpen ? "ready" : "locked");
    }
  });

  bindUnlock(unlockForm, unlockError, {
    t,
    unlock: (passphrase) => journal.unlock(passphrase),
    onUnlocked: async () => {
      await reload();
      say(t("journal.unlocked_here"));
      search.focus();
    },
  });

  lockForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [first, second] = lockForm.querySelectorAll("input[type=password]");
    if (first.value.length < MIN_PASSPHRASE) { lockMessage.textContent = t("journal.too_short", { n: MIN_PASSPHRASE }); first.focus(); return; }
    if (first.value !== second.value) { lockMessage.textContent = t("journal.mismatch"); second.focus(); return; }
    const submit = lockForm.querySelector("button");
    submit.disabled = true;
    state("busy");
    lockMessage.textContent = t("journal.locking");
    try {
      const n = await journal.setPassphrase(first.value);
      lockForm.reset();
      await reload();
      lockMessage.textContent = t("journal.locked_done", { n });
    } catch (error) {
      lockMessage.textContent = errorMessage(error, t);
      await reload();
    } finally {
      submit.disabled = false;
    }
  });

  button("remove-lock").addEventListener("click", async () => {
    state("busy");
    try {
      await journal.removePassphrase();
      await reload();
      lockMessage.textContent = t("journal.lock_removed");
    } catch (error) {
      lockMessage.textContent = errorMessage(error, t);
      await reload();
    }
  });

  button("erase-all").addEventListener("click", async () => {
    const total = journal.isOpen ? entries.length : await journal.count();
    const message = t("journal.confirm_all", { n: total })
      + (journal.isLocked ? ` ${t("journal.confirm_all_lock")}` : "");
    const yes = await confirmAction({
      title: t("journal.confirm_title_all"), message,
      confirm: t("journal.confirm_yes"), cancel: t("journal.confirm_no"),
    });
    if (!yes) return;
    state("busy");
    try {
      await journal.eraseAll();
      journal = await Journal.open();
      await reload();
      say(t("journal.erased_all"));
    } catch (error) {
      say(errorMessage(error, t));
      state("error");
    }
  });

  app.hidden = false;
  // titles in this page's language (the entries keep the title they were written under)
  try {
    const response = await fetch(app.dataset.catalogue);
    const catalogue = response.ok ? await response.json() : {};
    for (const exercise of catalogue.exercises || []) titles.set(exercise.id, exercise.title);
  } catch (error) {
    // offline and not cached yet: the stored titles do
  }
  try {
    journal = await Journal.open();
  } catch (error) {
    say(errorMessage(error, t));
    for (const control of app.querySelectorAll("button, input")) control.disabled = true;
    state("error");
    return;
  }
  await reload();
}

if (app) {
  setup().catch((error) => {
    app.dataset.state = "error";
    const status = app.querySelector("[data-status]");
    if (status) status.textContent = String(error && error.message || error);
  });
}
