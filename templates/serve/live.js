// `workbook serve` adds this script to every page it serves (never to a built site). It asks
// the preview, several times a second, whether a save changed this page, and reloads it if so;
// while the content has problems, it lists them over the page, as `workbook check` prints
// them, until they are fixed. The preview fills in the number of the update this page comes
// from, and the address it answers on.
(() => {
  const since = __WORKBOOK_SINCE__;
  const status = __WORKBOOK_STATUS__;
  let shown = null;
  let dismissed = null;
  let host = null;

  const STYLE = `
    :host { all: initial; position: fixed; inset: 0; z-index: 2147483647; display: block;
      background: rgba(20, 20, 20, 0.66); font: 15px/1.5 system-ui, sans-serif; }
    .box { box-sizing: border-box; max-width: 60rem; max-height: calc(100vh - 4rem);
      margin: 2rem auto; overflow: auto; padding: 1.25rem 1.5rem; color: #1b1b1b;
      background: #fff; border-top: 0.4rem solid #b3261e; border-radius: 0.4rem;
      box-shadow: 0 0.5rem 2rem rgba(0, 0, 0, 0.4); }
    h2 { margin: 0 0 0.75rem; font-size: 1.15rem; color: #b3261e; }
    ol { margin: 0; padding: 0; list-style: none; }
    li { margin: 0 0 0.5rem; padding: 0.5rem 0.75rem; background: #fbeceb; border-radius: 0.25rem;
      font: 14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      white-space: pre-wrap; overflow-wrap: anywhere; }
    p { margin: 0.75rem 0 0; color: #444; }
    button { float: right; font: inherit; border: 1px solid #888; border-radius: 0.25rem;
      background: #fff; padding: 0.1rem 0.6rem; cursor: pointer; }
    @media (prefers-color-scheme: dark) {
      .box { background: #1e1e1e; color: #eee; }
      li { background: #3a2422; }
      p { color: #bbb; }
      button { background: #1e1e1e; color: #eee; }
    }`;

  function show(problems) {
    const key = problems.join("\n");
    if (key === shown) return;
    shown = key;
    if (!problems.length || key === dismissed) {
      if (host) host.remove();
      host = null;
      return;
    }
    if (!host) {
      host = document.createElement("workbook-problems");
      host.attachShadow({ mode: "open" });
      document.documentElement.append(host);
    }
    const root = host.shadowRoot;
    root.replaceChildren();
    const style = document.createElement("style");
    style.textContent = STYLE;
    const box = document.createElement("div");
    box.className = "box";
    box.setAttribute("role", "alert");
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.title = "Hide until the problems change";
    close.addEventListener("click", () => {
      dismissed = key;
      host.remove();
      host = null;
    });
    const title = document.createElement("h2");
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    title.textContent = `The site was not updated: ${count}`;
    const list = document.createElement("ol");
    for (const problem of problems) {
      const item = document.createElement("li");
      item.textContent = problem;  // text, never markup: it quotes the content
      list.append(item);
    }
    const hint = document.createElement("p");
    hint.textContent = "Fix them and save: this page updates by itself. "
      + "Below is the last site that was built without problems.";
    box.append(close, title, list, hint);
    root.append(style, box);
  }

  async function poll() {
    try {
      const query = `?since=${since}&page=${encodeURIComponent(location.pathname)}`;
      const response = await fetch(status + query, { cache: "no-store" });
      const answer = await response.json();
      if (answer.reload) {
        location.reload();
        return;
      }
      show(answer.problems);
    } catch (error) {
      // the preview is restarting or stopped: ask again
    }
    setTimeout(poll, document.hidden ? 1000 : 120);
  }

  poll();
})();
