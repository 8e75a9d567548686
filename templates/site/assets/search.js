// Pagefind search in the theme header (Material's own search plugin is off).
// The Pagefind bundle sits at the output root (pagefind/), shared by both languages: it picks
// the index of the page's <html lang> (French stemming on the French site, English on the
// English one). Results show the bank and the duration (data-pagefind-meta on exercise pages).
//
// Speed (benchmarks/search.py, 2,000 exercises):
// - the engine (pagefind.js, wasm, index meta) loads when the browser is idle after the page's
//   load event, or at once when the box is focused or hovered; "wb-search-ready" fires then;
// - searches of two or three letters wait for a pause of SHORT_WAIT ms (see below);
// - one search at a time: the newest text is searched as soon as the running search ends, and
//   the texts typed in between are skipped (stale results are neither fetched nor shown; a
//   Pagefind preload() of them would cost as much as a search in the one worker);
// - only the first FIRST results load their fragments; a "more results" button loads the next
//   MORE;
// - each render is built off-document and swapped in with one replaceChildren (text only:
//   textContent, and <mark> rebuilt from the excerpt's text), then "wb-search-results" fires.
import { plural } from "./catalogue.js";

const box = document.querySelector("[data-wb-search]");
const FIRST = 5;
const MORE = 10;
const MIN_CHARS = 2;
// Two or three letters match a large share of the words (a prefix search): their search waits
// for a pause in the typing instead of holding up the longer text that usually follows.
const SHORT_CHARS = 4;
const SHORT_WAIT = 150;

function excerptNodes(html) {
  // Pagefind excerpts mark the hits with <mark>; keep only text and <mark>, nothing else.
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.append(mark);
    } else {
      fragment.append(document.createTextNode(node.textContent || ""));
    }
  }
  return fragment;
}

function resultItem(result) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = result.url;
  link.className = "wb-search__result";
  const title = document.createElement("span");
  title.className = "wb-search__title";
  title.textContent = result.meta.title || result.url;
  link.append(title);
  const facts = [result.meta.bank, result.meta.minutes].filter(Boolean);
  if (facts.length) {
    const meta = document.createElement("span");
    meta.className = "wb-search__meta";
    meta.textContent = facts.join(" · ");
    link.append(meta);
  }
  const excerpt = document.createElement("span");
  excerpt.className = "wb-search__excerpt";
  excerpt.append(excerptNodes(result.excerpt || ""));
  link.append(excerpt);
  item.append(link);
  return item;
}

function setup(root) {
  const input = root.querySelector("input");
  const panel = root.querySelector(".wb-search__results");
  const outputRoot = new URL(root.dataset.outputRoot, window.location.href);
  let loading = null;
  let wanted = "";  // the text in the box
  let shown = "";  // the text whose results the panel shows
  let busy = false;
  let timer = 0;

  function engine() {
    if (!loading) {
      loading = (async () => {
        const pagefind = await import(new URL("pagefind/pagefind.js", outputRoot).href);
        await pagefind.options({ baseUrl: outputRoot.pathname, excerptLength: 24 });
        await pagefind.preload("");  // resolves once the entry, index meta and wasm are in
        root.dispatchEvent(new CustomEvent("wb-search-ready", { bubbles: true }));
        return pagefind;
      })();
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  function warm() {
    if (window.location.protocol !== "file:") engine().catch(() => {});
  }

  function show(open) {
    panel.hidden = !open;
  }

  function message(text) {
    const p = document.createElement("p");
    p.className = "wb-search__message";
    p.textContent = text;
    return p;
  }

  function render(query, search, data) {
    if (!data.length) {
      panel.replaceChildren(message(root.dataset.none));
    } else {
      const list = document.createElement("ol");
      list.className = "wb-search__list";
      list.append(...data.map(resultItem));
      const count = plural(JSON.parse(root.dataset.count), search.results.length, root.dataset.lang);
      const parts = [message(count), list];
      if (search.results.length > data.length) parts.push(moreButton(query, search, list));
      panel.replaceChildren(...parts);
    }
    shown = query;
    show(true);
    root.dispatchEvent(new CustomEvent("wb-search-results", {
      bubbles: true, detail: { query, total: search.results.length, shown: data.length } }));
  }

  function moreButton(query, search, list) {
    // The next MORE results load only when asked for.
    const button = document.createElement("button");
    button.type = "button";
    button.className = "wb-search__more";
    button.textContent = root.dataset.more;
    button.addEventListener("click", async () => {
      button.disabled = true;
      const start = list.children.length;
      const data = await Promise.all(
        search.results.slice(start, start + MORE).map((result) => result.data()));
      if (shown !== query || !list.isConnected) return;
      const first = list.children.length;
      list.append(...data.map(resultItem));
      if (search.results.length > list.children.length) button.disabled = false;
      else button.remove();
      list.children[first]?.querySelector("a")?.focus();
    });
    return button;
  }

  async function pump() {
    if (busy) return;
    busy = true;
    try {
      while (wanted.length >= MIN_CHARS && wanted !== shown) {
        const query = wanted;
        const pagefind = await engine();
        const search = await pagefind.search(query);
        if (query !== wanted) continue;
        const data = await Promise.all(
          search.results.slice(0, FIRST).map((result) => result.data()));
        if (query !== wanted) continue;
        render(query, search, data);
      }
    } catch (error) {
      panel.replaceChildren(message(root.dataset.unavailable));
      shown = wanted;
      show(true);
    } finally {
      busy = false;
    }
  }

  function changed() {
    clearTimeout(timer);
    wanted = input.value.trim();
    if (!wanted) {
      shown = "";
      show(false);
      panel.replaceChildren();
      return;
    }
    if (window.location.protocol === "file:") {
      show(true);
      panel.replaceChildren(message(root.dataset.unavailable));
      return;
    }
    if (wanted.length < MIN_CHARS) {  // one letter matches everything: wait for more
      shown = "";
      show(false);
      panel.replaceChildren();
      return;
    }
    if (wanted.length < SHORT_CHARS) timer = setTimeout(pump, SHORT_WAIT);
    else pump();
  }

  input.addEventListener("input", changed);
  input.addEventListener("focus", () => { if (shown) show(true); warm(); });
  root.addEventListener("pointerenter", warm, { once: true });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { show(false); }
    if (event.key === "ArrowDown") {
      const first = panel.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  panel.addEventListener("keydown", (event) => {
    const links = [...panel.querySelectorAll("a, button")];
    const index = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && index < links.length - 1) { event.preventDefault(); links[index + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? links[index - 1] : input).focus(); }
    if (event.key === "Escape") { show(false); input.focus(); }
  });
  document.addEventListener("click", (event) => { if (!root.contains(event.target)) show(false); });

  // Load the engine once the page is idle, unless the reader asked to save data.
  if (!(navigator.connection && navigator.connection.saveData)) {
    const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 200));
    const later = () => idle(warm, { timeout: 2000 });
    if (document.readyState === "complete") later();
    else window.addEventListener("load", later, { once: true });
  }
}

if (box) setup(box);
