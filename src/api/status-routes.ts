/** `GET /version`, `GET /status` and `GET /domain` (JSON or YAML by `Accept`). */
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { ParleyError } from '../errors.js';
import { MINIMUM_COMPATIBLE_VERSION, RASA_COMPATIBLE_VERSION } from '../version.js';
import { requireModel, type ApiContext } from './context.js';

/** `GET /version`: open to everyone, like `GET /`. */
export function registerVersionRoute(app: FastifyInstance): void {
  app.get('/version', async () => ({
    version: RASA_COMPATIBLE_VERSION,
    minimum_compatible_version: MINIMUM_COMPATIBLE_VERSION,
  }));
}

/** The domain as YAML with `version` first, as Rasa writes it. */
export function domainYaml(serialized: Record<string, unknown>): string {
  const { version, ...rest } = serialized;
  return stringify({ version: String(version ?? '3.1'), ...rest }, { lineWidth: 0 });
}

export function registerStatusRoutes(app: FastifyInstance, context: ApiContext): void {
  app.get('/status', async () => {
    const model = requireModel(context);
    return {
      model_file: model.modelFile,
      model_id: model.modelId,
      num_active_training_jobs: context.holder.activeTrainingJobs,
    };
  });

  app.get('/domain', async (request, reply) => {
    const model = requireModel(context);
    const accept = (request.headers.accept ?? 'application/json').trim().toLowerCase();
    if (accept.endsWith('json')) return reply.type('application/json; charset=utf-8').send(model.agent.domain.serialized);
    if (accept.endsWith('yml') || accept.endsWith('yaml')) {
      return reply.type('application/x-yaml; charset=utf-8').send(domainYaml(model.agent.domain.serialized));
    }
    throw new ParleyError(
      'PARLEY_ERR_NOT_ACCEPTABLE',
      'Invalid Accept header. Domain can be provided as json ("Accept: application/json") or yml ("Accept: application/x-yaml"). ' +
        "Make sure you've set the appropriate Accept header.",
    );
  });
}
