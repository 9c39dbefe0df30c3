/**
 * `GET /review` (the page, no auth: it asks for the token and calls the API with it) and
 * `GET /review/review.js` (the bundle built from review-ui/, served like `/webchat.js`).
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { pageHeaders } from '../share/page-headers.js';
import { escapeHtml, loadScript, sendScript, type LoadedScript } from '../webchat/plugin.js';

/** Works from `src/review/` (tests) and from `dist/review/` (the built package) alike. */
export const DEFAULT_REVIEW_SCRIPT = fileURLToPath(new URL('../../dist/review/review.js', import.meta.url));

export const REVIEW_STYLE = `
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328; background: #f6f8fa; }
  noscript p { max-width: 36rem; margin: 4rem auto; padding: 0 1.25rem; }
`;

const REVIEW_HEADERS = pageHeaders({ styles: [REVIEW_STYLE] });

/** The page shell; the script renders `<parley-review>` into it. */
export function reviewPageHtml(options: { botName: string; scriptHash: string }): string {
  const bot = escapeHtml(options.botName);
  const version = options.scriptHash ? `?v=${escapeHtml(options.scriptHash)}` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Review · ${bot}</title>
<link rel="icon" href="data:,">
<style>${REVIEW_STYLE}</style>
<script type="module" src="/review/review.js${version}"></script>
</head>
<body>
<parley-review bot-name="${bot}"></parley-review>
<noscript><p>The review page needs JavaScript.</p></noscript>
</body>
</html>
`;
}

export interface ReviewPageOptions {
  botName: string;
  /** @default DEFAULT_REVIEW_SCRIPT */
  scriptFile?: string;
  logger?: Logger;
}

/** Registers `GET /review` and `GET /review/review.js`. A missing bundle is picked up once built. */
export function registerReviewPage(app: FastifyInstance, options: ReviewPageOptions): void {
  const scriptFile = options.scriptFile ?? DEFAULT_REVIEW_SCRIPT;
  let script: LoadedScript | null = null;
  const currentScript = (): LoadedScript => {
    if (script) return script;
    try {
      script = loadScript(scriptFile);
      return script;
    } catch (error) {
      throw new ParleyError(
        'PARLEY_ERR_NOT_FOUND',
        `The review page script ${scriptFile} has not been built. Run \`npm run build\` (or \`node review-ui/build.mjs\`) and request it again.`,
        { cause: error },
      );
    }
  };

  app.get('/review', async (_request, reply) => {
    let scriptHash = '';
    try {
      scriptHash = currentScript().hash;
    } catch (error) {
      options.logger?.warn({ event: 'review.script.missing', file: scriptFile }, (error as Error).message);
    }
    return reply.headers(REVIEW_HEADERS).send(reviewPageHtml({ botName: options.botName, scriptHash }));
  });

  app.get('/review/review.js', async (request: FastifyRequest<{ Querystring: { v?: string } }>, reply: FastifyReply) => {
    reply.header('cross-origin-resource-policy', 'same-origin');
    return sendScript(request, reply, currentScript());
  });
}
