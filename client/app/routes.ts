/**
 * The app's routes. Each page's code is loaded on first visit (a separate chunk), so the first paint needs only the
 * shell; the service worker precaches every chunk, so every route also opens offline.
 */
export interface Route {
  /** Exact path, or a prefix ending in `/*`. */
  path: string;
  /** The tag of the page element, and its title for the document and the navigation. */
  tag: string;
  title: string;
  /** Shown in the main navigation. */
  nav: boolean;
  load: () => Promise<unknown>;
}

export const routes: Route[] = [
  { path: '/', tag: 'mcl-home-page', title: 'Home', nav: true, load: () => import('../features/home/home-page.js') },
  { path: '/help', tag: 'mcl-help-page', title: 'Help', nav: true, load: () => import('../features/help/help-page.js') },
];

export function matchRoute(pathname: string, table: Route[] = routes): Route | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return table.find((r) => (r.path.endsWith('/*') ? path.startsWith(r.path.slice(0, -1)) : r.path === path));
}
