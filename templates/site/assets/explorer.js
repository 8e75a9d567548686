// The exercise explorer: filters the catalogue in the browser, with live counts, and keeps the
// filter state in the URL query string (a reload or a shared link restores the view).
//
// A small ES module: the composer page reuses it.
//   import { parseState, stateToQuery, filterExercises, facetCounts, renderCard,
//            mountExplorer } from "<root>assets/workbook/explorer.js";
// The data (data/exercises.json) and the helpers both pages use (loading, plural forms) live in
// catalogue.js, which documents the catalogue's shape; loadCatalogue is re-exported here.
//
// A state is { bank: Set, component: Set, format: Set, level: Set, moment: Set,
//              min: number|null, max: number|null, q: string }.
// Within one facet the values are alternatives (OR); facets combine with AND.

import { element, fill, loadCatalogue, plural } from "./catalogue.js";

export { loadCatalogue };

export const FACETS = ["bank", "component", "format", "level", "moment"];

export function emptyState() {
  const state = { min: null, max: null, q: "" };
  for (const facet of FACETS) state[facet] = new Set();
  return state;
}

function number(value) {
  if (value === null || value === undefined || String(value).trim() === "") return null;
  const parsed = Number.parseInt(value, 10);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
}

export function parseState(search) {
  const params = new URLSearchParams(search);
  const state = emptyState();
  for (const facet of FACETS) {
    for (const value of (params.get(facet) || "").split(",")) if (value) state[facet].add(value);
  }
  state.min = number(params.get("min"));
  state.max = number(params.get("max"));
  state.q = params.get("q") || "";
  return state;
}

export function stateToQuery(state) {
  const params = new URLSearchParams();
  for (const facet of FACETS) {
    if (state[facet].size) params.set(facet, [...state[facet]].sort().join(","));
  }
  if (state.min !== null) params.set("min", String(state.min));
  if (state.max !== null) params.set("max", String(state.max));
  if (state.q) params.set("q", state.q);
  const text = params.toString();
  return text ? `?${text}` : "";
}

function values(item, facet) {
  if (facet === "component") return item.components;
  return [item[facet]];
}

export function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

// Does `item` pass every filter of `state`, leaving out the facet `except` (for its counts)?
export function matches(item, state, except = null) {
  for (const facet of FACETS) {
    if (facet === except || !state[facet].size) continue;
    if (!values(item, facet).some((value) => state[facet].has(value))) return false;
  }
  // A practice kept up over days is not an N-minute exercise: a duration filter leaves it out.
  if ((state.min !== null || state.max !== null) && item.practice_days) return false;
  if (state.min !== null && item.minutes < state.min) return false;
  if (state.max !== null && item.minutes > state.max) return false;
  if (state.q) {
    const haystack = item._folded || (item._folded = fold(`${item.title} ${item.summary}`));
    for (const word of fold(state.q).split(/\s+/)) if (word && !haystack.includes(word)) return false;
  }
  return true;
}

export function filterExercises(items, state) {
  return items.filter((item) => matches(item, state));
}

// facet → value → how many exercises the view would show with that value added to the facet.
export function facetCounts(items, state) {
  const counts = {};
  for (const facet of FACETS) counts[facet] = new Map();
  for (const item of items) {
    const passesAll = matches(item, state);
    for (const facet of FACETS) {
      if (!(passesAll || (state[facet].size && matches(item, state, facet)))) continue;
      for (const value of values(item, facet)) {
        counts[facet].set(value, (counts[facet].get(value) || 0) + 1);
      }
    }
  }
  return counts;
}

// One exercise card; `ui` holds the strings of the page (minutes: "{n} min"; duration, format,
// level, component: the hidden label before each badge's value). Its title is a heading of
// `level` (3: under the page's h2).
export function renderCard(item, catalogue, ui, base, level = 3) {
  const card = element("li", "wb-card");
  const title = element(`h${level}`, "wb-card__title");
  const link = element("a", "", item.title);
  link.href = new URL(item.url, base).href;
  title.append(link);
  card.append(title, element("p", "wb-card__summary", item.summary));
  const badges = element("ul", "wb-badges");
  const badge = (kind, value, label, text) => {
    const li = element("li", `wb-badge wb-badge--${kind} wb-badge--${value}`);
    if (label) li.append(element("span", "wb-sr", label));
    li.append(document.createTextNode(text));
    badges.append(li);
  };
  badge("minutes", "minutes", ui.duration, fill(ui.minutes, { n: item.minutes }));
  if (item.practice_days && ui.practice_days) {
    badge("practice", "practice", "", fill(ui.practice_days, { n: item.practice_days }));
  }
  badge("format", item.format, ui.format, catalogue.labels.format[item.format]);
  badge("level", item.level, ui.level, catalogue.labels.level[item.level]);
  for (const component of item.components) {
    badge("component", component, ui.component, catalogue.labels.component[component]);
  }
  card.append(badges);
  return card;
}

function facetOptions(facet, catalogue) {
  if (facet === "bank") return catalogue.banks.map((bank) => [bank.id, bank.title]);
  return Object.entries(catalogue.labels[facet]);
}

// Build the explorer inside `root` (an element with data-catalogue, data-root and data-ui).
// Options: catalogue (already loaded), pageSize (60), facets, headingLevel of the results'
// heading (2; the cards' titles one below), decorate(card, item) called on each new card.
export async function mountExplorer(root, options = {}) {
  const ui = JSON.parse(root.dataset.ui);
  const base = new URL(root.dataset.root, window.location.href);
  const catalogue = options.catalogue || (await loadCatalogue(root.dataset.catalogue));
  const items = catalogue.exercises;
  const pageSize = options.pageSize || 60;
  let state = parseState(window.location.search);
  let shown = pageSize;

  // A group of live filters, not a form: nothing is submitted (a form would need a button).
  const form = element("div", "wb-explorer__filters");
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", ui.filters);
  const boxes = {};
  for (const facet of options.facets || ["bank", "component", "format", "level"]) {
    const fieldset = element("fieldset", "wb-facet");
    fieldset.append(element("legend", "", ui.facets[facet]));
    boxes[facet] = new Map();
    for (const [value, label] of facetOptions(facet, catalogue)) {
      const id = `wb-${facet}-${value}`;
      const row = element("div", "wb-facet__option");
      const box = element("input");
      box.type = "checkbox";
      box.id = id;
      box.name = facet;
      box.value = value;
      const tag = element("label", "", label);
      tag.htmlFor = id;
      const count = element("span", "wb-facet__count");
      tag.append(" ", count);
      row.append(box, tag);
      fieldset.append(row);
      boxes[facet].set(value, { box, count });
      box.addEventListener("change", () => {
        if (box.checked) state[facet].add(value); else state[facet].delete(value);
        shown = pageSize;
        update(true);
      });
    }
    form.append(fieldset);
  }
  const range = element("fieldset", "wb-facet wb-facet--range");
  range.append(element("legend", "", ui.facets.minutes));
  const bounds = {};
  for (const key of ["min", "max"]) {
    const id = `wb-minutes-${key}`;
    const label = element("label", "", ui[key]);
    label.htmlFor = id;
    const input = element("input");
    input.type = "number";
    input.id = id;
    input.min = "0";
    input.step = "5";
    input.inputMode = "numeric";
    input.addEventListener("input", () => { state[key] = number(input.value); shown = pageSize; update(true); });
    bounds[key] = input;
    range.append(element("div", "wb-facet__option"));
    range.lastChild.append(label, input);
  }
  form.append(range);
  const reset = element("button", "md-button", ui.reset);
  reset.type = "button";
  reset.addEventListener("click", () => { state = emptyState(); shown = pageSize; update(true); });
  form.append(reset);

  const results = element("div", "wb-explorer__results");
  const heading = element(`h${options.headingLevel || 2}`, "wb-sr", ui.results || "");
  const status = element("p", "wb-explorer__status");
  status.setAttribute("role", "status");
  const list = element("ul", "wb-cards");
  const more = element("button", "md-button wb-explorer__more", ui.more);
  more.type = "button";
  more.addEventListener("click", () => {
    // The keyboard goes on from the first new card, not from the top of the page.
    const first = list.children.length;
    shown += pageSize;
    update(false);
    list.children[first]?.querySelector("a")?.focus();
  });
  results.append(heading, status, list, more);
  root.replaceChildren(form, results);

  function update(pushUrl) {
    const visible = filterExercises(items, state);
    const counts = facetCounts(items, state);
    for (const [facet, options] of Object.entries(boxes)) {
      for (const [value, { box, count }] of options) {
        box.checked = state[facet].has(value);
        const n = counts[facet].get(value) || 0;
        count.textContent = `(${n})`;
        box.closest(".wb-facet__option").classList.toggle("wb-facet__option--empty", n === 0);
      }
    }
    bounds.min.value = state.min === null ? "" : String(state.min);
    bounds.max.value = state.max === null ? "" : String(state.max);
    status.textContent = plural(ui.shown, visible.length, ui.lang || catalogue.lang,
      { total: items.length });
    const level = (options.headingLevel || 2) + 1;
    list.replaceChildren(...visible.slice(0, shown).map((item) => {
      const card = renderCard(item, catalogue, ui, base, level);
      if (options.decorate) options.decorate(card, item);  // e.g. the composer's "add" button
      return card;
    }));
    more.hidden = visible.length <= shown;
    if (pushUrl) {
      const url = `${window.location.pathname}${stateToQuery(state)}${window.location.hash}`;
      window.history.replaceState(null, "", url);
    }
    root.dispatchEvent(new CustomEvent("wb:filtered", { detail: { state, visible } }));
  }

  update(false);
  return { get state() { return state; }, update, catalogue };
}

for (const root of document.querySelectorAll("[data-wb-explorer]")) {
  mountExplorer(root).catch((error) => {
    root.textContent = String(error);
  });
}
