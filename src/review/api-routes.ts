/**
 * The review API under `/review/api`: share links, the conversation list and transcripts,
 * corrections, and the export. Routes only throw; the server's one error handler renders errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { validBody, badRequest } from '../api/context.js';
import { queryValue, type Query } from '../api/params.js';
import { ParleyError } from '../errors.js';
import type { Domain } from '../shared/domain.js';
import type { TrackerStore } from '../stores/types.js';
import type { ShareLink } from '../share/share-link-store.js';
import type { ConversationIndex } from './conversation-index.js';
import { checkCorrection, readCorrectionBody } from './correction-input.js';
import type { ReviewDatabase } from './review-db.js';
import { exportCorrections, EXPORT_FILES } from './review-export.js';
import { buildTranscript } from './transcript.js';

export interface ReviewApiContext {
  /** The review database (opened on first use). */
  database: () => ReviewDatabase;
  trackerStore: TrackerStore;
  index: ConversationIndex;
  /** The served model's domain, or null when no model is loaded. */
  domain: () => Domain | null;
}

const shareLinkBody = z.object({ label: z.string().max(200).optional() }).strict();

/** Most rows one list request returns. */
const MAX_LIMIT = 500;

function requireDomain(context: ReviewApiContext): Domain {
  const domain = context.domain();
  if (domain) return domain;
  throw new ParleyError('PARLEY_ERR_MODEL_NOT_FOUND', 'No model is loaded, so corrections cannot be checked against a domain. Load a model and try again.');
}

/** The address testers open, on the host and scheme the reviewer reached this server by. */
export function shareUrl(request: FastifyRequest, token: string): string {
  return `${request.protocol}://${request.host}/share?token=${encodeURIComponent(token)}`;
}

function withUrl(request: FastifyRequest, link: ShareLink): ShareLink & { url: string } {
  return { ...link, url: shareUrl(request, link.token) };
}

function integerParam(query: Query, name: string, fallback: number, max: number): number {
  const raw = queryValue(query, name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `Invalid parameter value for '${name}': give a whole number from 0 to ${max}.`, {
      details: { parameter: name, in: 'query' },
    });
  }
  return value;
}

function confidenceParam(query: Query): number | undefined {
  const raw = queryValue(query, 'max_confidence');
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new ParleyError('PARLEY_ERR_BAD_REQUEST', "Invalid parameter value for 'max_confidence': give a number from 0 to 1.", {
      details: { parameter: 'max_confidence', in: 'query' },
    });
  }
  return value;
}

function textParam(query: Query, name: string): string | undefined {
  const value = queryValue(query, name)?.trim();
  return value ? value : undefined;
}

function notFound(message: string, parameter: string): ParleyError {
  return new ParleyError('PARLEY_ERR_NOT_FOUND', message, { details: { parameter, in: 'path' } });
}

function registerShareLinkRoutes(api: FastifyInstance, context: ReviewApiContext): void {
  api.post('/share-links', async (request, reply) => {
    const body = validBody(shareLinkBody, request.body ?? {});
    const link = context.database().shareLinks.create(body.label?.trim() || null);
    return reply.code(201).send(withUrl(request, link));
  });
  api.get('/share-links', async (request) => ({
    share_links: context.database().shareLinks.list().map((link) => withUrl(request, link)),
  }));
  api.delete('/share-links/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    if (!context.database().shareLinks.revoke(request.params.id)) throw notFound(`There is no share link '${request.params.id}'.`, 'id');
    return reply.code(204).send();
  });
}

function registerConversationRoutes(api: FastifyInstance, context: ReviewApiContext): void {
  api.get('/conversations', async (request) => {
    const query = request.query as Query;
    const fallback = queryValue(query, 'fallback');
    return context.index.list(
      {
        q: textParam(query, 'q'),
        intent: textParam(query, 'intent'),
        action: textParam(query, 'action'),
        maxConfidence: confidenceParam(query),
        fallback: fallback !== undefined && fallback.toLowerCase() === 'true',
        limit: integerParam(query, 'limit', 50, MAX_LIMIT),
        offset: integerParam(query, 'offset', 0, Number.MAX_SAFE_INTEGER),
      },
      context.database().corrections.counts(),
    );
  });
  api.get('/conversations/:sender_id', async (request: FastifyRequest<{ Params: { sender_id: string } }>) => {
    const senderId = request.params.sender_id;
    const events = await context.trackerStore.retrieve(senderId, { allSessions: true });
    if (!events) throw notFound('Conversation ID not found.', 'sender_id');
    return buildTranscript(senderId, events, context.database().corrections.forConversation(senderId));
  });
}

function registerCorrectionRoutes(api: FastifyInstance, context: ReviewApiContext): void {
  api.post('/corrections', async (request, reply) => {
    const body = readCorrectionBody(request.body);
    const domain = requireDomain(context);
    const events = await context.trackerStore.retrieve(body.sender_id, { allSessions: true });
    if (!events) throw badRequest(`Invalid value for 'sender_id' in the request body: there is no conversation '${body.sender_id}'.`, 'sender_id');
    const correction = context.database().corrections.save(checkCorrection(body, events, domain));
    return reply.code(201).send(correction);
  });
  api.get('/corrections', async () => ({ corrections: context.database().corrections.list() }));
  api.delete('/corrections/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    if (!context.database().corrections.delete(request.params.id)) throw notFound(`There is no correction '${request.params.id}'.`, 'id');
    return reply.code(204).send();
  });
}

function registerExportRoutes(api: FastifyInstance, context: ReviewApiContext): void {
  const exported = () => exportCorrections(context.database().corrections.list(), context.trackerStore);
  api.get('/export', async () => {
    const { nlu, stories, skipped } = await exported();
    return { nlu, stories, skipped };
  });
  const download = (kind: 'nlu' | 'stories') => async (_request: FastifyRequest, reply: FastifyReply) => {
    const result = await exported();
    return reply
      .header('content-type', 'application/yaml; charset=utf-8')
      .header('content-disposition', `attachment; filename="${EXPORT_FILES[kind]}"`)
      .send(result[kind]);
  };
  api.get('/export/nlu.yml', download('nlu'));
  api.get('/export/stories.yml', download('stories'));
}

/** The domain's names the review page offers in its correction forms. */
function registerDomainRoute(api: FastifyInstance, context: ReviewApiContext): void {
  api.get('/domain', async () => {
    const domain = requireDomain(context);
    return domain.serialized;
  });
}

/** Registers every review API route on `api` (mounted under `/review/api`). */
export function registerReviewApiRoutes(api: FastifyInstance, context: ReviewApiContext): void {
  registerShareLinkRoutes(api, context);
  registerConversationRoutes(api, context);
  registerCorrectionRoutes(api, context);
  registerExportRoutes(api, context);
  registerDomainRoute(api, context);
}
