/**
 * `/conversations/{id}/…`: read and edit trackers, export stories, and drive a conversation step by
 * step (messages → predict → execute, as the `rasa-bot` web component does).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isParleyError, ParleyError } from '../errors.js';
import { parseEvents, simpleEvent } from '../core/events.js';
import { DialogueStateTracker, type TrackerState } from '../core/tracker.js';
import type { TrackerEvent } from '../shared/events.js';
import type { ParseResult } from '../shared/nlu.js';
import type { ServableModel } from '../runtime/model-holder.js';
import {
  asRasaFailure,
  badRequest,
  jsonBody,
  objectBody,
  requireModel,
  resolveOutput,
  validBody,
  type ApiContext,
} from './context.js';
import type { ConversationEndpoint } from './conversation-path.js';
import { booleanParam, eventVerbosity, untilParam, type Query } from './params.js';
import { exportStory } from './story-export.js';

const EVENTS_HELP = 'https://rasa.com/docs/rasa/pages/http-api';

type Handler = (context: ApiContext, request: FastifyRequest, reply: FastifyReply, conversationId: string) => Promise<unknown>;

function queryOf(request: FastifyRequest): Query {
  return request.query as Query;
}

function conversationFailure<T>(context: ApiContext, task: () => Promise<T>): Promise<T> {
  return asRasaFailure(context, 'PARLEY_ERR_CONVERSATION', task);
}

/** The stored conversation, or Rasa's 404 when there is none. */
async function existingTracker(model: ServableModel, conversationId: string, allSessions = true): Promise<DialogueStateTracker> {
  const tracker = await model.agent.processor.getTracker(conversationId, { allSessions });
  if (!tracker) throw new ParleyError('PARLEY_ERR_NOT_FOUND', 'Conversation ID not found.', { details: { parameter: 'conversation_id', in: 'path' } });
  return tracker;
}

/** The tracker as it was at `until` (events with a later timestamp are not replayed). */
function travelBack(model: ServableModel, tracker: DialogueStateTracker, until: number | null): DialogueStateTracker {
  if (until === null) return tracker;
  const events = tracker.events.filter((event) => event.timestamp <= until);
  return DialogueStateTracker.fromEvents(tracker.senderId, events, model.agent.domain.slots);
}

async function latestInputChannelOf(model: ServableModel, conversationId: string): Promise<string | null> {
  return (await model.agent.processor.getTracker(conversationId))?.latestInputChannel ?? null;
}

/** Event bodies fail with Rasa's wording around the precise problem. */
function readEvents(body: unknown): TrackerEvent[] {
  try {
    return parseEvents(body);
  } catch (error) {
    if (!isParleyError(error)) throw error;
    throw new ParleyError(
      'PARLEY_ERR_EVENT_INVALID',
      `Failed to validate the events format. For more information about the format visit the docs. Error: ${error.message}`,
      { help: EVENTS_HELP, details: error.details ?? { parameter: 'events', in: 'body' }, cause: error },
    );
  }
}

// ── tracker ─────────────────────────────────────────────────────────────────────────────

const getTracker: Handler = async (context, request, _reply, conversationId) => {
  const model = requireModel(context);
  const verbosity = eventVerbosity(queryOf(request));
  const until = untilParam(queryOf(request));
  return conversationFailure(context, async () => {
    const tracker = await model.agent.processor.getTracker(conversationId, { allSessions: true, startSessionIfNew: true });
    return travelBack(model, tracker!, until).currentState(verbosity);
  });
};

const appendEvents: Handler = async (context, request, _reply, conversationId) => {
  const model = requireModel(context);
  const query = queryOf(request);
  const verbosity = eventVerbosity(query);
  const body = jsonBody(request);
  if (body === undefined) throw badRequest('No events defined in request body. Add one event or a list of events to the request body.', '');
  const events = readEvents(Array.isArray(body) ? body : [body]);
  if (events.length === 0) throw badRequest("Couldn't extract a proper event from the request body.", '');
  const { output } = await resolveOutput(context, query, () => latestInputChannelOf(model, conversationId));
  return conversationFailure(context, async () => {
    const tracker = await model.agent.processor.addEvents(conversationId, events, {
      output,
      executeSideEffects: booleanParam(query, 'execute_side_effects'),
    });
    return tracker.currentState(verbosity);
  });
};

/**
 * Replaces the conversation. The stores only ever append, so the old history is closed with a
 * `restart` event and the new events follow it: every reader of the latest state (and every
 * `AFTER_RESTART` view) sees exactly the new events, while `include_events=ALL` keeps the audit trail.
 */
const replaceEvents: Handler = async (context, request, _reply, conversationId) => {
  const model = requireModel(context);
  const verbosity = eventVerbosity(queryOf(request));
  const body = jsonBody(request);
  if (!Array.isArray(body)) {
    throw new ParleyError(
      'PARLEY_ERR_EVENT_INVALID',
      'Failed to validate the events format. For more information about the format visit the docs. Error: the body must be a list of events.',
      { help: EVENTS_HELP, details: { parameter: 'events', in: 'body' } },
    );
  }
  const events = readEvents(body);
  return conversationFailure(context, async () => {
    const { trackerStore, lockStore, domain } = model.agent;
    await lockStore.withLock(conversationId, async () => {
      const stored = await trackerStore.retrieve(conversationId, { allSessions: true });
      const closing = stored && stored.length > 0 ? [simpleEvent('restart')] : [];
      await trackerStore.append(conversationId, [...closing, ...events]);
    });
    return DialogueStateTracker.fromEvents(conversationId, events, domain.slots).currentState(verbosity);
  });
};

const getStory: Handler = async (context, request, reply, conversationId) => {
  const model = requireModel(context);
  const query = queryOf(request);
  const allSessions = booleanParam(query, 'all_sessions');
  const until = untilParam(query);
  const story = await conversationFailure(context, async () => {
    const tracker = travelBack(model, await existingTracker(model, conversationId, allSessions), until);
    return exportStory(conversationId, tracker.events);
  });
  return reply.type('text/plain; charset=utf-8').send(story);
};

// ── driving the conversation ────────────────────────────────────────────────────────────

const intentBody = z.object({
  name: z.string().min(1),
  entities: z.union([z.array(z.record(z.unknown())), z.record(z.unknown()), z.null()]).optional(),
});

const triggerIntent: Handler = async (context, request, _reply, conversationId) => {
  const model = requireModel(context);
  const query = queryOf(request);
  const verbosity = eventVerbosity(query);
  const raw = objectBody(request, 'Name of the intent not provided in request body.');
  if (raw.name === undefined || raw.name === null) throw badRequest('Name of the intent not provided in request body.', 'name');
  const body = validBody(intentBody, raw);
  const { output, collector } = await resolveOutput(context, query, () => latestInputChannelOf(model, conversationId));
  return conversationFailure(context, async () => {
    const tracker = await model.agent.processor.triggerIntent(
      conversationId,
      body.name,
      body.entities as Parameters<typeof model.agent.processor.triggerIntent>[2],
      output,
    );
    return withMessages(tracker.currentState(verbosity), collector?.messages);
  });
};

const predict: Handler = async (context, _request, _reply, conversationId) => {
  const model = requireModel(context);
  await existingTracker(model, conversationId);
  if (!model.agent.hasPolicies) {
    throw new ParleyError(
      'PARLEY_ERR_CONVERSATION',
      'An unexpected error occurred. Error: the loaded model is NLU-only and cannot predict actions; train a model with stories or rules.',
    );
  }
  return conversationFailure(context, () => model.agent.processor.predictNext(conversationId));
};

const messageBody = z.object({
  text: z.string().nullable().optional(),
  sender: z.unknown(),
  parse_data: z
    .object({ intent: z.record(z.unknown()).optional(), entities: z.array(z.record(z.unknown())).optional() })
    .passthrough()
    .nullable()
    .optional(),
});

/** The sender as Rasa names it; never String() on client JSON (`{"toString": null}` throws). */
function describeSender(sender: unknown): string {
  if (sender === undefined || sender === null) return 'None';
  return typeof sender === 'string' ? sender : JSON.stringify(sender);
}

const addMessage: Handler = async (context, request, _reply, conversationId) => {
  const model = requireModel(context);
  const verbosity = eventVerbosity(queryOf(request));
  const raw = objectBody(
    request,
    'No message defined in request body. Add a message to the request body in order to add it to the tracker.',
  );
  if (raw.sender !== 'user') {
    throw badRequest(
      `Currently, only user messages can be passed to this endpoint. Messages of sender '${describeSender(raw.sender)}' cannot be handled.`,
      'sender',
    );
  }
  const body = validBody(messageBody, raw);
  const text = body.text ?? null;
  return conversationFailure(context, async () => {
    const tracker = await model.agent.processor.logMessage({
      text,
      senderId: conversationId,
      inputChannel: null,
      output: { name: 'collector', sendResponse: async () => {} },
      messageId: randomUUID().replaceAll('-', ''),
      parseData: body.parse_data
        ? ({ text: text ?? '', intent: {}, entities: [], ...body.parse_data } as unknown as ParseResult)
        : undefined,
    });
    return tracker.currentState(verbosity);
  });
};

const actionBody = z.object({
  name: z.string().min(1),
  policy: z.string().nullable().optional(),
  confidence: z.number().nullable().optional(),
});

const execute: Handler = async (context, request, _reply, conversationId) => {
  const model = requireModel(context);
  const query = queryOf(request);
  const verbosity = eventVerbosity(query);
  await existingTracker(model, conversationId);
  const raw = objectBody(request, 'Name of the action not provided in request body.');
  if (raw.name === undefined || raw.name === null) throw badRequest('Name of the action not provided in request body.', 'name');
  const body = validBody(actionBody, raw);
  const { actionNames, actionTexts } = model.agent.domain;
  if (!actionNames.includes(body.name) && !actionTexts.includes(body.name)) {
    throw new ParleyError(
      'PARLEY_ERR_CONVERSATION',
      `An unexpected error occurred. Error: the action '${body.name}' is not in the domain of the loaded model.`,
      { details: { parameter: 'name', in: 'body' } },
    );
  }
  const { output, collector } = await resolveOutput(context, query, () => latestInputChannelOf(model, conversationId));
  return conversationFailure(context, async () => {
    const tracker = await model.agent.processor.executeAction(conversationId, body.name, output, {
      policy: body.policy ?? null,
      confidence: body.confidence ?? null,
    });
    return withMessages(tracker.currentState(verbosity), collector?.messages);
  });
};

/** `{tracker, messages}`; `messages` only when they were collected for this response (as Rasa). */
function withMessages(tracker: TrackerState, messages: unknown[] | undefined): Record<string, unknown> {
  return messages === undefined ? { tracker } : { tracker, messages };
}

/** The handler of each conversation endpoint, by method. */
export const CONVERSATION_HANDLERS: Readonly<Record<'GET' | 'POST' | 'PUT', Partial<Record<ConversationEndpoint, Handler>>>> = {
  GET: { tracker: getTracker, story: getStory },
  POST: {
    'tracker/events': appendEvents,
    trigger_intent: triggerIntent,
    predict,
    messages: addMessage,
    execute,
  },
  PUT: { 'tracker/events': replaceEvents },
};
