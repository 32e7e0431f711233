/** The browser's offer to install the app (Chromium's `beforeinstallprompt`), kept until the person asks for it. */
interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let offer: InstallPromptEvent | undefined;
export const INSTALL_CHANGE = 'mcl-install-change';

/** Listens from the start for the browser's install offer (it fires once, early), and for the app being installed. */
export function captureInstallPrompt(target: Window = window): void {
  target.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault(); // the app offers it in its own words, when the person chooses
    offer = event as InstallPromptEvent;
    target.dispatchEvent(new Event(INSTALL_CHANGE));
  });
  target.addEventListener('appinstalled', () => {
    offer = undefined;
    target.dispatchEvent(new Event(INSTALL_CHANGE));
  });
}

export const canInstall = () => offer !== undefined;
export const isInstalled = () => matchMedia('(display-mode: standalone)').matches;

/** Shows the browser's install dialog; true when the person accepted. */
export async function install(): Promise<boolean> {
  if (!offer) return false;
  const event = offer;
  offer = undefined;
  await event.prompt();
  return (await event.userChoice).outcome === 'accepted';
}
