import { describe, expect, it } from 'vitest';
import { authorize, forgetToken, looksLikeJwt, takeToken, TOKEN_KEY, type CredentialHost } from '../../review-ui/src/credentials.js';

function host(href: string, stored: Record<string, string> = {}): CredentialHost & { replaced: string[]; stored: Record<string, string> } {
  const replaced: string[] = [];
  return {
    location: { href },
    history: { replaceState: (_data, _unused, url) => replaced.push(url) },
    sessionStorage: {
      getItem: (key) => stored[key] ?? null,
      setItem: (key, value) => void (stored[key] = value),
      removeItem: (key) => void delete stored[key],
    },
    replaced,
    stored,
  };
}

const JWT = `${btoa(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).replace(/=+$/, '')}.eyJ1c2VyIjp7InJvbGUiOiJhZG1pbiJ9fQ.c2lnbmF0dXJl`;

describe('takeToken', () => {
  it('takes ?token= from the address, stores it for the tab and removes it from the address bar', () => {
    const page = host('http://127.0.0.1:5005/review?token=s3cret&x=1#conversation=a');
    expect(takeToken(page)).toBe('s3cret');
    expect(page.stored[TOKEN_KEY]).toBe('s3cret');
    expect(page.replaced).toEqual(['/review?x=1#conversation=a']);
  });

  it('falls back to the stored token, and to none', () => {
    expect(takeToken(host('http://h/review', { [TOKEN_KEY]: 'kept' }))).toBe('kept');
    expect(takeToken(host('http://h/review'))).toBeNull();
    expect(takeToken(host('http://h/review?token='))).toBeNull();
  });

  it('forgets the stored token', () => {
    const page = host('http://h/review', { [TOKEN_KEY]: 'kept' });
    forgetToken(page);
    expect(takeToken(page)).toBeNull();
  });

  it('keeps working when storage throws', () => {
    const page: CredentialHost = {
      location: { href: 'http://h/review' },
      history: { replaceState: () => undefined },
      sessionStorage: {
        getItem: () => {
          throw new Error('denied');
        },
        setItem: () => {
          throw new Error('denied');
        },
        removeItem: () => undefined,
      },
    };
    expect(takeToken(page)).toBeNull();
    expect(takeToken({ ...page, location: { href: 'http://h/review?token=t' } })).toBe('t');
  });
});

describe('authorize', () => {
  it('sends an auth token as ?token= and a JWT as a Bearer header only', () => {
    const url = new URL('http://h/review/api/conversations?limit=5');
    expect(authorize(url, 'plain-token')).toEqual({});
    expect(url.searchParams.get('token')).toBe('plain-token');

    const jwtUrl = new URL('http://h/domain');
    expect(looksLikeJwt(JWT)).toBe(true);
    expect(authorize(jwtUrl, JWT)).toEqual({ authorization: `Bearer ${JWT}` });
    expect(jwtUrl.searchParams.has('token')).toBe(false);
  });

  it('does not take a token with dots for a JWT unless its header is JSON with alg', () => {
    expect(looksLikeJwt('a.b.c')).toBe(false);
    expect(looksLikeJwt('abc')).toBe(false);
  });
});

describe('authorize without a token', () => {
  it('adds nothing to the request', () => {
    const url = new URL('http://h/review/api/conversations');
    expect(authorize(url, '')).toEqual({});
    expect(url.search).toBe('');
  });
});
