/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { StaleWhileRevalidate } from 'workbox-strategies';
import './outbox-send.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

// The shell and every route's code, hashed by the build (workbox-build injectManifest). Nothing here holds PHI.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every app route opens offline: navigations get the precached shell. /api/ is never answered from a cache.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api(\/|$)/] }));

// The clinic's public contact details and the manifest: shown offline, refreshed whenever the network answers.
// Fetched once at install too, so Help has them even when the very first visit ends offline.
const PUBLIC_CACHE = 'mcl-public';
self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(PUBLIC_CACHE)
      .then((cache) => cache.addAll(['/clinic.json', '/manifest.webmanifest']))
      .catch(() => {}), // not worth failing the install over: the page fetches them again through the route below
  );
});
registerRoute(
  ({ url, request }) =>
    request.method === 'GET' &&
    url.origin === self.location.origin &&
    (url.pathname === '/clinic.json' || url.pathname === '/manifest.webmanifest'),
  new StaleWhileRevalidate({ cacheName: PUBLIC_CACHE }),
);

// The first install takes control at once (there is no older page to disturb). A later version waits until the
// person accepts the update prompt, which sends SKIP_WAITING: never a blind skipWaiting while a draft is open.
clientsClaim();
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
