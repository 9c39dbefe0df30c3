/** `GET /share?token=…`: the tester's chat page. The token is the credential; no API auth. */
import type { FastifyInstance } from 'fastify';
import { queryValue, type Query } from '../api/params.js';
import { pageHeaders } from '../server/html-page.js';
import type { ShareLinkStore } from './share-link-store.js';
import { invalidLinkHtml, SHARE_SCRIPT, SHARE_STYLE, sharePageHtml } from './share-page.js';

export interface SharePluginOptions {
  /** The share links (opened on first use). */
  links: () => ShareLinkStore;
  /** The project folder name or config.yml `assistant_id`. */
  botName: string;
  /** The served model's file name, or null when none is loaded. */
  modelName: () => string | null;
  /** The widget's `initial-payload`. @default '' */
  initialPayload?: string;
}

const VALID_PAGE_HEADERS = pageHeaders({ styles: [SHARE_STYLE], scripts: [SHARE_SCRIPT] });
const INVALID_PAGE_HEADERS = pageHeaders({ styles: [SHARE_STYLE] });

/**
 * Registers `GET /share`. The widget itself (`/webchat.js`) is served by the web chat plugin.
 * @example await app.register(sharePlugin, { links: () => db.shareLinks, botName: 'moodbot', modelName: () => 'model.tar.gz' });
 */
export async function sharePlugin(app: FastifyInstance, options: SharePluginOptions): Promise<void> {
  app.get('/share', async (request, reply) => {
    const token = queryValue(request.query as Query, 'token');
    const link = token ? options.links().findActiveByToken(token) : undefined;
    if (!link) return reply.code(403).headers(INVALID_PAGE_HEADERS).send(invalidLinkHtml());
    return reply.headers(VALID_PAGE_HEADERS).send(
      sharePageHtml({
        botName: options.botName,
        modelName: options.modelName(),
        shareLinkId: link.id,
        initialPayload: options.initialPayload ?? '',
      }),
    );
  });
}
