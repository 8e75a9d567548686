// The offline service worker of one language site (see generator/site/offline.py).
// The build writes this file, with its settings filled in, at the root of each language site
// (sw.js next to index.html), so its scope is the whole language site; the copy that would
// land in assets/workbook/ is left out.
//
// - install: cache the settings' "precache" list (home, journal and privacy pages, assets,
//   catalogue, the language's search index), each file on its own: a missing one is skipped;
// - activate: delete the caches of older builds of this language (same prefix, other name),
//   then take control of the open pages;
// - fetch (GET, same origin): pages and files go to the network first and are cached as they
//   come (so a visited page opens offline, and a new build is seen at once online); offline,
//   the cached copy answers, or for a page never visited a short "offline" page. Query strings
//   are ignored by the cache (Pagefind adds ?ts= to its entry file; the explorer keeps its
//   filters there). Requests without a file extension other than pages (such as
//   `workbook serve`'s reload check) are left alone;
// - message {type: "cache", urls}: cache the page that registered the worker and the files it
//   loaded before the worker was there; answers on the message's port when done.
// Nothing here sends anything anywhere: the only requests are for the site's own files.
const SETTINGS = {/* settings: filled in by generator/site/offline.py */};
const CACHE = SETTINGS.cache;
const SCOPE = new URL("./", self.location.href);

function cacheKey(url) {
  const parsed = new URL(url, SCOPE);
  return parsed.origin + parsed.pathname;
}

function sameOrigin(url) {
  return new URL(url, SCOPE).origin === self.location.origin;
}

async function store(cache, url, mode = "reload") {
  // "reload" on install (a new build must not take an older file from the HTTP cache);
  // "default" for the files the page has just loaded.
  try {
    const response = await fetch(new Request(url, { cache: mode, credentials: "same-origin" }));
    if (response.ok && response.type === "basic") await cache.put(cacheKey(url), response);
  } catch (error) {
    // offline or gone: the file is cached the next time it is fetched
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(SETTINGS.precache.map((path) => store(cache, new URL(path, SCOPE).href)));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith(SETTINGS.prefix) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

function offlinePage() {
  const text = SETTINGS.offline;
  const escape = (value) => value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="${escape(text.lang)}" ` +
    `dir="${escape(text.dir || "ltr")}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escape(text.title)}</title></head><body style="font-family:sans-serif;` +
    `max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5">` +
    `<h1>${escape(text.title)}</h1><p>${escape(text.text)}</p>` +
    `<p><a href="${escape(SCOPE.href)}">${escape(text.home)}</a></p></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function networkFirst(request, isPage) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.headers.has("Content-Range")) {
      await cache.put(cacheKey(request.url), response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey(request.url)) ||
      await caches.match(cacheKey(request.url));
    if (cached) return cached;
    if (isPage) return offlinePage();
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !sameOrigin(request.url) || request.headers.has("Range")) return;
  const isPage = request.mode === "navigate";
  const path = new URL(request.url).pathname;
  if (!isPage && !/\.[A-Za-z0-9_]+$/.test(path)) return;
  event.respondWith(networkFirst(request, isPage));
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache" || !Array.isArray(data.urls)) return;
  const reply = event.ports && event.ports[0];
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const wanted = [...new Set(data.urls.filter((url) => typeof url === "string" && sameOrigin(url))
      .map(cacheKey))];
    const missing = [];
    for (const url of wanted) {
      if (!(await cache.match(url))) missing.push(url);
    }
    await Promise.all(missing.map((url) => store(cache, url, "default")));
    if (reply) reply.postMessage({ type: "cached", count: missing.length });
  })());
});
