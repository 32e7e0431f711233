/** Asks the app shell to show another page (the router listens for this event). */
export function navigate(from: EventTarget, path: string): void {
  from.dispatchEvent(new CustomEvent('mcl-navigate', { detail: { path }, bubbles: true, composed: true }));
}

/**
 * Asks the app shell to fetch, ahead, the code the page at `path` adds for a signed-in person (Home's dashboard),
 * while the person is still unlocking or signing in (the route table knows which code that is).
 */
export function prepareSignedIn(from: EventTarget, path: string): void {
  from.dispatchEvent(new CustomEvent('mcl-prepare-signed-in', { detail: { path }, bubbles: true, composed: true }));
}
