// The session composer: pick exercises from the explorer, order them, watch the minutes against
// a budget, then print the session as a handout for the group (the browser's print: the plan
// with clock times, each exercise with its steps and write-in lines, the facilitator notes only
// when asked), share its link, or download it as YAML (for `workbook check` and
// `workbook pdf --set`). No server: the state lives in the URL query string
// (ids=a,b,c&title=…&budget=90&start=09:00&notes=1, next to the explorer's own filters).
//
// The exercises come from the build's JSON files through catalogue.js: the catalogue
// (data/exercises.json: titles, minutes, badges) for the list, and each chosen exercise's own
// file (data/run/exercises/<id>.json: steps, prompts and their answer space, notes) for the
// printout. Every text from the catalogue or the user goes into the page through textContent;
// the files' HTML only through safeFragment, never innerHTML.

import { element, fill, loadCatalogue, loadExercise, plural, safeFragment, tableHead } from "./catalogue.js";
import { mountExplorer } from "./explorer.js";

export const MAX_BUDGET = 100000;
export const DEFAULT_BUDGET = 90;
export const DEFAULT_START = 9 * 60;  // 09:00, as the run mode's timing card
// The limits of a set file, as `workbook check` applies them (generator/models.py: MAX_TITLE,
// MAX_SET_ENTRIES; generator/validate.py: RESERVED_IDS); tests/site/test_limits.py keeps them in
// step. A shared link cannot make the composer hold more.
export const MAX_TITLE = 200;
export const MAX_ENTRIES = 200;
const RESERVED_IDS = new Set(["index"]);
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// ---- pure helpers (exported for tests and reuse) -------------------------------------------

function budgetOf(value) {
  const parsed = Number.parseInt(String(value ?? ""), 10);
  if (!Number.isFinite(parsed) || parsed < 1) return DEFAULT_BUDGET;
  return Math.min(parsed, MAX_BUDGET);
}

// At most MAX_TITLE characters (code points, as Python counts them).
export function clampTitle(text) {
  const chars = Array.from(String(text ?? ""));
  return chars.length > MAX_TITLE ? chars.slice(0, MAX_TITLE).join("") : String(text ?? "");
}

// The composer's part of a query string: { ids: [...known ids, in order], unknown, title, budget }.
// At most MAX_ENTRIES ids (the rest of a longer list is left out) and MAX_TITLE characters.
export function parseSelection(search, known) {
  const params = new URLSearchParams(search);
  const ids = [];
  const kept = new Set();
  let unknown = 0;
  for (const id of (params.get("ids") || "").split(",")) {
    if (!id) continue;
    if (!known.has(id)) unknown += 1;
    else if (!kept.has(id) && ids.length < MAX_ENTRIES) {
      kept.add(id);
      ids.push(id);
    }
  }
  return {
    ids, unknown, title: clampTitle(params.get("title") || ""), budget: budgetOf(params.get("budget")),
    start: clockOf(params.get("start")) ?? DEFAULT_START, notes: params.get("notes") === "1",
  };
}

// "14:05" → minutes since midnight; null for anything else.
export function clockOf(text) {
  const found = /^(\d{1,2}):(\d{2})$/.exec(String(text ?? "").trim());
  if (!found) return null;
  const [hours, minutes] = [Number(found[1]), Number(found[2])];
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

// Minutes since midnight → "14:05" (past midnight, the clock starts again).
export function clock(minutes) {
  const time = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(time / 60)).padStart(2, "0")}:${String(time % 60).padStart(2, "0")}`;
}

// The plan with clock times: [{ id, start, end }] and the session's end, from `start` (minutes).
export function schedule(ids, byId, start) {
  let at = start;
  const rows = ids.map((id) => {
    const row = { id, start: at, end: at + byId.get(id).minutes };
    at = row.end;
    return row;
  });
  return { rows, end: at };
}

// `search` (the explorer's filters) with the composer's parameters replaced by `selection`'s.
export function withSelection(search, selection) {
  const params = new URLSearchParams(search);
  for (const key of ["ids", "title", "budget"]) params.delete(key);
  if (selection.ids.length) params.set("ids", selection.ids.join(","));
  if (selection.title.trim()) params.set("title", selection.title);
  params.set("budget", String(selection.budget));
  for (const key of ["start", "notes"]) params.delete(key);
  if (selection.start !== undefined && selection.start !== DEFAULT_START) {
    params.set("start", clock(selection.start));
  }
  if (selection.notes) params.set("notes", "1");
  return `?${params.toString()}`;
}

export function slugify(text) {
  const slug = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  if (RESERVED_IDS.has(slug)) return `${slug}-session`;
  return SLUG.test(slug) ? slug : "session";
}

// A YAML double-quoted scalar: backslash, quote and every non-printable character escaped.
export function yamlString(text) {
  const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
  let out = '"';
  for (const char of wellFormed) {
    const code = char.codePointAt(0);
    if (char === "\\") out += "\\\\";
    else if (char === '"') out += '\\"';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029
      || code === 0xfeff || code === 0xfffe || code === 0xffff) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += char;
  }
  return `${out}"`;
}

// The set file: `both` = { fr: {title, audience}, en: {…}, … } (the default texts in each of
// the workbook's languages, source language first; "{n}" = budget).
export function setYaml(selection, both) {
  const languages = Object.keys(both);
  const title = selection.title.replace(/\s+/g, " ").trim();
  const id = slugify(title || both[languages[0]].title.replace("{n}", String(selection.budget)));
  const lines = [
    "# yaml-language-server: $schema=../schema/set.schema.json",
    `id: ${id}`,
    "title:",
  ];
  for (const lang of languages) {
    lines.push(`  ${lang}: ${yamlString(title || both[lang].title.replace("{n}", String(selection.budget)))}`);
  }
  lines.push("audience:");
  for (const lang of languages) lines.push(`  ${lang}: ${yamlString(both[lang].audience)}`);
  lines.push(`minutes: ${selection.budget}`, "exercises:");
  for (const exerciseId of selection.ids) lines.push(`  - id: ${exerciseId}`);
  return { id, text: `${lines.join("\n")}\n` };
}

export function totalMinutes(ids, byId) {
  return ids.reduce((sum, id) => sum + byId.get(id).minutes, 0);
}

const format = fill;

function button(text, className, label) {
  const node = element("button", className, text);
  node.type = "button";
  if (label) node.setAttribute("aria-label", label);
  return node;
}

// ---- printing: a handout for the group -----------------------------------------------------

function lines(count, space) {
  const block = element("div", `wb-print__lines wb-print__lines--${space === "box" ? "box" : "lines"}`);
  block.style.setProperty("--wb-lines", String(count));
  if (space !== "box") {
    for (let line = 0; line < count; line += 1) block.append(element("div", "wb-print__line"));
  }
  return block;
}

function section(article, title, html) {
  if (!html) return;
  const body = element("div", "wb-print__text");
  body.append(safeFragment(html));
  article.append(element("h3", "", title), body);
}

// The printout of the session `state` into `printRoot`: the cover with the plan and its clock
// times, then each exercise (from its own data file) on its own page.
async function renderPrint(printRoot, state, ui, catalogue, byId, base) {
  const total = totalMinutes(state.ids, byId);
  const title = state.title.trim() || format(ui.both[ui.lang].title, { n: state.budget });
  const { rows, end } = schedule(state.ids, byId, state.start);
  const loaded = await Promise.all(state.ids.map((id) => loadExercise(base, id).catch(() => null)));

  const cover = element("section", "wb-print__cover");
  cover.append(
    element("h1", "wb-print__title", title),
    element("p", "wb-print__audience", ui.both[ui.lang].audience),
    element("p", "wb-print__total",
      `${clock(state.start)} – ${clock(end)} · ${format(ui.total, { total, budget: state.budget })}`),
    element("h2", "", ui.plan),
  );
  const table = element("table", "wb-print__plan");
  const thead = tableHead([ui.col_time, ui.col_item, ui.col_minutes]);
  const tbody = element("tbody");
  rows.forEach((row, index) => {
    const item = byId.get(row.id);
    const tr = element("tr");
    tr.append(
      element("td", "wb-print__time", `${clock(row.start)} – ${clock(row.end)}`),
      element("td", "", `${index + 1}. ${item.title}`),
      element("td", "wb-print__minutes", format(ui.minutes, { n: item.minutes })),
    );
    tbody.append(tr);
  });
  const last = element("tr", "wb-print__end");
  last.append(element("td", "wb-print__time", clock(end)), element("td", "", ui.end), element("td"));
  tbody.append(last);
  table.append(thead, tbody);
  cover.append(table, element("h2", "", ui.notes), lines(8, "lines"));

  const parts = [cover];
  rows.forEach((row, index) => {
    const item = byId.get(row.id);
    const text = loaded[index];
    const article = element("article", "wb-print__exercise");
    const badges = [catalogue.labels.format[item.format], catalogue.labels.level[item.level],
      ...item.components.map((component) => catalogue.labels.component[component])];
    article.append(
      element("h2", "", `${index + 1}. ${item.title}`),
      element("p", "wb-print__meta", [`${clock(row.start)} – ${clock(row.end)}`,
        format(ui.minutes, { n: item.minutes }), ...badges].join(" · ")),
      element("p", "wb-print__summary", item.summary),
    );
    if (!text) {
      article.append(element("p", "", ui.print_failed));
    } else {
      article.append(element("h3", "", ui.steps));
      const steps = element("ol", "wb-print__steps");
      for (const step of text.steps) {
        const li = element("li");
        li.append(element("span", "wb-print__step-minutes", format(ui.minutes, { n: step.minutes })));
        li.append(safeFragment(step.html));
        steps.append(li);
      }
      article.append(steps);
      if (text.prompts && text.prompts.length) {
        article.append(element("h3", "", ui.prompts));
        for (const prompt of text.prompts) {
          const block = element("div", "wb-print__prompt");
          const question = element("p", "wb-print__question");
          question.append(safeFragment(prompt.html));
          block.append(question, lines(prompt.lines, prompt.space));
          article.append(block);
        }
      }
      section(article, ui.safety, text.safety);
      if (state.notes && text.facilitator_notes) {  // only when asked: the group gets copies
        const notes = element("section", "wb-print__notes");
        section(notes, ui.facilitator_notes, text.facilitator_notes);
        article.append(notes);
      }
    }
    parts.push(article);
  });
  return parts;
}

// ---- the page --------------------------------------------------------------------------------

function field(labelText, input) {
  const row = element("div", "wb-composer__field");
  const label = element("label", "", labelText);
  label.htmlFor = input.id;
  row.append(label, input);
  return row;
}

export async function mountComposer(root) {
  const ui = JSON.parse(root.dataset.ui);
  const base = new URL(root.dataset.root, window.location.href);
  const catalogue = await loadCatalogue(root.dataset.catalogue);
  const byId = new Map(catalogue.exercises.map((item) => [item.id, item]));
  const state = parseSelection(window.location.search, new Set(byId.keys()));

  // the session panel
  const panel = element("section", "wb-composer__session");
  panel.setAttribute("aria-labelledby", "wb-composer-session");
  const heading = element("h2", "", ui.session);
  heading.id = "wb-composer-session";
  heading.tabIndex = -1;
  const titleInput = element("input");
  Object.assign(titleInput, { id: "wb-composer-title", type: "text", value: state.title,
    placeholder: ui.title_placeholder, maxLength: MAX_TITLE });
  const budgetInput = element("input");
  Object.assign(budgetInput, { id: "wb-composer-budget", type: "number", min: "1",
    max: String(MAX_BUDGET), step: "5", value: String(state.budget), inputMode: "numeric" });
  const fields = element("div", "wb-composer__fields");
  fields.append(field(ui.title_label, titleInput), field(ui.budget_label, budgetInput));
  const total = element("p", "wb-composer__total");
  total.id = "wb-composer-total";
  const notice = element("p", "wb-composer__notice");
  const list = element("ol", "wb-composer__list");
  const empty = element("p", "wb-composer__empty", ui.empty);

  // printing options, then the actions: print first, share, YAML (and the run mode)
  const options = element("fieldset", "wb-composer__options");
  options.append(element("legend", "", ui.print));
  const startInput = element("input");
  Object.assign(startInput, { id: "wb-composer-start", type: "time", value: clock(state.start),
    required: true });
  const notesRow = element("div", "wb-composer__check");
  const notesBox = element("input");
  Object.assign(notesBox, { id: "wb-composer-notes", type: "checkbox", checked: state.notes });
  const notesLabel = element("label", "", ui.with_notes);
  notesLabel.htmlFor = notesBox.id;
  notesRow.append(notesBox, notesLabel);
  options.append(field(ui.start_label, startInput), notesRow);
  const actions = element("div", "wb-composer__actions");
  const print = button(ui.print_session, "md-button md-button--primary wb-composer__print");
  const share = button(ui.share, "md-button wb-composer__share");
  const download = button(ui.download, "md-button wb-composer__download");
  actions.append(print, share, download);
  // run mode: the same selection, live on the room's screen (run/?ids=…&title=…)
  const run = ui.run_url ? element("a", "md-button wb-composer__run", ui.run) : null;
  if (run) actions.append(run);
  const shared = element("p", "wb-composer__shared");
  shared.setAttribute("role", "status");
  const link = element("a", "wb-composer__link", ui.link);
  const hint = element("p", "wb-composer__hint", `${ui.print_hint} ${ui.download_hint}`);
  const live = element("p", "wb-sr wb-composer__live");
  live.setAttribute("role", "status");
  panel.append(heading, fields, total, notice, list, empty, options, actions, shared, hint, live);
  if (state.unknown) notice.textContent = plural(ui.unknown, state.unknown, ui.lang);

  // the explorer, with a search box and an "add" button on each card
  const browse = element("section", "wb-composer__browse");
  browse.setAttribute("aria-labelledby", "wb-composer-choose");
  const chooseHeading = element("h2", "", ui.choose);
  chooseHeading.id = "wb-composer-choose";
  const searchInput = element("input");
  Object.assign(searchInput, { id: "wb-composer-search", type: "search",
    placeholder: ui.search_placeholder });
  const searchRow = field(ui.search_label, searchInput);
  searchRow.classList.add("wb-composer__search");
  const explorerRoot = element("div", "wb-explorer wb-composer__explorer");
  explorerRoot.dataset.root = root.dataset.root;
  explorerRoot.dataset.catalogue = root.dataset.catalogue;
  explorerRoot.dataset.ui = root.dataset.explorerUi;
  browse.append(chooseHeading, searchRow, explorerRoot);
  const printRoot = element("div", "wb-print");
  printRoot.lang = ui.lang;
  printRoot.hidden = true;
  root.replaceChildren(panel, browse);
  document.body.append(printRoot);

  const addButtons = new Map();
  let printing = Promise.resolve();
  let generation = 0;

  function refreshPrint() {
    const mine = (generation += 1);
    printing = renderPrint(printRoot, state, ui, catalogue, byId, base).then((parts) => {
      if (mine === generation) printRoot.replaceChildren(...parts);
    });
    return printing;
  }

  function writeUrl() {
    const query = withSelection(window.location.search, state);
    window.history.replaceState(null, "", `${window.location.pathname}${query}${window.location.hash}`);
    link.href = window.location.href;
    if (run) {
      const runQuery = new URLSearchParams({ ids: state.ids.join(",") });
      if (state.title.trim()) runQuery.set("title", state.title.trim());
      run.href = `${ui.run_url}?${runQuery.toString()}`;
      run.hidden = state.ids.length === 0;
    }
  }

  function refreshAddButtons() {
    for (const [id, node] of addButtons) {
      if (!node.isConnected) { addButtons.delete(id); continue; }
      const added = state.ids.includes(id);
      node.textContent = added ? `✓ ${ui.added}` : `+ ${ui.add}`;
      node.setAttribute("aria-disabled", added ? "true" : "false");
      node.setAttribute("aria-label", added ? `${ui.added}: ${byId.get(id).title}`
        : format(ui.add_named, { title: byId.get(id).title }));
    }
  }

  function renderSession(focus = null) {
    const rows = state.ids.map((id, index) => {
      const item = byId.get(id);
      const row = element("li", "wb-composer__item");
      row.dataset.id = id;
      const name = element("a", "wb-composer__name", item.title);
      name.href = new URL(item.url, base).href;
      const meta = element("span", "wb-composer__meta",
        ` ${format(ui.minutes, { n: item.minutes })} · ${catalogue.labels.format[item.format]}`);
      const controls = element("span", "wb-composer__controls");
      const up = button("↑", "wb-composer__up", format(ui.up_named, { title: item.title }));
      const down = button("↓", "wb-composer__down", format(ui.down_named, { title: item.title }));
      const remove = button("✕", "wb-composer__remove", format(ui.remove_named, { title: item.title }));
      up.disabled = index === 0;
      down.disabled = index === state.ids.length - 1;
      up.addEventListener("click", () => move(index, -1, "up"));
      down.addEventListener("click", () => move(index, 1, "down"));
      remove.addEventListener("click", () => removeAt(index));
      controls.append(up, down, remove);
      row.append(element("span", "wb-composer__number", `${index + 1}.`), name, meta, controls);
      return row;
    });
    list.replaceChildren(...rows);
    list.hidden = rows.length === 0;
    empty.hidden = rows.length !== 0;
    const minutes = totalMinutes(state.ids, byId);
    const over = minutes - state.budget;
    total.textContent = `${format(ui.total, { total: minutes, budget: state.budget })} — ${
      over > 0 ? format(ui.over, { n: over }) : format(ui.left, { n: -over })}`;
    total.classList.toggle("wb-composer__total--over", over > 0);
    download.disabled = over > 0 || state.ids.length === 0;
    print.disabled = state.ids.length === 0;
    share.disabled = state.ids.length === 0;
    refreshAddButtons();
    writeUrl();
    refreshPrint();
    if (focus) {
      const row = list.children[focus.index];
      const target = row && row.querySelector(`.wb-composer__${focus.control}`);
      if (target && !target.disabled) target.focus();
      else if (row) row.querySelector(focus.control === "up" ? ".wb-composer__down" : ".wb-composer__up")?.focus();
      else heading.focus();
    }
  }

  function add(id) {
    if (state.ids.includes(id) || state.ids.length >= MAX_ENTRIES) return;
    state.ids.push(id);
    renderSession();
    live.textContent = format(ui.announce_added, { title: byId.get(id).title, n: state.ids.length });
  }

  function move(index, step, control) {
    const to = index + step;
    if (to < 0 || to >= state.ids.length) return;
    const [id] = state.ids.splice(index, 1);
    state.ids.splice(to, 0, id);
    renderSession({ index: to, control });
    live.textContent = format(ui.announce_moved, { title: byId.get(id).title, n: to + 1 });
  }

  function removeAt(index) {
    const [id] = state.ids.splice(index, 1);
    const next = Math.min(index, state.ids.length - 1);
    renderSession(next >= 0 ? { index: next, control: "remove" } : { index: -1, control: "remove" });
    live.textContent = format(ui.announce_removed, { title: byId.get(id).title });
  }

  titleInput.addEventListener("input", () => {
    state.title = clampTitle(titleInput.value);
    writeUrl();
    refreshPrint();
  });
  budgetInput.addEventListener("input", () => {
    if (budgetInput.value.trim() === "") return;
    state.budget = budgetOf(budgetInput.value);
    renderSession();
  });
  budgetInput.addEventListener("change", () => { budgetInput.value = String(state.budget); });
  startInput.addEventListener("input", () => {
    const start = clockOf(startInput.value);
    if (start === null) return;
    state.start = start;
    writeUrl();
    refreshPrint();
  });
  notesBox.addEventListener("change", () => {
    state.notes = notesBox.checked;
    writeUrl();
    refreshPrint();
  });

  print.addEventListener("click", async () => {
    live.textContent = ui.print_loading;
    await refreshPrint();
    window.print();
  });
  share.addEventListener("click", async () => {
    const url = window.location.href;
    try {
      // a phone's own share sheet; elsewhere the link goes to the clipboard
      if (navigator.share && window.matchMedia("(pointer: coarse)").matches) {
        await navigator.share({ title: state.title.trim() || document.title, url });
        return;
      }
      await navigator.clipboard.writeText(url);
      shared.replaceChildren(ui.shared);
    } catch (error) {
      if (error && error.name === "AbortError") return;
      shared.replaceChildren(`${ui.share_failed} `, link);
    }
  });
  download.addEventListener("click", () => {
    const { id, text } = setYaml(state, ui.both);
    const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
    const anchor = element("a");
    anchor.href = url;
    anchor.download = `${id}.yml`;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60000);
  });

  function decorate(card, item) {
    const node = button("", "md-button wb-composer__add");
    node.dataset.id = item.id;
    node.addEventListener("click", () => add(item.id));
    addButtons.set(item.id, node);
    card.append(node);
  }
  explorerRoot.addEventListener("wb:filtered", (event) => {
    if (document.activeElement !== searchInput) searchInput.value = event.detail.state.q;
    refreshAddButtons();
    writeUrl();
  });
  const explorer = await mountExplorer(explorerRoot, {
    catalogue, facets: ["bank", "component", "format", "level", "moment"], headingLevel: 3, decorate,
  });
  searchInput.value = explorer.state.q;
  searchInput.addEventListener("input", () => {
    explorer.state.q = searchInput.value;
    explorer.update(true);
  });
  renderSession();
  return { state, explorer };
}

for (const root of document.querySelectorAll("[data-wb-composer]")) {
  mountComposer(root).catch((error) => {
    root.textContent = String(error);
  });
}
