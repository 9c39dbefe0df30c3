import { describe, expect, it } from 'vitest';
import { ReviewApi, ReviewApiError, type Fetch } from '../../review-ui/src/api.js';
import { EMPTY_FILTERS } from '../../review-ui/src/filters.js';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(respond: (url: URL) => Response | Promise<Response>): { fetch: Fetch; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (input, init) => {
      calls.push({ url: input, init });
      return respond(new URL(input));
    },
  };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('ReviewApi', () => {
  it('lists conversations with the filters, paging and token in the query', async () => {
    const { fetch, calls } = fakeFetch(() => json({ conversations: [], total: 0 }));
    const api = new ReviewApi({ baseUrl: 'http://127.0.0.1:5005', token: 't0k', fetch });
    expect(await api.listConversations({ ...EMPTY_FILTERS, intent: 'greet' }, 50, 25)).toEqual({ conversations: [], total: 0 });
    const url = new URL(calls[0].url);
    expect(url.pathname).toBe('/review/api/conversations');
    expect(Object.fromEntries(url.searchParams)).toEqual({ intent: 'greet', limit: '25', offset: '50', token: 't0k' });
  });

  it('posts a correction as JSON and escapes ids in paths', async () => {
    const { fetch, calls } = fakeFetch((url) => (url.pathname.endsWith('/corrections') ? json({ id: 'c1' }, 201) : new Response(null, { status: 204 })));
    const api = new ReviewApi({ baseUrl: 'http://h', token: 't', fetch });
    await api.createCorrection({ sender_id: 'a/b', event_index: 3, intent: 'deny' });
    expect(calls[0].init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({ sender_id: 'a/b', event_index: 3, intent: 'deny' });
    expect((calls[0].init?.headers as Record<string, string>)['content-type']).toBe('application/json');
    await api.getConversation('a/b').catch(() => undefined);
    expect(new URL(calls[1].url).pathname).toBe('/review/api/conversations/a%2Fb');
  });

  it('turns a Rasa error body into an error carrying its message, status and reason', async () => {
    const { fetch } = fakeFetch(() => json({ version: '3.6.0', status: 'failure', message: 'Intent "nope" is not in the domain.', reason: 'BadRequest', code: 400 }, 400));
    const api = new ReviewApi({ baseUrl: 'http://h', token: 't', fetch });
    const error = await api.createCorrection({ sender_id: 's', event_index: 1, intent: 'nope' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReviewApiError);
    expect(error).toMatchObject({ kind: 'http', status: 400, reason: 'BadRequest', message: 'Intent "nope" is not in the domain.' });
  });

  it('reports 401 and 403 as auth failures, and a refused connection as a network failure', async () => {
    const denied = new ReviewApi({ baseUrl: 'http://h', token: 't', fetch: fakeFetch(() => json({ message: 'User is not authenticated.' }, 401)).fetch });
    await expect(denied.listConversations(EMPTY_FILTERS)).rejects.toMatchObject({ kind: 'auth', status: 401 });
    const gone = new ReviewApi({
      baseUrl: 'http://127.0.0.1:9',
      token: 't',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    await expect(gone.domain()).rejects.toMatchObject({ kind: 'network', message: expect.stringContaining('http://127.0.0.1:9') });
  });

  it('treats a correction that is already gone as deleted when asked to', async () => {
    const api = new ReviewApi({ baseUrl: 'http://h', token: 't', fetch: fakeFetch(() => json({ message: 'No such correction.' }, 404)).fetch });
    await expect(api.deleteCorrection('x', { missingOk: true })).resolves.toBeUndefined();
    await expect(api.deleteCorrection('x')).rejects.toMatchObject({ status: 404 });
  });

  it('downloads an export file as a blob', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('version: "3.1"\nnlu: []\n', { headers: { 'content-disposition': 'attachment' } }));
    const api = new ReviewApi({ baseUrl: 'http://h', token: 't', fetch });
    expect(await (await api.exportFile('nlu')).text()).toBe('version: "3.1"\nnlu: []\n');
    expect(new URL(calls[0].url).pathname).toBe('/review/api/export/nlu.yml');
  });

  it('creates share links with a trimmed label or none, lists and revokes them', async () => {
    const link = { id: 'l1', token: 't', label: 'Friday', url: 'http://h/share?token=t', created_at: 1, revoked: false };
    const { fetch, calls } = fakeFetch((url) =>
      url.pathname.endsWith('/l1') ? new Response(null, { status: 204 }) : json(calls.length <= 2 ? link : { share_links: [link] }, 201),
    );
    const api = new ReviewApi({ baseUrl: 'http://h', token: 't', fetch });
    await api.createShareLink('  Friday ');
    await api.createShareLink('   ');
    expect(calls.map((call) => call.init?.body)).toEqual(['{"label":"Friday"}', '{}']);
    expect(await api.listShareLinks()).toEqual([link]);
    await api.revokeShareLink('l1');
    expect(calls[3].init?.method).toBe('DELETE');
    expect(new URL(calls[3].url).pathname).toBe('/review/api/share-links/l1');
  });
});
