/** `parley train`: load the project, train NLU and dialogue, save a fingerprinted model archive. */
import { join, resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { ParleyError } from '../errors.js';
import { loadProject, type LoadProjectOptions } from '../project/index.js';
import { trainNlu } from '../nlu/index.js';
import { trainPolicies } from '../core/policies/index.js';
import { fingerprintProject } from '../model/fingerprint.js';
import { newModelMetadata, readModelMetadata, saveModel } from '../model/model.js';
import { listModels, newModelName } from '../model/model-files.js';
import type { ProgressEvent } from './progress.js';

export interface TrainOptions extends LoadProjectOptions {
  /** Project folder (default: the current directory). */
  root?: string;
  /** Output folder for archives. @default '<root>/models' */
  out?: string;
  /** Name of the archive without `.tar.gz` (default: timestamp + two words). */
  fixedModelName?: string;
  /** Skip the validator's checks of stories and rules (YAML and schema errors still stop training). */
  skipValidation?: boolean;
  /** Train even when an existing model has the same fingerprint. @default false */
  force?: boolean;
  logger: Logger;
  onProgress?: (event: ProgressEvent) => void;
}

export interface TrainResult {
  modelPath: string;
  /** True when an up-to-date model already existed and nothing was trained. */
  reused: boolean;
  fingerprint: string;
}

export async function trainProject(options: TrainOptions): Promise<TrainResult> {
  const root = resolve(options.root ?? '.');
  const out = resolve(root, options.out ?? 'models');
  const { project, warnings } = await loadProject(root, { ...options, validate: !options.skipValidation });
  for (const warning of warnings) options.logger.warn({ file: warning.file, line: warning.line }, warning.message);
  if (!project.config.language) {
    throw new ParleyError(
      'PARLEY_ERR_CONFIG_INVALID',
      "The config file is missing the mandatory key 'language' (for example `language: en`). Add it to config.yml and train again.",
      { location: { file: 'config.yml' } },
    );
  }
  const fingerprint = fingerprintProject(project.files);

  if (!options.force) {
    const existing = await findModelWithFingerprint(out, fingerprint);
    if (existing) {
      options.onProgress?.({ stage: 'done', fraction: 1, message: `Nothing changed since the last training; keeping ${existing}` });
      return { modelPath: existing, reused: true, fingerprint };
    }
  }

  const report = (prefix: string, start: number, span: number) => (event: ProgressEvent) =>
    options.onProgress?.({ stage: `${prefix}:${event.stage}`, fraction: start + span * event.fraction, message: event.message });

  const nlu = await trainNlu(
    { nlu: project.training.nlu, domain: project.domain, config: project.config },
    { onProgress: report('nlu', 0, 0.6), logger: options.logger },
  );
  const core = await trainPolicies(
    { domain: project.domain, stories: project.training.stories, rules: project.training.rules, policies: project.config.policies },
    { onProgress: report('core', 0.6, 0.35), logger: options.logger },
  );
  const metadata = newModelMetadata({
    assistantId: project.config.assistantId,
    fingerprint,
    language: project.config.language,
    parts: { nlu: true, core: true },
  });
  const modelPath = join(out, `${options.fixedModelName ?? newModelName()}.tar.gz`);
  options.onProgress?.({ stage: 'save', fraction: 0.97, message: `Saving the model to ${modelPath}` });
  await saveModel(modelPath, { metadata, domain: project.domain, nlu, core });
  options.onProgress?.({ stage: 'done', fraction: 1, message: `Your model is ready: ${modelPath}` });
  return { modelPath, reused: false, fingerprint };
}

/** The newest archive in `directory` trained from exactly these inputs, if any. */
export async function findModelWithFingerprint(directory: string, fingerprint: string): Promise<string | undefined> {
  for (const path of listModels(directory)) {
    try {
      if ((await readModelMetadata(path)).fingerprint === fingerprint) return path;
    } catch {
      // An unreadable or older archive simply is not a match.
    }
  }
  return undefined;
}
