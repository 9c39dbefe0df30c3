import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { registerErrorHandler } from '../../src/server/error-handler.js';
import { demoPageHtml, pickEncoding, webchatPlugin, type WebchatPluginOptions } from '../../src/webchat/plugin.js';

const SCRIPT = 'export const widget = "parley";\n'.repeat(50);
let dir: string;
let scriptFile: string;
let app: FastifyInstance | undefined;

async function server(options: Partial<WebchatPluginOptions> = {}): Promise<FastifyInstance> {
  app = fastify();
  registerErrorHandler(app, silentLogger(), { bodyLimit: 1_000_000 });
  await app.register(webchatPlugin, { scriptFile, logger: silentLogger(), ...options });
  return app;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-webchat-'));
  scriptFile = join(dir, 'parley-chat.js');
  writeFileSync(scriptFile, SCRIPT);
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /webchat.js', () => {
  it('serves the bundle as JavaScript that any origin may load', async () => {
    const response = await (await server()).inject({ url: '/webchat.js', headers: { origin: 'https://shop.example' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toBe(SCRIPT);
  });

  it('keeps an Origin that a CORS policy already echoed', async () => {
    const instance = fastify();
    instance.addHook('onRequest', async (_request, reply) => {
      reply.header('access-control-allow-origin', 'https://shop.example');
    });
    await instance.register(webchatPlugin, { scriptFile });
    app = instance;
    const response = await instance.inject({ url: '/webchat.js' });
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example');
  });

  it('revalidates plain URLs and caches versioned URLs for a year', async () => {
    const instance = await server();
    const plain = await instance.inject({ url: '/webchat.js' });
    expect(plain.headers['cache-control']).toBe('public, max-age=300');
    const hash = String(plain.headers.etag).replace(/"/g, '');
    expect(hash).toBe(createHash('sha256').update(SCRIPT).digest('base64url').slice(0, 16));
    const versioned = await instance.inject({ url: `/webchat.js?v=${hash}` });
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const stale = await instance.inject({ url: '/webchat.js?v=old' });
    expect(stale.headers['cache-control']).toBe('public, max-age=300');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const instance = await server();
    const { etag } = (await instance.inject({ url: '/webchat.js' })).headers;
    const again = await instance.inject({ url: '/webchat.js', headers: { 'if-none-match': `W/${etag}, "other"` } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('sends brotli or gzip when the client accepts it', async () => {
    const instance = await server();
    const br = await instance.inject({ url: '/webchat.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
    const gzip = await instance.inject({ url: '/webchat.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(SCRIPT);
    expect(gzip.rawPayload.length).toBeLessThan(SCRIPT.length);
  });

  it('says how to build a missing bundle, and serves it once it exists', async () => {
    rmSync(scriptFile);
    const instance = await server();
    const missing = await instance.inject({ url: '/webchat.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toMatch(/has not been built.*npm run build/);
    writeFileSync(scriptFile, SCRIPT);
    expect((await instance.inject({ url: '/webchat.js' })).statusCode).toBe(200);
  });
});

describe('GET /chat', () => {
  it('serves the demo page with a CSP that allows only this server', async () => {
    const response = await (await server({ title: 'Coffee bot' })).inject({ url: '/chat' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toContain('<parley-chat chat-title="Coffee bot" initial-payload="/greet" open>');
  });

  it('lets the CSP hash match the inline style exactly', async () => {
    const response = await (await server()).inject({ url: '/chat' });
    const style = /<style>([\s\S]*?)<\/style>/.exec(response.body)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(String(response.headers['content-security-policy'])).toContain(`'sha256-${hash}'`);
  });

  it('loads the versioned script', async () => {
    const instance = await server();
    const etag = String((await instance.inject({ url: '/webchat.js' })).headers.etag).replace(/"/g, '');
    expect((await instance.inject({ url: '/chat' })).body).toContain(`src="/webchat.js?v=${etag}"`);
  });

  it('is absent with demoPage: false', async () => {
    expect((await (await server({ demoPage: false })).inject({ url: '/chat' })).statusCode).toBe(404);
  });
});

describe('demoPageHtml', () => {
  it('escapes the title and the initial payload', () => {
    const page = demoPageHtml({ title: '<script>x</script>"', initialPayload: '/greet{"a":"<b>"}', scriptHash: 'h' });
    expect(page).not.toContain('<script>x');
    expect(page).toContain('&#60;script&#62;x&#60;/script&#62;&#34;');
    expect(page).toContain('initial-payload="/greet{&#34;a&#34;:&#34;&#60;b&#62;&#34;}"');
  });

  it('leaves out initial-payload when it is empty', () => {
    expect(demoPageHtml({ title: 'T', initialPayload: '', scriptHash: 'h' })).toContain('<parley-chat chat-title="T" open>');
  });
});

describe('pickEncoding', () => {
  it('prefers brotli, then gzip, and honours q=0', () => {
    expect(pickEncoding('gzip, br')).toBe('br');
    expect(pickEncoding('gzip;q=0.5, br;q=0')).toBe('gzip');
    expect(pickEncoding('identity')).toBe('identity');
    expect(pickEncoding(undefined)).toBe('identity');
  });
});
