// Offline copy of the site: registers the service worker of this language site (sw.js at its
// root, so its scope is the whole language site; see templates/site/assets/sw.js), then asks
// it to keep this page and the files it loaded, which were fetched before the worker was
// there. When that is done, <html data-wb-offline="ready"> is set and "wb-offline-ready"
// fires. Only the site's own files are ever requested.
const root = new URL("../../", import.meta.url);  // assets/workbook/offline.js → the site root

function sameOrigin(url) {
  try {
    return new URL(url).origin === window.location.origin;
  } catch (error) {
    return false;
  }
}

async function register() {
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(window.location.protocol)) return;
  try {
    await navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname });
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker) return;
    const urls = [window.location.href.split("#")[0],
      ...performance.getEntriesByType("resource").map((entry) => entry.name)]
      .filter(sameOrigin);
    const channel = new MessageChannel();
    const done = new Promise((resolve) => { channel.port1.onmessage = resolve; });
    worker.postMessage({ type: "cache", urls }, [channel.port2]);
    await done;
    document.documentElement.dataset.wbOffline = "ready";
    document.dispatchEvent(new CustomEvent("wb-offline-ready"));
  } catch (error) {
    // no service worker here (private window, storage off): the site works online as before
  }
}

// On a first visit, installing the worker downloads the site's shell, catalogue and search
// index: it waits until the page has been quiet for a while (FIRST_VISIT_DELAY ms after the
// load event, then an idle moment), so that it never competes with what the reader does first
// (the first search above all). Once installed, the worker answers at once on later pages.
const FIRST_VISIT_DELAY = 4000;

function whenQuiet(callback) {
  const idle = window.requestIdleCallback || ((run) => setTimeout(run, 0));
  setTimeout(() => idle(callback, { timeout: 2000 }), FIRST_VISIT_DELAY);
}

function start() {
  if ("serviceWorker" in navigator && navigator.serviceWorker.controller) register();
  else whenQuiet(register);
}

if (document.readyState === "complete") start();
else window.addEventListener("load", start, { once: true });
