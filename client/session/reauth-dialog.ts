import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { SecondStepAnswer, SessionController, SessionInfo } from './session-controller.js';
import { ApiProblem } from '../data/api.js';
import { ok, portal } from '../data/portal.js';
import { pageStyles } from '../ui/shared-styles.js';
import { formStyles } from '../ui/form-styles.js';
import { ActionController } from '../ui/action-controller.js';
import { passkeyAssertion, passkeyProblem } from './passkeys.js';
import type { SecondFactorInput } from './second-factor.js';
import './second-factor.js';

/**
 * Step-up (SECURITY.md): before a sensitive change, if the last sign-in is more than five minutes old, the person
 * confirms it is them again: with a passkey, or with their password (and second factor if they have one). A modal
 * <dialog> (focus kept inside, Escape cancels). `confirm()` resolves true when done, false when cancelled.
 */
@customElement('mcl-reauth-dialog')
export class ReauthDialog extends LitElement {
  static override styles = [
    pageStyles,
    formStyles,
    css`
      dialog {
        max-width: min(34rem, 92vw);
        border: 2px solid var(--mcl-primary, #0b5d66);
        border-radius: 10px;
        padding: 1.25rem 1.5rem;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.45);
      }
      h2 {
        margin-top: 0;
      }
    `,
  ];
  @property({ attribute: false }) session: SessionController | undefined;
  @query('dialog') private dialog!: HTMLDialogElement;
  @state() private second: SecondStepAnswer | undefined;
  private readonly action = new ActionController(this, { describe: passkeyProblem });
  private resolve: ((done: boolean) => void) | undefined;

  async confirm(): Promise<boolean> {
    this.action.problem = undefined;
    this.second = undefined;
    await this.updateComplete;
    this.dialog.showModal();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  private finish(done: boolean) {
    if (this.dialog.open) this.dialog.close();
    this.resolve?.(done);
    this.resolve = undefined;
  }

  private accepted(info: SessionInfo) {
    this.session?.accept(info);
    this.finish(true);
  }

  private withPasskey() {
    return this.action.run(async () => {
      const response = await passkeyAssertion(() => ok(portal.api.session.reauth['passkey-options'].$post()));
      this.accepted(await ok(portal.api.session.reauth.passkey.$post({ json: { response } })));
    });
  }

  private withPassword(event: SubmitEvent) {
    event.preventDefault();
    const password = String(new FormData(event.target as HTMLFormElement).get('password') ?? '');
    return this.action.run(async () => {
      const answer = await ok(portal.api.session.reauth.$post({ json: { password } }));
      if ('step' in answer) this.second = answer;
      else this.accepted(answer);
    });
  }

  private readonly secondFactor = async (input: SecondFactorInput) => {
    this.accepted(
      await ok(portal.api.session.reauth['second-factor'].$post({ json: { flow: this.second!.flow, ...input } })),
    );
  };

  override render() {
    const passkeys = (this.session?.info?.passkeys ?? 0) > 0;
    const staff = this.session?.account?.kind === 'staff';
    return html`<dialog aria-labelledby="reauth-title" @cancel=${() => this.finish(false)}>
      <h2 id="reauth-title">Please confirm it is you</h2>
      <p>This change protects your account, so we ask again when your last sign-in was more than five minutes ago.</p>
      ${this.action.problem ? html`<p class="alert" role="alert">${this.action.problem}</p>` : nothing}
      ${
        this.second
          ? html`<mcl-second-factor .step=${this.second} .submit=${this.secondFactor}></mcl-second-factor>`
          : html`${passkeys ? html`<p><button type="button" ?disabled=${this.action.busy} @click=${this.withPasskey}>Confirm with my passkey</button></p>` : nothing}
            ${
              staff && passkeys
                ? nothing
                : html`<form @submit=${this.withPassword} novalidate>
                  <div class="field">
                    <label for="reauth-password">${passkeys ? 'Or type your password' : 'Your password'}</label>
                    <input id="reauth-password" name="password" type="password" autocomplete="current-password" />
                  </div>
                  <button type="submit" ?disabled=${this.action.busy}>Confirm</button>
                </form>`
            }`
      }
      <p><button type="button" class="secondary" @click=${() => this.finish(false)}>Cancel</button></p>
    </dialog>`;
  }
}

/** Runs a sensitive action; if the server asks for a fresh authentication, asks the person, then tries again once. */
export async function withStepUp<T>(dialog: ReauthDialog, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof ApiProblem) || error.code !== 'reauth_required') throw error;
    return (await dialog.confirm()) ? action() : undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-reauth-dialog': ReauthDialog;
  }
}
