/** Links in mail carry their token in the fragment (`#token=…`), which browsers never send to a server. */
export function tokenFromHash(hash: string = location.hash): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
}
