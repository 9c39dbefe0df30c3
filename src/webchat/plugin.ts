/**
 * Serves Parley's web chat: `GET /webchat.js` (the built widget, cacheable, loadable from any
 * origin) and `GET /chat` (a demo page using it against this server, under a strict CSP).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { escapeHtml, htmlDocument, pageHeaders } from '../server/html-page.js';
import { packagePath } from '../package-root.js';

export interface WebchatPluginOptions {
  /**
   * The built widget (`node webchat/build.mjs`).
   * @default '<package root>/dist/webchat/parley-chat.js'
   */
  scriptFile?: string;
  /** Serve the demo page at `/chat`. @default true */
  demoPage?: boolean;
  /** Title of the demo page and of its chat panel. @default 'Parley' */
  title?: string;
  /** The demo widget's `initial-payload` (empty for none). @default '/greet' */
  initialPayload?: string;
  logger?: Logger;
}

/** The bundle, ready to send in each encoding, with its content hash. */
export interface LoadedScript {
  identity: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  /** Short content hash: the ETag and the `?v=` cache-busting value. */
  hash: string;
}

/** Works from `src/webchat/` (tests) and from `dist/webchat/` (the built package) alike. */
export const DEFAULT_SCRIPT_FILE = packagePath('dist', 'webchat', 'parley-chat.js');

/** Unversioned URLs are revalidated every few minutes; `?v=<hash>` URLs never change. */
const SHORT_CACHE = 'public, max-age=300';
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/** Reads a built script and compresses it once for every encoding it is served in. */
export function loadScript(file: string): LoadedScript {
  const identity = readFileSync(file);
  return {
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    // Quality 6, not 11: on a 2-core server 11 took 1.2–1.6 s of every `parley run` start (see
    // bench/results/summary.md) for a bundle only ~7 % smaller (30.4 vs 32.7 KB for 97 KB).
    brotli: brotliCompressSync(identity, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6 } }),
    hash: createHash('sha256').update(identity).digest('base64url').slice(0, 16),
  };
}

/**
 * A getter for a built script that loads it on first use and keeps it. Until the file exists
 * every call throws a 404 `ParleyError` telling how to build it, so a bundle built after the
 * server started is picked up without a restart.
 * @example const current = lazyScript(file, { name: 'web chat', buildCommand: 'node webchat/build.mjs' });
 */
export function lazyScript(file: string, how: { name: string; buildCommand: string }): () => LoadedScript {
  let script: LoadedScript | null = null;
  return () => {
    if (script) return script;
    try {
      script = loadScript(file);
      return script;
    } catch (error) {
      throw new ParleyError(
        'PARLEY_ERR_NOT_FOUND',
        `The ${how.name} script ${file} has not been built. Run \`npm run build\` (or \`${how.buildCommand}\`) and request it again.`,
        { cause: error },
      );
    }
  };
}

/** The encoding to answer with, from `Accept-Encoding` (q-values of 0 refuse an encoding). */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const refused = params.some((param) => /^\s*q=0(?:\.0*)?\s*$/.test(param));
    if (name && !refused) accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return 'identity';
}

/**
 * Answers with a loaded script: ETag revalidation, long caching for `?v=<hash>` URLs, and the
 * best encoding the client accepts. Cross-origin headers are the caller's choice.
 */
export function sendScript(request: FastifyRequest<{ Querystring: { v?: string } }>, reply: FastifyReply, loaded: LoadedScript): FastifyReply {
  const etag = `"${loaded.hash}"`;
  reply.header('x-content-type-options', 'nosniff');
  reply.header('vary', 'Accept-Encoding');
  reply.header('etag', etag);
  reply.header('cache-control', request.query.v === loaded.hash ? IMMUTABLE_CACHE : SHORT_CACHE);
  reply.type('text/javascript; charset=utf-8');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return reply.code(304).send();
  }
  const encoding = pickEncoding(request.headers['accept-encoding']);
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.send(encoding === 'br' ? loaded.brotli : encoding === 'gzip' ? loaded.gzip : loaded.identity);
}

const DEMO_STYLE = `
  body { margin: 0; font: 16px/1.6 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328; background: #f6f8fa; }
  main { max-width: 42rem; margin: 0 auto; padding: 2rem 1.25rem 8rem; }
  h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 1rem; }
  h2 { font-size: 1.15rem; margin: 2rem 0 0.5rem; }
  pre { overflow-x: auto; padding: 1rem; background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px; font-size: 0.85rem; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  @media (min-width: 1000px) { main { margin-inline: 4rem auto; } }
`;
/** `no-cache`, not `no-store`: the page holds nothing private and revalidates cheaply. */
const DEMO_HEADERS = pageHeaders({ styles: [DEMO_STYLE], cacheControl: 'no-cache' });

/** The demo page. It names no host: the widget talks to the origin that served the page. */
export function demoPageHtml(options: { title: string; initialPayload: string; scriptHash: string }): string {
  const title = escapeHtml(options.title);
  const payload = options.initialPayload ? ` initial-payload="${escapeHtml(options.initialPayload)}"` : '';
  return htmlDocument({
    title: `${options.title} · chat`,
    style: DEMO_STYLE,
    moduleScript: `/webchat.js?v=${options.scriptHash}`,
    body: `<main>
<h1>${title}</h1>
<p>This page runs Parley's web chat against this server. Use the chat window in the corner; the
button at its top starts a new conversation.</p>
<h2>Add the chat to your site</h2>
<p>Put these two lines into your page, with this server's address (start the server with
<code>--cors</code> naming your site when the page is on another origin):</p>
<pre><code>&lt;script type="module" src="https://chat.example.com/webchat.js"&gt;&lt;/script&gt;
&lt;parley-chat server-url="https://chat.example.com" initial-payload="/greet"&gt;&lt;/parley-chat&gt;</code></pre>
</main>
<parley-chat chat-title="${title}"${payload} open></parley-chat>`,
  });
}

/**
 * Register `GET /webchat.js` and (unless `demoPage: false`) `GET /chat`. A missing bundle is
 * reported when it is requested, and picked up without a restart once it has been built.
 * @example await app.register(webchatPlugin, { title: 'Coffee bot', initialPayload: '/greet' });
 */
export async function webchatPlugin(app: FastifyInstance, options: WebchatPluginOptions = {}): Promise<void> {
  const scriptFile = options.scriptFile ?? DEFAULT_SCRIPT_FILE;
  const logger = options.logger?.child({ module: 'webchat' });
  const currentScript = lazyScript(scriptFile, { name: 'web chat', buildCommand: 'node webchat/build.mjs' });
  try {
    currentScript();
  } catch (error) {
    logger?.warn({ event: 'webchat.script.missing', file: scriptFile }, (error as Error).message);
  }

  app.get('/webchat.js', async (request: FastifyRequest<{ Querystring: { v?: string } }>, reply: FastifyReply) => {
    const loaded = currentScript();
    // Module scripts are fetched with CORS; the widget is public, so any site may load it. A
    // policy from `--cors` that already answered (echoing the Origin) is left as it is.
    if (!reply.hasHeader('access-control-allow-origin')) reply.header('access-control-allow-origin', '*');
    reply.header('cross-origin-resource-policy', 'cross-origin');
    return sendScript(request, reply, loaded);
  });

  if (options.demoPage === false) return;
  const title = options.title ?? 'Parley';
  const initialPayload = options.initialPayload ?? '/greet';
  app.get('/chat', async (_request, reply) => {
    let scriptHash = '';
    try {
      scriptHash = currentScript().hash;
    } catch {
      // The page still loads and says nothing works until the script is built (its request 404s).
    }
    return reply.headers(DEMO_HEADERS).send(demoPageHtml({ title, initialPayload, scriptHash }));
  });
}
