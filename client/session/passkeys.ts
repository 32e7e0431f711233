import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  WebAuthnError,
} from '@simplewebauthn/browser';
import type {
  AuthenticationExtensionsClientInputs,
  AuthenticationResponseJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { ApiProblem } from '../data/api.js';
import { ok, portal, type Success } from '../data/portal.js';

/**
 * The page's side of passkeys (@simplewebauthn/browser, loaded only with the account pages). The server issues and
 * checks every challenge; the page only carries them to the authenticator. Extension outputs are stripped before
 * posting: only "PRF is supported" (a yes or no) leaves the page, never a PRF result ([8/8] derives the offline
 * vault key from it, in the page).
 */
export { browserSupportsWebAuthn as supportsPasskeys, browserSupportsWebAuthnAutofill as supportsPasskeyAutofill };

/** Ends a pending passkey request (the autofill one, when the sign-in page goes away). */
export function cancelPasskeyRequest(): void {
  WebAuthnAbortService.cancelCeremony();
}

/**
 * A new passkey's answer as it is posted: of its extension outputs only PRF's yes or no is kept. The server
 * takes any other output keys (its schema is loose), which the DOM's `AuthenticationExtensionsClientOutputs`
 * interface cannot promise to the typed client; this type literal can.
 */
export type RegistrationAnswer = Omit<RegistrationResponseJSON, 'clientExtensionResults'> & {
  clientExtensionResults: { prf?: { enabled: boolean } };
};

/** A passkey's assertion as it is posted: no extension outputs at all (a PRF result never leaves the page). */
export type AssertionAnswer = Omit<AuthenticationResponseJSON, 'clientExtensionResults'> & {
  clientExtensionResults: Record<string, never>;
};

/** Only the yes/no of PRF support goes to the server. */
export function stripRegistration(response: RegistrationResponseJSON): RegistrationAnswer {
  const prf = response.clientExtensionResults.prf;
  return { ...response, clientExtensionResults: prf ? { prf: { enabled: prf.enabled === true } } : {} };
}

export function stripAssertion(response: AuthenticationResponseJSON): AssertionAnswer {
  return { ...response, clientExtensionResults: {} };
}

/** The options the server sends to prove a passkey: the same for every use (sign-in, step-up, a flow's second step). */
type RequestOptions = Success<Awaited<ReturnType<(typeof portal.api.session)['passkey-options']['$post']>>>;

/**
 * The extension inputs of the server's options, as the browser takes them. @simplewebauthn types them as the DOM
 * does, with binary PRF inputs (`prf.eval`), which JSON cannot carry: the server only asks whether PRF is supported
 * (`prf: {}`), so that is what is passed on; the page evaluates PRF itself (record/passkey-unlock.ts).
 */
function jsonExtensions({
  prf,
  ...others
}: NonNullable<RequestOptions['extensions']>): AuthenticationExtensionsClientInputs {
  return prf ? { ...others, prf: {} } : others;
}

/** Creates a passkey for the signed-in account and registers it under `name`; returns the server's answer. */
export async function createPasskey(name: string) {
  const { extensions, ...options } = await ok(portal.api.factors.passkeys.options.$post());
  const optionsJSON = extensions ? { ...options, extensions: jsonExtensions(extensions) } : options;
  const response = await startRegistration({ optionsJSON });
  return ok(portal.api.factors.passkeys.$post({ json: { name, response: stripRegistration(response) } }));
}

/**
 * Asks the server for a challenge, e.g. `() => ok(portal.api.session['passkey-options'].$post())`: the call that
 * fits what the passkey is for (sign-in, step-up, the second step of a flow).
 */
export type PasskeyChallenge = () => Promise<RequestOptions>;

/** Gets a challenge from the server (`challenge`), and asks the authenticator to answer it. */
export async function passkeyAssertion(challenge: PasskeyChallenge, autofill = false): Promise<AssertionAnswer> {
  const { extensions, ...options } = await challenge();
  const response = await startAuthentication({
    optionsJSON: extensions ? { ...options, extensions: jsonExtensions(extensions) } : options,
    ...(autofill ? { useBrowserAutofill: true, verifyBrowserAutofillInput: false } : {}),
  });
  return stripAssertion(response);
}

/** A sentence for a person when a passkey ceremony did not finish. */
export function passkeyProblem(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  const name =
    error instanceof WebAuthnError
      ? ((error.cause as Error | undefined)?.name ?? error.name)
      : (error as Error | undefined)?.name;
  if (name === 'NotAllowedError' || name === 'ERROR_CEREMONY_ABORTED')
    return 'The passkey request was cancelled or timed out. You can try again.';
  if (name === 'InvalidStateError' || (error as WebAuthnError)?.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED')
    return 'This device already has a passkey for your account.';
  if (name === 'NotSupportedError') return 'This browser or device cannot make passkeys. Try another way.';
  return 'The passkey did not work. Please try again, or use another way.';
}

/** Was the ceremony cancelled on purpose (by the page starting another)? Then there is nothing to tell. */
export function isAbort(error: unknown): boolean {
  return (
    (error as Error | undefined)?.name === 'AbortError' ||
    (error as WebAuthnError | undefined)?.code === 'ERROR_CEREMONY_ABORTED'
  );
}
