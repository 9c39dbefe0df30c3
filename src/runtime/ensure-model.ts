/** Finds the model `parley run` should serve, training one first when none fits the project. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { ParleyError } from '../errors.js';
import { loadProject } from '../project/index.js';
import { fingerprintProject } from '../model/fingerprint.js';
import { readModelMetadata } from '../model/model.js';
import { resolveModelPath } from '../model/model-files.js';
import type { ProgressEvent } from '../train/progress.js';

export interface EnsureModelOptions {
  root: string;
  /** `--model`: used as given, never retrained (as Rasa does). */
  model?: string;
  trainIfNeeded: boolean;
  logger: Logger;
  say: (message: string) => void;
  onProgress?: (event: ProgressEvent) => void;
}

export async function ensureModel(options: EnsureModelOptions): Promise<string> {
  if (options.model !== undefined) {
    const path = resolveModelPath(options.model);
    if (!path) {
      throw new ParleyError('PARLEY_ERR_MODEL_NOT_FOUND', `No model archive found in '${options.model}'. Train one with \`parley train\`.`);
    }
    return path;
  }
  const modelsDirectory = join(options.root, 'models');
  const newest = resolveModelPath(modelsDirectory);
  const hasProject = existsSync(join(options.root, 'config.yml')) || existsSync(join(options.root, 'domain.yml'));
  if (!hasProject || !options.trainIfNeeded) {
    if (newest) return newest;
    throw new ParleyError(
      'PARLEY_ERR_MODEL_NOT_FOUND',
      `No model found in '${modelsDirectory}'` +
        (hasProject ? ' and training was turned off (--no-train).' : ', and there is no project here to train one from.') +
        ' Run `parley train` in your project folder first.',
    );
  }
  const { project } = await loadProject(options.root);
  const fingerprint = fingerprintProject(project.files);
  if (newest && (await readModelMetadata(newest).then((m) => m.fingerprint, () => undefined)) === fingerprint) {
    return newest;
  }
  options.say(
    newest
      ? `The project changed since the model ${newest} was trained; training a new model first.`
      : 'No trained model found; training one first.',
  );
  // The trainer loads only when a model must be trained, not on every start with an up-to-date model.
  const { trainProject } = await import('../train/train.js');
  const result = await trainProject({ root: options.root, logger: options.logger, onProgress: options.onProgress });
  return result.modelPath;
}
