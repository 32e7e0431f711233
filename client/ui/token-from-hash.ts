/**
 * Links in mail carry their token in the fragment (`#token=…`), which browsers never send to a server. A token is a
 * random URL-safe string, or an activation code a person could type from paper (16 symbols in groups: `ABCD-…`).
 */
export function tokenFromHash(hash: string = location.hash): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[A-Za-z0-9_-]{16,100}$/.test(token) ? token : undefined;
}
