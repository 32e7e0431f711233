import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  WebAuthnError,
} from '@simplewebauthn/browser';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { api, ApiProblem } from '../data/api.js';

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

/** Only the yes/no of PRF support goes to the server. */
export function stripRegistration(response: RegistrationResponseJSON): RegistrationResponseJSON {
  const prf = (response.clientExtensionResults as { prf?: { enabled?: boolean } }).prf;
  return {
    ...response,
    clientExtensionResults: prf
      ? ({ prf: { enabled: prf.enabled === true } } as RegistrationResponseJSON['clientExtensionResults'])
      : {},
  };
}

export function stripAssertion(response: AuthenticationResponseJSON): AuthenticationResponseJSON {
  return { ...response, clientExtensionResults: {} };
}

/** Creates a passkey for the signed-in account and registers it under `name`; returns the server's answer. */
export async function createPasskey<T>(name: string): Promise<T> {
  const optionsJSON = await api<PublicKeyCredentialCreationOptionsJSON>('POST', '/api/factors/passkeys/options', {});
  const response = await startRegistration({ optionsJSON });
  return api<T>('POST', '/api/factors/passkeys', { name, response: stripRegistration(response) });
}

/** Asks the server for a challenge at `optionsPath`, and the authenticator to answer it. */
export async function passkeyAssertion(
  optionsPath: string,
  body: unknown = {},
  autofill = false,
): Promise<AuthenticationResponseJSON> {
  const optionsJSON = await api<PublicKeyCredentialRequestOptionsJSON>('POST', optionsPath, body);
  const response = await startAuthentication({
    optionsJSON,
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
