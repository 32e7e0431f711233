/** Asks the app shell to show another page (the router listens for this event). */
export function navigate(from: EventTarget, path: string): void {
  from.dispatchEvent(new CustomEvent('mcl-navigate', { detail: { path }, bubbles: true, composed: true }));
}
