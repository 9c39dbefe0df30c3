/**
 * The reviewer's credential: the server's `--auth-token` (sent as `?token=`) or an admin JWT
 * (sent as `Authorization: Bearer`, so it stays out of URLs and access logs). It arrives in the
 * page URL once, is kept in sessionStorage (gone when the tab closes) and removed from the address bar.
 */

/** The sessionStorage key. */
export const TOKEN_KEY = 'parley-review-token';

/** What the page needs from `window`; tests pass plain objects. */
export interface CredentialHost {
  location: { href: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

/** A JWT has three base64url parts and a JSON header naming its algorithm. */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) return false;
  try {
    const header = JSON.parse(atob(parts[0].replace(/-/g, '+').replace(/_/g, '/'))) as unknown;
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

/** Where the token goes on a request to `url`: the query string, the Authorization header, or nowhere when empty. */
export function authorize(url: URL, token: string): Record<string, string> {
  if (token === '') return {};
  if (looksLikeJwt(token)) return { authorization: `Bearer ${token}` };
  url.searchParams.set('token', token);
  return {};
}

/**
 * The token from `?token=` (which wins, and is then stored and removed from the address bar) or
 * from sessionStorage; null when there is none.
 */
export function takeToken(host: CredentialHost): string | null {
  const url = new URL(host.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null && fromUrl.trim() !== '') {
    saveToken(host, fromUrl.trim());
    url.searchParams.delete('token');
    host.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl.trim();
  }
  return readStorage(host);
}

export function saveToken(host: CredentialHost, token: string): void {
  try {
    host.sessionStorage?.setItem(TOKEN_KEY, token);
  } catch {
    // Storage can be disabled; the token then lives only as long as the page.
  }
}

export function forgetToken(host: CredentialHost): void {
  try {
    host.sessionStorage?.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored.
  }
}

function readStorage(host: CredentialHost): string | null {
  try {
    const stored = host.sessionStorage?.getItem(TOKEN_KEY) ?? null;
    return stored === null || stored === '' ? null : stored;
  } catch {
    return null;
  }
}
