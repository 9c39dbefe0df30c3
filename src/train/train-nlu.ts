/**
 * `parley train nlu`: trains only the NLU pipeline into an archive without dialogue policies
 * (`models/nlu-<timestamp>.tar.gz`, as Rasa names it). The domain is optional, as in Rasa.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { ParleyError } from '../errors.js';
import { readNluData } from '../evaluation/nlu-test-data.js';
import { trainNlu } from '../nlu/index.js';
import { loadProject } from '../project/index.js';
import { readModelConfig } from '../project/config-reader.js';
import { displayPath, exists, resolveProjectPaths } from '../project/discovery.js';
import { buildDomain } from '../project/domain-builder.js';
import { mergeDomainParts } from '../project/domain-merge.js';
import { IssueCollector } from '../project/issues.js';
import { readYamlFile } from '../project/yaml.js';
import { fingerprintProject } from '../model/fingerprint.js';
import { newModelMetadata, saveModel } from '../model/model.js';
import { newModelName } from '../model/model-files.js';
import type { Domain } from '../shared/domain.js';
import type { ModelConfig, ProjectFile } from '../shared/project.js';
import type { NluData } from '../shared/training-data.js';
import type { ProgressEvent } from './progress.js';

/** Where to read NLU training inputs from; relative paths are relative to `root`. */
export interface NluInputOptions {
  /** Project folder. @default the current directory */
  root?: string;
  /** @default 'config.yml' */
  config?: string;
  /** NLU data files or folders. @default ['data'] */
  nlu?: readonly string[];
  /** A domain file or folder; without one (and no domain.yml) an empty domain is used. */
  domain?: string;
}

export interface NluInputs {
  config: ModelConfig;
  nlu: NluData;
  domain: Domain;
  files: ProjectFile[];
}

/**
 * Reads config, NLU data and (if there is one) the domain.
 * @throws ParleyError naming the missing file, or ProjectFilesError with file:line:column
 */
export async function readNluInputs(options: NluInputOptions): Promise<NluInputs> {
  const root = resolve(options.root ?? '.');
  const nluPaths = (options.nlu ?? ['data']).map((path) => resolve(root, path));
  const paths = await resolveProjectPaths(root, { config: options.config, domain: options.domain });
  if (paths.domain !== null && (await exists(paths.domain))) {
    const { project } = await loadProject(root, { config: options.config, domain: paths.domain, data: nluPaths, tests: null });
    if (project.training.nlu.examples.length === 0) {
      // Read again for the error that names the data paths.
      await readNluData(nluPaths, root);
    }
    return { config: project.config, nlu: project.training.nlu, domain: project.domain, files: project.files };
  }
  if (options.domain !== undefined) {
    throw new ParleyError('PARLEY_ERR_FILE_NOT_FOUND', `The domain '${displayPath(root, paths.domain ?? options.domain)}' does not exist. Fix --domain or leave it out.`);
  }
  const config = await readConfigFile(root, paths.config);
  const data = await readNluData(nluPaths, root);
  return {
    config: config.config,
    nlu: data.nlu,
    domain: domainForNlu(data.nlu),
    files: [config.file, ...data.files],
  };
}

/** The domain of an NLU-only project without domain file: Rasa's defaults plus the NLU's retrieval responses. */
export function domainForNlu(nlu: NluData): Domain {
  const issues = new IssueCollector();
  const retrievalIntents = [...new Set(nlu.examples.filter((example) => example.intent.includes('/')).map((example) => example.intent.split('/')[0]))].sort();
  const domain = buildDomain({ merged: mergeDomainParts([], issues), nluResponses: nlu.responses, retrievalIntents, botTexts: [] }, issues);
  issues.throwIfErrors('the NLU data');
  return domain;
}

/** Reads one config file; a missing file or invalid content is an error naming the file. */
export async function readConfigFile(root: string, path: string): Promise<{ config: ModelConfig; file: ProjectFile }> {
  const shown = displayPath(root, path);
  if (!(await exists(path))) {
    throw new ParleyError('PARLEY_ERR_FILE_NOT_FOUND', `The config file '${shown}' does not exist. Use --config to point at your config file.`);
  }
  const issues = new IssueCollector();
  const file = await readYamlFile(path, shown, issues, { envScope: 'all' });
  const config = file ? readModelConfig(file, issues) : null;
  issues.throwIfErrors(`the config file ${shown}`);
  return { config: config!, file: { path: file!.path, sha256: file!.sha256 } };
}

export interface TrainNluProjectOptions extends NluInputOptions {
  /** Output folder for the archive. @default '<root>/models' */
  out?: string;
  /** Name of the archive without `.tar.gz`. @default `nlu-<timestamp>-<two words>` */
  fixedModelName?: string;
  logger: Logger;
  onProgress?: (event: ProgressEvent) => void;
}

export interface TrainNluProjectResult {
  modelPath: string;
  fingerprint: string;
  examples: number;
}

/** Trains the NLU pipeline alone and saves an archive that `parley run`, `shell nlu` and `test nlu` load. */
export async function trainNluProject(options: TrainNluProjectOptions): Promise<TrainNluProjectResult> {
  const root = resolve(options.root ?? '.');
  const inputs = await readNluInputs(options);
  if (!inputs.config.language) {
    throw new ParleyError(
      'PARLEY_ERR_CONFIG_INVALID',
      "The config file is missing the mandatory key 'language' (for example `language: en`). Add it and train again.",
      { location: { file: displayPath(root, resolve(root, options.config ?? 'config.yml')) } },
    );
  }
  const nlu = await trainNlu(
    { nlu: inputs.nlu, domain: inputs.domain, config: inputs.config },
    {
      logger: options.logger,
      onProgress: (event) => options.onProgress?.({ stage: `nlu:${event.stage}`, fraction: 0.95 * event.fraction, message: event.message }),
    },
  );
  // Distinct from a full model's fingerprint, so `parley run` never mistakes this model for an up-to-date full one.
  const fingerprint = createHash('sha256').update(`nlu-only\n${fingerprintProject(inputs.files)}`).digest('hex');
  const metadata = newModelMetadata({
    assistantId: inputs.config.assistantId,
    fingerprint,
    language: inputs.config.language,
    parts: { nlu: true, core: false },
  });
  const modelPath = join(resolve(root, options.out ?? 'models'), `${options.fixedModelName ?? `nlu-${newModelName()}`}.tar.gz`);
  options.onProgress?.({ stage: 'save', fraction: 0.97, message: `Saving the NLU model to ${modelPath}` });
  await saveModel(modelPath, { metadata, domain: inputs.domain, nlu, core: null });
  options.onProgress?.({ stage: 'done', fraction: 1, message: `Your NLU model is ready: ${modelPath}` });
  return { modelPath, fingerprint, examples: inputs.nlu.examples.length };
}
