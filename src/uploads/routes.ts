/**
 * The upload endpoint the `socketio` channel offers when credentials.yml turns uploads on
 * (see settings.ts). Mounted under the channel's prefix, by default `/webhooks/socketio/uploads`:
 *
 * - `GET  …/uploads` → `{max_bytes, types}`: what is accepted (a 404 while uploads are off).
 *   Socket.IO clients are told the same by a `parley_uploads` event after each `session_confirm`,
 *   which is how Parley's widget decides to show its attach button.
 * - `POST …/uploads?name=<file name>` with the raw file as the body and its MIME type as
 *   Content-Type → 201 `{url, type, name, size}`; 413 over `max_bytes`, 415 for a type not in
 *   `types` or content that is not what its type says, 400 for an empty body.
 * - `GET  …/uploads/<id>` → the file, with its type, `nosniff` and a sandboxing CSP, loadable by
 *   pages of any origin (the widget may be embedded elsewhere).
 *
 * The client then sends a user message whose metadata carries `{attachment: {url, type, name, size}}`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../errors.js';
import { errorBody } from '../server/error-handler.js';
import type { Logger } from '../logger.js';
import { contentMatchesType, type UploadSettings } from './settings.js';
import type { UploadStore } from './store.js';

export interface UploadRoutesOptions {
  settings: UploadSettings;
  store: UploadStore;
  logger: Logger;
}

/** What `POST …/uploads` answers, and what the widget puts into the message metadata. */
export interface UploadedAttachment {
  url: string;
  type: string;
  name: string;
  size: number;
}

function mimeTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Register the upload routes on `app` (an encapsulated plugin: its body parsing stays here). */
export async function uploadRoutes(app: FastifyInstance, options: UploadRoutesOptions): Promise<void> {
  const { settings, store } = options;
  const logger = options.logger.child({ module: 'uploads' });
  const tooLarge = `The file is larger than this server accepts (${settings.maxBytes} bytes).`;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: settings.maxBytes }, (_request, body, done) => done(null, body));
  app.setErrorHandler(async (error, _request, reply) => {
    // Fastify's own 413 names the server-wide limit; ours names the upload limit.
    if ((error as { statusCode?: number }).statusCode === 413) return reply.code(413).send(errorBody(413, tooLarge));
    throw error;
  });

  app.get('/', async () => ({ max_bytes: settings.maxBytes, types: settings.types }));

  app.post('/', async (request: FastifyRequest<{ Querystring: { name?: string } }>, reply) => {
    const type = mimeTypeOf(request);
    if (!settings.types.includes(type)) {
      throw new ParleyError(
        'PARLEY_ERR_UNSUPPORTED_MEDIA_TYPE',
        `Files of type "${type || 'none'}" are not accepted here; send one of: ${settings.types.join(', ')}, ` +
          'with its type as the Content-Type header.',
      );
    }
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
      throw new ParleyError('PARLEY_ERR_BAD_REQUEST', 'The request has no file: send the file itself as the request body.');
    }
    if (bytes.length > settings.maxBytes) throw new ParleyError('PARLEY_ERR_BODY_TOO_LARGE', tooLarge);
    if (!contentMatchesType(bytes, type)) {
      throw new ParleyError('PARLEY_ERR_UNSUPPORTED_MEDIA_TYPE', `The file's content is not ${type}, the type it was sent as.`);
    }
    const upload = await store.save(bytes, type, request.query.name ?? '');
    const url = `${request.protocol}://${request.host}${request.routeOptions.url?.replace(/\/$/, '')}/${upload.id}`;
    logger.info({ event: 'uploads.stored', id: upload.id, type, size: upload.size }, 'file uploaded');
    const answer: UploadedAttachment = { url, type: upload.type, name: upload.name, size: upload.size };
    return reply.code(201).send(answer);
  });

  app.get('/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const found = await store.read(request.params.id);
    if (!found) throw new ParleyError('PARLEY_ERR_NOT_FOUND', 'No uploaded file has this address.');
    const { upload, bytes } = found;
    const disposition = upload.type.startsWith('image/') ? 'inline' : 'attachment';
    return reply
      .headers({
        'content-type': upload.type,
        'content-disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(upload.name)}`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cross-origin-resource-policy': 'cross-origin',
        'cache-control': 'private, max-age=86400, immutable',
      })
      .send(bytes);
  });
}
