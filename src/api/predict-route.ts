/**
 * `POST /model/predict`: the next action for a conversation given as a list of events. The
 * tracker is built in memory (sender `default`); nothing is stored and no action runs.
 */
import type { FastifyInstance } from 'fastify';
import { parseEvents } from '../core/events.js';
import { isParleyError, ParleyError } from '../errors.js';
import { asRasaFailure, jsonBody, requireModel, type ApiContext } from './context.js';
import { eventVerbosity, type Query } from './params.js';

const EVENTS_HELP = 'https://rasa.com/docs/rasa/pages/http-api';

function notAList(): ParleyError {
  return new ParleyError(
    'PARLEY_ERR_EVENT_INVALID',
    'Failed to validate the events format. For more information about the format visit the docs. Error: the body must be a list of events.',
    { help: EVENTS_HELP, details: { parameter: 'events', in: 'body' } },
  );
}

export function registerPredictRoute(app: FastifyInstance, context: ApiContext): void {
  app.post('/model/predict', { bodyLimit: context.limits.eventsBody }, async (request) => {
    const model = requireModel(context);
    const verbosity = eventVerbosity(request.query as Query);
    const body = jsonBody(request);
    if (!Array.isArray(body)) throw notAList();
    let events;
    try {
      events = parseEvents(body);
    } catch (error) {
      if (!isParleyError(error)) throw error;
      throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `Supplied events are not valid. ${error.message}`, {
        details: { parameter: '', in: 'body' },
        cause: error,
      });
    }
    if (!model.agent.hasPolicies) {
      throw new ParleyError(
        'PARLEY_ERR_PREDICTION',
        'An unexpected error occurred. Error: the loaded model is NLU-only and cannot predict actions; train a model with stories or rules.',
      );
    }
    return asRasaFailure(context, 'PARLEY_ERR_PREDICTION', async () => model.agent.processor.predictFromEvents(events, verbosity));
  });
}
