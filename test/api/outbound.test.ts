import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOutboundUrl, downloadToFile, postBody } from '../../src/api/outbound.js';
import { ParleyError } from '../../src/errors.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server that redirects `/` to `/internal` and records every path it is asked for. */
async function redirecting(): Promise<{ url: URL; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    if (request.url === '/') response.writeHead(302, { location: '/internal' }).end();
    else response.writeHead(200).end('secret');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), paths };
}

describe('outbound calls of the HTTP API (no SSRF surprises)', () => {
  it('does not follow a redirect from a callback_url to another address', async () => {
    const { url, paths } = await redirecting();
    await expect(postBody(url, '{}', 'application/json', { timeoutMs: 5_000 })).rejects.toThrow();
    expect(paths).toEqual(['/']);
  });

  it('does not follow a redirect when downloading a model', async () => {
    const { url, paths } = await redirecting();
    const target = join(mkdtempSync(join(tmpdir(), 'parley-outbound-')), 'model.tar.gz');
    await expect(downloadToFile(url, target, { timeoutMs: 5_000, maxBytes: 1_000 })).rejects.toThrow(ParleyError);
    expect(paths).toEqual(['/']);
  });

  it('refuses URLs that are not http(s) before calling anything', () => {
    for (const url of ['file:///etc/passwd', 'data:text/plain,x', 'gopher://127.0.0.1/', 'not a url']) {
      expect(() => checkOutboundUrl(url, 'callback_url', 'query')).toThrow(ParleyError);
    }
    expect(checkOutboundUrl('https://hooks.example/x', 'callback_url').href).toBe('https://hooks.example/x');
  });
});
