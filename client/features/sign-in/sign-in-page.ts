import { lastKnownUnlockWays, offlineUnlockWays, type UnlockWays } from '../../record/unlock-ways.js';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { sessionContext } from '../../session/session-context.js';
import { SessionWatch } from '../../session/session-watch.js';
import {
  onSharedComputer,
  SHARED_KEY,
  takeReturnPath,
  type OfflineSecret,
  type SecondStepAnswer,
  type SessionController,
  type SessionInfo,
} from '../../session/session-controller.js';
import { ApiProblem } from '../../data/api.js';
import { ok, portal } from '../../data/portal.js';
import { pageStyles } from '../../ui/shared-styles.js';
import { formStyles } from '../../ui/form-styles.js';
import { navigate, prepareSignedIn } from '../../session/navigate.js';
import { preloadRouteModules } from '../../session/route-preload.js';
import {
  cancelPasskeyRequest,
  isAbort,
  passkeyAssertion,
  passkeyProblem,
  supportsPasskeyAutofill,
  supportsPasskeys,
} from '../../session/passkeys.js';
import type { SecondFactorInput } from '../../session/second-factor.js';
import '../../session/second-factor.js';

/** A challenge for signing in with a passkey alone (any of this site's passkeys). */
const signInChallenge = () => ok(portal.api.session['passkey-options'].$post());

/**
 * Sign in: with a passkey alone (a button, and the browser's passkey autofill on the username field where it
 * exists), or with username/email and password, followed by a second factor when the account has one. Online only.
 * After signing in, an account without a passkey or second factor is guided to add one.
 */
@customElement('mcl-sign-in-page')
export class SignInPage extends LitElement {
  static override styles = [pageStyles, formStyles];

  @consume({ context: sessionContext, subscribe: true })
  session: SessionController | undefined;

  protected readonly sessionWatch = new SessionWatch(this);
  @state() private error: string | undefined;
  @state() private busy = false;
  @state() private second: SecondStepAnswer | undefined;
  private readonly passkeys = supportsPasskeys();
  /** This device keeps a record that a PIN opens ([8/8]): offered first when there is no connection. */
  @state() private canUnlock = false;
  @state() private unlockByPasskey = false;
  @state() private unlockByPin = false;
  @state() private unlockProblem: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.offerAutofill();
    if (!onSharedComputer()) {
      // Offered at once as last seen on this device, then as the local database says (it may have been wiped).
      const known = lastKnownUnlockWays();
      if (known) this.offerUnlock(known);
      void offlineUnlockWays().then((ways) => {
        this.offerUnlock(ways);
      });
    }
  }

  private offerUnlock(ways: UnlockWays) {
    const before = this.canUnlock;
    [this.unlockByPin, this.unlockByPasskey, this.canUnlock] = [ways.pin, ways.passkey, ways.pin || ways.passkey];
    // While the person types the PIN (or reaches for the passkey), the code of what opens next is fetched, so
    // the record shows as soon as it is unlocked.
    if (this.canUnlock && !before) {
      preloadRouteModules('/');
      void import('../../record/offline-unlock.js').catch(() => {});
      prepareSignedIn(this, '/');
    }
  }

  /** Opens the record with what unlocking gave back, starting to read it while the next page is put up. */
  private openOffline(secret: OfflineSecret) {
    this.session?.openOffline(secret);
    void import('../../record/record-session.js')
      .then(({ recordSession }) => recordSession(secret.account))
      .catch(() => {});
    navigate(this, takeReturnPath() ?? '/');
  }

  private async unlockPasskey() {
    this.busy = true;
    this.unlockProblem = undefined;
    cancelPasskeyRequest(); // the browser's passkey autofill must not hold the authenticator
    try {
      const { unlockWithPasskey } = await import('../../record/passkey-unlock.js');
      const secret = await unlockWithPasskey<OfflineSecret>();
      if (secret) {
        this.openOffline(secret);
        return;
      }
      this.unlockProblem = 'That passkey did not open the record on this device.';
    } catch (error) {
      this.unlockProblem =
        error instanceof Error && error.name === 'NotAllowedError'
          ? 'The passkey was not used. Try again when you are ready.'
          : error instanceof Error
            ? error.message
            : 'That did not work.';
    } finally {
      this.busy = false;
    }
  }

  private async unlock(event: SubmitEvent) {
    event.preventDefault();
    const pin = String(new FormData(event.target as HTMLFormElement).get('pin') ?? '');
    this.busy = true;
    this.unlockProblem = undefined;
    try {
      const { unlockWithPin } = await import('../../record/offline-unlock.js');
      const result = await unlockWithPin<OfflineSecret>(pin);
      if (result.ok) {
        this.openOffline(result.secret);
        return;
      }
      if (result.wiped) {
        this.canUnlock = this.unlockByPin = this.unlockByPasskey = false;
        this.unlockProblem =
          'After 10 wrong PINs, the copy of your record on this device was deleted. Sign in when you are online to download it again.';
      } else {
        this.unlockProblem = `That PIN is not right. ${result.triesLeft} ${result.triesLeft === 1 ? 'try is' : 'tries are'} left before the copy of your record on this device is deleted.`;
      }
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#unlock-problem')?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelPasskeyRequest();
  }

  /** Conditional mediation: the browser lists this site's passkeys in the username field's suggestions. */
  private async offerAutofill() {
    if (!this.passkeys || !navigator.onLine || !(await supportsPasskeyAutofill())) return;
    try {
      const response = await passkeyAssertion(signInChallenge, true);
      await this.finishWithPasskey(response);
    } catch (error) {
      if (!isAbort(error)) this.error = passkeyProblem(error);
    }
  }

  private async finishWithPasskey(response: Awaited<ReturnType<typeof passkeyAssertion>>) {
    this.done(await ok(portal.api.session.passkey.$post({ json: { response } })));
  }

  private done(info: SessionInfo) {
    const shared = this.renderRoot.querySelector<HTMLInputElement>('input[name="shared"]')?.checked;
    if (shared !== undefined) {
      if (shared) sessionStorage.setItem(SHARED_KEY, '1');
      else sessionStorage.removeItem(SHARED_KEY);
    }
    this.session!.accept(info);
    const back = takeReturnPath();
    if (info.account.kind === 'staff')
      navigate(this, info.authLevel === 'passkey' ? (back ?? '/') : '/account/protect');
    else navigate(this, back ?? (info.secured ? '/' : '/account/protect'));
  }

  private async showProblem(error: unknown) {
    this.error = error instanceof ApiProblem ? error.message : passkeyProblem(error);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.alert')?.focus();
  }

  private async withPasskey() {
    this.busy = true;
    this.error = undefined;
    try {
      await this.finishWithPasskey(await passkeyAssertion(signInChallenge));
    } catch (error) {
      await this.showProblem(error);
    } finally {
      this.busy = false;
    }
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    cancelPasskeyRequest(); // the autofill offer ends when the person chose their password
    if (data.get('shared')) sessionStorage.setItem(SHARED_KEY, '1');
    else sessionStorage.removeItem(SHARED_KEY);
    this.busy = true;
    this.error = undefined;
    try {
      const step = await this.session!.signIn(String(data.get('login') ?? ''), String(data.get('password') ?? ''));
      if (step) {
        this.second = step;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('mcl-second-factor')?.focus();
      } else {
        this.done(this.session!.info!);
      }
    } catch (error) {
      await this.showProblem(error);
    } finally {
      this.busy = false;
    }
  }

  private readonly secondFactor = async (input: SecondFactorInput) => {
    this.done(await ok(portal.api.session['second-factor'].$post({ json: { flow: this.second!.flow, ...input } })));
  };

  override render() {
    const notice = this.session?.notice;
    if (this.second) {
      return html`<h1>Sign in</h1>
        <mcl-second-factor tabindex="-1" .step=${this.second} .submit=${this.secondFactor}></mcl-second-factor>
        <p><button type="button" class="link" @click=${() => (this.second = undefined)}>Start again</button></p>`;
    }
    return html`
      <h1>Sign in</h1>
      ${notice ? html`<p class="success" role="status">${notice}</p>` : nothing}
      ${
        this.canUnlock || this.unlockProblem
          ? html`<section class="card" aria-labelledby="unlock-title">
            <h2 id="unlock-title">Open your record on this device</h2>
            <p>No connection needed${this.unlockByPin ? ': use your passkey or the PIN you chose for this device' : ''}.</p>
            ${this.unlockProblem ? html`<p class="alert" role="alert" id="unlock-problem" tabindex="-1">${this.unlockProblem}</p>` : nothing}
            ${this.unlockByPasskey ? html`<p><button type="button" ?disabled=${this.busy} @click=${() => void this.unlockPasskey()}>Open my record with my passkey</button></p>` : nothing}
            ${
              this.unlockByPin
                ? html`<form @submit=${this.unlock}>
                  <div class="field"><label for="pin">PIN for this device</label>
                    <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" required minlength="6" maxlength="12" /></div>
                  <button type="submit" ?disabled=${this.busy}>Open my record</button>
                </form>`
                : nothing
            }
          </section>
          <h2>Or sign in${navigator.onLine ? '' : ' when you are back online'}</h2>`
          : nothing
      }
      ${this.error ? html`<p class="alert" role="alert" tabindex="-1">${this.error}</p>` : nothing}
      ${
        this.passkeys
          ? html`<p><button type="button" class="passkey" ?disabled=${this.busy} @click=${this.withPasskey}>Sign in with a passkey</button></p>
            <p>Or with your username and password:</p>`
          : nothing
      }
      <form @submit=${this.submit} novalidate>
        <div class="field">
          <label for="login">Username or email address</label>
          <input id="login" name="login" type="text" autocomplete="username webauthn" required autocapitalize="none" spellcheck="false"
            aria-invalid=${this.error ? 'true' : 'false'} />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required
            aria-invalid=${this.error ? 'true' : 'false'} />
        </div>
        <label class="choice"><input type="checkbox" name="shared" value="1" ?checked=${onSharedComputer()} />This is a shared or public computer: keep nothing here after I leave</label>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p><a href="/forgot-password">Forgot your password?</a></p>
      <p>New here? <a href="/sign-up">Create your account</a> with the activation code from the clinic or your record details.</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-sign-in-page': SignInPage;
  }
}
