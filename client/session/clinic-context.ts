import { createContext } from '@lit/context';
import type { ClinicInfo } from '../../common/clinic.js';

export type { ClinicInfo };

/** The clinic's public details (name, support, urgent care), provided by `<mcl-app>` to every page. */
export const clinicContext = createContext<ClinicInfo | undefined>(Symbol('clinic'));

/**
 * Fetches `/clinic.json`. The service worker keeps a copy (stale-while-revalidate), so this answers offline once
 * the app has been opened online. Resolves undefined when it cannot be had; pages then say so plainly.
 */
export async function loadClinicInfo(fetchImpl: typeof fetch = fetch): Promise<ClinicInfo | undefined> {
  try {
    const response = await fetchImpl('/clinic.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) return undefined;
    return (await response.json()) as ClinicInfo;
  } catch {
    return undefined;
  }
}
