/* 北疆工匠网, the static build's service worker: written to /sw.js by
   publish/offline.py, which fills in the lists below.

   Nothing is cached when it installs. When a page asks ("save", from the
   footer's control in static/js/offline.js) it caches every file of the
   build, telling the page its progress. Then a saved file is answered from
   the cache, anything else from the network, and a page that is neither
   saved nor reachable gets the offline page in its language.

   Each file is cached under its address plus its content digest, and the
   cache is named after the digest of the whole list: a rebuild gives a new
   cache, into which activation carries the saved files that did not change;
   older caches are deleted. */
"use strict";

// [address, digest of the file's content]: every file of the build.
const FILES = __FILES__;
const VERSION = __VERSION__;
// The offline page of each language: English addresses start with /en/.
const OFFLINE_PAGES = __OFFLINE_PAGES__;
const PREFIX = "bjgj-offline-";
const CACHE = PREFIX + VERSION;
const PARALLEL = 6;

// Addresses as the browser writes a path (non-ASCII characters escaped).
const DIGESTS = new Map(FILES.map(([address, digest]) => [new URL(address, self.location).pathname, digest]));

function cacheKey(pathname) {
  return new URL(pathname + "?v=" + DIGESTS.get(pathname), self.location).href;
}

function offlinePage(pathname) {
  return pathname.startsWith("/en/") ? OFFLINE_PAGES.en : OFFLINE_PAGES.zh;
}

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const older = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
      for (const name of older) {
        const old = await caches.open(name);
        const requests = await old.keys();
        if (requests.length) {
          // A copy saved from an earlier build: keep what has not changed.
          const cache = await caches.open(CACHE);
          for (const request of requests) {
            const url = new URL(request.url);
            if (DIGESTS.get(url.pathname) === url.searchParams.get("v")) {
              await cache.put(request, await old.match(request));
            }
          }
        }
        await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function cached(pathname) {
  if (!DIGESTS.has(pathname) || !(await caches.has(CACHE))) {
    return undefined;
  }
  return (await caches.open(CACHE)).match(cacheKey(pathname));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const navigation = request.mode === "navigate";
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (!DIGESTS.has(url.pathname) && !navigation) {
    return;
  }
  event.respondWith(
    (async () => {
      // The search page reads its query itself: /search/?q=… is /search/.
      const saved = await cached(url.pathname);
      if (saved) {
        return saved;
      }
      try {
        return await fetch(request);
      } catch (error) {
        const offline = navigation ? await cached(offlinePage(url.pathname)) : undefined;
        if (offline) {
          return offline;
        }
        throw error;
      }
    })(),
  );
});

async function tell(message) {
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    client.postMessage(message);
  }
}

async function status() {
  const total = DIGESTS.size;
  if (!(await caches.has(CACHE))) {
    return { type: "status", cached: 0, total };
  }
  const keys = await (await caches.open(CACHE)).keys();
  return { type: "status", cached: keys.length, total };
}

// The first DIGEST_LENGTH hexadecimal digits of the SHA-256 digest, as
// publish/offline.py writes them.
async function digest(body) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return hex.slice(0, __DIGEST_LENGTH__);
}

async function save() {
  const cache = await caches.open(CACHE);
  const have = new Set((await cache.keys()).map((request) => request.url));
  const missing = [...DIGESTS.keys()].filter((pathname) => !have.has(cacheKey(pathname)));
  const total = DIGESTS.size;
  let done = total - missing.length;
  let failed = 0;
  let next = 0;
  let told = 0;
  await tell({ type: "progress", done, total });
  async function worker() {
    while (next < missing.length) {
      const pathname = missing[next++];
      try {
        // Past the browser's HTTP cache, and checked against the list: a
        // stale copy from a cache on the way is never kept as the new one.
        const response = await fetch(pathname, { cache: "reload" });
        if (!response.ok) {
          throw new Error(`${pathname} answered ${response.status}`);
        }
        const body = await response.arrayBuffer();
        if ((await digest(body)) !== DIGESTS.get(pathname)) {
          throw new Error(`${pathname} is not the file this build lists`);
        }
        // A new response: a page must not be answered with a redirected one.
        const headers = { "Content-Type": response.headers.get("Content-Type") || "application/octet-stream" };
        await cache.put(cacheKey(pathname), new Response(body, { status: 200, headers }));
        done++;
      } catch {
        failed++;
      }
      if (Date.now() - told > 200) {
        told = Date.now();
        await tell({ type: "progress", done, total });
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  await tell(failed ? { type: "failed", done, total, failed } : { type: "saved", total });
}

let saving = null;

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "status") {
    event.waitUntil(status().then((answer) => event.source.postMessage(answer)));
  } else if (type === "save") {
    saving =
      saving ||
      save().finally(() => {
        saving = null;
      });
    event.waitUntil(saving);
  }
});
