/** The fingerprint of a project's training inputs: equal fingerprints mean retraining is pointless. */
import { createHash } from 'node:crypto';
import type { ProjectFile } from '../shared/project.js';
import { PARLEY_VERSION } from '../version.js';

/**
 * Hashes every training file (path and content) together with the Parley version, whose
 * algorithms shape the model as much as the data does.
 */
export function fingerprintProject(files: readonly ProjectFile[]): string {
  const hash = createHash('sha256');
  hash.update(`parley ${PARLEY_VERSION}\n`);
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) hash.update(`${file.path}\0${file.sha256}\n`);
  return hash.digest('hex');
}
