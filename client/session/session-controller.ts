import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiProblem } from '../data/api.js';
import { ok, portal } from '../data/portal.js';
import { SESSION_CHANGE } from './session-watch.js';
import { forgetUnlockedKey, rememberUnlockedKey } from '../record/unlocked-keys.js';
import { forgetRecordMarks } from '../record/unlock-ways.js';
import { VAULT_DB } from '../record/vault-name.js';
import { deleteDatabase, forgetOthers, forgetPeople } from '../record/viewing.js';
import { fromBase64Url } from '../../common/base64url.js';

/** What a device PIN unlocks ([8/8]): the record's key, whose record it is, and the idle limit to keep. */
export interface OfflineSecret {
  kek: string;
  account: SignedInAccount;
  idleSeconds: number;
}

export interface SignedInAccount {
  id: string;
  kind: 'patient' | 'staff';
  username: string;
  displayName: string;
  email: string;
  role: string | null;
  patientId: string | null;
}

export interface SessionInfo {
  account: SignedInAccount;
  idleExpiresAt: string;
  idleSeconds: number;
  /**
   * How this session was authenticated: password, mfa (password + second factor) or passkey; `enrol` is the
   * short session a new staff member's enrolment link opens (the server's AuthLevel).
   */
  authLevel: 'enrol' | 'password' | 'mfa' | 'passkey';
  /** Until when sensitive changes need no new confirmation (step-up). */
  freshUntil: string;
  /** Whether the account has a passkey or a second factor yet. */
  secured: boolean;
  passkeys: number;
}

/** A password was right and a second factor is needed (see second-factor.ts). */
export interface SecondStepAnswer {
  step: 'second-factor';
  flow: string;
  methods: ('passkey' | 'totp' | 'sms' | 'recovery')[];
  smsTo?: string;
}

/**
 * Deletes everything the app keeps in this browser about the person: the local record (IndexedDB), storage, and,
 * through the server's `Clear-Site-Data` answer, the cookies and caches of this origin (SECURITY.md: kiosk).
 */
export async function removeLocalData(): Promise<void> {
  // The own record, and the record of every person this account helps ([3/11]): each is a database of its own.
  await deleteDatabase(VAULT_DB);
  await forgetOthers([]);
  sessionStorage.clear();
  forgetRecordMarks(VAULT_DB);
  await ok(portal.api.session['forget-device'].$post()).catch(() => {});
}

/** Where to go back to after signing in again following a timeout (a path of this app only). */
export const RETURN_KEY = 'mcl-return-to';
export function takeReturnPath(): string | undefined {
  const path = sessionStorage.getItem(RETURN_KEY) ?? undefined;
  sessionStorage.removeItem(RETURN_KEY);
  return path && /^\/(?!\/)/.test(path) && !path.startsWith('/sign-in') ? path : undefined;
}

/** "This is a shared computer" (chosen at sign-in, for this tab): nothing about the person stays after them. */
export const SHARED_KEY = 'mcl-shared-computer';
export function onSharedComputer(): boolean {
  return sessionStorage.getItem(SHARED_KEY) === '1';
}
/**
 * What the pages say about this device once "this is a shared computer" was chosen ([2/11]): every text about what
 * is kept here follows the choice, and none says the record is kept on a computer others use.
 */
export const SHARED_NOTICE =
  'You said this is a shared or public computer: nothing about you is kept on it after you sign out.';

/** Tabs of the app on this device tell each other when the person signs out (BroadcastChannel, same origin only). */
const TABS_CHANNEL = 'mcl-session';
const SIGNED_OUT = 'signed-out';

/** How long before the idle limit the warning appears (the issue asks for at least 60 seconds). */
export const WARN_BEFORE_MS = 60_000;
/** Activity is reported to the server at most this often. */
const KEEPALIVE_EVERY_MS = 60_000;

/**
 * The session as the page knows it. The server decides when a session ends; this controller mirrors its idle clock:
 * activity (keys, pointer) is reported to the server at most once a minute, a warning is raised 60 s before the
 * idle limit with a "Stay signed in" action, and at the limit the page returns to sign-in with a notice.
 */
export class SessionController implements ReactiveController {
  account: SignedInAccount | undefined;
  info: SessionInfo | undefined;
  idleExpiresAt: number | undefined;
  warning = false;
  /** A sentence for the sign-in page after a timeout or a sign-out. */
  notice: string | undefined;
  /** Opened on this device with its PIN, without the server: reading and writing to the outbox only. */
  unlockedOffline = false;
  private offlineIdleMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastKeepAlive = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onSignedOut: () => void = () => {},
    private readonly now: () => number = () => Date.now(),
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const type of ['keydown', 'pointerdown']) window.addEventListener(type, this.onActivity, { passive: true });
    this.tabs = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(TABS_CHANNEL);
    this.tabs?.addEventListener('message', this.onOtherTab);
  }

  hostDisconnected(): void {
    for (const type of ['keydown', 'pointerdown']) window.removeEventListener(type, this.onActivity);
    clearTimeout(this.timer);
    this.tabs?.close();
    this.tabs = undefined;
  }

  /**
   * Signing out in one tab signs out (and locks the record in) every tab of the app on this device: the others
   * would otherwise keep showing the record, with its keys in memory, until their next request or their idle limit.
   */
  private tabs: BroadcastChannel | undefined;
  private readonly onOtherTab = (event: MessageEvent) => {
    if ((event.data as { type?: string } | null)?.type !== SIGNED_OUT || !this.account) return;
    this.clear('You signed out in another window or tab of this app.');
    this.onSignedOut();
  };

  async refresh(): Promise<void> {
    try {
      this.apply(await ok(portal.api.session.$get()));
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401)
        this.clear(error.code === 'session_ended' ? error.message : undefined);
    }
  }

  /** Password sign-in: done (undefined), or the second step the account needs. */
  async signIn(login: string, password: string): Promise<SecondStepAnswer | undefined> {
    const answer = await ok(portal.api.session.$post({ json: { login, password } }));
    if ('step' in answer) return answer;
    this.accept(answer);
    return undefined;
  }

  /** A complete sign-in, step-up or passkey sign-in answered with the session: take it. */
  accept(info: SessionInfo): void {
    this.apply(info);
    this.notice = undefined;
  }

  /**
   * Signs out on the server. `removeData`: "sign out and remove my data from this device": the local record and
   * everything the app stored here is deleted too (the kiosk case).
   */
  async signOut(options: { removeData?: boolean } = {}): Promise<void> {
    try {
      if (!this.unlockedOffline) await ok(portal.api.session.$delete());
    } finally {
      const remove = options.removeData || onSharedComputer();
      this.clear(remove ? 'You have signed out, and your data was removed from this device.' : 'You have signed out.');
      this.tabs?.postMessage({ type: SIGNED_OUT });
      if (remove) await removeLocalData();
      this.onSignedOut();
    }
  }

  /** Opens the local record with what the device PIN unlocked: no server session (the person may be offline). */
  openOffline(secret: OfflineSecret): void {
    rememberUnlockedKey(secret.account.id, fromBase64Url(secret.kek));
    this.unlockedOffline = true;
    this.offlineIdleMs = secret.idleSeconds * 1000;
    this.info = undefined;
    this.account = secret.account;
    this.notice = undefined;
    this.idleExpiresAt = this.now() + this.offlineIdleMs;
    this.lastKeepAlive = this.now();
    this.warning = false;
    this.schedule();
    this.host.requestUpdate();
    dispatchEvent(new Event(SESSION_CHANGE));
  }

  async stay(): Promise<void> {
    if (this.unlockedOffline) {
      // No server to ask: the same idle limit, kept here. Locking drops the key.
      this.idleExpiresAt = this.now() + this.offlineIdleMs;
      this.lastKeepAlive = this.now();
      this.warning = false;
      this.schedule();
      this.host.requestUpdate();
      return;
    }
    try {
      this.apply(await ok(portal.api.session.keepalive.$post()));
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) this.expire(error.message);
    }
  }

  private readonly onActivity = () => {
    if (!this.account || this.warning) return; // while warning, only the button keeps the session
    if (this.now() - this.lastKeepAlive >= KEEPALIVE_EVERY_MS) void this.stay();
  };

  private apply(info: SessionInfo): void {
    this.info = info;
    this.account = info.account;
    this.idleExpiresAt = Date.parse(info.idleExpiresAt);
    this.lastKeepAlive = this.now();
    this.warning = false;
    this.schedule();
    this.host.requestUpdate();
    dispatchEvent(new Event(SESSION_CHANGE));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.idleExpiresAt === undefined) return;
    const left = this.idleExpiresAt - this.now();
    if (left <= 0) return void this.expire('You were signed out after a period of inactivity. Please sign in again.');
    if (left <= WARN_BEFORE_MS) {
      this.warning = true;
      this.host.requestUpdate(); // the countdown moves every second
      this.timer = setTimeout(() => this.schedule(), Math.min(left, 1000));
    } else {
      this.timer = setTimeout(() => this.schedule(), left - WARN_BEFORE_MS);
    }
  }

  /** Seconds until the idle limit, for the countdown. */
  get secondsLeft(): number {
    return this.idleExpiresAt === undefined ? 0 : Math.max(0, Math.ceil((this.idleExpiresAt - this.now()) / 1000));
  }

  private expire(message: string): void {
    if (this.unlockedOffline)
      message = 'Your record was locked after a period of inactivity. Open it again with your PIN.';
    // Ask the server too, so the session is ended there even if this page is the first to notice.
    void ok(portal.api.session.$get()).catch(() => {});
    // On a shared computer an inactivity timeout removes everything too: the person has walked away. Elsewhere the
    // page they were on is remembered, so that signing back in returns them to it (with what they were typing).
    const shared = onSharedComputer();
    if (!shared) sessionStorage.setItem(RETURN_KEY, location.pathname + location.search);
    this.clear(message);
    // On a shared computer the person walked away: every tab of theirs goes. Elsewhere another tab may be in use
    // (its activity keeps the server session), so only this one locks.
    if (shared) this.tabs?.postMessage({ type: SIGNED_OUT });
    if (shared) void removeLocalData();
    this.onSignedOut();
  }

  private clear(notice: string | undefined): void {
    // The local record locks (its keys are dropped) whenever the session ends here.
    if (this.account) dispatchEvent(new Event('mcl-signed-out'));
    if (this.account) forgetUnlockedKey(this.account.id);
    forgetPeople();
    this.unlockedOffline = false;
    clearTimeout(this.timer);
    this.account = undefined;
    this.info = undefined;
    this.idleExpiresAt = undefined;
    this.warning = false;
    this.notice = notice;
    this.host.requestUpdate();
    dispatchEvent(new Event(SESSION_CHANGE));
  }
}
