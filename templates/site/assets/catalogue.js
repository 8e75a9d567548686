// The exercises as the site's scripts read them: one small module the explorer, the composer and
// the run mode share (and any page that lists or prints exercises).
//
//   import { loadCatalogue, loadExercise, plural, fill, safeFragment, element, tableHead }
//     from "<root>assets/workbook/catalogue.js";
//
// Two kinds of JSON files, written by the build (generator/site/catalogue.py), hold the data:
//
// - data/exercises.json: every exercise, compact, for lists and filters (about 250 bytes each):
//     { version: 1, lang: "fr",
//       banks: [{ id, title, url }],
//       labels: { format: {solo: "Seul", …}, level: {…}, component: {…}, moment: {…} },
//       exercises: [{ id, title, summary, bank, minutes, format, level, components: [...],
//                     moment, practice_days, url }] }
//
// - data/run/exercises/<id>.json: one exercise in full, loaded only when it is shown or printed:
//     { version: 1, lang: "fr",
//       exercise: { id, title, url, minutes, format, summary,
//                   steps: [{ minutes, html }], prompts: [{ html, lines, space }],
//                   safety, debrief, facilitator_notes } }
//   (`space` is "lines" (ruled lines) or "box" (an open box `lines` tall); `html` values are the
//   site's own safe HTML: put them in a page through safeFragment, never innerHTML.)
//
// Texts are plain text (show them with textContent); `url` values are relative to the language
// site's root, the folder holding data/.

export const CATALOGUE_VERSION = 1;

export async function loadCatalogue(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`catalogue ${url}: ${response.status}`);
  return response.json();
}

const exercises = new Map();

// One exercise in full (the object under "exercise"), from `root` (the language site's root, a
// URL); each file is fetched once per page.
export function loadExercise(root, id) {
  const url = new URL(`data/run/exercises/${encodeURIComponent(id)}.json`, root).href;
  if (!exercises.has(url)) {
    const loading = fetch(url)
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`${url}: ${response.status}`))))
      .then((data) => data.exercise);
    loading.catch(() => exercises.delete(url));
    exercises.set(url, loading);
  }
  return exercises.get(url);
}

// `template` with each {name} replaced by values[name] (unknown names are left as they are).
export function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

const rules = new Map();

// The form of a count for `n` in `lang`: `forms` holds one text per CLDR plural category
// ({one: "{n} exercice", other: "{n} exercices"}; at least `other`), as the generator writes
// them (generator/plural.py picks the same category in Python). {n} and `values` are filled in.
// A plain string is taken as the only form.
export function plural(forms, n, lang, values = {}) {
  if (typeof forms === "string") return fill(forms, { n, ...values });
  if (!rules.has(lang)) rules.set(lang, new Intl.PluralRules(lang));
  const category = rules.get(lang).select(n);
  return fill(forms[category] ?? forms.other, { n, ...values });
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// A table's <thead>: one row with a column heading (<th scope="col">) for each of `names`.
export function tableHead(names) {
  const head = element("tr");
  for (const name of names) {
    const cell = element("th", "", name);
    cell.scope = "col";
    head.append(cell);
  }
  const thead = element("thead");
  thead.append(head);
  return thead;
}

// Block and inline elements the site's Markdown subset writes (generator/markup.py); links keep
// their text only (a printed handout has no use for them).
const KEPT = new Set(["P", "UL", "OL", "LI", "EM", "STRONG", "B", "I", "CODE", "BR", "BLOCKQUOTE"]);

function copyInto(target, source) {
  for (const node of source.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.append(document.createTextNode(node.textContent));
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      if (KEPT.has(node.nodeName)) {
        const copy = document.createElement(node.nodeName.toLowerCase());
        copyInto(copy, node);
        target.append(copy);
      } else {
        copyInto(target, node);
      }
    }
  }
  return target;
}

// The HTML of a data file as a fragment of this page: the kept elements are rebuilt, every
// other element is reduced to its text, no attribute is carried over (so no script, no link).
export function safeFragment(html) {
  const parsed = new DOMParser().parseFromString(String(html || ""), "text/html");
  return copyInto(document.createDocumentFragment(), parsed.body);
}
