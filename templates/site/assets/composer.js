// The session composer: pick exercises from the explorer, order them, watch the minutes against
// a budget, then download the set as YAML (for `workbook check` and `workbook pdf --set`) or
// print it from the browser. No server: the state lives in the URL query string
// (ids=a,b,c&title=…&budget=90, next to the explorer's own filter parameters).
//
// Every text from the catalogue or the user goes into the page through textContent, never
// through innerHTML.

import { loadCatalogue, mountExplorer } from "./explorer.js";

export const MAX_BUDGET = 100000;
export const DEFAULT_BUDGET = 90;
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
  return { ids, unknown, title: clampTitle(params.get("title") || ""), budget: budgetOf(params.get("budget")) };
}

// `search` (the explorer's filters) with the composer's parameters replaced by `selection`'s.
export function withSelection(search, selection) {
  const params = new URLSearchParams(search);
  for (const key of ["ids", "title", "budget"]) params.delete(key);
  if (selection.ids.length) params.set("ids", selection.ids.join(","));
  if (selection.title.trim()) params.set("title", selection.title);
  params.set("budget", String(selection.budget));
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

// The set file: `both` = { fr: {title, audience}, en: {…} } (default texts, "{n}" = budget).
export function setYaml(selection, both) {
  const title = selection.title.replace(/\s+/g, " ").trim();
  const id = slugify(title || both.fr.title.replace("{n}", String(selection.budget)));
  const lines = [
    "# yaml-language-server: $schema=../schema/set.schema.json",
    `id: ${id}`,
    "title:",
  ];
  for (const lang of ["fr", "en"]) {
    lines.push(`  ${lang}: ${yamlString(title || both[lang].title.replace("{n}", String(selection.budget)))}`);
  }
  lines.push("audience:");
  for (const lang of ["fr", "en"]) lines.push(`  ${lang}: ${yamlString(both[lang].audience)}`);
  lines.push(`minutes: ${selection.budget}`, "exercises:");
  for (const exerciseId of selection.ids) lines.push(`  - id: ${exerciseId}`);
  return { id, text: `${lines.join("\n")}\n` };
}

export function totalMinutes(ids, byId) {
  return ids.reduce((sum, id) => sum + byId.get(id).minutes, 0);
}

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(text, className, label) {
  const node = element("button", className, text);
  node.type = "button";
  if (label) node.setAttribute("aria-label", label);
  return node;
}

// ---- printing: the text of an exercise, read from its own page -----------------------------

const details = new Map();

function exerciseDetails(item, base) {
  if (!details.has(item.id)) {
    const url = new URL(item.url, base).href;
    details.set(item.id, fetch(url)
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(url))))
      .then((html) => {
        const page = new DOMParser().parseFromString(html, "text/html").querySelector(".wb-exercise");
        if (!page) throw new Error(url);
        const text = (node) => (node ? node.textContent.replace(/\s+/g, " ").trim() : "");
        const steps = [...page.querySelectorAll("ol.wb-steps > li")].map((li) => {
          const copy = li.cloneNode(true);
          const minutes = copy.querySelector(".wb-step__minutes");
          if (minutes) minutes.remove();
          return { minutes: text(li.querySelector(".wb-step__minutes")), text: text(copy) };
        });
        const prompts = [...page.querySelectorAll("ol.wb-prompts > li")].map((li) => {
          const space = text(li.querySelector(".wb-prompt__space")).match(/\d+/);
          return { text: text(li.querySelector("p")), lines: Math.min(space ? Number(space[0]) : 5, 40) };
        });
        return { steps, prompts, safety: text(page.querySelector(".wb-safety p")) };
      })
      .catch(() => null));
  }
  return details.get(item.id);
}

async function renderPrint(printRoot, state, ui, byId, base) {
  const total = totalMinutes(state.ids, byId);
  const title = state.title.trim() || format(ui.both[ui.lang].title, { n: state.budget });
  const cover = element("section", "wb-print__cover");
  cover.append(
    element("h1", "wb-print__title", title),
    element("p", "wb-print__audience", ui.both[ui.lang].audience),
    element("p", "wb-print__total", format(ui.total, { total, budget: state.budget })),
    element("h2", "", ui.plan),
  );
  const plan = element("ol", "wb-print__plan");
  for (const id of state.ids) {
    const item = byId.get(id);
    plan.append(element("li", "", `${item.title} — ${format(ui.minutes, { n: item.minutes })}`));
  }
  cover.append(plan, element("h2", "", ui.notes), lines(8));
  const parts = [cover];
  const loaded = await Promise.all(state.ids.map((id) => exerciseDetails(byId.get(id), base)));
  state.ids.forEach((id, index) => {
    const item = byId.get(id);
    const text = loaded[index];
    const article = element("article", "wb-print__exercise");
    article.append(
      element("h2", "", `${index + 1}. ${item.title}`),
      element("p", "wb-print__meta", format(ui.minutes, { n: item.minutes })),
      element("p", "wb-print__summary", item.summary),
    );
    if (!text) {
      article.append(element("p", "", ui.print_failed));
    } else {
      article.append(element("h3", "", ui.steps));
      const steps = element("ol", "wb-print__steps");
      for (const step of text.steps) steps.append(element("li", "", `${step.minutes} — ${step.text}`));
      article.append(steps, element("h3", "", ui.prompts));
      for (const prompt of text.prompts) {
        const block = element("div", "wb-print__prompt");
        block.append(element("p", "", prompt.text), lines(prompt.lines));
        article.append(block);
      }
      if (text.safety) article.append(element("h3", "", ui.safety), element("p", "", text.safety));
    }
    parts.push(article);
  });
  printRoot.replaceChildren(...parts);
}

function lines(count) {
  const space = element("div", "wb-print__lines");
  for (let line = 0; line < count; line += 1) space.append(element("div", "wb-print__line"));
  return space;
}

// ---- the page --------------------------------------------------------------------------------

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
  const titleLabel = element("label", "", ui.title_label);
  titleLabel.htmlFor = "wb-composer-title";
  const titleInput = element("input");
  Object.assign(titleInput, { id: "wb-composer-title", type: "text", value: state.title,
    placeholder: ui.title_placeholder, maxLength: MAX_TITLE });
  const budgetLabel = element("label", "", ui.budget_label);
  budgetLabel.htmlFor = "wb-composer-budget";
  const budgetInput = element("input");
  Object.assign(budgetInput, { id: "wb-composer-budget", type: "number", min: "1",
    max: String(MAX_BUDGET), step: "5", value: String(state.budget), inputMode: "numeric" });
  const fields = element("div", "wb-composer__fields");
  const titleRow = element("div", "wb-composer__field");
  titleRow.append(titleLabel, titleInput);
  const budgetRow = element("div", "wb-composer__field");
  budgetRow.append(budgetLabel, budgetInput);
  fields.append(titleRow, budgetRow);
  const total = element("p", "wb-composer__total");
  total.id = "wb-composer-total";
  const notice = element("p", "wb-composer__notice");
  const list = element("ol", "wb-composer__list");
  const empty = element("p", "wb-composer__empty", ui.empty);
  const actions = element("div", "wb-composer__actions");
  const download = button(ui.download, "md-button md-button--primary wb-composer__download");
  const print = button(ui.print, "md-button wb-composer__print");
  const link = element("a", "wb-composer__link", ui.link);
  actions.append(download, print, link);
  // run mode: the same selection, live on the room's screen (run/?ids=…&title=…)
  const run = ui.run_url ? element("a", "md-button wb-composer__run", ui.run) : null;
  if (run) actions.append(run);
  const hint = element("p", "wb-composer__hint", ui.download_hint);
  const live = element("p", "wb-sr wb-composer__live");
  live.setAttribute("role", "status");
  panel.append(heading, fields, total, notice, list, empty, actions, hint, live);
  if (state.unknown) notice.textContent = format(ui.unknown, { n: state.unknown });

  // the explorer, with a search box and an "add" button on each card
  const searchRow = element("div", "wb-composer__field wb-composer__search");
  const searchLabel = element("label", "", ui.search_label);
  searchLabel.htmlFor = "wb-composer-search";
  const searchInput = element("input");
  Object.assign(searchInput, { id: "wb-composer-search", type: "search",
    placeholder: ui.search_placeholder });
  searchRow.append(searchLabel, searchInput);
  const explorerRoot = element("div", "wb-explorer wb-composer__explorer");
  explorerRoot.dataset.root = root.dataset.root;
  explorerRoot.dataset.catalogue = root.dataset.catalogue;
  explorerRoot.dataset.ui = root.dataset.explorerUi;
  const browse = element("section", "wb-composer__browse");
  browse.append(searchRow, explorerRoot);
  const printRoot = element("div", "wb-print");
  printRoot.hidden = true;
  root.replaceChildren(panel, browse);
  document.body.append(printRoot);

  const addButtons = new Map();
  let printing = Promise.resolve();

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
    refreshAddButtons();
    writeUrl();
    printing = renderPrint(printRoot, state, ui, byId, base);
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
    printing = renderPrint(printRoot, state, ui, byId, base);
  });
  budgetInput.addEventListener("input", () => {
    if (budgetInput.value.trim() === "") return;
    state.budget = budgetOf(budgetInput.value);
    renderSession();
  });
  budgetInput.addEventListener("change", () => { budgetInput.value = String(state.budget); });

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
  print.addEventListener("click", async () => {
    live.textContent = ui.print_loading;
    await printing;
    window.print();
  });

  explorerRoot.addEventListener("wb:filtered", (event) => {
    const { state: filters, visible } = event.detail;
    if (document.activeElement !== searchInput) searchInput.value = filters.q;
    addButtons.clear();
    const cards = explorerRoot.querySelectorAll(".wb-cards > li");
    cards.forEach((card, index) => {
      const item = visible[index];
      if (!item) return;
      const node = button("", "md-button wb-composer__add");
      node.dataset.id = item.id;
      node.addEventListener("click", () => add(item.id));
      addButtons.set(item.id, node);
      card.append(node);
    });
    refreshAddButtons();
    writeUrl();
  });
  const explorer = await mountExplorer(explorerRoot, {
    catalogue, facets: ["bank", "component", "format", "level", "moment"],
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
