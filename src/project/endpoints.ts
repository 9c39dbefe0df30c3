/** endpoints.yml: endpoint name (action_endpoint, tracker_store, ...) → options as written. */
import type { Endpoints } from '../shared/project.js';
import { readOptionsFile, type ChannelFileOptions } from './channel-files.js';

/** Endpoint options that are flags: "true"/"false" strings become booleans. */
export const ENDPOINT_FLAGS: Readonly<Record<string, readonly string[]>> = {
  action_endpoint: ['enable_selective_domain'],
  tracker_store: ['use_ssl'],
  lock_store: ['use_ssl'],
  event_broker: ['raise_on_failure', 'should_keep_unpublished_messages', 'partition_by_sender'],
};

/**
 * Reads endpoints.yml with `${VAR}` expansion. Returns null when the file does not exist; an
 * entry without options (`tracker_store:`) maps to null.
 *
 * @throws ProjectFilesError with located problems when the file is malformed.
 */
export async function loadEndpoints(filePath: string, options: ChannelFileOptions = {}): Promise<Endpoints | null> {
  const entries = await readOptionsFile(filePath, ENDPOINT_FLAGS, options);
  return entries === null ? null : Object.fromEntries(entries);
}
