import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { matchRoute, routes, type Route } from './routes.js';
import { preloadRouteModules } from '../session/route-preload.js';

/**
 * Client-side navigation for the host element: follows same-origin link clicks (also from inside shadow roots) and
 * the back/forward buttons, loads the page's code, and re-renders the host. `route` is undefined for an unknown path.
 */
export class RouterController implements ReactiveController {
  route: Route | undefined;
  /** Set once the current route's code has loaded (or failed to). */
  loaded = false;
  loadError: unknown;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onNavigated: (route: Route | undefined) => void = () => {},
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.onPopState);
    this.host.addEventListener('click', this.onClick);
    void this.resolve(location.pathname);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.onPopState);
    this.host.removeEventListener('click', this.onClick);
  }

  /** Goes to a path of this app, with its query (a conversation's id, a test's code) kept. */
  navigate(path: string): void {
    const url = new URL(path, location.origin);
    const address = url.pathname + url.search;
    if (address !== location.pathname + location.search) history.pushState(null, '', address);
    void this.resolve(url.pathname);
  }

  /** Fetches ahead what the page at `path` adds for a signed-in person (asked by the sign-in page: session/navigate.ts). */
  prepareSignedIn(path: string): void {
    void matchRoute(path)
      ?.loadSignedIn?.()
      .catch(() => {});
  }

  private readonly onPopState = () => void this.resolve(location.pathname);

  private readonly onClick = (event: MouseEvent) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    const anchor = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute('download') || !anchor.href) return;
    if (anchor.getAttribute('href')?.startsWith('#')) return; // in-page links are left to the browser
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || !routes.some((r) => r === matchRoute(url.pathname))) return;
    event.preventDefault();
    this.navigate(url.pathname + url.search);
  };

  private async resolve(pathname: string): Promise<void> {
    const route = matchRoute(pathname);
    this.route = route;
    this.loaded = false;
    this.loadError = undefined;
    this.host.requestUpdate();
    if (route) {
      try {
        preloadRouteModules(route.path);
        await route.load();
      } catch (error) {
        this.loadError = error;
      }
    }
    if (this.route !== route) return; // a newer navigation won
    this.loaded = true;
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.onNavigated(route);
  }
}
