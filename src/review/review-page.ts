/**
 * `GET /review` (the page, no auth: it asks for the token and calls the API with it) and
 * `GET /review/review.js` (the bundle built from review-ui/, served like `/webchat.js`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import { escapeHtml, htmlDocument, pageHeaders } from '../server/html-page.js';
import { lazyScript, sendScript } from '../webchat/plugin.js';
import { packagePath } from '../package-root.js';

/** Works from `src/review/` (tests) and from `dist/review/` (the built package) alike. */
export const DEFAULT_REVIEW_SCRIPT = packagePath('dist', 'review', 'review.js');

export const REVIEW_STYLE = `
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328; background: #f6f8fa; }
  noscript p { max-width: 36rem; margin: 4rem auto; padding: 0 1.25rem; }
`;

const REVIEW_HEADERS = pageHeaders({ styles: [REVIEW_STYLE] });

/** The page shell; the script renders `<parley-review>` into it. */
export function reviewPageHtml(options: { botName: string; scriptHash: string }): string {
  const version = options.scriptHash ? `?v=${options.scriptHash}` : '';
  return htmlDocument({
    title: `Review · ${options.botName}`,
    style: REVIEW_STYLE,
    moduleScript: `/review/review.js${version}`,
    noindex: true,
    body: `<parley-review bot-name="${escapeHtml(options.botName)}"></parley-review>
<noscript><p>The review page needs JavaScript.</p></noscript>`,
  });
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
  const currentScript = lazyScript(scriptFile, { name: 'review page', buildCommand: 'node review-ui/build.mjs' });

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
