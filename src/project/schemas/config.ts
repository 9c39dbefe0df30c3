/** Schemas of config.yml, credentials.yml and endpoints.yml. */
import { z } from 'zod';

const component = z.object({ name: z.string().min(1) }).passthrough();

/**
 * config.yml: the top level tolerates unknown keys; `pipeline` and `policies` are lists of maps
 * that each need a `name` (component options are checked by the components themselves).
 */
export const configSchema = z
  .object({
    recipe: z.string().nullable().optional(),
    language: z.string().min(1).nullable().optional(),
    assistant_id: z.union([z.string(), z.number()]).nullable().optional(),
    pipeline: z.array(component).nullable().optional(),
    policies: z.array(component).nullable().optional(),
  })
  .passthrough();

/** credentials.yml and endpoints.yml: each top-level key holds a mapping of options, or nothing. */
export const optionsByNameSchema = z.record(z.record(z.unknown()).nullable());
