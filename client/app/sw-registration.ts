import { Workbox } from 'workbox-window';

/**
 * Registers the service worker (built to /sw.js) and checks for a new version whenever the app comes back to the
 * foreground. Returns undefined where service workers are unavailable (old browsers, some private modes); the app
 * then still works online.
 */
export function registerServiceWorker(): Workbox | undefined {
  if (!('serviceWorker' in navigator)) return undefined;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.register().catch(() => {
    // Registration fails in a few private modes; the app keeps working online, only offline use is lost.
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && navigator.onLine) void wb.update().catch(() => {});
  });
  return wb;
}
