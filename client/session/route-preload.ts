/**
 * Fetching a route's code in one round trip. The build lists, in index.html, each route's module and everything it
 * imports (less what the first paint loads); here those are handed to the browser as `modulepreload` links. Kept
 * free of imports: the build also makes this file its own tiny script that runs before the shell's code, so the
 * opened page's code downloads alongside the shell's instead of after it.
 */
let routeModules: Record<string, string[]> | undefined;
const preloaded = new Set<string>();

function listed(): Record<string, string[]> {
  routeModules ??= JSON.parse(document.getElementById('mcl-route-modules')?.textContent || '{}') as Record<
    string,
    string[]
  >;
  return routeModules;
}

/** The route a path opens: an exact path, or a prefix ending in `/*`; a trailing slash does not count. */
export function matchPath<T extends { path: string }>(pathname: string, table: readonly T[]): T | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return table.find((r) => (r.path.endsWith('/*') ? path.startsWith(r.path.slice(0, -1)) : r.path === path));
}

/** Preloads the code of the route `path` (as written in the route table). No list (element tests, an unbuilt page): nothing to do. */
export function preloadRouteModules(path: string): void {
  for (const href of listed()[path] ?? []) {
    if (preloaded.has(href)) continue;
    preloaded.add(href);
    document.head.append(Object.assign(document.createElement('link'), { rel: 'modulepreload', href }));
  }
}

/** Preloads the code of the route that the address `pathname` opens. */
export function preloadRouteOf(pathname: string): void {
  const route = matchPath(
    pathname,
    Object.keys(listed()).map((path) => ({ path })),
  );
  if (route) preloadRouteModules(route.path);
}
