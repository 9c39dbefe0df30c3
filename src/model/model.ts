/** A trained model: metadata plus the domain, NLU and dialogue parts, saved as one archive. */
import { randomUUID } from 'node:crypto';
import type { Domain } from '../shared/domain.js';
import { ParleyError } from '../errors.js';
import { PARLEY_VERSION, RASA_COMPATIBLE_VERSION } from '../version.js';
import { readArchive, writeArchive } from './archive.js';

export interface ModelMetadata {
  /** Hex id copied into every event's `metadata.model_id`. */
  modelId: string;
  assistantId: string | null;
  trainedAt: string;
  parleyVersion: string;
  rasaCompatibleVersion: string;
  fingerprint: string;
  language: string | null;
  /** What the archive holds: a model trained with `train nlu` has no dialogue part. */
  parts: { nlu: boolean; core: boolean };
}

export interface TrainedModel {
  metadata: ModelMetadata;
  domain: Domain;
  nlu: unknown;
  core: unknown;
}

export function newModelMetadata(fields: {
  assistantId: string | null;
  fingerprint: string;
  language: string | null;
  parts: { nlu: boolean; core: boolean };
}): ModelMetadata {
  return {
    modelId: randomUUID().replaceAll('-', ''),
    trainedAt: new Date().toISOString(),
    parleyVersion: PARLEY_VERSION,
    rasaCompatibleVersion: RASA_COMPATIBLE_VERSION,
    ...fields,
  };
}

export async function saveModel(path: string, model: TrainedModel): Promise<void> {
  await writeArchive(path, {
    metadata: model.metadata,
    domain: model.domain,
    nlu: model.nlu,
    core: model.core,
  });
}

export async function loadModel(path: string): Promise<TrainedModel> {
  const contents = await readArchive(path);
  const metadata = checkMetadata(path, contents.metadata);
  return { metadata, domain: contents.domain as Domain, nlu: contents.nlu, core: contents.core };
}

/** Reads only the metadata of an archive (cheap: the other parts are skipped). */
export async function readModelMetadata(path: string): Promise<ModelMetadata> {
  const { metadata } = await readArchive(path, ['metadata']);
  return checkMetadata(path, metadata);
}

function checkMetadata(path: string, value: unknown): ModelMetadata {
  const metadata = value as ModelMetadata;
  if (typeof metadata?.modelId !== 'string' || typeof metadata.fingerprint !== 'string') {
    throw new ParleyError(
      'PARLEY_ERR_MODEL_INVALID',
      `The model archive '${path}' has unreadable metadata. Train a new model with \`parley train\`.`,
    );
  }
  if (metadata.parleyVersion !== PARLEY_VERSION) {
    throw new ParleyError(
      'PARLEY_ERR_MODEL_INVALID',
      `The model '${path}' was trained by Parley ${metadata.parleyVersion}, but this is Parley ` +
        `${PARLEY_VERSION}. Retrain it with \`parley train\`.`,
    );
  }
  return metadata;
}
