// The answer fields of an exercise page (issue #24): each prompt gets a <textarea> (in the
// markup, hidden until this module runs), saved as you type (SAVE_DELAY ms after the last key)
// into the journal in this browser (see journal-core.js). An exercise may have several dated
// entries: "New entry" starts one, the entry list reopens an older one, and the address keeps
// the entry shown (#entry=<id>), which is how the journal page links to an entry.
// Nothing is sent anywhere; exports are Blob downloads.
//
// The journal block's state is in <div data-wb-journal data-state="…">: "ready", "pending"
// (typed, not saved yet), "saving", "saved", "locked" or "error".
import {
  Journal, JournalError, bindUnlock, confirmAction, download, errorMessage, fileStem, formatDay,
  formatTime, hasText, journalMarkdown, newEntry, newestFirst, answeredCount, today, translator,
} from "./journal-core.js";

const SAVE_DELAY = 500;
const root = document.querySelector("[data-wb-journal]");

function entryFromHash() {
  const match = /^#entry=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  return match ? match[1] : null;
}

async function setup() {
  const ui = JSON.parse(root.dataset.ui);
  const t = translator(ui);
  const lang = root.dataset.lang;
  const exercise = root.dataset.exercise;
  const title = root.dataset.title;
  const foot = document.querySelector("[data-wb-journal-foot]");
  const boxes = [...document.querySelectorAll("[data-wb-answer]")];
  const fields = boxes.map((box) => box.querySelector("textarea"));
  const mirrors = boxes.map((box) => box.querySelector(".wb-answer__print"));
  const prompts = fields.map((field) => {
    const label = document.getElementById(field.getAttribute("aria-labelledby"));
    return label ? label.textContent.trim() : "";
  });
  const select = root.querySelector("#wb-journal-entry");
  const dateInput = root.querySelector("#wb-journal-date");
  const printDate = root.querySelector(".wb-journal__printdate");
  const unlockForm = root.querySelector("[data-unlock]");
  const unlockError = root.querySelector("[data-unlock-error]");
  const status = foot.querySelector("[data-status]");
  const plainRow = foot.querySelector("[data-plain-row]");
  const plainBox = foot.querySelector("#wb-journal-plain");
  const button = (action) => document.querySelector(`[data-wb-journal] [data-action="${action}"], [data-wb-journal-foot] [data-action="${action}"]`);
  const controls = [select, dateInput, button("new"), button("print"), button("export-md"),
    button("export-json"), button("erase"), plainBox];

  let journal = null;
  let entries = [];  // the saved entries of this exercise, newest first
  let current = null;  // the entry shown (saved, or a draft saved at its first answer)
  const saved = new Set();  // ids of the entries in the store
  let timer = 0;
  let dirty = false;
  let queue = Promise.resolve();

  function state(value) { root.dataset.state = value; }
  function say(text) { status.textContent = text; }

  function draft() {
    return newEntry({ exercise, title, lang, prompts, date: today() });
  }

  function optionLabel(entry) {
    return t("journal.entry_option", {
      date: formatDay(entry.date, lang), n: answeredCount(entry), total: entry.answers.length });
  }

  function renderOptions() {
    const options = entries.map((entry) => new Option(optionLabel(entry), entry.id));
    if (current && !saved.has(current.id)) {
      options.unshift(new Option(t("journal.draft", { date: formatDay(current.date, lang) }), current.id));
    }
    select.replaceChildren(...options);
    if (current) select.value = current.id;
  }

  function renderButtons() {
    const open = journal ? journal.isOpen : true;
    const stored = Boolean(current && saved.has(current.id));
    for (const control of controls) control.disabled = !open;
    button("erase").disabled = !open || !stored;
    button("export-json").disabled = !open || !stored;
    const locked = Boolean(journal && journal.isLocked);
    plainRow.hidden = !locked;
    button("export-md").disabled = !open || !stored || (locked && !plainBox.checked);
  }

  function render() {
    renderOptions();
    dateInput.value = current.date;
    printDate.textContent = t("journal.print_date", { date: formatDay(current.date, lang) });
    fields.forEach((field, index) => {
      const item = current.answers[index];
      field.value = item ? item.answer : "";
      mirrors[index].textContent = field.value;
    });
    renderButtons();
  }

  function setHash(id) {
    const url = new URL(window.location.href);
    url.hash = `entry=${id}`;
    history.replaceState(history.state, "", url.href);
  }

  function enable(open) {
    for (const field of fields) field.disabled = !open;
    unlockForm.hidden = open;
    renderButtons();
  }

  async function load(wanted) {
    const all = await journal.entries();
    entries = all.filter((entry) => entry.exercise === exercise).sort(newestFirst);
    saved.clear();
    for (const entry of entries) saved.add(entry.id);
    const latest = [...entries].sort((a, b) => b.updated.localeCompare(a.updated))[0];
    current = entries.find((entry) => entry.id === wanted) || latest || draft();
    for (let index = current.answers.length; index < prompts.length; index += 1) {
      current.answers.push({ prompt: prompts[index], answer: "" });
    }
    render();
    enable(true);
    state("ready");
  }

  async function persist() {
    const entry = current;
    if (!saved.has(entry.id) && !hasText(entry)) { state("ready"); return; }
    entry.updated = new Date().toISOString();
    state("saving");
    say(t("journal.saving"));
    try {
      await journal.save(entry);
      if (!saved.has(entry.id)) {
        saved.add(entry.id);
        entries.push(entry);
        setHash(entry.id);
      }
      entries.sort(newestFirst);
      if (entry === current) { renderOptions(); renderButtons(); }
      say(t("journal.saved", { time: formatTime(new Date(), lang) }));
      state(dirty ? "pending" : "saved");
    } catch (error) {
      state("error");
      say(errorMessage(error, t));
      if (error instanceof JournalError && error.code === "changed") {
        await journal.refresh();
        if (!journal.isOpen) lockedView(true);
      }
    }
  }

  function flush() {
    clearTimeout(timer);
    if (dirty) {
      dirty = false;
      queue = queue.then(persist);
    }
    return queue;
  }

  function schedule() {
    dirty = true;
    state("pending");
    clearTimeout(timer);
    timer = setTimeout(flush, SAVE_DELAY);
  }

  function lockedView(focus = false) {
    enable(false);
    state("locked");
    if (focus) unlockForm.querySelector("input").focus();
  }

  fields.forEach((field, index) => {
    field.addEventListener("input", () => {
      if (!current) return;
      while (current.answers.length <= index) {
        current.answers.push({ prompt: prompts[current.answers.length] || "", answer: "" });
      }
      const item = current.answers[index];
      item.answer = field.value;
      if (!item.prompt) item.prompt = prompts[index];
      mirrors[index].textContent = field.value;
      if (journal) schedule();
    });
    field.addEventListener("blur", () => { if (journal) flush(); });
  });

  dateInput.addEventListener("change", () => {
    if (!current || !/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) return;
    current.date = dateInput.value;
    printDate.textContent = t("journal.print_date", { date: formatDay(current.date, lang) });
    renderOptions();
    if (journal) schedule();
  });

  select.addEventListener("change", async () => {
    await flush();
    const chosen = entries.find((entry) => entry.id === select.value);
    if (!chosen || chosen === current) return;
    current = chosen;
    setHash(chosen.id);
    render();
    say(t("journal.opened_announce", { date: formatDay(chosen.date, lang) }));
  });

  button("new").addEventListener("click", async () => {
    await flush();
    current = draft();
    render();
    history.replaceState(history.state, "", window.location.pathname + window.location.search);
    say(t("journal.new_announce", { date: formatDay(current.date, lang) }));
    if (fields[0]) fields[0].focus();
  });

  button("print").addEventListener("click", async () => {
    await flush();
    window.print();
  });

  plainBox.addEventListener("change", renderButtons);

  button("export-md").addEventListener("click", async () => {
    await flush();
    const text = journalMarkdown([current], t, lang, { site: root.dataset.site, titles: new Map([[exercise, title]]) });
    download(`${fileStem(title)}-${current.date}.md`, text, "text/markdown;charset=utf-8");
  });

  button("export-json").addEventListener("click", async () => {
    await flush();
    try {
      const data = await journal.exportJson([current], { plain: plainBox.checked });
      download(`${fileStem(title)}-${current.date}.json`, `${JSON.stringify(data, null, 2)}\n`,
        "application/json");
    } catch (error) {
      say(errorMessage(error, t));
    }
  });

  button("erase").addEventListener("click", async () => {
    const entry = current;
    const yes = await confirmAction({
      title: t("journal.confirm_title_entry"),
      message: t("journal.confirm_entry", {
        date: formatDay(entry.date, lang), title, n: answeredCount(entry) }),
      confirm: t("journal.confirm_yes"),
      cancel: t("journal.confirm_no"),
    });
    if (!yes) return;
    clearTimeout(timer);
    dirty = false;
    await queue;
    try {
      await journal.remove(entry.id);
      saved.delete(entry.id);
      entries = entries.filter((item) => item.id !== entry.id);
      current = [...entries].sort((a, b) => b.updated.localeCompare(a.updated))[0] || draft();
      if (saved.has(current.id)) setHash(current.id);
      else history.replaceState(history.state, "", window.location.pathname + window.location.search);
      render();
      say(t("journal.erased_entry"));
      state("ready");
    } catch (error) {
      say(errorMessage(error, t));
    }
  });

  bindUnlock(unlockForm, unlockError, {
    t,
    unlock: (passphrase) => journal.unlock(passphrase),
    onUnlocked: async () => {
      await load(entryFromHash());
      say(t("journal.unlocked_here"));
      if (fields[0]) fields[0].focus();
    },
  });

  window.addEventListener("hashchange", async () => {
    const wanted = entryFromHash();
    if (!wanted || !current || wanted === current.id || !journal || !journal.isOpen) return;
    await flush();
    const chosen = entries.find((entry) => entry.id === wanted);
    if (chosen) { current = chosen; render(); }
  });
  window.addEventListener("pagehide", () => { flush(); });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });

  for (const part of [root, foot, ...boxes]) part.hidden = false;
  try {
    journal = await Journal.open();
  } catch (error) {
    // no IndexedDB here: the fields work, nothing is kept (and the page says so)
    current = draft();
    render();
    enable(true);
    for (const control of controls) control.disabled = true;
    say(errorMessage(error, t));
    state("error");
    return;
  }
  if (!journal.isOpen) {
    current = draft();
    render();
    lockedView();
    return;
  }
  await load(entryFromHash());
}

if (root) {
  setup().catch((error) => {
    root.dataset.state = "error";
    const status = document.querySelector("[data-wb-journal-foot] [data-status]");
    if (status) status.textContent = String(error && error.message || error);
  });
}
