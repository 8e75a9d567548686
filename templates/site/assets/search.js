// Pagefind search in the theme header (Material's own search plugin is off).
// The Pagefind bundle sits at the output root (pagefind/), shared by both languages: it picks
// the index of the page's <html lang> (French stemming on the French site, English on the
// English one). Results show the bank and the duration (data-pagefind-meta on exercise pages).
const box = document.querySelector("[data-wb-search]");
const MAX_RESULTS = 8;

function excerptNodes(html) {
  // Pagefind excerpts mark the hits with <mark>; keep only text and <mark>, nothing else.
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      fragment.append(document.createTextNode(node.textContent));
    } else if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.append(mark);
    } else {
      fragment.append(document.createTextNode(node.textContent || ""));
    }
  }
  return fragment;
}

function setup(root) {
  const input = root.querySelector("input");
  const panel = root.querySelector(".wb-search__results");
  const outputRoot = new URL(root.dataset.outputRoot, window.location.href);
  let pagefind = null;
  let latest = 0;

  async function engine() {
    if (!pagefind) {
      pagefind = await import(new URL("pagefind/pagefind.js", outputRoot).href);
      await pagefind.options({ baseUrl: outputRoot.pathname, excerptLength: 24 });
      pagefind.init();
    }
    return pagefind;
  }

  function show(open) {
    panel.hidden = !open;
  }

  function message(text) {
    const p = document.createElement("p");
    p.className = "wb-search__message";
    p.textContent = text;
    panel.replaceChildren(p);
  }

  async function run() {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      show(false);
      panel.replaceChildren();
      return;
    }
    show(true);
    if (window.location.protocol === "file:") {
      message(root.dataset.unavailable);
      return;
    }
    let search;
    try {
      search = await (await engine()).search(query);
    } catch (error) {
      message(root.dataset.unavailable);
      return;
    }
    if (ticket !== latest) return;
    const data = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (ticket !== latest) return;
    if (!data.length) {
      message(root.dataset.none);
      return;
    }
    const count = document.createElement("p");
    count.className = "wb-search__message";
    count.textContent = root.dataset.count.replace("{n}", String(search.results.length));
    const list = document.createElement("ol");
    list.className = "wb-search__list";
    for (const result of data) {
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
      list.append(item);
    }
    panel.replaceChildren(count, list);
  }

  input.addEventListener("input", run);
  input.addEventListener("focus", () => { if (input.value.trim()) show(true); engine().catch(() => {}); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { show(false); }
    if (event.key === "ArrowDown") {
      const first = panel.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  panel.addEventListener("keydown", (event) => {
    const links = [...panel.querySelectorAll("a")];
    const index = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && index < links.length - 1) { event.preventDefault(); links[index + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? links[index - 1] : input).focus(); }
    if (event.key === "Escape") { show(false); input.focus(); }
  });
  document.addEventListener("click", (event) => { if (!root.contains(event.target)) show(false); });
}

if (box) setup(box);
