// Taza's service worker: passes and the check-in console keep working without a signal.
//
// Pages a volunteer or an organiser needs on site (passes, my events, the console), the event
// finder and the last EVENTS_KEPT event pages viewed are fetched from the network first and kept;
// without a signal the kept copy answers. Static files are kept as they are fetched. Nothing else
// is cached. Signing out empties the page cache (taza.js).

const PAGES = "taza-pages-v1";
const ASSETS = "taza-assets-v1";
const EVENT_PAGE = /^\/events\/[0-9a-f-]{36}\/$/;
const EVENTS_KEPT = 10;
const KEPT_PAGES = [/^\/me\/passes\//, /^\/me\/events\/$/, /^\/organise\/events\/[^/]+\/$/, /^\/events\/$/, EVENT_PAGE];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => ![PAGES, ASSETS].includes(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "forget-pages") event.waitUntil(caches.delete(PAGES));
});

// Only the latest EVENTS_KEPT event pages stay: the cache lists its entries oldest first.
async function forgetOldEventPages(cache) {
  const events = (await cache.keys()).filter((kept) => EVENT_PAGE.test(new URL(kept.url).pathname));
  await Promise.all(events.slice(0, Math.max(0, events.length - EVENTS_KEPT)).map((old) => cache.delete(old)));
}

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      await cache.delete(request); // put again at the end: the latest viewed
      await cache.put(request, response.clone());
      if (EVENT_PAGE.test(new URL(request.url).pathname)) await forgetOldEventPages(cache);
    }
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

async function keptOrFetched(request) {
  const cache = await caches.open(ASSETS);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && KEPT_PAGES.some((pattern) => pattern.test(url.pathname))) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(keptOrFetched(request));
  }
});
